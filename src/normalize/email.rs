//! Email addresses: match keys, and the strict syntax a CRM address must have.
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

/// Why an email address cannot be one, or `None` when its syntax is sound: an RFC 5322
/// `addr-spec` (the `email_address` crate's grammar) with the stricter rules a CRM wants:
/// no display name, no quoted local part, no domain literal, a domain of at least two
/// labels ending in a top-level domain of letters (or an IDNA `xn--` label), labels of
/// letters, digits and inner hyphens, and the RFC 5321 length limits.
pub fn syntax_problem(value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.contains(char::is_whitespace) {
        return Some("contains spaces");
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Some("has no `@`");
    };
    if local.is_empty() {
        return Some("has nothing before the `@`");
    }
    if local.contains('@') {
        return Some("has more than one `@`");
    }
    if domain.is_empty() {
        return Some("has no domain after the `@`");
    }
    if local.starts_with('"') || local.contains('<') || value.contains('>') {
        return Some("has a quoted part or a display name");
    }
    if domain.starts_with('[') {
        return Some("has an IP address instead of a domain");
    }
    if value.len() > 254 {
        return Some("is longer than 254 characters");
    }
    if local.len() > 64 {
        return Some("has a local part longer than 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("has a misplaced dot before the `@`");
    }
    if !domain
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Some("has a character a domain cannot hold (a comma, a slash, …)");
    }
    if !domain.contains('.') {
        return Some("has no top-level domain (`.com`, `.ru`, …)");
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Some("has an empty part in its domain");
        }
        if label.len() > 63 {
            return Some("has a domain part longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("has a domain part starting or ending with `-`");
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Some("has a character a domain cannot hold");
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    let idna = tld.len() > 4 && tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    if !idna && !tld.chars().all(char::is_alphabetic) {
        return Some("has a top-level domain that is not letters");
    }
    // A top-level domain that does not exist (`gmail.c`, `acme.con`) is well-formed:
    // unknown-email-tld (EM007) reports it.
    // Plain ASCII: the local part must be RFC 5322 atext and dots, which is all the
    // grammar would check; anything else takes the full grammar (`email_address`).
    const ATEXT: &[u8] = b"!#$%&'*+-/=?^_`{|}~.";
    if value.is_ascii() {
        return (!local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || ATEXT.contains(&b)))
        .then_some("has a character an address cannot hold");
    }
    let options = email_address::Options::default()
        .without_display_text()
        .without_domain_literal();
    if email_address::EmailAddress::parse_with_options(value, options).is_err() {
        return Some("is not a valid address");
    }
    None
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

    #[test]
    fn strict_syntax() {
        for ok in [
            "ann@example.com",
            "ann.lee+crm@sub.example.co.uk",
            "иван@почта.рф",
            "o'brien@example.ie",
            "a@xn--80ak6aa92e.com",
            // Letters of any script, multi-byte within the first four bytes.
            "ann@example.cþÿom",
        ] {
            assert_eq!(syntax_problem(ok), None, "{ok}");
        }
        for bad in [
            "client@ya.ru1",
            "tkachenko@mail,ru",
            "nikitin@yandex",
            "ann@@example.com",
            "ann lee@example.com",
            "Ann <ann@example.com>",
            "\"ann lee\"@example.com",
            "ann@[127.0.0.1]",
            ".ann@example.com",
            "ann..lee@example.com",
            "ann@-example.com",
            "ann@example..com",
            "annexample.com",
            "@example.com",
            "ann@",
        ] {
            assert!(syntax_problem(bad).is_some(), "{bad}");
        }
    }
}
