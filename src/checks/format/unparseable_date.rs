use crate::checks::prelude::*;
use crate::locale::parse_date;

declare_check! {
    /// ## What it checks
    /// Values of date and datetime columns (created, close, birth, last activity, …)
    /// that cannot be read as a date in any format exports use: ISO, API timestamps,
    /// locale formats in the input's day/month order, month names, epoch milliseconds.
    ///
    /// ## Why it matters
    /// A close date of `next quarter` or `31/02/2026` drops the deal from every
    /// time-bucketed report (pipeline by month, sales cycle, forecast period).
    ///
    /// ## Example
    /// | CloseDate      | flagged |
    /// |----------------|---------|
    /// | `next quarter` | yes     |
    /// | `2026-02-30`   | yes     |
    /// | `22.11.2026`   | no      |
    /// | `11/22/26 3:04 PM` | no  |
    ///
    /// ## Options
    /// - `input."<file>".date-order`: `mdy` or `dmy` when detection from the data is not
    ///   enough (`02/03/24`).
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct UnparseableDate;
    code = "FM005",
    name = "unparseable-date",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for UnparseableDate {
    type Options = ();
    /// The date columns.
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns: Vec<usize> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| role.kind().is_date())
            .map(|(c, _)| c)
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            if value.is_empty() || parse_date(value, record.profile.locale.date_order).is_some() {
                continue;
            }
            // A column whose values are mostly unreadable has another format or another
            // meaning than its header says: soft, folded into one notice.
            sink.report_soft(
                Some(column),
                Some(value),
                format!("`{}` = `{value}` is not a date", record.header(column)),
            );
        }
    }
}
