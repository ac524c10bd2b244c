//! Views of the duplicate-detection result: `pairs.csv`, `clusters.csv`, the
//! `duplicates` section of the JSON report, and the human summary.
//!
//! `pairs.csv`: one row per pair at or above the review threshold: `object,
//! left_input, left_id, left_line, right_input, right_id, right_line, match_weight,
//! match_probability, decision (match|review), cluster, blocking_rule, names_swapped`,
//! then `<field>_level` and `<field>_weight` for every compared field. The match weight
//! is the prior weight plus the field weights, so every link is explained by its row.
//!
//! `clusters.csv`: `cluster, object, input, record_id, line, size, survivor (true on
//! the suggested surviving record), survivor_id`.

use super::spreadsheet::cell;
use std::collections::BTreeSet;
use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::human::group as thousands;
use super::{Error, RunReport};
use crate::dedupe::evaluate::Evaluation;
use crate::dedupe::features::Field;
use crate::dedupe::{Duplicates, Group, ScoredPair, compare};
use crate::input::table::Table;

fn all_fields(dups: &Duplicates) -> Vec<Field> {
    let set: BTreeSet<Field> = dups
        .groups
        .iter()
        .flat_map(|g| g.features.compared.iter().copied())
        .collect();
    set.into_iter().collect()
}

fn cluster_name(g: &Group, id: u32) -> String {
    format!("{}-{id}", g.object().as_str())
}

