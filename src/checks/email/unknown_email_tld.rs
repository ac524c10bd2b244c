use super::{email_columns, parts};
use crate::checks::prelude::*;
use crate::normalize::email::syntax_problem;

declare_check! {
    /// ## What it checks
    /// A well-formed address whose top-level domain does not exist: not on the Public
    /// Suffix List (the `psl` crate: every IANA top-level domain), such as `acme.con`,
    /// `gmail.c` or `mail.rru`. When the domain is one typing mistake from `.com`,
    /// `.net`, `.org` or `.ru` the finding suggests it. Reserved and sandbox domains
    /// (`.invalid`, `.test`, `.example`, `.local`) and placeholders (`example.demo`)
    /// are EM005's; misspelt providers
    /// (`gmail.con`) are EM002's; malformed addresses are EM001's.
    ///
    /// ## Why it matters
    /// No mail can be delivered to a domain under a top-level domain that does not
    /// exist: campaigns bounce, and **activity** and email-engagement reports count
    /// contacts no one can reach.
    ///
    /// ## Example
    /// | Email | flagged |
    /// |-------|---------|
    /// | `ann@acme.con` | yes, did you mean `.com` |
    /// | `ann@acme.c` | yes |
    /// | `ann@acme.co`, `ann@acme.berlin`, `ivan@почта.рф` | no |
    /// | `ann@acme.invalid` | no (EM005) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct UnknownEmailTld;
    code = "EM007",
    name = "unknown-email-tld",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

/// The top-level domains suggested for a near miss.
const COMMON: &[&str] = &["com", "net", "org", "ru"];

impl Check for UnknownEmailTld {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns = email_columns(cx);
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        let mut buf = std::mem::take(&mut sink.scratch);
        for &column in columns {
            let value = record.get(column);
            let Some((local, domain)) = parts(value, &mut buf) else {
                continue;
            };
            let Some(tld) = unknown_tld(domain) else {
                continue;
            };
            if super::placeholder_email::placeholder(local, domain).is_some()
                || super::email_domain_typo::intended(domain).is_some()
                || syntax_problem(value).is_some()
            {
                continue;
            }
            let hint = near_common(tld)
                .map(|t| format!(": did you mean `.{t}`?"))
                .unwrap_or_default();
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}`: `.{tld}` is not an existing top-level domain, so no mail reaches it{hint}",
                    record.header(column)
                ),
            );
        }
        sink.scratch = buf;
    }
}

/// The top-level domain of a lowercased domain when the Public Suffix List does not
/// know it.
fn unknown_tld(domain: &str) -> Option<&str> {
    let tld = domain.rsplit('.').next()?;
    if tld.is_empty() || tld == domain {
        return None;
    }
    match psl::suffix(tld.as_bytes()) {
        Some(suffix) if suffix.is_known() => None,
        _ => Some(tld),
    }
}

/// A common top-level domain one typing mistake from `tld`, when exactly one is.
fn near_common(tld: &str) -> Option<&'static str> {
    let mut near = COMMON.iter().filter(|c| strsim::osa_distance(tld, c) == 1);
    let first = near.next()?;
    near.next().is_none().then_some(*first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_domains() {
        for known in [
            "acme.com",
            "acme.co",
            "acme.berlin",
            "почта.рф",
            "xn--80ak6aa92e.xn--p1ai",
            "a.io",
        ] {
            assert_eq!(unknown_tld(known), None, "{known}");
        }
        assert_eq!(unknown_tld("acme.con"), Some("con"));
        assert_eq!(unknown_tld("acme.c"), Some("c"));
        assert_eq!(near_common("con"), Some("com"));
        assert_eq!(near_common("c"), None, "two edits from `com`");
        assert_eq!(near_common("rru"), Some("ru"));
        assert_eq!(near_common("zzz"), None);
    }
}
