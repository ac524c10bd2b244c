use super::DatedDeals;
use crate::checks::prelude::*;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Open deals whose close date is before the run's as-of date (by default the
    /// newest timestamp in the export, so the same export gives the same findings next
    /// month; `--as-of DATE` or `as-of = "today"` to change it).
    ///
    /// ## Why it matters
    /// Distorts the **pipeline** and the current-period **forecast**: stale deals sit
    /// in past periods and inflate coverage; they should have been moved or closed.
    ///
    /// ## Example
    /// As of `2026-11-20`:
    ///
    /// | stage        | CloseDate    | flagged |
    /// |--------------|--------------|---------|
    /// | `Prospecting`| `2026-03-16` | yes     |
    /// | `Prospecting`| `2026-12-04` | no      |
    /// | `Closed Won` | `2026-03-16` | no      |
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct OpenDealPastCloseDate;
    code = "SM013",
    name = "open-deal-past-close-date",
    family = Semantic,
    scope = Dataset,
    severity = Warning,
    dimension = Timeliness,
    reports = [Pipeline, Forecast],
}

impl Check for OpenDealPastCloseDate {
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
            StageState::Open,
            std::cmp::Ordering::Less,
            |header, date, as_of| {
                format!(
                    "open deal with `{header}` {date}, {} days before the as-of date {as_of}: stale pipeline (pipeline, forecast)",
                    as_of.0 - date.0
                )
            },
        );
    }
}
