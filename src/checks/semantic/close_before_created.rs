use super::date_of;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Records that close (or were converted) before they were created: a deal's close
    /// date, a case's or ticket's closed date, a lead's converted date earlier than its
    /// created date. Dates are compared as calendar days.
    ///
    /// ## Why it matters
    /// Distorts the **sales cycle** and **conversion** reports: the time from creation
    /// to close becomes negative. Migrated history (deals closed years ago, loaded
    /// yesterday) is the usual cause, so this is a warning.
    ///
    /// ## Example
    /// | CreatedDate  | CloseDate    | flagged |
    /// |--------------|--------------|---------|
    /// | `2026-05-14` | `2026-04-27` | yes     |
    /// | `2026-05-14` | `2026-05-14` | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct CloseBeforeCreated;
    code = "SM007",
    name = "close-before-created",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [SalesCycle, Conversion],
}

impl Check for CloseBeforeCreated {
    type Options = ();
    /// The created column and the later-date columns compared with it.
    type Prepared = (usize, Vec<usize>);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(usize, Vec<usize>)> {
        let columns = &cx.profile.columns;
        let created = columns.column(Role::CreatedAt)?;
        let later: &[Role] = match cx.profile.object {
            ObjectType::Deal => &[Role::CloseDate, Role::ClosedAt],
            ObjectType::Case | ObjectType::Task => &[Role::ClosedAt],
            ObjectType::Lead => &[Role::ConvertedAt],
            _ => return None,
        };
        let later: Vec<usize> = later
            .iter()
            .flat_map(|r| super::role_columns(cx.profile, *r))
            .collect();
        (!later.is_empty()).then_some((created, later))
    }

    fn check_record(
        &self,
        (created, later): &(usize, Vec<usize>),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let locale = &record.profile.locale;
        let Some(created_on) = date_of(record, *created, locale) else {
            return;
        };
        for &column in later {
            let Some(date) = date_of(record, column, locale) else {
                continue;
            };
            if date >= created_on {
                continue;
            }
            let days = created_on.0 - date.0;
            sink.report(
                Some(column),
                Some(record.get(column)),
                format!(
                    "`{}` {date} is {days} days before `{}` {created_on} (sales cycle, conversion)",
                    record.header(column),
                    record.header(*created)
                ),
            );
        }
    }
}
