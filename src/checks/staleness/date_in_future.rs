use rayon::prelude::*;

use crate::checks::prelude::*;
use crate::checks::semantic::{TableRecord, date_of};
use crate::input::columns::Role;
use crate::input::table::Table;
use crate::locale::Date;

declare_check! {
    /// ## What it checks
    /// Dates that record what already happened but lie after the run's as-of date (by
    /// default the newest timestamp in the export, which never counts dates after the
    /// day of the run): a birth date, a created or modified date, a last activity, a
    /// conversion, a verification or a bounce still to come. More than one day after,
    /// so time zones do not count. Planned dates (close dates, due dates, event
    /// starts) may lie ahead and are not read.
    ///
    /// ## Why it matters
    /// A date in the future is a typed year (`2062` for `2026`), a day and month read
    /// the wrong way round, or a system clock gone wrong. It puts the record in the
    /// wrong period of every **cohort, age and activity** report, and makes the record
    /// look freshly worked to every staleness rule.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | field              | value        | flagged |
    /// |--------------------|--------------|---------|
    /// | `Birthdate`        | `2062-03-01` | yes     |
    /// | `CreatedDate`      | `2027-01-05` | yes     |
    /// | `LastActivityDate` | `2026-11-21` | no (within a day) |
    /// | `CloseDate`        | `2027-03-31` | no (a plan)       |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct DateInFuture;
    code = "ST002",
    name = "date-in-future",
    family = Staleness,
    scope = Dataset,
    severity = Warning,
    dimension = Validity,
}

/// Roles whose date records something that has happened.
const PAST_ROLES: [Role; 7] = [
    Role::BirthDate,
    Role::CreatedAt,
    Role::ModifiedAt,
    Role::LastActivityAt,
    Role::ConvertedAt,
    Role::EmailVerifiedAt,
    Role::EmailBouncedAt,
];

/// Days after the as-of date a past date may lie (time zones, a late sync).
const TOLERANCE_DAYS: i32 = 1;

impl Check for DateInFuture {
    type Options = ();
    /// The columns read, with their role.
    type Prepared = Vec<(usize, Role)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn time_relative(&self) -> bool {
        true
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, Role)>> {
        let columns: Vec<(usize, Role)> = PAST_ROLES
            .iter()
            .filter_map(|r| Some((cx.profile.columns.column(*r)?, *r)))
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn kept_columns(&self, p: &Vec<(usize, Role)>) -> Vec<usize> {
        p.iter().map(|(c, _)| *c).collect()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<(usize, Role)>>],
        sink: &mut DatasetSink,
    ) {
        let Some(as_of) = cx.as_of else {
            return;
        };
        for input in inputs {
            let (table, Some(columns)) = (input.table, input.prepared) else {
                continue;
            };
            // Every date of every record: split over the workers (findings are sorted
            // afterwards, so the order they are found in does not matter).
            let found = (0..table.len())
                .into_par_iter()
                .fold(
                    || sink.fork(),
                    |mut sink, record| {
                        future_dates(table, record, columns, as_of, &mut sink);
                        sink
                    },
                )
                .reduce(
                    || sink.fork(),
                    |mut a, b| {
                        a.join(b);
                        a
                    },
                );
            sink.join(found);
        }
    }
}

/// Reports the dates of one record that lie after `as_of`.
fn future_dates(
    table: &Table,
    record: usize,
    columns: &[(usize, Role)],
    as_of: Date,
    sink: &mut DatasetSink,
) {
    let r = TableRecord { table, record };
    for &(column, role) in columns {
        let Some(date) = date_of(&r, column, &table.locale) else {
            continue;
        };
        let days = date.0 - as_of.0;
        if days <= TOLERANCE_DAYS {
            continue;
        }
        let what = if role == Role::BirthDate {
            "a birth date"
        } else {
            "a date of something done"
        };
        sink.report(
            table,
            record,
            Some(column),
            Some(r.field_str(column)),
            format!(
                "`{}` {date} is {days} days after the as-of date {as_of}: {what} cannot lie ahead (a mistyped year, day and month swapped, or a wrong clock)",
                table.header_name(column)
            ),
        );
    }
}
