//! Salesforce record ids: their shape, their case-insensitive 18-character form and the
//! key prefix that names their object.
//!
//! A Salesforce id is 15 case-sensitive letters and digits, or the same 15 followed by a
//! 3-character checksum of their case (18 characters, case-insensitive). The first three
//! characters are the key prefix of the object (`001` account, `003` contact, …).

/// Whether a value has the shape of a Salesforce id: 15 or 18 letters and digits with a
/// digit among the three prefix characters.
pub fn looks_like_salesforce_id(value: &str) -> bool {
    (value.len() == 15 || value.len() == 18)
        && value.bytes().all(|b| b.is_ascii_alphanumeric())
        && value.as_bytes()[..3].iter().any(u8::is_ascii_digit)
}

/// The join key of an id: an 18-character Salesforce id joins on its 15-character form;
/// any other value is its own key.
pub fn join_key(id: &str) -> &str {
    if id.len() == 18 && looks_like_salesforce_id(id) {
        &id[..15]
    } else {
        id
    }
}

/// The 3-character suffix that makes a 15-character id case-insensitive.
pub fn checksum(id15: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk.iter().enumerate().fold(0usize, |acc, (i, b)| {
                acc | (usize::from(b.is_ascii_uppercase()) << i)
            });
            char::from(ALPHABET[bits])
        })
        .collect()
}

/// An 18-character id whose letter case was changed (lowered by a spreadsheet or a
/// case-insensitive tool), restored from its checksum suffix, which records which of
/// the first 15 characters are capitals. `None` when the suffix is no checksum, or
/// calls a digit a capital: the id was altered otherwise than in case.
pub fn restore_case(id: &str) -> Option<String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    if id.len() != 18 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (body, suffix) = id.split_at(15);
    let mut restored = String::with_capacity(18);
    for (chunk, s) in body.as_bytes().chunks(5).zip(suffix.bytes()) {
        let bits = ALPHABET.iter().position(|a| *a == s.to_ascii_uppercase())?;
        for (i, b) in chunk.iter().enumerate() {
            let capital = bits & (1 << i) != 0;
            if capital && !b.is_ascii_alphabetic() {
                return None;
            }
            restored.push(char::from(if capital {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            }));
        }
    }
    restored.push_str(&suffix.to_ascii_uppercase());
    Some(restored)
}

/// The key prefix of an id-shaped value.
pub fn key_prefix(id: &str) -> Option<&str> {
    looks_like_salesforce_id(id).then(|| &id[..3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_salesforce() {
        // Documented pair: 001A0000006Vm9r → 001A0000006Vm9rIAC.
        assert_eq!(checksum("001A0000006Vm9r"), "IAC");
        assert_eq!(join_key("001A0000006Vm9rIAC"), "001A0000006Vm9r");
        assert_eq!(join_key("ACME-1"), "ACME-1");
        assert!(!looks_like_salesforce_id("ABCDEFGHIJKLMNO"));
        assert_eq!(key_prefix("003A0000006Vm9r"), Some("003"));
        assert_eq!(
            restore_case("001a0000006vm9riac").as_deref(),
            Some("001A0000006Vm9rIAC")
        );
        assert_eq!(
            restore_case("001A0000006VM9RIAC").as_deref(),
            Some("001A0000006Vm9rIAC")
        );
        // The suffix calls the 4th character (a digit here) a capital.
        assert_eq!(restore_case("0010000006Vm9rAIAC"), None);
    }
}
