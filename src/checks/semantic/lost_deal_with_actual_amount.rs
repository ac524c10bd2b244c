use super::{DealFields, show_number};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Lost deals that carry an actual (won, invoiced) amount above zero.
    ///
    /// ## Why it matters
    /// Distorts the **won/lost** and revenue reports: revenue is booked on a deal that
    /// was lost, so actual revenue by rep or product no longer adds up.
    ///
    /// ## Example
    /// | outcome     | actual amount | flagged |
    /// |-------------|---------------|---------|
    /// | `Проигрыш`  | `120000`      | yes     |
    /// | `Проигрыш`  | `0`           | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct LostDealWithActualAmount;
    code = "SM008",
    name = "lost-deal-with-actual-amount",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [WinLoss],
}

impl Check for LostDealWithActualAmount {
    type Options = ();
    type Prepared = (DealFields, usize);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(DealFields, usize)> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        Some((deal, cx.profile.columns.column(Role::ActualAmount)?))
    }

    fn check_record(
        &self,
        (deal, column): &(DealFields, usize),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        if deal.state(record, record.profile) != Some(StageState::Lost) {
            return;
        }
        let Some(n) = deal.number(record, *column).filter(|n| *n > 0.0) else {
            return;
        };
        sink.report(
            Some(*column),
            Some(record.get(*column)),
            format!(
                "lost deal with `{}` {}: revenue booked on a lost deal (won/lost, revenue)",
                record.header(*column),
                show_number(n)
            ),
        );
    }
}
