use super::{DealFields, TableRecord};
use crate::checks::prelude::*;
use crate::input::columns::Role;
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
}

impl Check for OpenDealPastCloseDate {
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
                if date >= as_of || deal.state(&r, &table.profile) != Some(StageState::Open) {
                    continue;
                }
                sink.report(
                    table,
                    record,
                    Some(close),
                    Some(r.field_str(close)),
                    format!(
                        "open deal with `{}` {date}, {} days before the as-of date {as_of}: stale pipeline (pipeline, forecast)",
                        table.header_name(close),
                        as_of.0 - date.0
                    ),
                );
            }
        }
    }
}
