use super::{Flag, task_open};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Tasks still to do (not completed, by IsClosed or status) with no due date, in
    /// an export where most tasks (80% of the sampled ones, when there are 20 or more)
    /// have one.
    ///
    /// ## Why it matters
    /// Distorts the **activity** reports: a task with no date is on no one's list for
    /// any day, is never overdue, and the follow-up it stands for silently lapses.
    ///
    /// ## Example
    /// | Status        | ActivityDate | flagged |
    /// |---------------|--------------|---------|
    /// | `In Progress` | ``           | yes     |
    /// | `Completed`   | ``           | no      |
    /// | `In Progress` | `2026-12-01` | no      |
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct OpenTaskWithoutDueDate;
    code = "SM016",
    name = "open-task-without-due-date",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Completeness,
    reports = [Activity],
}

pub struct Prepared {
    due: usize,
    closed: Option<Flag>,
    status: Option<usize>,
}

impl Check for OpenTaskWithoutDueDate {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        if cx.profile.object != ObjectType::Task {
            return None;
        }
        let columns = &cx.profile.columns;
        let due = columns.column(Role::DueDate)?;
        let p = Prepared {
            due,
            closed: Flag::new(cx.profile, cx.sample, Role::IsClosed),
            status: columns.column(Role::Status),
        };
        if p.closed.is_none() && p.status.is_none() {
            return None;
        }
        // An org that does not date its tasks: not a defect of each task (too few tasks
        // to tell a convention, and each undated one counts).
        let total = cx.sample.len();
        let dated = cx.sample_values(due).count();
        (total < 20 || dated * 10 >= total * 8).then_some(p)
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        if !record.get(p.due).is_empty() || task_open(record, p.closed, p.status) != Some(true) {
            return;
        }
        sink.report(
            Some(p.due),
            None,
            format!(
                "task still to do with no `{}`: on no one's list, never overdue (activity)",
                record.header(p.due)
            ),
        );
    }
}
