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
    type Options = ();
    /// The number columns.
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns: Vec<usize> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| role.kind().is_number())
            .map(|(c, _)| c)
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            if value.is_empty() || parse_number(value, record.profile.locale.decimal).is_some() {
                continue;
            }
            // A column whose values are mostly unreadable has another format or another
            // meaning than its header says: soft, folded into one notice.
            sink.report_soft(
                Some(column),
                Some(value),
                format!("`{}` = `{value}` is not a number", record.header(column)),
            );
        }
    }
}
