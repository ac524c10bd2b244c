//! `report.html` and `--format html`: one self-contained page (no script, no network,
//! no external asset; charts are inline SVG) for the admin deciding whether tonight's
//! export may feed the quarterly reports. The verdict comes first, then the trust
//! score and its distribution, fitness per downstream report, trends, findings by
//! code and by field, completeness per field, the worst records with their reasons,
//! and duplicate clusters. Written by hand rather than through a template engine: the
//! page is one function per section, and every value goes through [`esc`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::human::{amount, group};
use super::{Error, Reporter, RunReport};
use crate::finding::Severity;
use crate::trust::Class;

/// Records listed among the worst.
const WORST: usize = 25;
/// Codes and fields in the bar charts.
const BARS: usize = 15;
/// Clusters listed.
const CLUSTERS: usize = 20;

pub struct Html;

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1120px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.verdict{border-radius:8px;padding:14px 16px;color:#fff}
.verdict.pass{background:var(--ok)}.verdict.fail{background:var(--bad)}
.verdict p{margin:.3rem 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-top:12px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px}
.card b{display:block;font-size:1.35rem}
.card span{color:var(--muted);font-size:.85rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.muted{color:var(--muted)}
code{font-size:.85em;background:var(--bg);padding:0 3px;border-radius:3px;white-space:nowrap}
td.id code{white-space:normal;overflow-wrap:anywhere}
svg{max-width:100%;height:auto}
svg.chart{display:block;width:100%;max-width:640px}
table.bars td{border:0;padding:2px 6px}
table.bars td.bar{width:55%;min-width:90px}
table.bars td.bar svg{display:block;width:100%;height:12px}
ul{padding-left:1.2rem}
.hint{display:none;color:var(--muted);font-size:.8rem;margin:.2rem 0}
@media (max-width:600px){body{font-size:14px}main{padding:10px}th,td{padding:4px 5px}.hint{display:block}}
"#;

impl Reporter for Html {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        let mut page = String::with_capacity(64 * 1024);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>crmaudit: {}</title><style>{STYLE}</style></head><body><main>\n",
            if report.gate.passed {
                "passed"
            } else {
                "failed"
            }
        );
        verdict(report, &mut page);
        trust(report, &mut page);
        fitness(report, &mut page);
        trends(report, &mut page);
        findings(report, &mut page);
        completeness(report, &mut page);
        worst(report, &mut page);
        clusters(report, &mut page);
        let _ = write!(
            page,
            "<h2>Run</h2><p class=\"muted\">Rules: {} · run <code>{}</code> · crmaudit {}</p>\n</main></body></html>\n",
            esc(&report.config.join(" + ")),
            esc(&report.run_id),
            env!("CARGO_PKG_VERSION")
        );
        out.write_all(page.as_bytes())?;
        Ok(())
    }
}

