use super::{DealFields, show_number};
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Open deals at 100% probability, or at 0% in a stage whose pipeline probability is
    /// above zero.
    ///
    /// ## Why it matters
    /// Distorts the weighted **pipeline** and the **forecast**: a 0% open deal vanishes
    /// from the weighted pipeline while still counted as open; a 100% open deal counts
    /// as committed revenue before anyone signed.
    ///
    /// ## Example
    /// | stage         | Probability | flagged |
    /// |---------------|-------------|---------|
    /// | `Negotiation/Review` | `0`  | yes     |
    /// | `Активна`     | `1` (fraction) | yes  |
    /// | `Prospecting` | `10`        | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct OpenProbabilityExtreme;
    code = "SM003",
    name = "open-probability-extreme",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Pipeline, Forecast],
}

impl Check for OpenProbabilityExtreme {
    type Options = ();
    type Prepared = DealFields;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<DealFields> {
        DealFields::new(cx.profile, cx.sample).filter(|d| d.probability.is_some())
    }

    fn check_record(&self, deal: &DealFields, record: &RecordView<'_>, sink: &mut FindingSink) {
        let (Some(p), Some(column)) = (deal.probability(record), deal.probability) else {
            return;
        };
        if deal.state(record, record.profile) != Some(StageState::Open) {
            return;
        }
        // 0% is where a funnel written as probabilities (no stage column) starts; only
        // a stage that should weigh more makes it a defect.
        let stage_weighs = deal
            .stage(record, record.profile)
            .and_then(|s| s.defined_probability)
            .is_some_and(|d| d > 0.0);
        let why = if p <= 0.0 && stage_weighs {
            "drops out of the weighted pipeline while still open"
        } else if p >= 100.0 {
            "counts as committed before it is won"
        } else {
            return;
        };
        // The stage's own default (a pipeline that opens at 0%) is how the org works.
        if record
            .profile
            .stages
            .get(deal.stage.map_or("", |c| record.get(c)))
            .and_then(|s| s.defined_probability)
            .is_some_and(|d| (d - p).abs() < 0.5)
        {
            return;
        }
        sink.report(
            Some(column),
            Some(record.get(column)),
            format!(
                "open deal at {}% probability: it {why} (pipeline, forecast)",
                show_number(p)
            ),
        );
    }
}
