use super::DealFields;
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Deals whose IsClosed / IsWon flags contradict their stage: `Closed Won` with
    /// IsWon false, an open stage with IsClosed true. A stage's meaning comes from the
    /// pipeline, or from the export itself when most of its deals in that stage agree.
    ///
    /// ## Why it matters
    /// Distorts the **won/lost** and **pipeline** reports: win rates filter on the
    /// flags, pipeline reports on the stage, and the two then disagree.
    ///
    /// ## Example
    /// | StageName    | IsClosed | IsWon  | flagged |
    /// |--------------|----------|--------|---------|
    /// | `Closed Won` | `true`   | `false`| yes     |
    /// | `Prospecting`| `true`   | `false`| yes     |
    /// | `Closed Won` | `true`   | `true` | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct FlagsContradictStage;
    code = "SM006",
    name = "flags-contradict-stage",
    family = Semantic,
    scope = Record,
    severity = Error,
    dimension = Consistency,
    reports = [Pipeline, WinLoss],
}

impl Check for FlagsContradictStage {
    type Options = ();
    type Prepared = DealFields;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<DealFields> {
        DealFields::new(cx.profile, cx.sample)
            .filter(|d| d.stage.is_some() && (d.is_closed.is_some() || d.is_won.is_some()))
    }

    fn check_record(&self, deal: &DealFields, record: &RecordView<'_>, sink: &mut FindingSink) {
        let Some(stage) = deal.stage(record, record.profile) else {
            return;
        };
        let closed = deal.is_closed.and_then(|f| f.read(record));
        let won = deal.is_won.and_then(|f| f.read(record));
        let (column, problem) = match stage.state {
            StageState::Open if closed == Some(true) => (
                deal.is_closed.map(|f| f.column),
                "closed, but its stage is open",
            ),
            StageState::Won if closed == Some(false) => (
                deal.is_closed.map(|f| f.column),
                "open, but its stage is won",
            ),
            StageState::Won if won == Some(false) => (
                deal.is_won.map(|f| f.column),
                "not won, but its stage is won",
            ),
            StageState::Lost if won == Some(true) => {
                (deal.is_won.map(|f| f.column), "won, but its stage is lost")
            }
            StageState::Lost if closed == Some(false) => (
                deal.is_closed.map(|f| f.column),
                "open, but its stage is lost",
            ),
            _ => return,
        };
        let value = column.map(|c| record.get(c));
        sink.report(
            column,
            value,
            format!(
                "deal in `{}` is flagged {problem} (won/lost, pipeline)",
                stage.name
            ),
        );
    }
}
