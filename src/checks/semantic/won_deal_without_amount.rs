use super::{DealFields, show_number};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::stage::StageState;

declare_check! {
    /// ## What it checks
    /// Won deals (by their IsWon flag, outcome or won stage) whose amount is blank or
    /// zero.
    ///
    /// ## Why it matters
    /// Distorts the **won/lost** and bookings reports: the deal counts as a win but adds
    /// nothing to won revenue, so average deal size and win value drop.
    ///
    /// ## Example
    /// | StageName    | Amount | flagged |
    /// |--------------|--------|---------|
    /// | `Closed Won` | ``     | yes     |
    /// | `Closed Won` | `0`    | yes     |
    /// | `Closed Won` | `1250` | no      |
    /// | `Prospecting`| ``     | no      |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct WonDealWithoutAmount;
    code = "SM001",
    name = "won-deal-without-amount",
    family = Semantic,
    scope = Record,
    severity = Error,
    dimension = Consistency,
    reports = [WinLoss],
}

impl Check for WonDealWithoutAmount {
    type Options = ();
    type Prepared = (DealFields, usize);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(DealFields, usize)> {
        let deal = DealFields::new(cx.profile, cx.sample)?;
        let amount = cx.profile.columns.column(Role::Amount)?;
        Some((deal, amount))
    }

    fn check_record(
        &self,
        (deal, amount): &(DealFields, usize),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        if deal.state(record, record.profile) != Some(StageState::Won) {
            return;
        }
        let value = record.get(*amount);
        // An amount that is no number is unparseable-number (FM006).
        let Some(n) = (if value.is_empty() {
            Some(0.0)
        } else {
            deal.number(record, *amount)
        }) else {
            return;
        };
        if n != 0.0 {
            return;
        }
        let shown = if value.is_empty() {
            "blank".to_owned()
        } else {
            show_number(n)
        };
        sink.report(
            Some(*amount),
            Some(value),
            format!(
                "won deal with `{}` {shown}: counted as a win with no revenue (won/lost, bookings)",
                record.header(*amount)
            ),
        );
    }
}
