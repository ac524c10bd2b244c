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
    /// A text written in place of a date on many records of a column (amoCRM's
    /// `не закрыта`, "not closed", on every open deal) is the export's way of saying
    /// "no date": it is noted once and read as blank.
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

/// A text that stands for "no date" in a column must cover this share of the sampled
/// non-blank values, and appear at least [`MIN_MARKER_RECORDS`] times.
const MIN_MARKER_SHARE: f64 = 0.1;
const MIN_MARKER_RECORDS: usize = 3;

/// A date column, and the text (if any) the export writes in it instead of a date.
pub struct DateColumn {
    column: usize,
    marker: Option<String>,
}

impl Check for UnparseableDate {
    type Options = ();
    /// The date columns.
    type Prepared = Vec<DateColumn>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<DateColumn>> {
        let order = cx.profile.locale.date_order;
        let columns: Vec<DateColumn> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| role.kind().is_date())
            .map(|(column, _)| {
                // One repeated text where a date should be (amoCRM writes `не закрыта`,
                // "not closed", for an open deal's close date) is how the export says
                // "no date", not a defect of each record.
                let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
                let mut total = 0usize;
                for v in cx.sample_values(column) {
                    total += 1;
                    if parse_date(v, order).is_none() {
                        *counts.entry(v).or_default() += 1;
                    }
                }
                let marker = counts
                    .into_iter()
                    .filter(|(v, n)| {
                        *n >= MIN_MARKER_RECORDS
                            && *n as f64 >= total as f64 * MIN_MARKER_SHARE
                            && v.chars().any(char::is_alphabetic)
                    })
                    .max_by_key(|(_, n)| *n)
                    .map(|(v, n)| {
                        cx.note(format!(
                            "`{}` = `{v}` on {n} of {total} sampled records is read as \"no date\"",
                            cx.profile.header_name(column)
                        ));
                        v.to_owned()
                    });
                DateColumn { column, marker }
            })
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(
        &self,
        columns: &Vec<DateColumn>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for DateColumn { column, marker } in columns {
            let column = *column;
            let value = record.get(column);
            if value.is_empty()
                || marker.as_deref() == Some(value)
                || parse_date(value, record.profile.locale.date_order).is_some()
            {
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
