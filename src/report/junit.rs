//! `--format junit`: JUnit XML as CI systems read it (GitLab, Jenkins, Azure DevOps,
//! GitHub test reporters). One test suite per run; one test case per enabled check,
//! failed when the check has findings the gate counts (at or above `--fail-on`; with a
//! baseline, new ones), so that the file agrees with the exit code; the failure lists
//! them, one line per finding, at most [`LISTED`]. One test case per `[gate.dataset]`
//! condition.
//! Valid against the Apache Ant JUnit schema (`tests/schemas/JUnit.xsd`).
//!
//! The timestamp is the date the run measured against (as-of), not the wall clock, so
//! the file is the same for the same inputs and rules.

use std::io::Write;

use quick_xml::escape::escape;

use super::{Error, Reporter, RunReport};

/// Findings listed in one failure.
const LISTED: usize = 200;

pub struct Junit;

/// Text for XML: characters XML 1.0 cannot hold are left out, the rest escaped.
fn xml(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{FFFE}' && *c != '\u{FFFF}')
        })
        .collect();
    escape(&clean).into_owned()
}

impl Reporter for Junit {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        // Findings per check, in output order.
        let mut by_check: Vec<Vec<usize>> = vec![Vec::new(); report.checks.len()];
        for (i, f) in report.findings.iter().enumerate() {
            by_check[f.check.index()].push(i);
        }
        let failing = |id: usize| by_check[id].iter().any(|&i| report.fails_gate(i));
        let enabled = report.checks.iter().filter(|c| c.enabled).count();
        let failures = (0..report.checks.len())
            .filter(|&id| report.checks[id].enabled && failing(id))
            .count()
            + report.gate.conditions.iter().filter(|c| !c.passed).count();
        let tests = enabled + report.gate.conditions.len();
        let timestamp = match report.as_of {
            Some(d) => format!("{d}T00:00:00"),
            None => "1970-01-01T00:00:00".to_owned(),
        };
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, "<testsuites>")?;
        writeln!(
            out,
            r#"  <testsuite package="crmaudit" id="0" name="crmaudit" timestamp="{timestamp}" hostname="localhost" tests="{tests}" failures="{failures}" errors="0" skipped="0" time="0">"#
        )?;
        writeln!(out, "    <properties>")?;
        writeln!(
            out,
            r#"      <property name="run_id" value="{}"/>"#,
            xml(&report.run_id)
        )?;
        writeln!(
            out,
            r#"      <property name="rules" value="{}"/>"#,
            xml(&report.config.join(" + "))
        )?;
        for input in &report.inputs {
            writeln!(
                out,
                r#"      <property name="input" value="{}"/>"#,
                xml(&format!(
                    "{} ({}, {} records)",
                    input.name, input.object, input.records
                ))
            )?;
        }
        writeln!(out, "    </properties>")?;
        for (id, check) in report.checks.iter().enumerate() {
            if !check.enabled {
                continue;
            }
            write!(
                out,
                r#"    <testcase name="{} {}" classname="crmaudit.{}" time="0""#,
                xml(&check.code),
                xml(&check.name),
                check.family
            )?;
            let findings: Vec<usize> = by_check[id]
                .iter()
                .copied()
                .filter(|&i| report.fails_gate(i))
                .collect();
            let worst = findings.iter().map(|&i| report.findings[i].severity).max();
            match worst {
                Some(worst) => {
                    let mut records: Vec<(u32, u32)> = findings
                        .iter()
                        .map(|&i| (report.findings[i].input, report.findings[i].record))
                        .collect();
                    records.dedup();
                    let records = records.len();
                    writeln!(
                        out,
                        r#">
      <failure message="{} finding{} in {} record{} ({})" type="{}">"#,
                        findings.len(),
                        if findings.len() == 1 { "" } else { "s" },
                        records,
                        if records == 1 { "" } else { "s" },
                        xml(&check.summary),
                        worst
                    )?;
                    for &i in findings.iter().take(LISTED) {
                        let f = &report.findings[i];
                        let (record, table) = report.record_of(f);
                        let field = report
                            .field_of(f)
                            .map(|c| format!(" [{c}]"))
                            .unwrap_or_default();
                        writeln!(
                            out,
                            "{}",
                            xml(&format!(
                                "{}:{} {} {}{}: {}",
                                table.name, f.line, record, f.severity, field, f.message
                            ))
                        )?;
                    }
                    if findings.len() > LISTED {
                        writeln!(
                            out,
                            "… and {} more in findings.csv",
                            findings.len() - LISTED
                        )?;
                    }
                    writeln!(out, "</failure>")?;
                    writeln!(out, "    </testcase>")?;
                }
                None => writeln!(out, "/>")?,
            }
        }
        for c in &report.gate.conditions {
            write!(
                out,
                r#"    <testcase name="{}" classname="crmaudit.gate.dataset" time="0""#,
                xml(&c.name)
            )?;
            if c.passed {
                writeln!(out, "/>")?;
            } else {
                writeln!(
                    out,
                    r#">
      <failure message="{}" type="condition">{}</failure>
    </testcase>"#,
                    xml(&c.detail),
                    xml(&c.detail)
                )?;
            }
        }
        writeln!(out, "    <system-out></system-out>")?;
        writeln!(out, "    <system-err></system-err>")?;
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")?;
        Ok(())
    }
}
