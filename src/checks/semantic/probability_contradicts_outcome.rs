use super::{DealFields, show_number};
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Closed deals whose probability contradicts their outcome: a won deal below 100%,
    /// a lost deal above 0%. Probabilities written as fractions (`0.4`) are read as
    /// percentages.
    ///
    /// ## Why it matters
    /// Distorts the **forecast** and the weighted **pipeline**: a lost deal at 60% keeps
    /// adding to the weighted total; a won deal at 20% under-counts booked revenue.
    ///
    /// ## Example
    /// | stage / outcome    | Probability | flagged |
    /// |--------------------|-------------|---------|
    /// | `Closed Lost`      | `60`        | yes     |
    /// | `Closed Won`       | `0.6`       | yes     |
    /// | `Closed Won`       | `100`       | no      |
    /// | `Negotiation/Review` | `90`      | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ProbabilityContradictsOutcome;
    code = "SM002",
    name = "probability-contradicts-outcome",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Pipeline, Forecast],
}

impl Check for ProbabilityContradictsOutcome {
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
        // A probability outside 0–100 is value-out-of-range (FM004).
        if !(0.0..=100.0).contains(&p) {
            return;
        }
        let expected = match deal.state(record, record.profile) {
            Some(StageState::Won) => 100.0,
            Some(StageState::Lost) => 0.0,
            _ => return,
        };
        if (p - expected).abs() < 0.5 {
            return;
        }
        let what = if expected == 100.0 { "won" } else { "lost" };
        sink.report(
            Some(column),
            Some(record.get(column)),
            format!(
                "{what} deal at {}% probability, not {}% (forecast, weighted pipeline)",
                show_number(p),
                show_number(expected)
            ),
        );
    }
}
