use super::DealFields;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::text::fold_alnum;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Deals whose next step begins with a closed stage's name (`Closed Won. Paperwork
    /// attached.`) while the deal itself stands elsewhere (open, or lost).
    ///
    /// ## Why it matters
    /// Distorts the **pipeline** and **won/lost** reports: the rep recorded the outcome
    /// in a text field but never moved the stage, so the deal is counted where it is
    /// not.
    ///
    /// ## Example
    /// | StageName     | NextStep                            | flagged |
    /// |---------------|-------------------------------------|---------|
    /// | `Prospecting` | `Closed Won.  Paperwork attached.`  | yes     |
    /// | `Closed Won`  | `Closed Won.  Paperwork attached.`  | no      |
    /// | `Prospecting` | `Send the proposal`                 | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct NextStepContradictsStage;
    code = "SM009",
    name = "next-step-contradicts-stage",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Pipeline, WinLoss],
}

pub struct Prepared {
    deal: DealFields,
    column: usize,
    /// Folded names of the closed stages, with where they stand.
    closed: Vec<(String, String, StageState)>,
}

impl Check for NextStepContradictsStage {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        let column = cx.profile.columns.column(Role::NextStep)?;
        let closed: Vec<(String, String, StageState)> = cx
            .profile
            .stages
            .stages()
            .filter(|s| s.state.is_closed())
            .map(|s| (fold_alnum(&s.name), s.name.clone(), s.state))
            .filter(|(f, _, _)| f.chars().count() >= 6)
            .collect();
        (!closed.is_empty()).then_some(Prepared {
            deal,
            column,
            closed,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        let text = record.get(p.column);
        if text.is_empty() {
            return;
        }
        let Some(state) = p.deal.state(record, record.profile) else {
            return;
        };
        // The first words of the text, folded like stage names.
        let head: String = text.chars().take(40).collect();
        let head = fold_alnum(&head);
        let Some((_, name, said)) = p
            .closed
            .iter()
            .find(|(f, _, _)| head.starts_with(f.as_str()))
        else {
            return;
        };
        if *said == state {
            return;
        }
        sink.report(
            Some(p.column),
            Some(text),
            format!(
                "`{}` says `{name}` but the deal is {} (pipeline, won/lost)",
                record.header(p.column),
                state.as_str()
            ),
        );
    }
}
