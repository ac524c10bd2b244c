//! Phone match keys: digits only, international prefixes dropped, compared on the last
//! ten digits (the national number for NANP and most of Europe), so `(415) 555-0100`,
//! `+1 415 555 0100` and `415.555.0100` are one key. Excel damage (`4.15555E+9`) and
//! placeholders (`000-000-0000`) give no key.

/// The comparison key of a phone number, or `None` when it has fewer than 7 digits or
/// is a run of one digit.
pub fn phone_key(value: &str) -> Option<String> {
    if value.contains(['e', 'E']) && value.contains('+') && value.contains('.') {
        return None;
    }
    let mut digits = String::with_capacity(16);
    for c in value.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if (c.is_alphabetic() || c == '#') && digits.len() >= 7 {
            // An extension: `x123`, `ext. 123`, `доб. 123`.
            break;
        }
    }
    if digits.len() < 7 {
        return None;
    }
    let first = digits.as_bytes()[0];
    if digits.bytes().all(|b| b == first) {
        return None;
    }
    if digits.len() > 10 {
        digits.drain(..digits.len() - 10);
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_share_a_key() {
        let k = phone_key("(415) 555-0100");
        assert_eq!(k.as_deref(), Some("4155550100"));
        assert_eq!(phone_key("+1 415 555 0100"), k);
        assert_eq!(phone_key("415.555.0100 x12"), k);
        assert_eq!(phone_key("8 (495) 123-45-67"), phone_key("+7 495 1234567"));
        assert_eq!(phone_key("000-000-0000"), None);
        assert_eq!(phone_key("12345"), None);
    }
}