fn verdict(report: &RunReport, page: &mut String) {
    let s = &report.summary;
    let count = |sev: Severity| s.by_severity.get(&sev).copied().unwrap_or(0);
    let _ = write!(
        page,
        "<h1>crmaudit report</h1><div class=\"verdict {}\"><strong>{}</strong> — gate {}.",
        if report.gate.passed { "pass" } else { "fail" },
        if report.gate.passed {
            "Passed"
        } else {
            "Failed"
        },
        esc(&super::human::gate_rule(report))
    );
    for c in report.gate.failed() {
        let _ = write!(page, "<p>✗ {}: {}</p>", esc(&c.name), esc(&c.detail));
    }
    if !report.gate.findings_passed {
        let _ = write!(
            page,
            "<p>✗ findings at or above the --fail-on severity{}</p>",
            if report.new.is_some() && report.history.is_none() {
                " (new since the baseline)"
            } else {
                ""
            }
        );
    }
    // What the verdict does not say: how much each report would lose.
    for f in report
        .fitness
        .iter()
        .filter(|f| f.records > 0 && f.fit < f.records)
    {
        let amounts = f
            .amount()
            .map(|(_, all, kept)| format!(", {:.0}% of its amount", 100.0 * kept / all));
        let _ = write!(
            page,
            "<p>{}: {} of {} {} fit{}</p>",
            esc(&f.name),
            group(f.fit),
            group(f.records),
            esc(&f.unit()),
            amounts.unwrap_or_default()
        );
    }
    page.push_str("</div>\n<div class=\"cards\">");
    let class = |c: Class| s.classes.get(&c).copied().unwrap_or(0);
    for (value, label) in [
        (
            format!("{:.1}", s.trust.score),
            "trust score /100".to_owned(),
        ),
        (group(s.records), "records".to_owned()),
        (group(class(Class::Clean)), "clean".to_owned()),
        (
            group(class(Class::Review)),
            format!("to review (below {})", s.trust.review_below),
        ),
        (
            group(class(Class::Quarantine)),
            format!(
                "in quarantine (error or below {})",
                s.trust.quarantine_below
            ),
        ),
        (
            group(s.findings),
            format!(
                "findings: {} errors, {} warnings, {} info",
                group(count(Severity::Error)),
                group(count(Severity::Warning)),
                group(count(Severity::Info))
            ),
        ),
    ] {
        let _ = write!(
            page,
            "<div class=\"card\"><b>{}</b><span>{}</span></div>",
            esc(&value),
            esc(&label)
        );
    }
    page.push_str("</div>\n");
    if !report.gate.conditions.is_empty() {
        page.push_str("<h2>Dataset conditions</h2><div class=\"scroll\"><table><tr><th>condition</th><th class=\"n\">limit</th><th class=\"n\">measured</th><th>result</th></tr>");
        for c in &report.gate.conditions {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td></tr>",
                esc(&c.name),
                c.limit,
                c.actual.map_or("—".to_owned(), |a| a.to_string()),
                if c.passed { "ok" } else { "bad" },
                esc(&c.detail)
            );
        }
        page.push_str("</table></div>\n");
    }
}

/// A vertical bar chart: one bar per (label, value).
fn columns_svg(bars: &[(String, usize)], color: &str, title: &str) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (w, h, pad) = (440.0f64, 150.0f64, 16.0f64);
    let bw = (w - pad) / bars.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        h + 30.0,
        esc(title)
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let bh = (h - pad) * *v as f64 / max as f64;
        let x = pad / 2.0 + i as f64 * bw;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
            x + 1.5,
            h - bh,
            (bw - 3.0).max(1.0),
            bh,
            esc(label),
            v,
            x + bw / 2.0,
            (h - bh - 3.0).max(9.0),
            group(*v),
            x + bw / 2.0,
            h + 14.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A line of values (trust score per run), its vertical range fitted to the values.
