//! Fitness per downstream report: which records may feed the pipeline, forecast,
//! win-loss, … reports, and what keeping the others out does to their totals.
//!
//! A report reads records of its objects (of deals, those in the states it reads: the
//! pipeline reads open deals, win-loss closed ones). Such a record is kept out of it
//! when:
//! - it has a finding, at the report's minimum severity or above, of a check that says
//!   it distorts the report; or of a check that names no reports, about a field the
//!   report reads (by the field's role: an email is outreach's, a close date the deal
//!   reports'), or about no field when the check's family distorts the report;
//! - it is a deal whose state cannot be told (no stage, flag or status says), for
//!   reports that read deals of some states only;
//! - it refers (by a relation the run found or the rule file set) to a record of an
//!   object the report rolls up by, and that record is out by its own findings: a deal
//!   of a test or duplicate account does not belong in pipeline by account;
//! - with `exclude-quarantine`, it is in quarantine.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::checks::semantic::{DealFields, TableRecord};
use crate::config::gate::ReportSpec;
use crate::finding::{Downstream, Finding};
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::table::Table;
use crate::locale::parse_number;
use crate::stage::StageState;
use crate::trust::Class;

/// Why a record is kept out of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Quarantine,
    /// A finding of this check (by index).
    Finding(u16),
    /// The record it refers to, in this input, is out of the report.
    RollUp(u32),
    /// A deal whose state (open, won, lost) nothing says.
    StateUnknown,
    /// Marked deleted (`IsDeleted`, `_fivetran_deleted`).
    Deleted,
}

/// A record the report does not read (another deal state).
const NOT_READ: u32 = u32::MAX;

/// One report's fitness over the run.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFitness {
    pub name: String,
    pub objects: Vec<&'static str>,
    /// Of deals, the states it reads (empty: all).
    pub deal_states: Vec<StageState>,
    /// Records of the objects the report reads.
    pub records: usize,
    /// Of those, the ones fit for it.
    pub fit: usize,
    /// Deals of a state nothing tells, for reports that read deals of some states:
    /// neither among `records` nor in the totals (in fitness.csv: `out: state unknown`).
    pub unknown_state: usize,
    /// Records marked deleted: out, and likewise not counted.
    pub deleted: usize,
    /// Records kept out, by reason (`quarantine`, a check code, `roll-up: <input>`); a
    /// record kept out for several reasons counts under each.
    pub excluded_by: BTreeMap<String, usize>,
    /// For reports over deals: what keeping records out does to the totals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<DealTotals>,
    /// Per input (in run order), per record: `None` when the report does not read
    /// the input, else the number of its reasons in `sets` (0: none, fit).
    #[serde(skip)]
    pub verdicts: Vec<Option<Vec<u32>>>,
    /// The distinct lists of reasons records are kept out for; the first is empty.
    #[serde(skip)]
    pub sets: Vec<Box<[Reason]>>,
}

impl ReportFitness {
    /// What its records are, for the reports: `open deals`, `won or lost deals`,
    /// `records`.
    pub fn unit(&self) -> String {
        if self.deal_states.is_empty() || self.objects != ["deal"] {
            return "records".to_owned();
        }
        let states: Vec<&str> = self.deal_states.iter().map(|s| s.as_str()).collect();
        format!("{} deals", states.join(" or "))
    }

    /// Whether the report totals open amounts (else won amounts).
    pub fn reads_open(&self) -> bool {
        self.deal_states.is_empty() || self.deal_states.contains(&StageState::Open)
    }

    /// The amount the report totals (`open amount` or `won amount`), all and fit; `None`
    /// without deal totals, with amounts of several currencies, or with nothing to total.
    pub fn amount(&self) -> Option<(&'static str, f64, f64)> {
        let t = self.totals.as_ref().filter(|t| t.one_currency())?;
        let (label, all, kept) = if self.reads_open() {
            ("open amount", t.open_amount, t.open_amount_fit)
        } else {
            ("won amount", t.won_amount, t.won_amount_fit)
        };
        (all > 0.0).then_some((label, all, kept))
    }

    /// The `n` reasons that keep the most records out, most first (ties by name).
    pub fn top_reasons(&self, n: usize) -> Vec<(&str, usize)> {
        let mut reasons: Vec<(&str, usize)> = self
            .excluded_by
            .iter()
            .map(|(r, n)| (r.as_str(), *n))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        reasons.truncate(n);
        reasons
    }

