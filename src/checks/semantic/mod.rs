//! Semantic CRM checks (`SM`): records that are individually well-formed but contradict
//! themselves or the CRM's meaning — a won deal without an amount, a close date before
//! the deal was created, a lost deal still weighted at 60%. Each finding names the
//! report it distorts.
//!
//! [`DealFields`] reads what these checks share from a deal record: where the deal
//! stands (from its closed/won flags, an outcome column, a status in words, or its stage
//! through the input's [`StageMap`]), its probability on a 0–100 scale and its amounts
//! and dates in the input's locale.

mod close_before_created;
mod converted_lead_without_targets;
mod converted_status_not_converted;
mod deal_name_repeated_in_account;
mod flags_contradict_stage;
mod forecast_category_contradicts_stage;
mod lost_deal_with_actual_amount;
mod next_step_contradicts_stage;
mod open_deal_past_close_date;
mod open_probability_extreme;
mod open_task_without_due_date;
mod overdue_task;
pub mod placeholder_date;
mod probability_contradicts_outcome;
mod probability_off_stage_default;
mod stage_not_in_pipeline;
mod won_close_date_in_future;
mod won_deal_without_amount;

pub use close_before_created::CloseBeforeCreated;
pub use converted_lead_without_targets::ConvertedLeadWithoutTargets;
pub use converted_status_not_converted::ConvertedStatusNotConverted;
pub use deal_name_repeated_in_account::DealNameRepeatedInAccount;
pub use flags_contradict_stage::FlagsContradictStage;
pub use forecast_category_contradicts_stage::ForecastCategoryContradictsStage;
pub use lost_deal_with_actual_amount::LostDealWithActualAmount;
pub use next_step_contradicts_stage::NextStepContradictsStage;
pub use open_deal_past_close_date::OpenDealPastCloseDate;
pub use open_probability_extreme::OpenProbabilityExtreme;
pub use open_task_without_due_date::OpenTaskWithoutDueDate;
pub use overdue_task::OverdueTask;
pub use placeholder_date::PlaceholderDate;
pub use probability_contradicts_outcome::ProbabilityContradictsOutcome;
pub use probability_off_stage_default::ProbabilityOffStageDefault;
pub use stage_not_in_pipeline::StageNotInPipeline;
pub use won_close_date_in_future::WonCloseDateInFuture;
pub use won_deal_without_amount::WonDealWithoutAmount;

use crate::checks::RecordView;
use crate::input::Batch;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::profile::{InputProfile, sample_values};
use crate::input::table::Table;
use crate::locale::{Date, Locale, parse_bool, parse_date, parse_number};
use crate::normalize::text::fold_alnum;
use crate::stage::{Stage, StageState};

/// A record's values by column: a record being scanned, or one kept in a table.
pub trait Fields {
    fn field(&self, column: usize) -> &str;
}

impl Fields for RecordView<'_> {
    fn field(&self, column: usize) -> &str {
        self.get(column)
    }
}

/// One record of a table, through the columns the table kept.
pub struct TableRecord<'a> {
    pub table: &'a Table,
    pub record: usize,
}

impl<'a> TableRecord<'a> {
    /// A kept value ("" when the column was not kept).
    pub fn field_str(&self, column: usize) -> &'a str {
        self.table
            .column(column)
            .map_or("", |values| values.get(self.record))
    }
}

impl Fields for TableRecord<'_> {
    fn field(&self, column: usize) -> &str {
        self.table
            .column(column)
            .map_or("", |values| values.get(self.record))
    }
}

/// A yes/no column. In Salesforce Data Exports a false flag is written blank (`1` or
/// nothing): where the sample has true values and blanks but no written false, a blank
/// reads as false.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub column: usize,
    pub blank_is_false: bool,
}

impl Flag {
    pub fn new(profile: &InputProfile, sample: &Batch, role: Role) -> Option<Flag> {
        let column = profile.columns.column(role)?;
        let mut saw_true = false;
        let mut saw_false = false;
        let mut saw_blank = false;
        for record in &sample.records {
            let v = record
                .get(column)
                .and_then(|b| std::str::from_utf8(b).ok())
                .map(str::trim)
                .unwrap_or_default();
            match parse_bool(v) {
                _ if v.is_empty() => saw_blank = true,
                Some(true) => saw_true = true,
                Some(false) => saw_false = true,
                None => {}
            }
        }
        Some(Flag {
            column,
            blank_is_false: saw_true && saw_blank && !saw_false,
        })
    }

    /// The flags of those roles the input has a column for.
    pub fn all(profile: &InputProfile, sample: &Batch, roles: &[Role]) -> Vec<Flag> {
        roles
            .iter()
            .filter_map(|&role| Flag::new(profile, sample, role))
            .collect()
    }

    pub fn read(&self, f: &impl Fields) -> Option<bool> {
        let v = f.field(self.column);
        if v.is_empty() {
            return self.blank_is_false.then_some(false);
        }
        parse_bool(v)
    }
}