fn line_svg(points: &[(String, f64)], color: &str, title: &str) -> String {
    let (w, h, pad) = (440.0f64, 120.0f64, 24.0f64);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = ((lo - 1.0).floor(), (hi + 1.0).ceil().min(100.0).max(lo));
    let span = (hi - lo).max(1.0);
    let step = (w - 2.0 * pad) / (points.len().max(2) - 1) as f64;
    let at = |i: usize, v: f64| {
        (
            pad + i as f64 * step,
            pad / 2.0 + (h - pad) * (hi - v) / span,
        )
    };
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        h + 24.0,
        esc(title)
    );
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = at(i, p.1);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>",
        path.join(" ")
    );
    for (i, (label, v)) in points.iter().enumerate() {
        let (x, y) = at(i, *v);
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{color}\"><title>{}: {v:.1}</title></circle>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{v:.1}</text>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
            esc(label),
            (y - 6.0).max(9.0),
            h + 16.0,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars as table rows (label, bar, note), so that labels reflow and stay
/// legible at any width; each bar is an inline SVG scaled to `max` (else the largest).
fn rows_svg(
    bars: &[(String, usize, String)],
    max: Option<usize>,
    color: &str,
    title: &str,
) -> String {
    let colored: Vec<(String, usize, String, &str)> = bars
        .iter()
        .map(|(l, v, n)| (l.clone(), *v, n.clone(), color))
        .collect();
    colored_rows_svg(&colored, max, title)
}

/// [`rows_svg`] with a colour per bar.
fn colored_rows_svg(
    bars: &[(String, usize, String, &str)],
    max: Option<usize>,
    title: &str,
) -> String {
    let max = max
        .unwrap_or_else(|| bars.iter().map(|b| b.1).max().unwrap_or(0))
        .max(1);
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"bars\" aria-label=\"{}\">",
        esc(title)
    );
    for (label, v, note, color) in bars {
        let pct = 100.0 * *v as f64 / max as f64;
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"bar\"><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"{pct:.2}\" height=\"10\" fill=\"{color}\"><title>{}: {v}</title></rect></svg></td><td class=\"n\">{}</td></tr>",
            esc(label),
            esc(label),
            esc(note)
        );
    }
    out.push_str("</table></div>");
    out
}

fn trust(report: &RunReport, page: &mut String) {
    let t = &report.summary.trust;
    page.push_str("<h2>Trust score distribution</h2>");
    let bars: Vec<(String, usize)> = t
        .distribution
        .iter()
        .map(|b| (b.band.clone(), b.records))
        .collect();
    page.push_str(&columns_svg(
        &bars,
        "#0969da",
        "records per trust-score band",
    ));
    page.push_str("<p class=\"muted\">Per dimension: ");
    let dims: Vec<String> = t
        .dimensions
        .iter()
        .map(|(d, s)| format!("{} {:.1}", d.as_str(), s))
        .collect();
    page.push_str(&esc(&dims.join(" · ")));
    page.push_str("</p>\n");
}

