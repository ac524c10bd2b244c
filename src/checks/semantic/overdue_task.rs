use super::{Flag, TableRecord, date_of, task_open};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Tasks not completed whose due date is more than `min-days` (default 30) before
    /// the run's as-of date (by default the newest timestamp in the export).
    ///
    /// ## Why it matters
    /// Distorts the **activity** reports and deal health: follow-ups that never happened
    /// still look planned, and the deals and contacts they belong to look worked.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | Status        | ActivityDate | flagged |
    /// |---------------|--------------|---------|
    /// | `Not Started` | `2026-06-01` | yes     |
    /// | `Completed`   | `2026-06-01` | no      |
    /// | `Not Started` | `2026-11-10` | no (within 30 days) |
    ///
    /// ## Options
    /// - `min-days` (default 30): days past due before a task is reported.
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct OverdueTask;
    code = "SM015",
    name = "overdue-task",
    family = Semantic,
    scope = Dataset,
    severity = Warning,
    dimension = Timeliness,
    reports = [Activity],
}

pub struct Options {
    min_days: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_days: 30 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(d) = table.integer("min-days", 0..=36_500) {
            self.min_days = d;
        }
    }
}

pub struct Prepared {
    due: usize,
    closed: Option<Flag>,
    status: Option<usize>,
    min_days: i64,
}

impl Check for OverdueTask {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn time_relative(&self) -> bool {
        true
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        if cx.profile.object != ObjectType::Task {
            return None;
        }
        let columns = &cx.profile.columns;
        let p = Prepared {
            due: columns.column(Role::DueDate)?,
            closed: Flag::new(cx.profile, cx.sample, Role::IsClosed),
            status: columns.column(Role::Status),
            min_days: options.min_days,
        };
        (p.closed.is_some() || p.status.is_some()).then_some(p)
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        [Some(p.due), p.closed.map(|f| f.column), p.status]
            .into_iter()
            .flatten()
            .collect()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        let Some(as_of) = cx.as_of else {
            return;
        };
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            for record in 0..table.len() {
                let r = TableRecord { table, record };
                let Some(due) = date_of(&r, p.due, &table.locale) else {
                    continue;
                };
                let days = i64::from(as_of.0 - due.0);
                if days <= p.min_days || task_open(&r, p.closed, p.status) != Some(true) {
                    continue;
                }
                sink.report(
                    table,
                    record,
                    Some(p.due),
                    Some(r.field_str(p.due)),
                    format!(
                        "task not completed, due {due}: {days} days overdue at the as-of date {as_of} (activity)"
                    ),
                );
            }
        }
    }
}
