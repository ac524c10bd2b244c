//! The human summary on stdout: inputs, findings per check, the first findings, and the
//! gate verdict. A contract kept by snapshot tests; colour only when asked or on a TTY.

use crate::normalize::text::printable;
use std::io::Write;

use super::{Error, Reporter, RunReport};
use crate::finding::{Applicability, Severity};

/// Findings listed individually before "… and N more".
const SHOWN_FINDINGS: usize = 20;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        self.paint(code, &format!("{:<7}", severity.as_str()))
    }
}

/// The human summary; `color` paints severities and the verdict.
pub struct Human {
    pub color: bool,
}

impl Reporter for Human {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        write(report, self.color, out)
    }
}

fn write(report: &RunReport, color: bool, out: &mut dyn Write) -> Result<(), Error> {
    let style = Style { color };
    let s = &report.summary;
    writeln!(
        out,
        "{} {} — {} input{}, {} records (rules: {})",
        style.bold("crmaudit"),
        env!("CARGO_PKG_VERSION"),
        report.inputs.len(),
        plural(report.inputs.len()),
        group(s.records),
        report.config.join(" + ")
    )?;
    writeln!(out)?;
    let name_width = report
        .inputs
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(0);
    for input in &report.inputs {
        let mapped = input.columns.iter().filter(|c| c.role.is_some()).count();
        let format = match (&input.encoding, &input.delimiter) {
            (Some(enc), Some(d)) => format!(
                "{enc}{}, `{}`",
                if input.bom { " BOM" } else { "" },
                shown_delimiter(d)
            ),
            _ => input.format.to_owned(),
        };
        writeln!(
            out,
            "  {:<name_width$}  {:<8} {:>10} records{}  {}/{} columns mapped  id: {}  [{}; {}]",
            input.name,
            input.object,
            group(input.records),
            input.lines.map_or(String::new(), |l| format!(
                " from {} lines",
                group(l as usize)
            )),
            mapped,
            input.columns.len(),
            input.id_column.as_deref().unwrap_or("line number"),
            format,
            input.object_source,
        )?;
        for relation in &input.relations {
            writeln!(out, "  {:<name_width$}    {relation}", "")?;
        }
    }
    writeln!(out)?;

    if report.findings_by_code.is_empty() {
        writeln!(out, "No findings.")?;
    } else {
        writeln!(out, "{}", style.bold("Findings by check"))?;
        for (code, c) in &report.findings_by_code {
            writeln!(
                out,
                "  {code}  {}  {:>9} in {:>9} records  {}",
                style.severity(c.severity),
                group(c.count),
                group(c.records),
                c.name
            )?;
        }
        writeln!(out)?;
        writeln!(out, "{}", style.bold("First findings"))?;
        for f in report.findings.iter().take(SHOWN_FINDINGS) {
            let (id, table) = report.record_of(f);
            let field = report
                .field_of(f)
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}:{}  {}  {} {}{}  {}{}",
                printable(&table.name),
                f.line,
                printable(id),
                report.check(f).code,
                style.severity(f.severity).trim_end(),
                printable(&field),
                printable(&f.message),
                fix_marker(f)
            )?;
        }
        if report.findings.len() > SHOWN_FINDINGS {
            writeln!(
                out,
                "  … and {} more (all of them: --out DIR or --format json)",
                group(report.findings.len() - SHOWN_FINDINGS)
            )?;
        }
        let fixable = report
            .findings
            .iter()
            .filter(|f| {
                f.fixes
                    .iter()
                    .any(|x| x.applicability == Applicability::Safe)
            })
            .count();
        if fixable > 0 {
            writeln!(
                out,
                "  [fix] {} finding{} with a safe fix: `crmaudit fix` with the same inputs and --out DIR writes cleaned copies (--diff shows the changes first)",
                group(fixable),
                if fixable == 1 { "" } else { "s" }
            )?;
        }
        writeln!(out)?;
    }

    if let Some(dups) = &report.duplicates
        && !dups.groups.is_empty()
    {
        super::duplicates::write_human(dups, out)?;
        writeln!(out)?;
    }

    for warning in &report.warnings {
        writeln!(out, "{} {warning}", style.paint("33", "note:"))?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
    }

    let count = |sev: Severity| s.by_severity.get(&sev).copied().unwrap_or(0);
    writeln!(
        out,
        "{} records, {} with findings: {} error{}, {} warning{}, {} info",
        group(s.records),
        group(s.records_with_findings),
        group(count(Severity::Error)),
        plural(count(Severity::Error)),
        group(count(Severity::Warning)),
        plural(count(Severity::Warning)),
        group(count(Severity::Info)),
    )?;
    writeln!(out, "{}", trust_line(&s.trust))?;
    let fit = fitness_lines(report);
    if !fit.is_empty() {
        writeln!(out, "Fit for downstream reports:")?;
        for line in fit {
            writeln!(out, "  {line}")?;
        }
    }
    let verdict = if report.gate.passed {
        style.paint("32", "passed")
    } else {
        style.paint("31", "FAILED")
    };
    for line in history_lines(report) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "Gate ({}): {verdict}", gate_rule(report))?;
    for line in condition_lines(report) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The comparison with the last run of the history, in a few lines.