fn fitness(report: &RunReport, page: &mut String) {
    let reports: Vec<_> = report
        .fitness
        .iter()
        .filter(|f| f.records + f.unknown_state + f.deleted > 0)
        .collect();
    if reports.is_empty() {
        return;
    }
    page.push_str("<h2>Fit for downstream reports</h2><p class=\"muted\">Records each report would lose if it used only fit records, and what that does to its totals; a record can be kept out for several reasons, each counted. <code>fitness.csv</code> lists every record.</p><p class=\"hint\">The table scrolls sideways.</p><div class=\"scroll\"><table><tr><th>report</th><th class=\"n\">records</th><th class=\"n\">fit</th><th class=\"n\">lost</th><th class=\"n\">deals</th><th class=\"n\">open amount kept</th><th class=\"n\">won amount kept</th><th>kept out by</th></tr>");
    for f in reports {
        let top: Vec<String> = f
            .top_reasons(4)
            .iter()
            .map(|(r, n)| format!("{r} {}", group(*n)))
            .collect();
        let pct = |kept: f64, all: f64| {
            if all > 0.0 {
                format!(
                    "{} of {} ({:.0}%)",
                    amount(kept),
                    amount(all),
                    100.0 * kept / all
                )
            } else {
                "—".to_owned()
            }
        };
        let (deals, open, won) = match &f.totals {
            Some(t) if !t.one_currency() => (
                format!("{} of {}", group(t.deals_fit), group(t.deals)),
                format!("{} currencies", t.currencies.len()),
                format!("{} currencies", t.currencies.len()),
            ),
            Some(t) => (
                format!("{} of {}", group(t.deals_fit), group(t.deals)),
                if f.reads_open() {
                    pct(t.open_amount_fit, t.open_amount)
                } else {
                    "—".to_owned()
                },
                if f.reads_open() && !f.deal_states.is_empty() {
                    "—".to_owned()
                } else {
                    pct(t.won_amount_fit, t.won_amount)
                },
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        let _ = write!(
            page,
            "<tr><td><b>{}</b><br><span class=\"muted\">{}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&f.name),
            esc(&f.objects.join(", ")),
            group(f.records),
            group(f.fit),
            if f.fit < f.records { "bad" } else { "ok" },
            group(f.records - f.fit),
            esc(&deals),
            esc(&open),
            esc(&won),
            esc(&top.join(", "))
        );
    }
    page.push_str("</table></div>\n");
}

fn trends(report: &RunReport, page: &mut String) {
    let Some(h) = &report.history else {
        return;
    };
    page.push_str("<h2>Since the last run</h2>");
    if report.trend.len() >= 2 {
        page.push_str(&line_svg(&report.trend, "#8250df", "trust score per run"));
    }
    page.push_str("<ul>");
    for line in super::human::history_lines(report) {
        let _ = write!(page, "<li>{}</li>", esc(line.trim()));
    }
    page.push_str("</ul>");
    if !h.moved.examples.is_empty() {
        page.push_str("<div class=\"scroll\"><table><tr><th>input</th><th>record</th><th>from</th><th>to</th></tr>");
        for m in &h.moved.examples {
            let _ = write!(
                page,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"{}\">{}</td></tr>",
                esc(&m.input),
                esc(&m.record_id),
                m.from.as_str(),
                if m.to == Class::Clean { "ok" } else { "bad" },
                m.to.as_str()
            );
        }
        page.push_str("</table></div>");
    }
    page.push('\n');
}

fn findings(report: &RunReport, page: &mut String) {
    page.push_str("<h2>Findings by check</h2>");
    if report.findings_by_code.is_empty() {
        page.push_str("<p class=\"ok\">No findings.</p>\n");
        return;
    }
    let mut codes: Vec<(&String, &super::CodeSummary)> = report.findings_by_code.iter().collect();
    codes.sort_by(|a, b| b.1.records.cmp(&a.1.records).then(a.0.cmp(b.0)));
    let bars: Vec<(String, usize, String, &str)> = codes
        .iter()
        .take(BARS)
        .map(|(code, c)| {
            (
                format!("{code} {}", c.name),
                c.records,
                format!("{} records", group(c.records)),
                severity_color(c.severity),
            )
        })
        .collect();
    page.push_str(&colored_rows_svg(&bars, None, "records per check"));
    page.push_str("<div class=\"scroll\"><table><tr><th>code</th><th>check</th><th>severity</th><th>dimension</th><th class=\"n\">findings</th><th class=\"n\">records</th></tr>");
    for (code, c) in &codes {
        let class = match c.severity {
            Severity::Error => "bad",
            Severity::Warning => "warn",
            Severity::Info => "muted",
        };
        let _ = write!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(code),
            esc(&c.name),
            c.severity,
            c.dimension,
            group(c.count),
            group(c.records)
        );
    }
    page.push_str("</table></div>");
    // By field.
    let mut by_field: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in &report.findings {
        if let Some(field) = report.field_of(f) {
            let input = &report.tables[f.input as usize].name;
            *by_field
                .entry((input.clone(), field.to_owned()))
                .or_default() += 1;
        }
    }
    if !by_field.is_empty() {
        let mut fields: Vec<((String, String), usize)> = by_field.into_iter().collect();
        fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        page.push_str("<h2>Findings by field</h2>");
        let bars: Vec<(String, usize, String)> = fields
            .iter()
            .take(BARS)
            .map(|((input, field), n)| {
                let short = input.rsplit(['/', '\\']).next().unwrap_or(input);
                (format!("{short} · {field}"), *n, group(*n))
            })
            .collect();
        page.push_str(&rows_svg(&bars, None, "#bc4c00", "findings per field"));
    }
    page.push('\n');
}

/// Errors red, warnings amber, notices grey.
fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#cf222e",
        Severity::Warning => "#bf8700",
        Severity::Info => "#8c959f",
    }
}

