//! The JSON report (`--format json`, `report.json`).
//!
//! Schema, version 1 (fields are only added within a version):
//!
//! ```text
//! {
//!   "version": 1,
//!   "tool": { "name": "crmaudit", "version": "0.1.0" },
//!   "run_id": "…",                                          // digest of the run, in every output
//!   "config": ["builtin:default", "crmaudit.toml"],        // rule layers, in order
//!   "inputs": [ { "name", "object", "object_source", "format", "encoding", "bom",
//!                 "delimiter", "date_order", "decimal", "records", "lines" (CSV: physical lines), "id_column",
//!                 "columns": [ { "name", "role" } ],
//!                 "salesforce_object",                          // when the id prefix names one
//!                 "relations": [ "…" ] } ],                     // columns holding another input's keys
//!   "summary": { "records", "records_with_findings", "findings",
//!                "by_severity": { "info": n, "warning": n, "error": n },
//!                "classes": { "clean": n, "review": n, "quarantine": n },
//!                "trust": { "score", "dimensions": { "completeness": x, … },
//!                           "distribution": [ { "band": "90-99", "records" } ],
//!                           "review_below", "quarantine_below" } },
//!   "gate": { "fail_on": "error" | "warning" | "never", "passed": bool,
//!             "findings_passed": bool,                    // --fail-on (with --baseline: new findings)
//!             "conditions": [ { "name", "limit", "actual", "passed", "detail" } ] },  // [gate.dataset]
//!   "fitness": [ { "name", "objects", "records", "fit",   // per downstream report
//!                  "excluded_by": { "quarantine": n, "SM003": n, "roll-up: Account.csv": n },
//!                  "totals": { "deals", "deals_fit", "open_deals", "open_deals_fit", "open_amount",
//!                              "open_amount_fit", "won_deals", "won_deals_fit", "won_amount",
//!                              "won_amount_fit" } } ],   // reports over deals
//!   "history": { "previous_run", "previous_run_id", "previous_score", "score", "score_change",
//!                "new_findings", "new_by_code": { "EM002": n }, "resolved_findings",
//!                "moved": { "newly_quarantined", "newly_review", "fixed", "still_quarantined",
//!                           "examples": [ { "input", "record_id", "from", "to" } ] },
//!                "changed_fields": [ { "input", "field", "changed", "compared", "share", "unusual" } ],
//!                "appeared", "disappeared", "disappeared_examples": [ { "input", "record_id" } ] },
//!                                                          // with --history, after the first run
//!   "findings_by_code": { "CP001": { "name", "severity", "severity_source", "dimension",
//!                                    "count", "records" } },   // severity_source: "default",
//!                                    // "command line" or the rule file's file:line:column
//!   "warnings": [ "…" ],                                    // rules that could not apply
//!   "duplicates": {                                         // when DU002/DU003 ran
//!     "evaluation": { "precision", "recall", "f1", "true_pairs", "predicted_pairs",
//!                     "correct_pairs", "clusters": { same fields } },  // --labels-column
//!     "groups": [ { "object", "inputs", "records", "fields", "blocking": [ { "rule", "pairs" } ],
//!                   "pairs_compared", "skipped_blocks", "skipped_records",
//!                   "thresholds": { "match", "review" },
//!                   "model": { "prior", "prior_weight", "iterations",
//!                              "fields": [ { "field", "levels": [ { "level", "m", "u", "weight" } ] } ] },
//!                   "match_pairs", "review_pairs", "clusters", "clustered_records",
//!                   "largest_cluster", "refused_links", "evaluation",
//!                   "pairs": [ { "left": { "input", "record_id", "line" }, "right": { … },
//!                                "match_weight", "match_probability", "decision", "cluster",
//!                                "blocking_rule", "names_swapped",
//!                                "levels": [ … ], "weights": [ … ] } ] } ]  // aligned with "fields"
//!     // cluster membership and survivors: clusters.csv
//!   },
//!   "findings": [ { "input", "object", "record_id", "line", "code", "name", "severity",
//!                   "dimension", "field", "value", "message",
//!                   "fixes": [ { "record_id", "line", "new", "applicability" } ],
//!                   "new": bool } ]                       // with --baseline or --history
//! }
//! ```
//!
//! Findings are sorted by input, record, code, field. Nothing in the report depends on
//! the thread count or the wall clock.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::SerializeSeq;