pub(super) fn history_lines(report: &RunReport) -> Vec<String> {
    let Some(h) = &report.history else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut by_code: Vec<(&String, &usize)> = h.new_by_code.iter().collect();
    by_code.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let codes: Vec<String> = by_code
        .iter()
        .take(5)
        .map(|(c, n)| format!("{c} {}", group(**n)))
        .collect();
    lines.push(format!(
        "Since run {} (trust {:.1} → {:.1}, {:+.1}): {} new finding{}{}, {} resolved",
        h.previous_run,
        h.previous_score,
        h.score,
        h.score_change,
        group(h.new_findings),
        plural(h.new_findings),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", codes.join(", "))
        },
        group(h.resolved_findings),
    ));
    let m = &h.moved;
    lines.push(format!(
        "  records: {} newly quarantined, {} newly to review, {} fixed, {} out of quarantine to review, {} still in quarantine; {} new, {} disappeared",
        group(m.newly_quarantined),
        group(m.newly_review),
        group(m.fixed),
        group(m.out_of_quarantine),
        group(m.still_quarantined),
        group(h.appeared),
        group(h.disappeared)
    ));
    if !h.not_compared.is_empty() {
        lines.push(format!(
            "  not compared record by record (no id column: a record is known by its line): {}",
            h.not_compared.join(", ")
        ));
    }
    if h.repeated_ids > 0 {
        lines.push(format!(
            "  {} records repeat an id: only the first of each id is compared",
            group(h.repeated_ids)
        ));
    }
    let usual: Vec<String> = h
        .changed_fields
        .iter()
        .filter(|f| !f.unusual)
        .take(5)
        .map(|f| format!("{} `{}` {}%", f.input, f.field, f.share))
        .collect();
    if !usual.is_empty() {
        lines.push(format!("  fields changed: {}", usual.join(", ")));
    }
    for f in h.changed_fields.iter().filter(|f| f.unusual) {
        lines.push(format!(
            "  overwritten? {} `{}` changed on {} of {} records ({}%): an import or automation may have overwritten it",
            f.input,
            f.field,
            group(f.changed),
            group(f.compared),
            f.share
        ));
    }
    lines
}

/// `fails on errors, 3 dataset conditions`.
pub(super) fn gate_rule(report: &RunReport) -> String {
    let mut rule = report.gate.fail_on.describe().to_owned();
    if report.baselined {
        rule.push_str(" (new since the baseline)");
    }
    let n = report.gate.conditions.len();
    if n > 0 {
        rule.push_str(&format!(", {n} dataset condition{}", plural(n)));
    }
    rule
}