/// A deal's outcome written in words (`Победа полная`, `Won`, `Проигрыш`).
fn outcome_of(value: &str) -> Option<StageState> {
    let v = value.trim().to_lowercase();
    const WON: &[&str] = &[
        "won",
        "win",
        "победа",
        "успех",
        "успешно",
        "выиграна",
        "выигрыш",
    ];
    const LOST: &[&str] = &[
        "lost",
        "loss",
        "проигрыш",
        "проиграна",
        "провал",
        "неуспешно",
    ];
    if WON.iter().any(|w| v.starts_with(w)) {
        Some(StageState::Won)
    } else if LOST.iter().any(|w| v.starts_with(w)) {
        Some(StageState::Lost)
    } else {
        None
    }
}

/// Whether a status in words says closed (`Закрыта`, `Closed`) or open (`Активна`).
fn closed_by_status(value: &str) -> Option<bool> {
    match fold_alnum(value).as_str() {
        "closed" | "закрыта" | "закрыт" | "завершена" | "завершен" | "completed" => {
            Some(true)
        }
        "open" | "active" | "активна" | "активен" | "открыта" | "inprogress" | "вработе" => {
            Some(false)
        }
        _ => None,
    }
}

/// What the semantic checks read from a deal input, resolved once per input.
#[derive(Debug, Clone)]
pub struct DealFields {
    pub stage: Option<usize>,
    pub is_closed: Option<Flag>,
    pub is_won: Option<Flag>,
    pub outcome: Option<usize>,
    /// A status column whose values say closed or open in words.
    pub status: Option<usize>,
    pub probability: Option<usize>,
    /// 100 when the export writes probabilities as fractions (0.4 for 40%).
    pub probability_factor: f64,
    /// A soft-delete flag (`IsDeleted`, `_fivetran_deleted`): deleted deals stand
    /// nowhere and no semantic check reads them.
    pub deleted: Option<Flag>,
    pub locale: Locale,
}

impl DealFields {
    /// The deal columns of an input, or `None` when it is not a deal input or carries
    /// nothing that says where its deals stand.
    pub fn new(profile: &InputProfile, sample: &Batch) -> Option<DealFields> {
        if profile.object != ObjectType::Deal {
            return None;
        }
        let columns = &profile.columns;
        // A status in words: the status column, or a closed column (`Закрыта`) whose
        // values are words (`Активна`) and so lost its yes/no role.
        let worded_closed = (0..profile.width()).find(|c| {
            profile.columns.role(*c).is_none()
                && crate::input::columns::role_for_header(profile.header_name(*c), None)
                    == Some(Role::IsClosed)
        });
        let status = columns.column(Role::Status).or(worded_closed).filter(|c| {
            let mut words = 0;
            let mut total = 0;
            for v in sample_values(sample, *c) {
                total += 1;
                words += usize::from(closed_by_status(v).is_some());
            }
            total > 0 && words * 10 >= total * 9
        });
        let probability = columns.column(Role::Probability);
        let probability_factor = match probability {
            Some(c) => {
                let values: Vec<f64> = sample_values(sample, c)
                    .filter_map(|v| parse_number(v, profile.locale.decimal))
                    .collect();
                if !values.is_empty() && values.iter().all(|p| (0.0..=1.0).contains(p)) {
                    100.0
                } else {
                    1.0
                }
            }
            None => 1.0,
        };
        let fields = DealFields {
            stage: columns.column(Role::Stage),
            is_closed: Flag::new(profile, sample, Role::IsClosed),
            is_won: Flag::new(profile, sample, Role::IsWon),
            outcome: columns.column(Role::Outcome),
            status,
            probability,
            probability_factor,
            deleted: Flag::new(profile, sample, Role::IsDeleted),
            locale: profile.locale,
        };
        let knows_state = fields.stage.is_some()
            || fields.is_closed.is_some()
            || fields.is_won.is_some()
            || fields.outcome.is_some()
            || fields.status.is_some();
        knows_state.then_some(fields)
    }

    /// The columns [`DealFields::state`] reads, for dataset checks to keep.
    pub fn columns(&self) -> Vec<usize> {
        [
            self.stage,
            self.is_closed.map(|f| f.column),
            self.is_won.map(|f| f.column),
            self.outcome,
            self.status,
            self.probability,
            self.deleted.map(|d| d.column),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The record's stage in the input's stage map.
    pub fn stage<'p>(&self, f: &impl Fields, profile: &'p InputProfile) -> Option<&'p Stage> {
        profile.stages.get(f.field(self.stage?))
    }

    /// Whether the record is closed by its flags or its status in words.
    pub fn closed_flag(&self, f: &impl Fields) -> Option<bool> {
        self.is_closed
            .and_then(|flag| flag.read(f))
            .or_else(|| closed_by_status(f.field(self.status?)))
    }

