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
    type Options = ();
    /// The input's encoding, for messages.
    type Prepared = String;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<String> {
        Some(
            cx.profile
                .header
                .encoding
                .clone()
                .unwrap_or_else(|| "UTF-8".to_owned()),
        )
    }

    fn check_record(&self, encoding: &String, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in record.invalid_encoding {
            sink.report(
                Some(column),
                Some(record.get(column)),
                format!(
                    "`{}` has bytes that are not valid {encoding}",
                    record.header(column)
                ),
            );
        }
    }
}
