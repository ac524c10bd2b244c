//! `crmaudit history FILE [RUN]`: the runs a history database recorded, or one of them.

use anyhow::{Result, bail};

use super::{DocFormat, HistoryArgs, Outcome};
use crate::history::History;

pub fn run(args: &HistoryArgs) -> Result<Outcome> {
    if !args.file.is_file() {
        bail!("history `{}` not found", args.file.display());
    }
    let history = History::open_read_only(&args.file)?;
    let mut out = String::new();
    match args.run {
        None => {
            let runs = history.runs()?;
            match args.format {
                DocFormat::Json => out = serde_json::to_string_pretty(&runs)? + "\n",
                DocFormat::Markdown => {
                    out.push_str("| run | recorded (UTC) | records | findings | score | gate | run id | inputs |\n");
                    out.push_str("|---:|---|---:|---:|---:|---|---|---|\n");
                    for r in &runs {
                        out.push_str(&format!(
                            "| {} | {} | {} | {} | {:.1} | {} | `{}` | {} |\n",
                            r.run,
                            r.recorded_at,
                            r.records,
                            r.findings,
                            r.score,
                            if r.passed { "passed" } else { "failed" },
                            r.run_id,
                            r.dataset.replace('\n', ", ")
                        ));
                    }
                    if runs.is_empty() {
                        out.push_str("No runs recorded yet.\n");
                    }
                }
            }
        }
        Some(n) => {
            let Some((row, summary, codes)) = history.run(n)? else {
                bail!("history `{}` has no run {n}", args.file.display());
            };
            let summary: serde_json::Value = serde_json::from_str(&summary)?;
            match args.format {
                DocFormat::Json => {
                    let doc = serde_json::json!({
                        "run": row,
                        "report": summary,
                        "codes": codes
                            .iter()
                            .map(|(c, f, r)| serde_json::json!({"code": c, "findings": f, "records": r}))
                            .collect::<Vec<_>>(),
                    });
                    out = serde_json::to_string_pretty(&doc)? + "\n";
                }
                DocFormat::Markdown => {
                    out.push_str(&format!(
                        "# Run {} ({})\n\nRecorded {} over {}: {} records, {} findings, trust {:.1}/100, gate {}.\n\n",
                        row.run,
                        row.run_id,
                        row.recorded_at,
                        row.dataset.replace('\n', ", "),
                        row.records,
                        row.findings,
                        row.score,
                        if row.passed { "passed" } else { "failed" }
                    ));
                    if let Some(classes) = summary["summary"]["classes"].as_object() {
                        let list: Vec<String> =
                            classes.iter().map(|(k, v)| format!("{v} {k}")).collect();
                        out.push_str(&format!("Classes: {}.\n\n", list.join(", ")));
                    }
                    if let Some(conditions) = summary["gate"]["conditions"].as_array() {
                        for c in conditions {
                            out.push_str(&format!(
                                "- {} {}: {}\n",
                                if c["passed"].as_bool() == Some(true) {
                                    "ok"
                                } else {
                                    "FAIL"
                                },
                                c["name"].as_str().unwrap_or_default(),
                                c["detail"].as_str().unwrap_or_default()
                            ));
                        }
                        if !conditions.is_empty() {
                            out.push('\n');
                        }
                    }
                    out.push_str("| code | findings | records |\n|---|---:|---:|\n");
                    for (c, f, r) in &codes {
                        out.push_str(&format!("| {c} | {f} | {r} |\n"));
                    }
                }
            }
        }
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(Outcome::Passed)
}
