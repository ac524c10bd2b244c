use super::email_columns;
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
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct InvalidEmail;
    code = "EM001",
    name = "invalid-email",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
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
        }
    }
}
