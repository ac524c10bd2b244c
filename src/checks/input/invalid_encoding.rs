use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Values containing bytes that are not valid in the input's encoding, such as a
    /// Windows-1252 `é` pasted into a UTF-8 export.
    ///
    /// ## Why it matters
    /// Mixed encodings come from concatenated exports and copy-paste; the value shows as
    /// `Ã©` or `�` in reports and will not match the same name elsewhere. The value is
    /// shown with the bad bytes replaced by `�`.
    ///
    /// ## Example
    /// | bytes of `LastName` (UTF-8 file) | flagged |
    /// |----------------------------------|---------|
    /// | `Ren\xE9`                        | yes     |
    /// | `René` (valid UTF-8)             | no      |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct InvalidEncoding;
    code = "IN002",
    name = "invalid-encoding",
    family = Input,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for InvalidEncoding {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let encoding = ctx.plan.header.encoding.as_deref().unwrap_or("UTF-8");
        for &column in record.invalid_encoding {
            sink.report(
                &Self::META,
                Some(column),
                Some(record.get(column)),
                format!(
                    "`{}` has bytes that are not valid {encoding}",
                    ctx.plan.header_name(column)
                ),
            );
        }
    }
}
