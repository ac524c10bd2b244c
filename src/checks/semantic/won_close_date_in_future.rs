use super::DatedDeals;
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Won deals whose close date is after the run's as-of date (by default the newest
    /// timestamp in the export).
    ///
    /// ## Why it matters
    /// Distorts **bookings by period** and the **forecast**: revenue already won lands
    /// in a future period, so this period's bookings are short and next period's
    /// counted twice.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | stage        | CloseDate    | flagged |
    /// |--------------|--------------|---------|
    /// | `Closed Won` | `2027-02-01` | yes     |
    /// | `Closed Won` | `2026-11-02` | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct WonCloseDateInFuture;
    code = "SM014",
    name = "won-close-date-in-future",
    family = Semantic,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
    reports = [Forecast, SalesCycle],
}

impl Check for WonCloseDateInFuture {
    type Options = ();
    type Prepared = DatedDeals;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn time_relative(&self) -> bool {
        true
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<DatedDeals> {
        DatedDeals::new(cx.profile, cx.sample)
    }

    fn kept_columns(&self, p: &DatedDeals) -> Vec<usize> {
        p.kept_columns()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, DatedDeals>],
        sink: &mut DatasetSink,
    ) {
        DatedDeals::report(
            cx,
            inputs,
            sink,
            StageState::Won,
            std::cmp::Ordering::Greater,
            |header, date, as_of| {
                format!(
                    "won deal with `{header}` {date}, after the as-of date {as_of}: booked in a future period (bookings, forecast)"
                )
            },
        );
    }
}