    /// Where the deal stands: its flags first (IsWon, IsClosed, a status in words), then
    /// an outcome column, then its stage. `None` when nothing says (a closed deal with
    /// no outcome, a stage no pipeline knows).
    pub fn state(&self, f: &impl Fields, profile: &InputProfile) -> Option<StageState> {
        if self.deleted.and_then(|d| d.read(f)) == Some(true) {
            return None;
        }
        let won = self.is_won.and_then(|flag| flag.read(f));
        if won == Some(true) {
            return Some(StageState::Won);
        }
        let closed = self.closed_flag(f);
        if closed == Some(false) {
            return Some(StageState::Open);
        }
        let outcome = self.outcome.and_then(|c| outcome_of(f.field(c)));
        let stage = self.stage(f, profile).map(|s| s.state);
        match closed {
            Some(true) if won == Some(false) && self.outcome.is_none() => Some(StageState::Lost),
            Some(true) => outcome.or(stage.filter(|s| s.is_closed())),
            _ => outcome.or(stage),
        }
    }

    /// The probability on a 0–100 scale.
    pub fn probability(&self, f: &impl Fields) -> Option<f64> {
        let v = f.field(self.probability?);
        parse_number(v, self.locale.decimal).map(|p| p * self.probability_factor)
    }

    pub fn number(&self, f: &impl Fields, column: usize) -> Option<f64> {
        parse_number(f.field(column), self.locale.decimal)
    }
}

/// Task statuses that are done with (or put off), in any case and spacing.
const TASK_DONE: &[&str] = &[
    "completed",
    "complete",
    "done",
    "closed",
    "finished",
    "deferred",
    "cancelled",
    "canceled",
    "выполнена",
    "выполнено",
    "завершена",
    "завершено",
    "закрыта",
    "отменена",
];

/// Whether a task is still to do: its IsClosed flag, else its status.
pub fn task_open(f: &impl Fields, closed: Option<Flag>, status: Option<usize>) -> Option<bool> {
    if let Some(c) = closed.and_then(|flag| flag.read(f)) {
        return Some(!c);
    }
    let status = f.field(status?);
    if status.is_empty() {
        return None;
    }
    let folded = fold_alnum(status);
    Some(!TASK_DONE.iter().any(|d| fold_alnum(d) == folded))
}

/// The prepared state of the close-date checks: the deal columns and every close-date
/// column (actual and planned), the first one filled counting.
pub struct DatedDeals {
    pub deal: DealFields,
    pub close: Vec<usize>,
}

impl DatedDeals {
    pub fn new(profile: &InputProfile, sample: &Batch) -> Option<DatedDeals> {
        let deal = DealFields::new(profile, sample)?;
        let close = role_columns(profile, Role::CloseDate);
        (!close.is_empty()).then_some(DatedDeals { deal, close })
    }

    pub fn kept_columns(&self) -> Vec<usize> {
        let mut c = self.deal.columns();
        c.extend(&self.close);
        c
    }

    /// Reports each deal in `state` whose close date relates to the as-of date as
    /// `wanted` says, with the message `say` writes (from the header, the date and the
    /// as-of date).
    pub fn report(
        cx: &crate::checks::DatasetContext<'_>,
        inputs: &[crate::checks::DatasetInput<'_, DatedDeals>],
        sink: &mut crate::checks::DatasetSink,
        state: StageState,
        wanted: std::cmp::Ordering,
        say: impl Fn(&str, Date, Date) -> String,
    ) {
        let Some(as_of) = cx.as_of else {
            return;
        };
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            for record in 0..table.len() {
                let r = TableRecord { table, record };
                let Some((close, date)) = first_date(&r, &p.close, &table.locale) else {
                    continue;
                };
                if date.cmp(&as_of) != wanted || p.deal.state(&r, &table.profile) != Some(state) {
                    continue;
                }
                sink.report(
                    table,
                    record,
                    Some(close),
                    Some(r.field_str(close)),
                    say(table.header_name(close), date, as_of),
                );
            }
        }
    }
}

/// Every column with a role (an export may carry two close dates: actual and planned).
pub fn role_columns(profile: &InputProfile, role: Role) -> Vec<usize> {
    profile
        .columns
        .mapped()
        .filter(|(_, r)| *r == role)
        .map(|(c, _)| c)
        .collect()
}

/// The first of several date columns that holds a date, with its column.
pub fn first_date(f: &impl Fields, columns: &[usize], locale: &Locale) -> Option<(usize, Date)> {
    columns
        .iter()
        .find_map(|c| date_of(f, *c, locale).map(|d| (*c, d)))
}

/// A column's value as a date in the input's locale.
pub fn date_of(f: &impl Fields, column: usize, locale: &Locale) -> Option<Date> {
    parse_date(f.field(column), locale.date_order)
}

/// `1 250 000` for messages.
pub fn show_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}
