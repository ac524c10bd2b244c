use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::normalize::salesforce_id::{checksum, key_prefix, looks_like_salesforce_id};

declare_check! {
    /// ## What it checks
    /// A company or account name that is an email address (`ann@acme.com`) or a
    /// Salesforce record id (`001Nq00000J1MwPIAV`, an 18-character id with a valid
    /// checksum, or a 15-character one with a known key prefix): a value pasted into the
    /// wrong field or a lookup exported as its id.
    ///
    /// ## Why it matters
    /// Account-based reports, territory rules and lead-to-account matching group by the
    /// company name: an id or an address there is a company of its own.
    ///
    /// ## Example
    /// | Company | flagged |
    /// |---------|---------|
    /// | `001Nq00000J1MwPIAV` | yes, an account id |
    /// | `ann@acme.com` | yes |
    /// | `acme.com`, `3M`, `7-Eleven` | no |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct CompanyNotAName;
    code = "JK006",
    name = "company-not-a-name",
    family = Junk,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for CompanyNotAName {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let roles: &[Role] = match cx.profile.object {
            ObjectType::Contact | ObjectType::Lead | ObjectType::Deal => &[Role::Company],
            ObjectType::Account => &[Role::Name],
            _ => return None,
        };
        let columns: Vec<usize> = roles
            .iter()
            .filter_map(|r| cx.profile.columns.column(*r))
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column).trim();
            let Some(what) = not_a_name(value) else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is {what}, not a company name",
                    record.header(column)
                ),
            );
        }
    }
}

/// What a company value is instead of a name, if it is clearly something else.
fn not_a_name(value: &str) -> Option<String> {
    if looks_like_salesforce_id(value) {
        let id_checks = match value.len() {
            18 => checksum(&value[..15]) == value[15..].to_ascii_uppercase(),
            _ => key_prefix(value)
                .and_then(ObjectType::from_salesforce_prefix)
                .is_some(),
        };
        if id_checks {
            let object = key_prefix(value)
                .and_then(ObjectType::from_salesforce_prefix)
                .map_or("record", |(_, api)| api);
            return Some(format!("a Salesforce {object} id"));
        }
    }
    let (local, domain) = value.split_once('@')?;
    let is_email = !local.is_empty()
        && domain.contains('.')
        && !value.contains(char::is_whitespace)
        && !domain.contains('@');
    is_email.then(|| "an email address".to_owned())
}
