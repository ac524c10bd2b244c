use super::email_columns;
use super::email_domain_typo::intended;
use crate::checks::prelude::*;
use crate::normalize::email::syntax_problem;

declare_check! {
    /// ## What it checks
    /// Email values that are not a deliverable address by their syntax: RFC 5322
    /// `addr-spec` with the strict rules a CRM wants — no display name (`Ann
    /// <ann@x.com>`), no quoted local part, no IP-address domain, a domain of two or
    /// more labels ending in a top-level domain of letters (`client@ya.ru1`,
    /// `nikitin@yandex`, `ann@mail,ru` fail), no spaces, the RFC 5321 length limits.
    /// Internationalized addresses (`иван@почта.рф`) are valid.
    ///
    /// ## Why it matters
    /// A send to such an address bounces or never leaves; the contact is unreachable
    /// by email, and campaign and **activity** reports count a reach that cannot happen.
    ///
    /// ## Example
    /// | Email                 | flagged |
    /// |-----------------------|---------|
    /// | `tkachenko@mail,ru`   | yes     |
    /// | `client@ya.ru1`       | yes     |
    /// | `nikitin@yandex`      | yes     |
    /// | `ann.lee+crm@acme.co.uk` | no   |
    ///
    /// ## Fix
    /// Where the address is whole inside what was pasted around it, the address: safe for a
    /// `mailto:` prefix, a display name (`Ann <ann@acme.com>`), quotes, trailing `.` `,` `;`,
    /// spaces beside the `@` and a doubled `@@`; unsafe for a comma where the domain's dot
    /// belongs (`ann@mail,ru`). The result must be a valid address, else there is no fix;
    /// one whose domain is misspelt too is EM002's (unsafe) fix, in one step.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct InvalidEmail;
    code = "EM001",
    name = "invalid-email",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
    fix = SafeOrUnsafe,
}

impl Check for InvalidEmail {
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
        for &column in columns {
            let value = record.get(column);
            // A word with neither `@` nor `.` (`n/a`, `none`, `-`) is no attempt at an
            // address: placeholder-value (CP003) says what it stands for.
            if value.is_empty() || !value.contains(['@', '.']) {
                continue;
            }
            let Some(problem) = syntax_problem(value) else {
                continue;
            };
            // Not soft: a column of hashes lost its role when profiled, and a column of
            // nothing but broken addresses is a broken load, not a convention.
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not a valid email address: it {problem}",
                    record.header(column)
                ),
            );
            // An address whose domain is also misspelt is EM002's to fix, in one step
            // (both fixes of one field would disagree).
            if let Some((fixed, applicability)) = repair(value)
                && fixed
                    .rsplit_once('@')
                    .is_none_or(|(_, domain)| intended(&domain.to_lowercase()).is_none())
            {
                sink.fix(&fixed, applicability);
            }
        }
    }
}

/// The address inside what was pasted around it, and how sure that is; `None` unless
/// the result is a valid address.
pub(super) fn repair(value: &str) -> Option<(String, Applicability)> {
    let mut v = value.trim();
    // `Ann Smith <ann@acme.com>`: the address in the brackets, unless another address
    // comes before it (`bob@acme.com, <ann@acme.com>`: a list, not one address).
    if let (Some(open), true) = (v.rfind('<'), v.ends_with('>')) {
        if v[..open].contains('@') {
            return None;
        }
        v = &v[open + 1..v.len() - 1];
    }
    if v.len() > 7 && v[..7].eq_ignore_ascii_case("mailto:") {
        v = &v[7..];
    }
    let v = v
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '<' | '>') || c.is_whitespace())
        .trim_end_matches(['.', ',', ';']);
    let mut fixed = v.replace("@@", "@");
    if let Some((local, domain)) = fixed.split_once('@') {
        fixed = format!("{}@{}", local.trim_end(), domain.trim_start());
    }
    let mut applicability = Applicability::Safe;
    if syntax_problem(&fixed).is_some() {
        let (local, domain) = fixed.split_once('@')?;
        if !domain.contains(',') || domain.contains('.') {
            return None;
        }
        fixed = format!("{local}@{}", domain.replace(',', "."));
        applicability = Applicability::Unsafe;
    }
    (fixed != value && syntax_problem(&fixed).is_none()).then_some((fixed, applicability))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_addresses_are_repaired() {
        let safe = |v: &str| {
            repair(v)
                .filter(|(_, a)| *a == Applicability::Safe)
                .map(|(f, _)| f)
        };
        assert_eq!(safe("mailto:ann@acme.com").as_deref(), Some("ann@acme.com"));
        assert_eq!(
            safe("Ann Smith <ann@acme.com>").as_deref(),
            Some("ann@acme.com")
        );
        assert_eq!(safe("ann@acme.com.").as_deref(), Some("ann@acme.com"));
        assert_eq!(safe("ann @ acme.com").as_deref(), Some("ann@acme.com"));
        assert_eq!(safe("ann@@acme.com").as_deref(), Some("ann@acme.com"));
        assert_eq!(
            repair("ann@mail,ru"),
            Some(("ann@mail.ru".to_owned(), Applicability::Unsafe))
        );
        assert_eq!(repair("nikitin@yandex"), None);
        assert_eq!(repair("ann smith@acme.com"), None);
        assert_eq!(repair("Bob <bob@acme.com>; Ann <ann@acme.com>"), None);
        assert_eq!(repair("bob@acme.com, <ann@acme.com>"), None);
    }
}