use super::{CodeSummary, Error, InputSummary, Reporter, RunReport, SCHEMA_VERSION, Summary};
use crate::gate::Gate;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    run_id: &'a str,
    config: &'a [String],
    inputs: &'a [InputSummary],
    summary: &'a Summary,
    gate: &'a Gate,
    fitness: &'a [crate::gate::fitness::ReportFitness],
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<&'a crate::history::Diff>,
    findings_by_code: &'a std::collections::BTreeMap<String, CodeSummary>,
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicates: Option<super::duplicates::JsonDuplicates<'a>>,
    /// Left out when the findings are written separately (compact output).
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<Findings<'a>>,
}

/// Findings serialized per chunk in parallel, for the compact report.
const CHUNK: usize = 8192;

struct Findings<'a>(&'a RunReport);

#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    input: &'a str,
    object: &'static str,
    record_id: &'a str,
    line: u64,
    code: &'a str,
    name: &'a str,
    severity: &'static str,
    dimension: &'static str,
    field: Option<&'a str>,
    value: Option<&'a str>,
    message: &'a str,
    /// The corrections `crmaudit fix` would make; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
    /// With a baseline or a history: whether the finding is new.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<bool>,
}

/// A fix of one field: the record it edits (the finding's own, or, for a finding about
/// a column, each record that writes it unlike the others) and the new value.
#[derive(Serialize)]
struct JsonFix<'a> {
    record_id: &'a str,
    line: u64,
    new: &'a str,
    applicability: &'static str,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut seq = serializer.serialize_seq(Some(report.findings.len()))?;
        for i in 0..report.findings.len() {
            seq.serialize_element(&json_finding(report, i))?;
        }
        seq.end()
    }
}

/// The finding at `index` of the report's findings.
pub(super) fn json_finding(report: &RunReport, index: usize) -> JsonFinding<'_> {
    let f = &report.findings[index];
    let (record_id, table) = report.record_of(f);
    let new = report.is_new(index);
    let check = report.check(f);
    JsonFinding {
        input: &table.name,
        object: table.object.as_str(),
        record_id,
        line: f.line,
        code: &check.code,
        name: &check.name,
        severity: f.severity.as_str(),
        dimension: check.dimension,
        field: report.field_of(f),
        value: f.value.as_deref(),
        message: &f.message,
        fixes: f
            .fixes
            .iter()
            .map(|fix| JsonFix {
                record_id: table.id(fix.record as usize),
                line: table
                    .lines
                    .get(fix.record as usize)
                    .copied()
                    .unwrap_or(f.line),
                new: &fix.new,
                applicability: fix.applicability.as_str(),
            })
            .collect(),
        new,
    }
}

/// The JSON report: indented on stdout, compact in `report.json` (which can hold every
/// pair's evidence).
pub struct Json {
    pub pretty: bool,
}

impl Reporter for Json {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        write_as(report, out, self.pretty)
    }
}

fn write_as(report: &RunReport, out: &mut dyn Write, pretty: bool) -> Result<(), Error> {
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        run_id: &report.run_id,
        config: &report.config,
        inputs: &report.inputs,
        summary: &report.summary,
        gate: &report.gate,
        fitness: &report.fitness,
        history: report.history.as_ref(),
        findings_by_code: &report.findings_by_code,
        warnings: &report.warnings,
        duplicates: report
            .duplicates
            .as_ref()
            .map(|d| super::duplicates::json(&report.tables, d)),
        findings: pretty.then_some(Findings(report)),
    };
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    // Compact: the document without its findings, then `"findings"` as its last member,
    // serialized in parallel chunks and written in order.
    let mut head = serde_json::to_vec(&doc)?;
    head.pop(); // the closing brace
    let chunks: Vec<Result<Vec<u8>, serde_json::Error>> = report
        .findings
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut buf = Vec::with_capacity(chunk.len() * 256);
            for i in 0..chunk.len() {
                if i > 0 {
                    buf.push(b',');
                }
                serde_json::to_writer(&mut buf, &json_finding(report, c * CHUNK + i))?;
            }
            Ok(buf)
        })
        .collect();
    out.write_all(&head)?;
    out.write_all(b",\"findings\":[")?;
    for (i, chunk) in chunks.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(&chunk?)?;
    }
    out.write_all(b"]}\n")?;
    Ok(())
}