/// One line per dataset condition: `✗ max-quarantine-rate: 12.1% of records …`.
pub(super) fn condition_lines(report: &RunReport) -> Vec<String> {
    report
        .gate
        .conditions
        .iter()
        .map(|c| {
            format!(
                "{} {}: {}",
                if c.passed { "ok  " } else { "FAIL" },
                c.name,
                c.detail
            )
        })
        .collect()
}

/// One line per downstream report that reads any record: how many are fit, the
/// totals it keeps, and why the others are out (the three commonest reasons).
pub(super) fn fitness_lines(report: &RunReport) -> Vec<String> {
    let width = report
        .fitness
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0);
    report
        .fitness
        .iter()
        .filter(|f| f.records + f.unknown_state + f.deleted > 0)
        .map(|f| {
            let mut line = format!(
                "{:width$}  {} of {} {} fit",
                f.name,
                group(f.fit),
                group(f.records),
                f.unit()
            );
            if let Some(t) = f.totals.as_ref().filter(|t| !t.one_currency()) {
                line.push_str(&format!(
                    "; amounts in {} currencies ({}), not added up",
                    t.currencies.len(),
                    t.currencies.join(", ")
                ));
            } else if let Some((label, all, kept)) = f.amount() {
                line.push_str(&format!(
                    "; {label} {} of {} ({:.0}%)",
                    amount(kept),
                    amount(all),
                    100.0 * kept / all
                ));
            }
            if let Some(t) = f.totals.as_ref().filter(|_| !f.reads_open())
                && t.lost_deals > 0
            {
                line.push_str(&format!(
                    "; lost deals {} of {} fit",
                    group(t.lost_deals_fit),
                    group(t.lost_deals)
                ));
            }
            let reasons = f.top_reasons(3);
            if !reasons.is_empty() {
                let top: Vec<String> = reasons
                    .iter()
                    .map(|(r, n)| format!("{r} {}", group(*n)))
                    .collect();
                let more = f.excluded_by.len().saturating_sub(reasons.len());
                line.push_str(&format!("; out: {}", top.join(", ")));
                if more > 0 {
                    line.push_str(&format!(" (+{more} more reason{})", plural(more)));
                }
            }
            if f.unknown_state > 0 {
                line.push_str(&format!(
                    "; {} deals of unknown state not counted",
                    group(f.unknown_state)
                ));
            }
            if f.deleted > 0 {
                line.push_str(&format!(
                    "; {} deleted records not counted",
                    group(f.deleted)
                ));
            }
            line
        })
        .collect()
}

/// An amount rounded to a unit, grouped: `4,052,473`.
pub(super) fn amount(x: f64) -> String {
    let n = x.round();
    let s = group(n.abs() as usize);
    if n < 0.0 { format!("-{s}") } else { s }
}

/// ` [fix]` after a finding with a safe fix, ` [unsafe fix]` when its fixes are all
/// unsafe (ruff's marker); nothing for suggestions only.
fn fix_marker(f: &crate::finding::Finding) -> &'static str {
    let best = f.fixes.iter().map(|x| x.applicability).min();
    match best {
        Some(Applicability::Safe) => " [fix]",
        Some(Applicability::Unsafe) => " [unsafe fix]",
        _ => "",
    }
}

/// `Trust 97.3/100: 9,800 clean, 150 to review (below 80), 50 to quarantine (an error,
/// or below 50)`.
pub(super) fn trust_line(t: &crate::trust::TrustSummary) -> String {
    let n = |c: crate::trust::Class| group(t.classes.get(&c).copied().unwrap_or(0));
    format!(
        "Trust {:.1}/100: {} clean, {} to review (score below {}), {} to quarantine (an error, or below {})",
        t.score,
        n(crate::trust::Class::Clean),
        n(crate::trust::Class::Review),
        t.review_below,
        n(crate::trust::Class::Quarantine),
        t.quarantine_below
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn shown_delimiter(d: &str) -> &str {
    if d == "\t" { "\\t" } else { d }
}

/// `1234567` → `1,234,567`.
pub(super) fn group(n: usize) -> String {
    crate::locale::group_thousands(n)
}
