use crate::checks::prelude::*;
use crate::config::ValueRange;
use crate::locale::parse_number;

declare_check! {
    /// ## What it checks
    /// Numbers outside the range set for their column: a probability of 150 %, a negative
    /// amount, a ten-billion deal typed with extra zeros.
    ///
    /// ## Why it matters
    /// One fat-fingered amount dominates a pipeline total; a probability above 100 or
    /// below 0 breaks weighted forecasts. Salesforce's own sample validation rules cap
    /// amounts "to catch typos".
    ///
    /// ## Example
    /// With `[objects.deal.range] probability = { min = 0, max = 100 }`:
    ///
    /// | Probability | flagged |
    /// |-------------|---------|
    /// | `150`       | yes     |
    /// | `-5`        | yes     |
    /// | `75`        | no      |
    /// | `high`      | no (reported as `unparseable-number`) |
    ///
    /// ## Options
    /// - `objects.<object>.range.<field>`: `{ min = ..., max = ... }`, either may be left out.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct ValueOutOfRange;
    code = "FM004",
    name = "value-out-of-range",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for ValueOutOfRange {
    type Options = ();
    /// Columns, ranges, and whether each range is a built-in default.
    type Prepared = Vec<(usize, ValueRange, bool)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        _options: &(),
    ) -> Option<Vec<(usize, ValueRange, bool)>> {
        let ranges: Vec<(usize, ValueRange, bool)> = cx
            .rules()?
            .range
            .iter()
            .filter_map(|(f, r)| {
                let default = cx.is_default(|d| d.range.get(f) == Some(r));
                Some((cx.resolve(f, "range field")?, *r, default))
            })
            .collect();
        (!ranges.is_empty()).then_some(ranges)
    }

    fn check_record(
        &self,
        ranges: &Vec<(usize, ValueRange, bool)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for (column, range, default) in ranges {
            let value = record.get(*column);
            // Unreadable numbers are `unparseable-number`'s; blanks are completeness.
            let Some(number) = parse_number(value, record.profile.locale.decimal) else {
                continue;
            };
            let header = record.header(*column);
            let message = match (range.min, range.max) {
                (Some(min), _) if number < min => {
                    format!("`{header}` = {value} is below the minimum {min}")
                }
                (_, Some(max)) if number > max => {
                    format!("`{header}` = {value} is above the maximum {max}")
                }
                _ => continue,
            };
            sink.report_with(*default, Some(*column), Some(value), message);
        }
    }
}
