//! Fitness per downstream report: which records may feed the pipeline, forecast,
//! win-loss, … reports, and what keeping the others out does to their totals.
//!
//! A record of an object a report reads is kept out of it when:
//! - it is in quarantine;
//! - it has a finding of a check the report excludes, at the report's minimum severity
//!   or above;
//! - it refers (by a relation the run found or the rule file set) to a record of an
//!   object the report rolls up by, and that record is in quarantine: a deal of a
//!   quarantined account does not belong in pipeline by account.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::checks::semantic::{DealFields, TableRecord};
use crate::config::gate::ReportSpec;
use crate::finding::Finding;
use crate::input::columns::Role;
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
    /// The record it refers to, in this input, is in quarantine.
    RollUp(u32),
}

/// One report's fitness over the run.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFitness {
    pub name: String,
    pub objects: Vec<&'static str>,
    /// Records of the objects the report reads.
    pub records: usize,
    /// Of those, the ones fit for it.
    pub fit: usize,
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
        Some(&self.sets[*v.get(record)? as usize])
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
}

/// The fitness of every report.
pub fn assess(reports: &[ReportSpec], cx: &Inputs<'_>) -> Vec<ReportFitness> {
    // The quarantined keys of every input some report rolls up by, built once.
    let mut quarantined: FxHashMap<(u32, Option<usize>), FxHashSet<&str>> = FxHashMap::default();
    for table in cx.tables {
        for rel in &table.relations {
            let target = &cx.tables[rel.target as usize];
            let wanted = reports
                .iter()
                .any(|r| r.objects.contains(&table.object) && r.roll_up.contains(&target.object));
            if !wanted {
                continue;
            }
            quarantined
                .entry((rel.target, rel.target_column))
                .or_insert_with(|| {
                    let values = match rel.target_column {
                        None => Some(&target.ids),
                        Some(c) => target.column(c),
                    };
                    let mut keys = FxHashSet::default();
                    if let Some(values) = values {
                        for (i, (_, class)) in cx.classes[rel.target as usize].iter().enumerate() {
                            let key = values.get(i);
                            if *class == Class::Quarantine && !key.is_empty() {
                                keys.insert(key);
                            }
                        }
                    }
                    keys
                });
        }
    }
    reports
        .iter()
        .map(|spec| {
            let mut sets = ReasonSets::default();
            let verdicts: Vec<Option<Vec<u32>>> = cx
                .tables
                .iter()
                .enumerate()
                .map(|(i, table)| {
                    spec.objects
                        .contains(&table.object)
                        .then(|| input_verdicts(spec, cx, i, &quarantined, &mut sets))
                })
                .collect();
            summarize(spec, verdicts, sets.sets, cx)
        })
        .collect()
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

/// The reasons of every record of input `i` for one report, as reason-set numbers.
fn input_verdicts(
    spec: &ReportSpec,
    cx: &Inputs<'_>,
    i: usize,
    quarantined: &FxHashMap<(u32, Option<usize>), FxHashSet<&str>>,
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
            let keys = quarantined.get(&(rel.target, rel.target_column))?;
            let target = &cx.tables[rel.target as usize];
            (spec.roll_up.contains(&target.object) && !keys.is_empty())
                .then(|| Some((rel.target, table.column(rel.column)?, keys)))
                .flatten()
        })
        .collect();
    let mut reasons = Vec::new();
    (0..table.len())
        .map(|r| {
            reasons.clear();
            if cx.classes[i]
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
                if f.record as usize == r
                    && f.severity >= spec.min_severity
                    && spec.exclude.binary_search(&f.check).is_ok()
                {
                    reasons.push(Reason::Finding(f.check.0));
                }
            }
            sets.intern(&mut reasons)
        })
        .collect()
}

fn summarize(
    spec: &ReportSpec,
    verdicts: Vec<Option<Vec<u32>>>,
    sets: Vec<Box<[Reason]>>,
    cx: &Inputs<'_>,
) -> ReportFitness {
    let mut records = 0;
    let mut fit = 0;
    let mut per_set = vec![0usize; sets.len()];
    let mut totals: Option<DealTotals> = None;
    for (i, v) in verdicts.iter().enumerate() {
        let Some(v) = v else { continue };
        let table = &cx.tables[i];
        records += v.len();
        for &set in v {
            per_set[set as usize] += 1;
        }
        if let Some(Some(deal)) = cx.deals.get(i) {
            let t = totals.get_or_insert_with(DealTotals::default);
            let amount = table.role_column(Role::Amount);
            for (r, &set) in v.iter().enumerate() {
                let ok = set == 0;
                let record = TableRecord { table, record: r };
                let value = amount
                    .and_then(|(_, c)| parse_number(c.get(r), table.locale.decimal))
                    .filter(|a| a.is_finite())
                    .unwrap_or(0.0);
                t.deals += 1;
                t.deals_fit += usize::from(ok);
                match deal.state(&record, &table.profile) {
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
                    _ => {}
                }
            }
        }
    }
    let mut excluded_by: BTreeMap<String, usize> = BTreeMap::new();
    for (set, n) in sets.iter().zip(&per_set) {
        if set.is_empty() {
            fit += n;
        }
        for reason in set.iter() {
            if *n > 0 {
                *excluded_by.entry(reason_name(*reason, cx)).or_default() += n;
            }
        }
    }
    ReportFitness {
        name: spec.name.clone(),
        objects: spec.objects.iter().map(|o| o.as_str()).collect(),
        records,
        fit,
        excluded_by,
        totals,
        verdicts,
        sets,
    }
}

/// A reason as the reports write it.
pub fn reason_name(reason: Reason, cx: &Inputs<'_>) -> String {
    match reason {
        Reason::Quarantine => "quarantine".to_owned(),
        Reason::Finding(c) => cx.codes[c as usize].clone(),
        Reason::RollUp(t) => format!("roll-up: {}", cx.tables[t as usize].name),
    }
}
