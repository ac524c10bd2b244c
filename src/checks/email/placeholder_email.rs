use super::{FAKE_DOMAINS, PLACEHOLDER_LOCALS, email_columns, parts, reserved};
use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Addresses that stand in for "no email": at a domain that can never receive mail
    /// (`example.com`, `.invalid`, `.test`, `.example` — also Salesforce's sandbox
    /// suffixes `name@acme.com.invalid`), at a registered placeholder domain
    /// (`test.com`, `noemail.com`, `domain.com`) or one named like one (`test.ru`,
    /// `example.demo`), or with a local part meaning "none" (`noemail@`, `n/a@`,
    /// `test@`) at such a domain or at any domain when it can mean nothing else.
    ///
    /// ## Why it matters
    /// The record has no real address, but completeness reports count it as filled and
    /// campaigns send to it. Sandbox-masked addresses in a production export mean the
    /// data came from a sandbox copy.
    ///
    /// ## Example
    /// | Email                        | flagged |
    /// |------------------------------|---------|
    /// | `test@test.ru`               | yes     |
    /// | `shomer@example.com`         | yes     |
    /// | `ann@acme.com.invalid`       | yes     |
    /// | `noemail@gmail.com`          | yes     |
    /// | `ann@acme.com`               | no      |
    ///
    /// ## Fix
    /// Blank the field: unsafe (an admin may prefer to find the real address, and a CRM
    /// that requires an email refuses a blank). A sandbox-masked address has none: its
    /// export came from a sandbox.
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct PlaceholderEmail;
    code = "EM005",
    name = "placeholder-email",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Completeness,
    fix = Unsafe,
}

/// Second-level names of placeholder domains under any top-level domain.
const PLACEHOLDER_NAMES: &[&str] = &[
    "test", "example", "noemail", "nomail", "none", "fake", "dummy", "sample", "asdf", "invalid",
];

/// Local parts that mean "no address" wherever they are.
const NOBODY: &[&str] = &[
    "noemail",
    "no-email",
    "no_email",
    "nomail",
    "none",
    "n/a",
    "na",
    "null",
    "nobody",
    "donotemail",
    "do-not-email",
    "unknown",
    "noaddress",
    "fake",
    "dummy",
    "no",
];

/// Why a lowercased address is a placeholder, if it is one.
pub(super) fn placeholder(local: &str, domain: &str) -> Option<String> {
    let sld = domain.rsplit('.').nth(1).unwrap_or_default();
    Some(if let Some(r) = reserved(domain) {
        format!("`{r}` can never receive mail")
    } else if FAKE_DOMAINS.contains(domain) || PLACEHOLDER_NAMES.contains(&sld) {
        format!("`{domain}` is a placeholder domain")
    } else if NOBODY.contains(&local)
        || (local == sld
            && (local.chars().count() <= 2
                || local == "email"
                || PLACEHOLDER_LOCALS.contains(local)))
    {
        format!("`{local}@` means no address")
    } else {
        return None;
    })
}

impl Check for PlaceholderEmail {
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
        // A reused buffer for the lowercased address.
        let mut buf = std::mem::take(&mut sink.scratch);
        for &column in columns {
            let value = record.get(column);
            let Some((local, domain)) = parts(value, &mut buf) else {
                continue;
            };
            let Some(why) = placeholder(local, domain) else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is a placeholder: {why}",
                    record.header(column)
                ),
            );
            if !domain.ends_with(".invalid") {
                sink.fix("", Applicability::Unsafe);
            }
        }
        sink.scratch = buf;
    }
}
