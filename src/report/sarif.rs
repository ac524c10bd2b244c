//! `--format sarif`: SARIF 2.1.0, the format code-scanning tools read (GitHub code
//! scanning, Azure DevOps, VS Code's SARIF viewer). One run; one rule per enabled
//! check; one result per finding, located at the input's file, line and column (the
//! column of the field in a CSV input; the line alone for other formats, where a line
//! is a row). Valid against the 2.1.0 schema (`tests/schemas/sarif-2.1.0.json`).

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::{Error, Reporter, RunReport};
use crate::finding::Severity;
use crate::input::locate::{Columns, field_starts};

pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl Reporter for Sarif {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        let enabled: Vec<(usize, &super::CheckInfo)> = report
            .checks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.enabled)
            .collect();
        let rule_index: Vec<Option<usize>> = {
            let mut v = vec![None; report.checks.len()];
            for (n, (id, _)) in enabled.iter().enumerate() {
                v[*id] = Some(n);
            }
            v
        };
        let rules: Vec<Value> = enabled
            .iter()
            .map(|(_, c)| {
                json!({
                    "id": c.code,
                    "name": c.name,
                    "shortDescription": { "text": c.name },
                    "fullDescription": { "text": if c.summary.is_empty() { c.name.clone() } else { c.summary.clone() } },
                    "help": { "text": format!("crmaudit rule {}", c.code) },
                    "defaultConfiguration": { "level": level(c.severity) },
                    "properties": { "dimension": c.dimension, "family": c.family },
                })
            })
            .collect();
        // Columns of every finding's field, per CSV input (one reading of each file).
        let mut columns: Vec<Option<(u64, u64)>> = vec![None; report.findings.len()];
        for (input, table) in report.tables.iter().enumerate() {
            let Some(delimiter) = table
                .header
                .delimiter
                .as_deref()
                .and_then(|d| d.bytes().next())
            else {
                continue;
            };
            if table.header.format != "csv" {
                continue;
            }
            let counting = match table.header.encoding.as_deref() {
                Some(e) if e.eq_ignore_ascii_case("utf-8") => Columns::Utf8,
                Some(e) if e.to_ascii_lowercase().starts_with("utf-16") => continue,
                _ => Columns::Bytes,
            };
            let wanted: Vec<(usize, (u64, usize))> = report
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.input as usize == input && !f.is_input_level())
                .filter_map(|(i, f)| f.column.map(|c| (i, (f.line, c as usize))))
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let at: Vec<(u64, usize)> = wanted.iter().map(|(_, w)| *w).collect();
            if let Ok(found) = field_starts(Path::new(&table.name), &at, delimiter, counting) {
                for ((i, _), place) in wanted.iter().zip(found) {
                    columns[*i] = place;
                }
            }
        }
        let artifacts: Vec<Value> = report
            .tables
            .iter()
            .map(|t| json!({ "location": { "uri": uri(&t.name) } }))
            .collect();
        let results: Vec<Value> = report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (record, table) = report.record_of(f);
                let check = report.check(f);
                let mut region = serde_json::Map::new();
                if f.line > 0 {
                    let (line, column) = columns[i].unwrap_or((f.line, 0));
                    region.insert("startLine".into(), json!(line));
                    if column > 0 {
                        region.insert("startColumn".into(), json!(column));
                    }
                }
                let mut physical = json!({
                    "artifactLocation": { "uri": uri(&table.name), "index": f.input },
                });
                if !region.is_empty() {
                    physical["region"] = Value::Object(region);
                }
                let mut result = json!({
                    "ruleId": check.code,
                    "level": level(f.severity),
                    "message": { "text": f.message },
                    "locations": [ { "physicalLocation": physical } ],
                    "partialFingerprints": {
                        "crmauditFinding/v1": format!("{:016x}", crate::gate::baseline::Known::of(f, &report.tables, &check.code).fingerprint())
                    },
                    "properties": {
                        "record_id": record,
                        "object": table.object.as_str(),
                        "field": report.field_of(f),
                    },
                });
                if let Some(n) = rule_index[f.check.index()] {
                    result["ruleIndex"] = json!(n);
                }
                result
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [ {
                "tool": { "driver": {
                    "name": "crmaudit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/crmaudit/crmaudit",
                    "rules": rules,
                } },
                "automationDetails": { "id": format!("crmaudit/{}", report.run_id) },
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
            } ],
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// A relative path as a URI reference (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}