pub fn write_pairs(
    report: &RunReport,
    dups: &Duplicates,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let fields = all_fields(dups);
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = [
        "object",
        "left_input",
        "left_id",
        "left_line",
        "right_input",
        "right_id",
        "right_line",
        "match_weight",
        "match_probability",
        "decision",
        "cluster",
        "blocking_rule",
        "names_swapped",
    ]
    .map(String::from)
    .to_vec();
    for f in &fields {
        header.push(format!("{}_level", f.as_str()));
        header.push(format!("{}_weight", f.as_str()));
    }
    header.push("run_id".to_owned());
    w.write_record(&header)?;
    for g in &dups.groups {
        let rules: Vec<String> = g.rules.iter().map(|r| r.name()).collect();
        for p in &g.pairs {
            let (l, r) = (g.record(p.a), g.record(p.b));
            let (lt, rt) = (
                &report.tables[l.input as usize],
                &report.tables[r.input as usize],
            );
            let mut row: Vec<String> = vec![
                g.object().as_str().to_owned(),
                cell(&lt.name, report.raw_csv).into_owned(),
                cell(lt.id(l.record as usize), report.raw_csv).into_owned(),
                lt.lines[l.record as usize].to_string(),
                cell(&rt.name, report.raw_csv).into_owned(),
                cell(rt.id(r.record as usize), report.raw_csv).into_owned(),
                rt.lines[r.record as usize].to_string(),
                format!("{:.3}", p.weight),
                format!("{:.6}", p.probability),
                if p.is_match { "match" } else { "review" }.to_owned(),
                p.cluster.map(|c| cluster_name(g, c)).unwrap_or_default(),
                rules[p.rule as usize].clone(),
                p.swapped.to_string(),
            ];
            for f in &fields {
                match g.features.compared.iter().position(|c| c == f) {
                    Some(slot) => {
                        row.push(compare::level_names(*f)[p.levels[slot] as usize].to_owned());
                        row.push(format!("{:.3}", p.weights[slot]));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row.push(report.run_id.clone());
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}

pub fn write_clusters(
    report: &RunReport,
    dups: &Duplicates,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "cluster",
        "object",
        "input",
        "record_id",
        "line",
        "size",
        "survivor",
        "survivor_id",
        "run_id",
    ])?;
    for g in &dups.groups {
        for c in &g.clusters {
            let s = g.record(c.survivor);
            let survivor_id = report.tables[s.input as usize].id(s.record as usize);
            for &m in &c.members {
                let r = g.record(m);
                let t = &report.tables[r.input as usize];
                w.write_record([
                    cluster_name(g, c.id).as_str(),
                    g.object().as_str(),
                    &cell(&t.name, report.raw_csv),
                    &cell(t.id(r.record as usize), report.raw_csv),
                    &t.lines[r.record as usize].to_string(),
                    &c.members.len().to_string(),
                    if m == c.survivor { "true" } else { "false" },
                    &cell(survivor_id, report.raw_csv),
                    &report.run_id,
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

// ---- JSON --------------------------------------------------------------------------

#[derive(Serialize)]
pub struct JsonDuplicates<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation: Option<Evaluation>,
    groups: Vec<JsonGroup<'a>>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    object: &'static str,
    inputs: &'a [String],
    records: usize,
    fields: Vec<&'static str>,
    blocking: Vec<JsonRule>,
    pairs_compared: usize,
    skipped_blocks: usize,
    skipped_records: usize,
    thresholds: JsonThresholds,
    model: JsonModel,
    match_pairs: usize,
    review_pairs: usize,
    clusters: usize,
    clustered_records: usize,
    largest_cluster: usize,
    refused_links: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation: Option<Evaluation>,
    pairs: JsonPairs<'a>,
}

#[derive(Serialize)]
struct JsonRule {
    rule: String,
    pairs: usize,
}

#[derive(Serialize)]
struct JsonThresholds {
    #[serde(rename = "match")]
    match_probability: f64,
    review: f64,
}

#[derive(Serialize)]
struct JsonModel {
    prior: f64,
    prior_weight: f64,
    iterations: usize,
    fields: Vec<JsonFieldModel>,
}

#[derive(Serialize)]
struct JsonFieldModel {
    field: &'static str,
    levels: Vec<JsonLevel>,
}

#[derive(Serialize)]
struct JsonLevel {
    level: &'static str,
    m: f64,
    u: f64,
    weight: f64,
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    input: &'a str,
    record_id: &'a str,
    line: u64,
}

fn record<'a>(tables: &'a [Table], g: &Group, i: u32) -> JsonRecord<'a> {
    let r = g.record(i);
    let t = &tables[r.input as usize];
    JsonRecord {
        input: &t.name,
        record_id: t.id(r.record as usize),
        line: t.lines[r.record as usize],
    }
}

struct JsonPairs<'a> {
    tables: &'a [Table],
    group: &'a Group,
}

#[derive(Serialize)]
struct JsonPair<'a> {
    left: JsonRecord<'a>,
    right: JsonRecord<'a>,
    match_weight: f64,
    match_probability: f64,
    decision: &'static str,
    cluster: Option<String>,
    blocking_rule: String,
    names_swapped: bool,
    /// Level and weight of each compared field, in the order of the group's `fields`.
    levels: Vec<&'static str>,
    weights: Vec<f64>,
}

impl Serialize for JsonPairs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let g = self.group;
        let mut seq = serializer.serialize_seq(Some(g.pairs.len()))?;
        for p in &g.pairs {
            seq.serialize_element(&json_pair(self.tables, g, p))?;
        }
        seq.end()
    }
}

fn json_pair<'a>(tables: &'a [Table], g: &Group, p: &ScoredPair) -> JsonPair<'a> {
    JsonPair {
        left: record(tables, g, p.a),
        right: record(tables, g, p.b),
        match_weight: round(p.weight),
        match_probability: round(p.probability),
        decision: if p.is_match { "match" } else { "review" },
        cluster: p.cluster.map(|c| cluster_name(g, c)),
        blocking_rule: g.rules[p.rule as usize].name(),
        names_swapped: p.swapped,
        levels: g
            .features
            .compared
            .iter()
            .enumerate()
            .map(|(slot, f)| compare::level_names(*f)[p.levels[slot] as usize])
            .collect(),
        weights: p.weights.iter().map(|w| round(*w)).collect(),
    }
}

