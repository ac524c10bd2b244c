//! Views of a fix run: `changes.csv`, the summary (stdout and `fix-summary.md`) and the
//! `--diff` listing. Data in, text out; nothing here decides what is fixed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::{Change, Tally};
use crate::checks::CheckSet;
use crate::finding::CheckId;
use crate::input::table::Table;
use crate::normalize::text::{is_invisible, is_odd_space, printable};
use crate::report::spreadsheet::cell;

/// The codes of the checks behind a change, comma-separated.
fn codes(checks: &CheckSet, ids: &[CheckId]) -> String {
    ids.iter()
        .map(|id| checks.get(*id).meta().code.as_ref())
        .collect::<Vec<_>>()
        .join(",")
}

/// `changes.csv`: `input, record_id, line, field, old, new, code, applicability`, one
/// row per changed field, in input and record order. Cells a spreadsheet would run as a
/// formula get a leading `'` unless `raw`.
pub fn write_changes(
    changes: &[Change],
    tables: &[Table],
    checks: &CheckSet,
    raw: bool,
    out: &mut dyn Write,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "input",
        "record_id",
        "line",
        "field",
        "old",
        "new",
        "code",
        "applicability",
    ])?;
    for c in changes {
        let table = &tables[c.input as usize];
        let line = c.line.to_string();
        let safe = |v: &str| cell(v, raw).into_owned();
        w.write_record([
            safe(&table.name).as_str(),
            &safe(table.id(c.record as usize)),
            &line,
            &safe(table.header_name(c.column as usize)),
            &safe(&c.old),
            &safe(&c.new),
            &codes(checks, &c.checks),
            c.applicability.as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// What one input's rewrite produced, for the summary.
#[derive(Debug, Clone)]
pub struct InputSummary {
    pub name: String,
    pub records: usize,
    pub changed_records: usize,
    /// The cleaned copy's file name, when written.
    pub cleaned: Option<String>,
}

/// The summary of a fix run, as Markdown (also readable as plain text).
pub fn summary(
    checks: &CheckSet,
    tally: &BTreeMap<CheckId, Tally>,
    changes: &[Change],
    inputs: &[InputSummary],
    unsafe_fixes: bool,
) -> String {
    let mut s = String::from("# crmaudit fix\n\n");
    let fields = changes.len();
    let records: usize = inputs.iter().map(|i| i.changed_records).sum();
    let unsafe_applied = changes
        .iter()
        .filter(|c| c.applicability != crate::finding::Applicability::Safe)
        .count();
    let _ = writeln!(
        s,
        "{fields} field{} changed in {records} record{} ({} by safe fixes, {unsafe_applied} by unsafe ones).\n",
        plural(fields),
        plural(records),
        fields - unsafe_applied,
    );
    if tally.is_empty() {
        s.push_str("No finding of this run has a fix.\n");
    } else {
        s.push_str(
            "| code | name | fixes offered | applied | unsafe, not applied | suggestions | conflicting | on rows that do not fit |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        );
        for (id, t) in tally {
            let meta = checks.get(*id).meta();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                meta.code,
                meta.name,
                t.offered,
                t.applied,
                t.unsafe_skipped,
                t.suggestions,
                t.conflicts,
                t.misaligned
            );
        }
        s.push('\n');
    }
    let skipped: usize = tally.values().map(|t| t.unsafe_skipped).sum();
    if skipped > 0 && !unsafe_fixes {
        let _ = writeln!(
            s,
            "{skipped} unsafe fix{} not applied: review them with `--diff --unsafe-fixes`, apply them with `--unsafe-fixes`.\n",
            if skipped == 1 { " was" } else { "es were" }
        );
    }
    let conflicts: usize = tally.values().map(|t| t.conflicts).sum();
    if conflicts > 0 {
        let _ = writeln!(
            s,
            "{conflicts} fix{} disagreed with another check's fix of the same field: neither was applied (see the findings of those fields).\n",
            if conflicts == 1 { "" } else { "es" }
        );
    }
    for i in inputs {
        let _ = writeln!(
            s,
            "- `{}`: {} of {} record{} changed{}",
            i.name,
            i.changed_records,
            i.records,
            plural(i.records),
            i.cleaned
                .as_ref()
                .map(|p| format!(", cleaned copy `{p}`"))
                .unwrap_or_default()
        );
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The `--diff` listing: per input a unified-diff header, per changed record a hunk
/// naming its line and id, each changed field as a `-` and a `+` line (`Field: value`,
/// control characters shown escaped).
pub fn diff(
    changes: &[Change],
    tables: &[Table],
    checks: &CheckSet,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for input in changes.chunk_by(|a, b| a.input == b.input) {
        let table = &tables[input[0].input as usize];
        writeln!(out, "--- {}", printable(&table.name))?;
        writeln!(out, "+++ {} (fixed)", printable(&table.name))?;
        for record in input.chunk_by(|a, b| a.record == b.record) {
            let first = &record[0];
            let mut fixes = String::new();
            for (i, c) in record.iter().enumerate() {
                if i > 0 {
                    fixes.push_str(", ");
                }
                let _ = write!(
                    fixes,
                    "{} {} {}",
                    printable(table.header_name(c.column as usize)),
                    codes(checks, &c.checks),
                    c.applicability.as_str()
                );
            }
            writeln!(
                out,
                "@@ line {} · {}: {fixes} @@",
                first.line,
                printable(table.id(first.record as usize))
            )?;
            for c in record {
                let field = printable(table.header_name(c.column as usize));
                writeln!(out, "-{field}: {}", shown(&c.old))?;
                writeln!(out, "+{field}: {}", shown(&c.new))?;
            }
        }
    }
    Ok(())
}

/// A value in the diff: control, invisible and no-break-space characters escaped
/// (`\u{200b}`), so the change a tidying fix makes is visible.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' || is_invisible(c) || is_odd_space(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
