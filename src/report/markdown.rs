//! `summary.md` and `--format markdown`: tables for a CI job summary or a ticket.

use std::io::Write;

use super::human::group;
use super::{Error, Reporter, RunReport};
use crate::finding::Severity;

/// Findings listed in the Markdown report.
const SHOWN_FINDINGS: usize = 50;

/// `summary.md` and `--format markdown`.
pub struct Markdown;

impl Reporter for Markdown {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        write(report, out)
    }
}

fn write(report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
    let s = &report.summary;
    // The verdict first: a pull-request comment is read from the top.
    writeln!(
        out,
        "# crmaudit: {}\n",
        if report.gate.passed {
            "passed ✅"
        } else {
            "FAILED ❌"
        }
    )?;
    let count = |sev: Severity| s.by_severity.get(&sev).copied().unwrap_or(0);
    writeln!(
        out,
        "**{}** records in {} input(s); **{}** with findings ({} errors, {} warnings, {} info). Gate ({}): **{}**.\n",
        group(s.records),
        report.inputs.len(),
        group(s.records_with_findings),
        group(count(Severity::Error)),
        group(count(Severity::Warning)),
        group(count(Severity::Info)),
        super::human::gate_rule(report),
        if report.gate.passed {
            "passed"
        } else {
            "failed"
        }
    )?;
    for line in super::human::condition_lines(report) {
        writeln!(out, "- {}", cell(&line))?;
    }
    if !report.gate.conditions.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}.\n", super::human::trust_line(&s.trust))?;
    let history = super::human::history_lines(report);
    if !history.is_empty() {
        writeln!(out, "## Since the last run\n")?;
        for line in history {
            writeln!(out, "- {}", cell(line.trim()))?;
        }
        writeln!(out)?;
    }
    if report
        .fitness
        .iter()
        .any(|f| f.records + f.unknown_state + f.deleted > 0)
    {
        writeln!(out, "## Fit for downstream reports\n")?;
        writeln!(out, "| report | records | fit | kept out by |")?;
        writeln!(out, "|---|---:|---:|---|")?;
        for f in report
            .fitness
            .iter()
            .filter(|f| f.records + f.unknown_state + f.deleted > 0)
        {
            let top: Vec<String> = f
                .top_reasons(4)
                .iter()
                .map(|(r, n)| format!("{} {}", cell(r), group(*n)))
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                f.name,
                group(f.records),
                group(f.fit),
                top.join(", ")
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "Rules: {}\n", report.config.join(" + "))?;
    writeln!(out, "Run: `{}`\n", report.run_id)?;

    writeln!(out, "## Inputs\n")?;
    writeln!(
        out,
        "| input | object | records | lines | encoding | delimiter | id column |"
    )?;
    writeln!(out, "|---|---|---:|---:|---|---|---|")?;
    for i in &report.inputs {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&i.name),
            i.object,
            group(i.records),
            i.lines.map_or("—".to_owned(), |l| group(l as usize)),
            i.encoding.as_deref().unwrap_or("—"),
            i.delimiter.as_deref().map_or("—".to_owned(), |d| format!(
                "`{}`",
                if d == "\t" { "\\t" } else { d }
            )),
            i.id_column
                .as_deref()
                .map_or("line number".to_owned(), cell),
        )?;
    }

    writeln!(out, "\n## Findings by check\n")?;
    if report.findings_by_code.is_empty() {
        writeln!(out, "No findings.")?;
    } else {
        writeln!(
            out,
            "| code | check | severity | dimension | findings | records |"
        )?;
        writeln!(out, "|---|---|---|---|---:|---:|")?;
        for (code, c) in &report.findings_by_code {
            writeln!(
                out,
                "| {code} | {} | {} | {} | {} | {} |",
                c.name,
                c.severity,
                c.dimension,
                group(c.count),
                group(c.records)
            )?;
        }
        writeln!(out, "\n## First findings\n")?;
        writeln!(
            out,
            "| input | line | record | code | severity | field | message |"
        )?;
        writeln!(out, "|---|---:|---|---|---|---|---|")?;
        for f in report.findings.iter().take(SHOWN_FINDINGS) {
            let (id, table) = report.record_of(f);
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&table.name),
                f.line,
                cell(id),
                report.check(f).code,
                f.severity,
                report.field_of(f).map_or(String::new(), cell),
                cell(&f.message)
            )?;
        }
        if report.findings.len() > SHOWN_FINDINGS {
            writeln!(
                out,
                "\n… and {} more in `findings.csv`.",
                group(report.findings.len() - SHOWN_FINDINGS)
            )?;
        }
    }
    if let Some(dups) = &report.duplicates
        && !dups.groups.is_empty()
    {
        duplicates(report, dups, out)?;
    }
    if !report.warnings.is_empty() {
        writeln!(out, "\n## Notes\n")?;
        for w in &report.warnings {
            writeln!(out, "- {}", cell(w))?;
        }
    }
    Ok(())
}

/// Clusters listed in the Markdown report.
const SHOWN_CLUSTERS: usize = 20;

/// The duplicates section (`crmaudit dedupe --format markdown`, or an audit with DU).
fn duplicates(
    report: &RunReport,
    dups: &crate::dedupe::Duplicates,
    out: &mut dyn Write,
) -> Result<(), Error> {
    writeln!(out, "\n## Duplicates\n")?;
    let mut text = Vec::new();
    super::duplicates::write_human(dups, &mut text)?;
    for line in String::from_utf8_lossy(&text).lines() {
        writeln!(out, "- {}", cell(line.trim()))?;
    }
    let all = super::duplicates::largest_clusters(dups);
    if all.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n| object | records | survivor | members |\n|---|---:|---|---|"
    )?;
    for (g, c) in all.iter().take(SHOWN_CLUSTERS) {
        let id = |m: u32| {
            let r = g.record(m);
            cell(report.tables[r.input as usize].id(r.record as usize))
        };
        let members: Vec<String> = c.members.iter().map(|m| id(*m)).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            g.object().as_str(),
            c.members.len(),
            id(c.survivor),
            members.join(", ")
        )?;
    }
    if all.len() > SHOWN_CLUSTERS {
        writeln!(
            out,
            "\n… and {} more clusters in `clusters.csv`.",
            all.len() - SHOWN_CLUSTERS
        )?;
    }
    Ok(())
}

/// Escapes a value for a Markdown table cell.
fn cell(s: &str) -> String {
    let s = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    crate::normalize::text::printable(&s).into_owned()
}
