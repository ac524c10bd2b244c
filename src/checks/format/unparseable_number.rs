use crate::checks::prelude::*;
use crate::locale::parse_number;

declare_check! {
    /// ## What it checks
    /// Values of number, money and percent columns (amount, probability, revenue,
    /// employees) that cannot be read as a number, allowing currency signs and codes,
    /// thousands separators and the input's decimal separator.
    ///
    /// ## Why it matters
    /// `TBD` or `50k` in an amount column is summed as zero, silently, by every report
    /// tool.
    ///
    /// ## Example
    /// | Amount      | flagged |
    /// |-------------|---------|
    /// | `TBD`       | yes     |
    /// | `50k`       | yes     |
    /// | `$1,250.00` | no      |
    /// | `1 250,00 ₽`| no      |
    ///
    /// ## Options
    /// - `input."<file>".decimal`: `"."` or `","` when detection is not enough (`1,250`).
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct UnparseableNumber;
    code = "FM006",
    name = "unparseable-number",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for UnparseableNumber {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &column in &ctx.plan.number_columns {
            let value = record.get(column);
            if value.is_empty() || parse_number(value, ctx.plan.locale.decimal).is_some() {
                continue;
            }
            sink.report(
                &Self::META,
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not a number",
                    ctx.plan.header_name(column)
                ),
            );
        }
    }
}
