use std::collections::BTreeMap;

use super::{TableRecord, date_of};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::locale::parse_number;
use crate::normalize::salesforce_id::join_key;
use crate::normalize::text::fold_spaces;

declare_check! {
    /// ## What it checks
    /// Two deals of one account with the same name (case and spacing aside) and the same
    /// amount (or both blank) whose close dates are within `max-days` (default 90) of
    /// each other, or blank: the same opportunity entered twice. Deals of one name with
    /// other amounts (an upgrade, a second order) are left alone. The later one is reported, naming the first. Deals of
    /// one name closing far apart (a yearly `Acme - Renewal`) are left alone, as are
    /// deals without an account or a name.
    ///
    /// ## Why it matters
    /// **Pipeline** and **forecast** count the deal twice, and win rates count it as
    /// won once and lost or stuck once.
    ///
    /// ## Example
    /// | AccountId | Name | CloseDate | flagged |
    /// |-----------|------|-----------|---------|
    /// | `001A` | `Acme - 200 Widgets` | `2026-03-31` | no (the first) |
    /// | `001A` | `acme - 200 widgets` | `2026-04-15` | yes |
    /// | `001A` | `Acme - Renewal` | `2025-12-01` / `2026-12-01` | no (a year apart) |
    /// | `001B` | `Acme - 200 Widgets` | `2026-03-31` | no (another account) |
    ///
    /// ## Options
    /// - `max-days` (default 90): close dates further apart than this are two deals.
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct DealNameRepeatedInAccount;
    code = "SM018",
    name = "deal-name-repeated-in-account",
    family = Semantic,
    scope = Dataset,
    severity = Warning,
    dimension = Uniqueness,
    reports = [Pipeline, Forecast, WinLoss],
}

pub struct Options {
    max_days: i64,
}

/// Earlier deals of a name compared with each deal.
const LOOK_BACK: usize = 64;

impl Default for Options {
    fn default() -> Self {
        Options { max_days: 90 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(d) = table.integer("max-days", 0..=36_500) {
            self.max_days = d;
        }
    }
}

pub struct Prepared {
    account: usize,
    name: usize,
    close: Option<usize>,
    amount: Option<usize>,
    max_days: i64,
}

impl Check for DealNameRepeatedInAccount {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        if cx.profile.object != ObjectType::Deal {
            return None;
        }
        let columns = &cx.profile.columns;
        Some(Prepared {
            account: columns.column(Role::AccountId)?,
            name: columns.column(Role::Name)?,
            close: columns.column(Role::CloseDate),
            amount: columns.column(Role::Amount),
            max_days: options.max_days,
        })
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        let mut kept = vec![p.account, p.name];
        kept.extend(p.close);
        kept.extend(p.amount);
        kept
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            // (account, folded name) → the records with it, in record order.
            let mut groups: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
            let (Some(accounts), Some(names)) = (table.column(p.account), table.column(p.name))
            else {
                continue;
            };
            for record in 0..table.len() {
                let (account, name) = (accounts.get(record).trim(), names.get(record));
                if account.is_empty() || name.trim().is_empty() {
                    continue;
                }
                groups
                    .entry((join_key(account), fold_spaces(name)))
                    .or_default()
                    .push(record);
            }
            let close = |record: usize| {
                p.close
                    .and_then(|c| date_of(&TableRecord { table, record }, c, &table.locale))
            };
            let amount = |record: usize| {
                p.amount.and_then(|c| {
                    let r = TableRecord { table, record };
                    parse_number(r.field_str(c), table.locale.decimal)
                })
            };
            for records in groups.values().filter(|r| r.len() > 1) {
                for (i, &record) in records.iter().enumerate() {
                    // The first earlier deal of the name closing near this one, among the
                    // last `LOOK_BACK` (a name on thousands of deals stays linear).
                    let near = records[i.saturating_sub(LOOK_BACK)..i]
                        .iter()
                        .copied()
                        .find(|&earlier| {
                            let dates = match (close(earlier), close(record)) {
                                (Some(a), Some(b)) => i64::from((a.0 - b.0).abs()) <= p.max_days,
                                _ => true,
                            };
                            dates && amount(earlier) == amount(record)
                        });
                    let Some(first) = near else {
                        continue;
                    };
                    sink.report(
                        table,
                        record,
                        Some(p.name),
                        Some(names.get(record)),
                        format!(
                            "deal `{}` of account `{}` has the name and amount of deal {} (line {}) of the same account, closing within {} days: likely one deal entered twice (pipeline, forecast)",
                            names.get(record).trim(),
                            accounts.get(record).trim(),
                            table.id(first),
                            table.lines[first],
                            p.max_days
                        ),
                    );
                }
            }
        }
    }
}
