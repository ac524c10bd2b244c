//! Email match keys.
//!
//! The key is the trimmed address, lowercased (no major provider treats local parts
//! case-sensitively), with Gmail's rules applied for `gmail.com` / `googlemail.com`:
//! dots and `+tags` in the local part are ignored and both domains are one.

/// The comparison key of an email address, or `None` when it has no `@`.
pub fn email_key(value: &str) -> Option<String> {
    let lower = value.trim().to_lowercase();
    let lower = lower.trim_start_matches("mailto:");
    let (local, domain) = lower.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    let domain = domain.trim_end_matches('.');
    if domain == "gmail.com" || domain == "googlemail.com" {
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        return Some(format!("{local}@gmail.com"));
    }
    Some(format!("{local}@{domain}"))
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
        assert_eq!(email_key("@example.com"), None);
    }
}
