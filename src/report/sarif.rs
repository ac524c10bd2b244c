//! `--format sarif`: SARIF 2.1.0, the format code-scanning tools read (GitHub code
//! scanning, Azure DevOps, VS Code's SARIF viewer). One run; one rule per enabled
//! check; one result per finding, located at the input's file, line and column (the
//! column of the field in a CSV input; the line alone for other formats, where a line
//! is a row). Valid against the 2.1.0 schema (`tests/schemas/sarif-2.1.0.json`).

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{Error, Reporter, RunReport};
use crate::finding::Severity;
use crate::input::locate::{Columns, field_starts};

pub struct Sarif;

/// Results serialized per chunk in parallel, then written in order.
const CHUNK: usize = 4096;

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
        let keys = crate::gate::baseline::input_keys(report.tables.iter().map(|t| t.name.as_str()));
        let result = |i: usize| -> Value {
            let f = &report.findings[i];
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
            let fingerprint = report.fingerprints.get(i).copied().unwrap_or_else(|| {
                crate::gate::baseline::Known::of(f, &report.tables, &keys, &check.code)
                    .fingerprint()
            });
            let mut result = json!({
                "ruleId": check.code,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [ { "physicalLocation": physical } ],
                "partialFingerprints": { "crmauditFinding/v1": format!("{fingerprint:016x}") },
                "properties": {
                    "record_id": record,
                    "object": table.object.as_str(),
                    "field": report.field_of(f),
                },
            });
            if let Some(n) = rule_index[f.check.index()] {
                result["ruleIndex"] = json!(n);
            }
            // With a baseline or a history: known findings are `unchanged`.
            if let Some(new) = report.is_new(i) {
                result["baselineState"] = json!(if new { "new" } else { "unchanged" });
            }
            result
        };
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
                "results": [],
            } ],
        });
        // The results are written one by one after the rest of the document, never held
        // as one tree (a million findings would take gigabytes).
        let head = serde_json::to_string(&doc)?;
        let Some(cut) = head.rfind("\"results\":[]") else {
            return Err(Error::Io(std::io::Error::other(
                "SARIF document without results",
            )));
        };
        out.write_all(&head.as_bytes()[..cut])?;
        out.write_all(b"\"results\":[\n")?;
        let chunks: Vec<Result<Vec<u8>, serde_json::Error>> = (0..report.findings.len())
            .step_by(CHUNK)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&start| {
                let end = (start + CHUNK).min(report.findings.len());
                let mut buf = Vec::new();
                for i in start..end {
                    if i > 0 {
                        buf.extend_from_slice(b",\n");
                    }
                    serde_json::to_writer(&mut buf, &result(i))?;
                }
                Ok(buf)
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
        out.write_all(b"\n]")?;
        out.write_all(&head.as_bytes()[cut + "\"results\":[]".len()..])?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// An input's file as a relative URI reference: the file of a database table or a
/// sheet (`db.sqlite:contacts` → `db.sqlite`), forward slashes, and every byte that is
/// not unreserved or `/` percent-encoded (so that `C:` or `a:b` is no scheme).
fn uri(name: &str) -> String {
    let path = match name.rsplit_once(':') {
        Some((file, _)) if std::path::Path::new(file).is_file() => file,
        _ => name,
    };
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
