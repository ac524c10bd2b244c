use super::{DealFields, TableRecord};
use crate::checks::prelude::*;
use crate::input::columns::Role;
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
}

impl Check for WonCloseDateInFuture {
    type Options = ();
    type Prepared = (DealFields, Vec<usize>);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn time_relative(&self) -> bool {
        true
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(DealFields, Vec<usize>)> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        // Actual and planned close dates: the first one filled counts.
        let close = super::role_columns(cx.profile, Role::CloseDate);
        (!close.is_empty()).then_some((deal, close))
    }

    fn kept_columns(&self, (deal, close): &(DealFields, Vec<usize>)) -> Vec<usize> {
        let mut c = deal.columns();
        c.extend(close);
        c
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, (DealFields, Vec<usize>)>],
        sink: &mut DatasetSink,
    ) {
        let Some(as_of) = cx.as_of else {
            return;
        };
        for input in inputs {
            let (table, Some((deal, close))) = (input.table, input.prepared) else {
                continue;
            };
            for record in 0..table.len() {
                let r = TableRecord { table, record };
                let Some((close, date)) = super::first_date(&r, close, &table.locale) else {
                    continue;
                };
                if date <= as_of || deal.state(&r, &table.profile) != Some(StageState::Won) {
                    continue;
                }
                sink.report(
                    table,
                    record,
                    Some(close),
                    Some(r.field_str(close)),
                    format!(
                        "won deal with `{}` {date}, after the as-of date {as_of}: booked in a future period (bookings, forecast)",
                        table.header_name(close)
                    ),
                );
            }
        }
    }
}
