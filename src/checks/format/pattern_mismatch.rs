use crate::checks::prelude::*;
use crate::config::Pattern;

declare_check! {
    /// ## What it checks
    /// Values that do not match the regular expression given for their column. The
    /// pattern must match the whole (trimmed) value.
    ///
    /// ## Why it matters
    /// Territory assignment, routing and joins depend on codes having one shape: a US ZIP
    /// of four digits lost its leading zero in Excel, a `CA-123` account number does not
    /// join to the ERP's `CA123`.
    ///
    /// ## Example
    /// With `[objects.contact.pattern] postcode = '\d{5}(-\d{4})?'`:
    ///
    /// | MailingPostalCode | flagged |
    /// |-------------------|---------|
    /// | `2134`            | yes     |
    /// | `02134`           | no      |
    /// | `02134-1234`      | no      |
    ///
    /// ## Options
    /// - `objects.<object>.pattern.<field>`: a regex string, or `{ regex = "...", message = "..." }`.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct PatternMismatch;
    code = "FM001",
    name = "pattern-mismatch",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for PatternMismatch {
    type Options = ();
    type Prepared = Vec<(usize, Pattern)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, Pattern)>> {
        let patterns: Vec<(usize, Pattern)> = cx
            .rules()?
            .pattern
            .iter()
            .filter_map(|(f, p)| Some((cx.resolve(f, "pattern field")?, p.clone())))
            .collect();
        (!patterns.is_empty()).then_some(patterns)
    }

    fn check_record(
        &self,
        patterns: &Vec<(usize, Pattern)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for (column, pattern) in patterns {
            let value = record.get(*column);
            // Blank values are the completeness checks' business.
            if value.is_empty() || pattern.regex.is_match(value) {
                continue;
            }
            let header = record.header(*column);
            let message = match &pattern.message {
                Some(m) => format!("`{header}` = `{value}`: {m}"),
                None => format!(
                    "`{header}` = `{value}` does not match the pattern `{}`",
                    pattern_source(pattern.regex.as_str())
                ),
            };
            sink.report(Some(*column), Some(value), message);
        }
    }
}

/// The pattern as the user wrote it (without the anchoring added when compiling).
fn pattern_source(compiled: &str) -> &str {
    compiled
        .strip_prefix("^(?:")
        .and_then(|s| s.strip_suffix(")$"))
        .unwrap_or(compiled)
}
