use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Records where a quote opens a field that never closes: the quoted field would
    /// run on for more lines than any real note (1,000 by default) or to the end of the
    /// file. The quote is read as ordinary text and the record ends at its own line, so
    /// the records after it are still read and audited.
    ///
    /// ## Why it matters
    /// A stray `"` (a height written `5'11"`, a note cut off by a broken export) makes a
    /// CSV reader swallow every following line into one field: an export of 200,000
    /// records silently becomes 100. The record with the quote may still have its
    /// fields split in the wrong places.
    ///
    /// ## Example
    /// | line | row                                | flagged |
    /// |------|------------------------------------|---------|
    /// | 2    | `1,"Lee,ann@example.com`           | yes (the quote never closes) |
    /// | 3    | `2,"Lee, Jr",bo@example.com`       | no      |
    /// | 4    | `3,"two`⏎`lines",cy@example.com`   | no (a quoted line break) |
    ///
    /// ## Options
    /// - `input."<file>".max-quoted-lines` (default 1000): lines a quoted field may span.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct UnclosedQuote;
    code = "IN003",
    name = "unclosed-quote",
    family = Input,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for UnclosedQuote {
    type Options = ();
    type Prepared = ();

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<()> {
        // Only CSV text has quotes.
        (cx.profile.header.format == "csv").then_some(())
    }

    fn check_record(&self, _prepared: &(), record: &RecordView<'_>, sink: &mut FindingSink) {
        let Some(line) = record.flags.stray_quote_line else {
            return;
        };
        sink.report(
            None,
            None,
            format!(
                "the quote opened on line {line} never closes: read as text, so the records after it are read; check this record's fields"
            ),
        );
    }
}