    /// Why record `record` of input `input` is kept out (empty: fit); `None` when the
    /// report does not read the input.
    pub fn reasons(&self, input: usize, record: usize) -> Option<&[Reason]> {
        let v = self.verdicts.get(input)?.as_ref()?;
        self.sets.get(*v.get(record)? as usize).map(|s| &**s)
    }
}

/// Deal counts and amounts of a report, all and fit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DealTotals {
    pub deals: usize,
    pub deals_fit: usize,
    pub open_deals: usize,
    pub open_deals_fit: usize,
    pub open_amount: f64,
    pub open_amount_fit: f64,
    pub won_deals: usize,
    pub won_deals_fit: usize,
    pub won_amount: f64,
    pub won_amount_fit: f64,
    pub lost_deals: usize,
    pub lost_deals_fit: usize,
    /// The deals' currencies, when a column says (amounts of several currencies are
    /// not added up: the amounts are then 0 and this lists them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<String>,
}

impl DealTotals {
    /// Whether the amounts add up one currency (or the export names none).
    pub fn one_currency(&self) -> bool {
        self.currencies.len() <= 1
    }
}

/// What the fitness of one run reads.
pub struct Inputs<'a> {
    pub findings: &'a [Finding],
    pub tables: &'a [Table],
    /// Per input, per record: score and class.
    pub classes: &'a [Vec<(f32, Class)>],
    pub deals: &'a [Option<DealFields>],
    /// Check codes, by check index.
    pub codes: &'a [String],
    /// By check index: whether its findings are about the record's identity (junk,
    /// duplicates, unreadable rows), which roll up to the records that refer to it.
    pub identity: &'a [bool],
}

/// What every report reads of each record, worked out once per run: whether it is
/// deleted and, for deals, where it stands and its amount.
struct Facts {
    deleted: Vec<bool>,
    /// Deals only (empty for other inputs, and for deal inputs that say nothing of
    /// where their deals stand).
    state: Vec<Option<StageState>>,
    amount: Vec<f64>,
}

impl Facts {
    fn of(cx: &Inputs<'_>, i: usize) -> Facts {
        let table = &cx.tables[i];
        let flags = table.role_column(Role::IsDeleted).map(|(_, c)| c);
        let deleted = (0..table.len())
            .map(|r| flags.is_some_and(|c| crate::locale::parse_bool(c.get(r)) == Some(true)))
            .collect();
        let (state, amount) = match cx.deals.get(i).and_then(Option::as_ref) {
            Some(deal) => {
                let amounts = table.role_column(Role::Amount).map(|(_, c)| c);
                (0..table.len())
                    .map(|r| {
                        let state = deal.state(&TableRecord { table, record: r }, &table.profile);
                        let amount = amounts
                            .and_then(|c| parse_number(c.get(r), table.locale.decimal))
                            .filter(|a| a.is_finite())
                            .unwrap_or(0.0);
                        (state, amount)
                    })
                    .unzip()
            }
            None => (Vec::new(), Vec::new()),
        };
        Facts {
            deleted,
            state,
            amount,
        }
    }
}

/// The fitness of every report.
pub fn assess(reports: &[ReportSpec], cx: &Inputs<'_>) -> Vec<ReportFitness> {
    let facts: Vec<Facts> = (0..cx.tables.len()).map(|i| Facts::of(cx, i)).collect();
    let facts = &facts;
    reports
        .iter()
        .map(|spec| {
            // The keys of the records of each input this report rolls up by that are out
            // of it by their own findings.
            let mut out_keys: FxHashMap<(u32, Option<usize>), FxHashSet<&str>> =
                FxHashMap::default();
            for table in cx.tables {
                if !spec.objects.contains(&table.object) {
                    continue;
                }
                for rel in &table.relations {
                    let target = &cx.tables[rel.target as usize];
                    if !spec.roll_up.contains(&target.object) {
                        continue;
                    }
                    out_keys
                        .entry((rel.target, rel.target_column))
                        .or_insert_with(|| {
                            let own = own_verdicts(spec, cx, facts, rel.target as usize);
                            let values = match rel.target_column {
                                None => Some(&target.ids),
                                Some(c) => target.column(c),
                            };
                            let mut keys = FxHashSet::default();
                            if let Some(values) = values {
                                for (r, out) in own.iter().enumerate() {
                                    let key = values.get(r);
                                    if *out && !key.is_empty() {
                                        keys.insert(key);
                                    }
                                }
                            }
                            keys
                        });
                }
            }
            let mut sets = ReasonSets::default();
            let verdicts: Vec<Option<Vec<u32>>> = cx
                .tables
                .iter()
                .enumerate()
                .map(|(i, table)| {
                    spec.objects
                        .contains(&table.object)
                        .then(|| input_verdicts(spec, cx, &facts[i], i, &out_keys, &mut sets))
                })
                .collect();
            summarize(spec, verdicts, sets.sets, cx, facts)
        })
        .collect()
}

