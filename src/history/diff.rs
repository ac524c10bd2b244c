//! This run against the last one: score trend, records that moved class, findings new
//! since then, fields overwritten on an unusual share of records, records gone.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::store::Previous;
use super::{UNUSUAL_CHANGE_MIN, UNUSUAL_CHANGE_SHARE};
use crate::input::table::Table;
use crate::trust::Class;

/// Records listed by name in each list of the diff.
const EXAMPLES: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub previous_run: i64,
    pub previous_run_id: String,
    pub previous_score: f64,
    pub score: f64,
    pub score_change: f64,
    /// Findings the last run did not have, in all and per code.
    pub new_findings: usize,
    pub new_by_code: BTreeMap<String, usize>,
    /// Findings of the last run this one no longer has.
    pub resolved_findings: usize,
    pub moved: Moved,
    /// Fields whose values changed since the last run, most changed first.
    pub changed_fields: Vec<ChangedField>,
    /// Records that are new, and records of the last run this one lacks.
    pub appeared: usize,
    pub disappeared: usize,
    pub disappeared_examples: Vec<RecordRef>,
    /// Inputs whose records were not compared: they have no id column (a record is
    /// known by its line, which an inserted row moves).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
    /// Record ids this run has more than once: only the first is compared.
    pub repeated_ids: usize,
}

/// Records whose class changed, and those still in quarantine.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Moved {
    pub newly_quarantined: usize,
    pub newly_review: usize,
    /// In review or quarantine last time, clean now.
    pub fixed: usize,
    /// In quarantine last time, to review now.
    pub out_of_quarantine: usize,
    pub still_quarantined: usize,
    pub examples: Vec<MovedRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MovedRecord {
    pub input: String,
    pub record_id: String,
    pub from: Class,
    pub to: Class,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRef {
    pub input: String,
    pub record_id: String,
}

/// One field of one input: how many of the records in both runs changed it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangedField {
    pub input: String,
    pub field: String,
    pub changed: usize,
    pub compared: usize,
    /// Percent of the compared records.
    pub share: f64,
    /// Changed on at least [`UNUSUAL_CHANGE_SHARE`] of the records: an import or
    /// automation overwrote it.
    pub unusual: bool,
}

/// Compares this run (its tables, classes and finding fingerprints) with the last.
pub fn diff(
    previous: &Previous,
    tables: &[Table],
    classes: &[Vec<(f32, Class)>],
    fingerprints: &[(u64, &str)],
    score: f64,
) -> Diff {
    let current: FxHashSet<u64> = fingerprints.iter().map(|(f, _)| *f).collect();
    let mut new_by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut new_findings = 0;
    for (fp, code) in fingerprints {
        if !previous.fingerprints.contains(fp) {
            new_findings += 1;
            *new_by_code.entry((*code).to_owned()).or_default() += 1;
        }
    }
    let resolved_findings = previous
        .fingerprints
        .iter()
        .filter(|f| !current.contains(f))
        .count();
    let mut moved = Moved::default();
    let mut changed_fields = Vec::new();
    let mut appeared = 0;
    let mut disappeared = 0;
    let mut disappeared_examples = Vec::new();
    let mut not_compared = Vec::new();
    let mut repeated_ids = 0;
    let keys = super::input_keys(tables.iter().map(|t| t.name.as_str()));
    let mut seen_inputs: FxHashSet<&str> = FxHashSet::default();
    for (i, table) in tables.iter().enumerate() {
        let name = keys[i].as_str();
        seen_inputs.insert(name);
        let Some(before) = previous.inputs.get(name) else {
            appeared += table.len();
            continue;
        };
        if table.id_column.is_none() {
            not_compared.push(name.to_owned());
            continue;
        }
        let width = table.width();
        // Columns of this run that the last one had, by the last run's position.
        let columns: Vec<(usize, Option<usize>)> = (0..width)
            .map(|c| {
                let header = table.header_name(c);
                (c, before.columns.iter().position(|b| b == header))
            })
            .collect();
        let mut changed = vec![0usize; width];
        let mut compared = 0usize;
        let mut present: FxHashSet<&str> = FxHashSet::default();
        for r in 0..table.len() {
            let id = table.id(r);
            if !present.insert(id) {
                repeated_ids += 1;
                continue;
            }
            let Some((was, digests)) = before.records.get(id) else {
                appeared += 1;
                continue;
            };
            let now = classes[i].get(r).map_or(Class::Clean, |(_, c)| *c);
            let note = |moved: &mut Moved| {
                if moved.examples.len() < EXAMPLES {
                    moved.examples.push(MovedRecord {
                        input: name.to_owned(),
                        record_id: id.to_owned(),
                        from: *was,
                        to: now,
                    });
                }
            };
            match (*was, now) {
                (Class::Quarantine, Class::Quarantine) => moved.still_quarantined += 1,
                (_, Class::Quarantine) => {
                    moved.newly_quarantined += 1;
                    note(&mut moved);
                }
                (Class::Clean, Class::Review) => {
                    moved.newly_review += 1;
                    note(&mut moved);
                }
                (Class::Review | Class::Quarantine, Class::Clean) => {
                    moved.fixed += 1;
                    note(&mut moved);
                }
                (Class::Quarantine, Class::Review) => {
                    moved.out_of_quarantine += 1;
                    note(&mut moved);
                }
                _ => {}
            }
            if table.digests.len() >= (r + 1) * width {
                compared += 1;
                let mine = &table.digests[r * width..(r + 1) * width];
                for &(c, b) in &columns {
                    if let Some(b) = b
                        && digests.get(b).is_some_and(|d| *d != mine[c])
                    {
                        changed[c] += 1;
                    }
                }
            }
        }
        for (c, n) in changed.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let share = *n as f64 / compared.max(1) as f64;
            changed_fields.push(ChangedField {
                input: name.to_owned(),
                field: table.header_name(c).to_owned(),
                changed: *n,
                compared,
                share: (share * 1000.0).round() / 10.0,
                unusual: share >= UNUSUAL_CHANGE_SHARE && *n >= UNUSUAL_CHANGE_MIN,
            });
        }
        let mut gone: Vec<&String> = before
            .records
            .keys()
            .filter(|id| !present.contains(id.as_str()))
            .collect();
        gone.sort();
        disappeared += gone.len();
        for id in gone
            .into_iter()
            .take(EXAMPLES.saturating_sub(disappeared_examples.len()))
        {
            disappeared_examples.push(RecordRef {
                input: name.to_owned(),
                record_id: id.clone(),
            });
        }
    }
    // Inputs of the last run this one did not read at all.
    let mut missing: Vec<(&String, usize)> = previous
        .inputs
        .iter()
        .filter(|(name, _)| !seen_inputs.contains(name.as_str()))
        .map(|(name, p)| (name, p.records.len()))
        .collect();
    missing.sort();
    for (_, n) in missing {
        disappeared += n;
    }
    changed_fields.sort_by(|a, b| {
        b.changed
            .cmp(&a.changed)
            .then_with(|| a.input.cmp(&b.input))
            .then_with(|| a.field.cmp(&b.field))
    });
    Diff {
        previous_run: previous.run,
        previous_run_id: previous.run_id.clone(),
        previous_score: previous.score,
        score,
        score_change: crate::trust::round1(score - previous.score),
        new_findings,
        new_by_code,
        resolved_findings,
        moved,
        changed_fields,
        appeared,
        disappeared,
        disappeared_examples,
        not_compared,
        repeated_ids,
    }
}
