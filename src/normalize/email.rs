//! Email match keys.
//!
//! The key is the trimmed address, lowercased (no major provider treats local parts
//! case-sensitively), with Gmail's rules applied for `gmail.com` / `googlemail.com`:
//! dots and `+tags` in the local part are ignored and both domains are one.

/// The comparison key of an email address, or `None` when it has no `@`.
pub fn email_key(value: &str) -> Option<String> {
    let mut out = String::new();
    email_key_into(value, &mut out).then_some(out)
}

/// [`email_key`] into a reused buffer; false (and `out` unspecified) when the value has
/// no `@` with something on both sides.
pub fn email_key_into(value: &str, out: &mut String) -> bool {
    out.clear();
    let value = value.trim();
    if value.is_ascii() {
        out.push_str(value);
        out.make_ascii_lowercase();
    } else {
        out.extend(value.chars().flat_map(char::to_lowercase));
    }
    if out.starts_with("mailto:") {
        out.drain(..7);
    }
    let Some(at) = out.rfind('@') else {
        return false;
    };
    let domain = out[at + 1..].trim_end_matches('.');
    if at == 0 || domain.is_empty() {
        return false;
    }
    let domain_len = domain.len();
    out.truncate(at + 1 + domain_len);
    let gmail = matches!(&out[at + 1..], "gmail.com" | "googlemail.com");
    if gmail {
        let local_end = out[..at].find('+').unwrap_or(at);
        let local: String = out[..local_end].chars().filter(|c| *c != '.').collect();
        out.clear();
        out.push_str(&local);
        out.push_str("@gmail.com");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_gmail_rules() {
        assert_eq!(
            email_key(" Ann.Lee@Example.COM ").as_deref(),
            Some("ann.lee@example.com")
        );
        assert_eq!(
            email_key("A.n.n+crm@googlemail.com").as_deref(),
            Some("ann@gmail.com")
        );
        assert_eq!(email_key("not-an-email"), None);
        assert_eq!(email_key("mailto:Bo@x.org.").as_deref(), Some("bo@x.org"));
        assert_eq!(
            email_key("Żaneta@Example.pl").as_deref(),
            Some("żaneta@example.pl")
        );
        assert_eq!(email_key("bo@"), None);
        assert_eq!(email_key("@example.com"), None);
    }
}
