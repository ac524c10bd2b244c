use crate::checks::prelude::*;
use crate::engine::plan::PicklistMatch;

declare_check! {
    /// ## What it checks
    /// Values of a picklist column (stage, lead status, industry, …) that are not among
    /// the allowed values and are not a near miss of one (near misses are
    /// `allowed-value-variant`).
    ///
    /// ## Why it matters
    /// Reports group by picklist values: a stage outside the sales process falls out of
    /// every funnel stage, and imports and API writes bypass the CRM's own picklist
    /// restriction.
    ///
    /// ## Example
    /// With `[objects.deal.allowed] stage = ["Prospecting", "Closed Won", "Closed Lost"]`:
    ///
    /// | StageName   | flagged                                  |
    /// |-------------|------------------------------------------|
    /// | `On hold`   | yes                                      |
    /// | `closed won`| no (reported as `allowed-value-variant`) |
    /// | `Closed Won`| no                                       |
    ///
    /// ## Options
    /// - `objects.<object>.allowed.<field>`: the list of allowed values.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct ValueNotAllowed;
    code = "FM002",
    name = "value-not-allowed",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for ValueNotAllowed {
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
            if value.is_empty()
                || allowed.classify(value, ctx.plan.allowed_max_edits) != PicklistMatch::NotAllowed
            {
                continue;
            }
            sink.report(
                &Self::META,
                Some(*column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not an allowed value",
                    ctx.plan.header_name(*column)
                ),
            );
        }
    }
}