/// Whether a finding keeps its record out of the report.
fn counts(spec: &ReportSpec, f: &Finding, table: &Table) -> bool {
    if f.is_input_level() || f.severity < spec.min_severity || f.shared {
        return false;
    }
    if spec.exclude.binary_search(&f.check).is_ok() {
        return true;
    }
    if spec.by_field.binary_search(&f.check).is_err() {
        return false;
    }
    match f.column {
        Some(c) => match (table.columns.role(c as usize), spec.kind) {
            // Of several email or phone columns (Phone, OtherPhone, AssistantPhone),
            // the one the role maps to is the channel reports use.
            (Some(role @ (Role::Email | Role::Phone | Role::MobilePhone)), Some(kind)) => {
                table.columns.column(role) == Some(c as usize)
                    && field_reports(role).contains(&kind)
            }
            (Some(role), Some(kind)) => field_reports(role).contains(&kind),
            _ => false,
        },
        None => spec.by_family.binary_search(&f.check).is_ok(),
    }
}

/// Per record of input `i`: whether its identity keeps the records that refer to it
/// out of the report (it is deleted, junk, a duplicate or unreadable).
fn own_verdicts(spec: &ReportSpec, cx: &Inputs<'_>, facts: &[Facts], i: usize) -> Vec<bool> {
    let mut out = facts[i].deleted.clone();
    let input = i as u32;
    let start = cx.findings.partition_point(|f| f.input < input);
    let end = cx.findings.partition_point(|f| f.input <= input);
    for f in &cx.findings[start..end] {
        let identity = cx.identity.get(f.check.index()).copied().unwrap_or(false);
        if identity
            && !f.is_input_level()
            && f.severity >= spec.min_severity
            && !f.shared
            && let Some(slot) = out.get_mut(f.record as usize)
        {
            *slot = true;
        }
    }
    out
}

/// The reports a field distorts, by its role: the deal reports read stages, amounts
/// and dates; outreach reads emails, phones and names; conversion lead sources and
/// conversion fields; activity due dates and subjects; the split by owner the owner
/// and the address. A field of no role here distorts none of them.
pub fn field_reports(role: Role) -> &'static [Downstream] {
    use Downstream::*;
    const DEALS: &[Downstream] = &[Pipeline, Forecast, WinLoss, SalesCycle];
    match role {
        Role::Id => &Downstream::ALL,
        Role::Email
        | Role::Phone
        | Role::MobilePhone
        | Role::EmailBounced
        | Role::EmailBouncedAt
        | Role::EmailOptOut
        | Role::EmailVerifiedAt
        | Role::FirstName
        | Role::LastName
        | Role::MiddleName
        | Role::FullName
        | Role::Salutation
        | Role::Company => &[Outreach],
        Role::Stage
        | Role::Pipeline
        | Role::IsClosed
        | Role::IsWon
        | Role::Outcome
        | Role::Amount
        | Role::ActualAmount
        | Role::Currency
        | Role::CloseDate => DEALS,
        // Weights of open deals.
        Role::Probability | Role::ExpectedRevenue | Role::NextStep => &[Pipeline, Forecast],
        Role::ForecastCategory => &[Forecast],
        Role::LossReason => &[WinLoss],
        Role::CreatedAt => &[SalesCycle, Conversion],
        Role::AccountId => &[Pipeline, Forecast, WinLoss],
        Role::DealId => &[Pipeline, Forecast, WinLoss, SalesCycle, Activity],
        Role::ProductId | Role::Quantity | Role::UnitPrice | Role::TotalPrice => {
            &[Pipeline, Forecast, WinLoss]
        }
        Role::LeadSource
        | Role::LeadStatus
        | Role::LifecycleStage
        | Role::IsConverted
        | Role::ConvertedAt
        | Role::ConvertedAccountId
        | Role::ConvertedContactId
        | Role::ConvertedDealId
        | Role::CampaignId
        | Role::LeadId => &[Conversion],
        Role::OwnerId | Role::Owner => &[PerOwner, Activity],
        Role::ContactId
        | Role::WhoId
        | Role::WhatId
        | Role::Subject
        | Role::DueDate
        | Role::EventStart
        | Role::EventEnd
        | Role::LastActivityAt => &[Activity],
        Role::Status => &[Activity, Pipeline, Forecast, WinLoss],
        Role::Street
        | Role::StreetNumber
        | Role::City
        | Role::State
        | Role::Postcode
        | Role::Country => &[PerOwner],
        _ => &[],
    }
}

