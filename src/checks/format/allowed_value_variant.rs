use crate::checks::prelude::*;
use crate::engine::plan::PicklistMatch;

declare_check! {
    /// ## What it checks
    /// Picklist values that differ from an allowed value only by case, spacing,
    /// punctuation or a typo (`GTXPro` for `GTX Pro`, `technolgy` for `technology`,
    /// `closed won` for `Closed Won`). The message names the allowed value meant.
    ///
    /// ## Why it matters
    /// Variants split one group into several in every report (`Technology` and
    /// `technolgy` become two industries), and they are safe to fix automatically once
    /// reviewed, unlike values that are simply not allowed.
    ///
    /// ## Example
    /// With `[objects.account.allowed] industry = ["Technology", "Retail"]`:
    ///
    /// | Industry     | flagged                                |
    /// |--------------|----------------------------------------|
    /// | `technolgy`  | yes (→ `Technology`)                   |
    /// | `RETAIL `    | yes (→ `Retail`)                       |
    /// | `Mining`     | no (reported as `value-not-allowed`)   |
    /// | `Retail`     | no                                     |
    ///
    /// ## Options
    /// - `checks.allowed-value-variant.max-edits` (default 1, 0 turns typo matching off;
    ///   values shorter than 4 letters only match by case, spacing and punctuation).
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct AllowedValueVariant;
    code = "FM003",
    name = "allowed-value-variant",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
}

impl Check for AllowedValueVariant {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for (column, allowed) in &ctx.plan.allowed {
            let value = record.get(*column);
            if value.is_empty() {
                continue;
            }
            let PicklistMatch::Variant(i) = allowed.classify(value, ctx.plan.allowed_max_edits)
            else {
                continue;
            };
            sink.report(
                &Self::META,
                Some(*column),
                Some(value),
                format!(
                    "`{}` = `{value}` looks like the allowed value `{}`",
                    ctx.plan.header_name(*column),
                    allowed.values[i]
                ),
            );
        }
    }
}
