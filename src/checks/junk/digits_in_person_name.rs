use super::person_columns;
use crate::checks::prelude::*;
use crate::input::columns::Role;

declare_check! {
    /// ## What it checks
    /// A digit in a contact's or lead's first, middle, last or full name (`John2`,
    /// `Ann 1`, `Smith123`): names hold no digits, so the value is a test record, an
    /// import that shifted columns or a username. Company names are not checked (`3M`).
    ///
    /// ## Why it matters
    /// Mail merges greet `Dear John2`, and the record is likely a test or a broken import
    /// counted in **conversion** and contact reports.
    ///
    /// ## Example
    /// | FirstName | LastName | flagged |
    /// |-----------|----------|---------|
    /// | `John2`   | `Smith`  | yes     |
    /// | `Mary-Ann`| `O'Neil` | no      |
    /// | `Henry`   | `Ford III` | no    |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct DigitsInPersonName;
    code = "JK004",
    name = "digits-in-person-name",
    family = Junk,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for DigitsInPersonName {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns = person_columns(cx)?;
        let found: Vec<usize> = [
            Role::FirstName,
            Role::MiddleName,
            Role::LastName,
            Role::FullName,
        ]
        .iter()
        .filter_map(|r| columns.column(*r))
        .collect();
        (!found.is_empty()).then_some(found)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            if !value.bytes().any(|b| b.is_ascii_digit()) || !value.chars().any(char::is_alphabetic)
            {
                // No digit, or digits only (an id or a number in the wrong column: other
                // checks' business, and no name at all).
                continue;
            }
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{}` holds digits: no name does (a test record, a username or a shifted import)",
                    record.header(column),
                    value.trim()
                ),
            );
        }
    }
}