/// Distinct lists of reasons, numbered; 0 is the empty list (fit).
struct ReasonSets {
    sets: Vec<Box<[Reason]>>,
    index: FxHashMap<Box<[Reason]>, u32>,
}

impl Default for ReasonSets {
    fn default() -> Self {
        let empty: Box<[Reason]> = Box::new([]);
        let mut index = FxHashMap::default();
        index.insert(empty.clone(), 0);
        ReasonSets {
            sets: vec![empty],
            index,
        }
    }
}

impl ReasonSets {
    fn intern(&mut self, reasons: &mut Vec<Reason>) -> u32 {
        if reasons.is_empty() {
            return 0;
        }
        reasons.sort_unstable();
        reasons.dedup();
        if let Some(&i) = self.index.get(reasons.as_slice()) {
            return i;
        }
        let i = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        let set: Box<[Reason]> = reasons.as_slice().into();
        self.sets.push(set.clone());
        self.index.insert(set, i);
        i
    }
}

/// The reasons of every record of input `i` for one report, as reason-set numbers
/// ([`NOT_READ`] for deals in states the report does not read).
fn input_verdicts(
    spec: &ReportSpec,
    cx: &Inputs<'_>,
    facts: &Facts,
    i: usize,
    out_keys: &FxHashMap<(u32, Option<usize>), FxHashSet<&str>>,
    sets: &mut ReasonSets,
) -> Vec<u32> {
    let table = &cx.tables[i];
    let input = i as u32;
    let start = cx.findings.partition_point(|f| f.input < input);
    let end = cx.findings.partition_point(|f| f.input <= input);
    // Findings about the input as a whole (sorted first) concern no record.
    let mut findings = cx.findings[start..end]
        .iter()
        .filter(|f| !f.is_input_level())
        .peekable();
    let roll_ups: Vec<(u32, &crate::input::table::StrColumn, &FxHashSet<&str>)> = table
        .relations
        .iter()
        .filter_map(|rel| {
            let keys = out_keys.get(&(rel.target, rel.target_column))?;
            (!keys.is_empty())
                .then(|| Some((rel.target, table.column(rel.column)?, keys)))
                .flatten()
        })
        .collect();
    // Reports of deals in some states: a deal input that says nothing of where its
    // deals stand has every deal of unknown state.
    let by_state = table.object == ObjectType::Deal && !spec.deal_states.is_empty();
    let mut reasons = Vec::new();
    (0..table.len())
        .map(|r| {
            reasons.clear();
            let mut read = true;
            if facts.deleted[r] {
                reasons.push(Reason::Deleted);
            } else if by_state {
                match facts.state.get(r).copied().flatten() {
                    Some(state) => read = spec.deal_states.contains(&state),
                    None => reasons.push(Reason::StateUnknown),
                }
            }
            if spec.exclude_quarantine
                && cx.classes[i]
                    .get(r)
                    .is_some_and(|(_, c)| *c == Class::Quarantine)
            {
                reasons.push(Reason::Quarantine);
            }
            for (target, values, keys) in &roll_ups {
                if keys.contains(values.get(r)) {
                    reasons.push(Reason::RollUp(*target));
                }
            }
            while let Some(f) = findings.next_if(|f| f.record as usize <= r) {
                if f.record as usize == r && counts(spec, f, table) {
                    reasons.push(Reason::Finding(f.check.0));
                }
            }
            if read {
                sets.intern(&mut reasons)
            } else {
                NOT_READ
            }
        })
        .collect()
}