/// Six decimals: enough to explain a score, stable across platforms.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub fn json<'a>(tables: &'a [Table], dups: &'a Duplicates) -> JsonDuplicates<'a> {
    JsonDuplicates {
        evaluation: dups.evaluation,
        groups: dups
            .groups
            .iter()
            .map(|g| {
                let largest = g
                    .clusters
                    .iter()
                    .map(|c| c.members.len())
                    .max()
                    .unwrap_or(0);
                JsonGroup {
                    object: g.object().as_str(),
                    inputs: &g.inputs,
                    records: g.features.len(),
                    fields: g.features.compared.iter().map(|f| f.as_str()).collect(),
                    blocking: g
                        .rules
                        .iter()
                        .zip(&g.pairs_by_rule)
                        .map(|(r, n)| JsonRule {
                            rule: r.name(),
                            pairs: *n,
                        })
                        .collect(),
                    pairs_compared: g.compared,
                    skipped_blocks: g.skipped_blocks,
                    skipped_records: g.skipped_records,
                    thresholds: JsonThresholds {
                        match_probability: g.settings.match_probability,
                        review: g.settings.review_probability,
                    },
                    model: JsonModel {
                        prior: round(g.model.prior),
                        prior_weight: round(g.model.prior_weight()),
                        iterations: g.model.iterations,
                        fields: g
                            .features
                            .compared
                            .iter()
                            .enumerate()
                            .map(|(slot, f)| JsonFieldModel {
                                field: f.as_str(),
                                levels: compare::level_names(*f)
                                    .iter()
                                    .enumerate()
                                    .skip(1)
                                    .map(|(l, name)| JsonLevel {
                                        level: name,
                                        m: round(g.model.m[slot][l]),
                                        u: round(g.model.u[slot][l]),
                                        weight: round(g.model.weight(slot, l as u8)),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    },
                    match_pairs: g.pairs.iter().filter(|p| p.is_match).count(),
                    review_pairs: g.pairs.iter().filter(|p| !p.is_match).count(),
                    clusters: g.clusters.len(),
                    clustered_records: g.clusters.iter().map(|c| c.members.len()).sum(),
                    largest_cluster: largest,
                    refused_links: g.refused_links,
                    evaluation: g.evaluation,
                    pairs: JsonPairs { tables, group: g },
                }
            })
            .collect(),
    }
}

// ---- human -------------------------------------------------------------------------

/// Every cluster of every object, largest first (ties in detection order).
pub fn largest_clusters(
    dups: &Duplicates,
) -> Vec<(&crate::dedupe::Group, &crate::dedupe::Cluster)> {
    let mut all: Vec<(&crate::dedupe::Group, &crate::dedupe::Cluster)> = dups
        .groups
        .iter()
        .flat_map(|g| g.clusters.iter().map(move |c| (g, c)))
        .collect();
    all.sort_by_key(|(_, c)| std::cmp::Reverse(c.members.len()));
    all
}

pub fn write_human(dups: &Duplicates, out: &mut dyn Write) -> Result<(), Error> {
    for g in &dups.groups {
        let matches = g.pairs.iter().filter(|p| p.is_match).count();
        let clustered: usize = g.clusters.iter().map(|c| c.members.len()).sum();
        writeln!(
            out,
            "Duplicates among {} {} records ({}): {} pairs compared, {} matches, {} for review; {} clusters holding {} records (largest {}), {} links refused by the chain guard",
            thousands(g.features.len()),
            g.object(),
            g.features
                .compared
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            thousands(g.compared),
            thousands(matches),
            thousands(g.pairs.len() - matches),
            thousands(g.clusters.len()),
            thousands(clustered),
            g.clusters
                .iter()
                .map(|c| c.members.len())
                .max()
                .unwrap_or(0),
            thousands(g.refused_links),
        )?;
        let rules: Vec<String> = g
            .rules
            .iter()
            .zip(&g.pairs_by_rule)
            .map(|(r, n)| format!("{} {}", r.name(), thousands(*n)))
            .collect();
        writeln!(out, "  blocking: {}", rules.join(", "))?;
        if g.skipped_blocks > 0 {
            writeln!(
                out,
                "  skipped {} blocks over {} records ({} records in them); raise max-block-size or use stricter rules",
                thousands(g.skipped_blocks),
                g.settings.max_block_size,
                thousands(g.skipped_records)
            )?;
        }
        if let Some(e) = &g.evaluation {
            write_evaluation(e, "  ", out)?;
        }
    }
    if dups.groups.len() > 1
        && let Some(e) = &dups.evaluation
    {
        write_evaluation(e, "overall ", out)?;
    }
    Ok(())
}

fn write_evaluation(e: &Evaluation, prefix: &str, out: &mut dyn Write) -> Result<(), Error> {
    writeln!(
        out,
        "{prefix}against labels: pairs precision {:.4} recall {:.4} F1 {:.4} ({} of {} true pairs found, {} predicted); clusters precision {:.4} recall {:.4} F1 {:.4}",
        e.pairs.precision,
        e.pairs.recall,
        e.pairs.f1,
        thousands(e.pairs.correct_pairs as usize),
        thousands(e.pairs.true_pairs as usize),
        thousands(e.pairs.predicted_pairs as usize),
        e.clusters.precision,
        e.clusters.recall,
        e.clusters.f1,
    )?;
    Ok(())
}