fn completeness(report: &RunReport, page: &mut String) {
    page.push_str("<h2>Completeness per field</h2>");
    for t in &report.tables {
        if t.is_empty() {
            continue;
        }
        let bars: Vec<(String, usize, String)> = (0..t.width())
            .map(|c| {
                let filled = t.filled.get(c).copied().unwrap_or(0) as usize;
                let pct = 100.0 * filled as f64 / t.len() as f64;
                (t.header_name(c).to_owned(), filled, format!("{pct:.1}%"))
            })
            .collect();
        let _ = write!(
            page,
            "<h3>{} <span class=\"muted\">({}, {} records)</span></h3>",
            esc(&t.name),
            t.object.as_str(),
            group(t.len())
        );
        // Bars against the record count, not the fullest column.
        page.push_str(&rows_svg(
            &bars,
            Some(t.len()),
            "#1a7f37",
            "records with a value, per field",
        ));
    }
    page.push('\n');
}

fn worst(report: &RunReport, page: &mut String) {
    let mut records: Vec<(f32, u32, u32)> = report
        .trust
        .records
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.iter()
                .enumerate()
                .filter(|(_, (s, _))| *s < 100.0)
                .map(move |(j, (s, _))| (*s, i as u32, j as u32))
        })
        .collect();
    if records.is_empty() {
        return;
    }
    records.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    page.push_str("<h2>Worst records</h2><div class=\"scroll\"><table><tr><th class=\"n\">score</th><th>class</th><th>input · line</th><th>record</th><th>reasons</th></tr>");
    for &(score, input, record) in records.iter().take(WORST) {
        let table = &report.tables[input as usize];
        let class = report.trust.records[input as usize][record as usize].1;
        let start = report.findings.partition_point(|f| {
            (f.input, f.record.wrapping_add(1)) < (input, record.wrapping_add(1))
        });
        let reasons: Vec<String> = report.findings[start..]
            .iter()
            .take_while(|f| f.input == input && f.record == record)
            .map(|f| format!("{} {}", report.check(f).code, f.message))
            .collect();
        let _ = write!(
            page,
            "<tr><td class=\"n\">{score:.1}</td><td class=\"{}\">{}</td><td>{} · {}</td><td class=\"id\"><code>{}</code></td><td>{}</td></tr>",
            if class == Class::Quarantine {
                "bad"
            } else {
                "warn"
            },
            class.as_str(),
            esc(&table.name),
            table.lines[record as usize],
            esc(table.id(record as usize)),
            reasons
                .iter()
                .map(|r| esc(r))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    page.push_str("</table></div>\n");
}

fn clusters(report: &RunReport, page: &mut String) {
    let Some(dups) = &report.duplicates else {
        return;
    };
    let all = super::duplicates::largest_clusters(dups);
    if all.is_empty() {
        return;
    }
    let _ = write!(
        page,
        "<h2>Duplicate clusters</h2><p class=\"muted\">{} clusters; the largest {} below (all in <code>clusters.csv</code>).</p><div class=\"scroll\"><table><tr><th>object</th><th class=\"n\">records</th><th>survivor</th><th>members</th></tr>",
        group(all.len()),
        all.len().min(CLUSTERS)
    );
    for (g, c) in all.iter().take(CLUSTERS) {
        let id = |m: u32| {
            let r = g.record(m);
            report.tables[r.input as usize]
                .id(r.record as usize)
                .to_owned()
        };
        let members: Vec<String> = c.members.iter().map(|m| esc(&id(*m))).collect();
        let _ = write!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"id\"><code>{}</code></td><td class=\"id\"><code>{}</code></td></tr>",
            g.object().as_str(),
            c.members.len(),
            esc(&id(c.survivor)),
            members.join("</code> <code>")
        );
    }
    page.push_str("</table></div>\n");
}