fn summarize(
    spec: &ReportSpec,
    verdicts: Vec<Option<Vec<u32>>>,
    sets: Vec<Box<[Reason]>>,
    cx: &Inputs<'_>,
    facts: &[Facts],
) -> ReportFitness {
    let mut records = 0;
    let mut fit = 0;
    let mut unknown_state = 0;
    let mut deleted = 0;
    // Deleted records and deals of unknown state are listed apart: not among the
    // records, nor in the totals.
    let unknown: Vec<bool> = sets
        .iter()
        .map(|s| s.contains(&Reason::StateUnknown) || s.contains(&Reason::Deleted))
        .collect();
    let mut per_set = vec![0usize; sets.len()];
    let mut totals: Option<DealTotals> = None;
    for (i, v) in verdicts.iter().enumerate() {
        let Some(v) = v else { continue };
        let table = &cx.tables[i];
        for &set in v.iter().filter(|s| **s != NOT_READ) {
            if unknown[set as usize] {
                if sets[set as usize].contains(&Reason::Deleted) {
                    deleted += 1;
                } else {
                    unknown_state += 1;
                }
                continue;
            }
            records += 1;
            per_set[set as usize] += 1;
        }
        if cx.deals.get(i).is_some_and(Option::is_some) {
            let t = totals.get_or_insert_with(DealTotals::default);
            if let Some((_, currency)) = table.role_column(Role::Currency) {
                for (r, &set) in v.iter().enumerate() {
                    let c = currency.get(r);
                    if set != NOT_READ && !c.is_empty() && !t.currencies.iter().any(|x| x == c) {
                        t.currencies.push(c.to_owned());
                    }
                }
                t.currencies.sort();
            }
            for (r, &set) in v.iter().enumerate() {
                if set == NOT_READ || unknown[set as usize] {
                    continue;
                }
                let ok = set == 0;
                let value = facts[i].amount[r];
                t.deals += 1;
                t.deals_fit += usize::from(ok);
                match facts[i].state[r] {
                    Some(StageState::Open) => {
                        t.open_deals += 1;
                        t.open_amount += value;
                        if ok {
                            t.open_deals_fit += 1;
                            t.open_amount_fit += value;
                        }
                    }
                    Some(StageState::Won) => {
                        t.won_deals += 1;
                        t.won_amount += value;
                        if ok {
                            t.won_deals_fit += 1;
                            t.won_amount_fit += value;
                        }
                    }
                    Some(StageState::Lost) => {
                        t.lost_deals += 1;
                        t.lost_deals_fit += usize::from(ok);
                    }
                    None => {}
                }
            }
        }
    }
    if let Some(t) = &mut totals
        && !t.one_currency()
    {
        t.open_amount = 0.0;
        t.open_amount_fit = 0.0;
        t.won_amount = 0.0;
        t.won_amount_fit = 0.0;
    }
    let mut excluded_by: BTreeMap<String, usize> = BTreeMap::new();
    for (set, n) in sets.iter().zip(&per_set) {
        if set.is_empty() {
            fit += n;
        }
        if set.contains(&Reason::StateUnknown) || set.contains(&Reason::Deleted) {
            continue;
        }
        for reason in set.iter() {
            if *n > 0 {
                *excluded_by
                    .entry(reason_name(*reason, cx.codes, cx.tables))
                    .or_default() += n;
            }
        }
    }
    ReportFitness {
        name: spec.name.clone(),
        objects: spec.objects.iter().map(|o| o.as_str()).collect(),
        deal_states: spec.deal_states.clone(),
        records,
        fit,
        unknown_state,
        deleted,
        excluded_by,
        totals,
        verdicts,
        sets,
    }
}

/// A reason as the reports write it.
pub fn reason_name(reason: Reason, codes: &[String], tables: &[Table]) -> String {
    match reason {
        Reason::Quarantine => "quarantine".to_owned(),
        Reason::Finding(c) => codes[c as usize].clone(),
        Reason::RollUp(t) => format!("roll-up: {}", tables[t as usize].name),
        Reason::StateUnknown => "state unknown".to_owned(),
        Reason::Deleted => "deleted".to_owned(),
    }
}
