use super::{DealFields, show_number};
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Open deals whose probability differs from their stage's default by more than the
    /// tolerance. The default is the one most of the export's deals in that stage carry
    /// (when at least three do, 80% of them alike), else the pipeline's.
    ///
    /// ## Why it matters
    /// Distorts the **forecast**: the weighted pipeline assumes a stage means a
    /// probability; a hand-edited one makes two deals in one stage weigh differently.
    /// Reps may override on purpose, so this is a warning, not an error.
    ///
    /// ## Example
    /// With 7 `Needs Analysis` deals at 20%:
    ///
    /// | StageName       | Probability | flagged |
    /// |-----------------|-------------|---------|
    /// | `Needs Analysis`| `40`        | yes     |
    /// | `Needs Analysis`| `20`        | no      |
    ///
    /// ## Options
    /// - `tolerance` (default 5): percentage points a probability may differ.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ProbabilityOffStageDefault;
    code = "SM004",
    name = "probability-off-stage-default",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Forecast],
}

pub struct Options {
    tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options { tolerance: 5.0 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(t) = table.number("tolerance", 0.0..=100.0) {
            self.tolerance = t;
        }
    }
}

impl Check for ProbabilityOffStageDefault {
    type Options = Options;
    type Prepared = (DealFields, f64);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<(DealFields, f64)> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        (deal.probability.is_some() && deal.stage.is_some()).then_some((deal, options.tolerance))
    }

    fn check_record(
        &self,
        (deal, tolerance): &(DealFields, f64),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let (Some(p), Some(column)) = (deal.probability(record), deal.probability) else {
            return;
        };
        let Some(stage) = deal.stage(record, record.profile) else {
            return;
        };
        // Closed deals are probability-contradicts-outcome (SM002).
        if stage.state != StageState::Open
            || deal.state(record, record.profile) != Some(StageState::Open)
        {
            return;
        }
        let Some(default) = stage.probability else {
            return;
        };
        if (p - default).abs() <= *tolerance {
            return;
        }
        let whose = if stage.probability_from_data {
            "most deals of this export in that stage"
        } else {
            "the stage default"
        };
        // A pipeline default the data never confirmed may not be this org's.
        sink.report_with(
            !stage.probability_from_data,
            Some(column),
            Some(record.get(column)),
            format!(
                "`{}` at {}% probability where {whose} is {}% (forecast)",
                stage.name,
                show_number(p),
                show_number(default)
            ),
        );
    }
}
