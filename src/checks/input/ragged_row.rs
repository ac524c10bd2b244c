use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Rows whose number of fields differs from the header's.
    ///
    /// ## Why it matters
    /// A short row usually means an unquoted line break inside a note, a long row an
    /// unquoted delimiter inside a value. Either way the fields after the break are in
    /// the wrong columns, so every value of the row is suspect. The scan goes on: missing
    /// fields are read as blank and extra fields are ignored.
    ///
    /// ## Example
    /// | header          | row                   | flagged |
    /// |-----------------|-----------------------|---------|
    /// | `Id,Name,Email` | `1,Ann`               | yes     |
    /// | `Id,Name,Email` | `2,Lee, Bo,bo@x.com`  | yes     |
    /// | `Id,Name,Email` | `3,"Lee, Bo",bo@x.com`| no      |
    /// | `Id,Name,Email` | `4,Kim,kim@x.com,`    | no (an empty field past the last column) |
    /// | `Id,Name,Email,`| `5,Wu,wu@x.com`       | no (the last column has no name) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct RaggedRow;
    code = "IN001",
    name = "ragged-row",
    family = Input,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for RaggedRow {
    type Options = ();
    /// The columns up to the last one with a name: fields a row must have.
    type Prepared = usize;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<usize> {
        let profile = cx.profile;
        let mut named = profile.width();
        while named > 1 && profile.header_name(named - 1).is_empty() {
            named -= 1;
        }
        Some(named)
    }

    fn check_record(&self, named: &usize, record: &RecordView<'_>, sink: &mut FindingSink) {
        let expected = record.profile.width();
        // A one-field blank row is a blank line inside the data, which the CSV reader
        // already skips unless it holds whitespace; it is not a shifted row. A row that
        // stops before header columns with no name (`Id,Name,` over `1,Ann`) is whole.
        if (*named..=expected).contains(&record.field_count)
            || (record.field_count == 1 && record.get(0).is_empty())
        {
            return;
        }
        sink.report(
            None,
            None,
            format!(
                "row has {} fields, the header has {expected}",
                record.field_count
            ),
        );
    }
}
