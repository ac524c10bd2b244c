use super::date_of;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::locale::Date;

declare_check! {
    /// ## What it checks
    /// Dates that are a system's stand-in for "no date": the first days of the Unix
    /// epoch (`1970-01-01`, `1970-01-02`), Excel's and databases' zero dates
    /// (`1899-12-30`, `1899-12-31`, `1900-01-01`) and `0001-01-01`, in any date column
    /// that has a role (close date, created, birth date, …).
    ///
    /// ## Why it matters
    /// Distorts every time-bucketed report (**pipeline by month**, **sales cycle**):
    /// the record lands in 1970 and stretches averages by decades. The real date is
    /// unknown, not that day.
    ///
    /// ## Example
    /// | close date   | flagged |
    /// |--------------|---------|
    /// | `1970-01-02` | yes     |
    /// | `02.01.1970` | yes     |
    /// | `2026-01-02` | no      |
    ///
    /// ## Fix
    /// Blank the field: safe (the system meant "no date"); unsafe for a deal's close
    /// date and where the rule file requires the field (the CRM may refuse a blank), and
    /// for a birth date (`1970-01-01` is somebody's birthday). No
    /// fix for created and modified timestamps, which the CRM sets itself.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct PlaceholderDate;
    code = "SM011",
    name = "placeholder-date",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Validity,
    fix = SafeOrUnsafe,
    reports = [Pipeline, Forecast, WinLoss, SalesCycle, Conversion, Activity],
}

/// `(year, month, day)` of the dates systems write for none.
const SENTINELS: [(i32, u32, u32); 6] = [
    (1970, 1, 1),
    (1970, 1, 2),
    (1899, 12, 30),
    (1899, 12, 31),
    (1900, 1, 1),
    (1, 1, 1),
];

/// The date columns of one input.
pub struct Prepared {
    columns: Vec<usize>,
    /// Columns the rule file requires, or the CRM does (a deal's close date): blanking
    /// them is a judgement.
    required: Vec<usize>,
    /// Timestamps the CRM sets itself (created, modified): no update can change them.
    system: Vec<usize>,
}

/// Whether a date is one systems write for "no date" (`1970-01-01`, `1899-12-30`, …).
pub fn is_placeholder_date(date: Date) -> bool {
    SENTINELS
        .iter()
        .any(|(y, m, d)| Date::from_ymd(*y, *m, *d) == Some(date))
}

impl Check for PlaceholderDate {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let columns: Vec<usize> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| role.kind().is_date())
            .map(|(c, _)| c)
            .collect();
        let role_of = |c: usize| cx.profile.columns.role(c);
        let mut required = cx.required_columns();
        required.extend(
            columns
                .iter()
                .copied()
                // `1970-01-01` may be someone's real birthday.
                .filter(|&c| matches!(role_of(c), Some(Role::CloseDate | Role::BirthDate))),
        );
        let system = columns
            .iter()
            .copied()
            .filter(|&c| matches!(role_of(c), Some(Role::CreatedAt | Role::ModifiedAt)))
            .collect();
        (!columns.is_empty()).then_some(Prepared {
            columns,
            required,
            system,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in &p.columns {
            let value = record.get(column);
            // `0001-01-01` is outside what the date reader accepts; match it as text.
            let sentinel = value.starts_with("0001-01-01")
                || date_of(record, column, &record.profile.locale)
                    .is_some_and(|d: Date| is_placeholder_date(d));
            if !sentinel {
                continue;
            }
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is a placeholder date (a system's \"no date\"), not a real one",
                    record.header(column)
                ),
            );
            if p.system.contains(&column) {
                continue;
            }
            let applicability = if p.required.contains(&column) {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            sink.fix("", applicability);
        }
    }
}
