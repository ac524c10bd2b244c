//! `crmaudit history`: the runs of a history database, as a Markdown table or JSON, and
//! one run in detail.

use crate::history::{RunDetail, RunRow};

/// Every run, newest first.
pub fn runs(runs: &[RunRow], json: bool) -> Result<String, serde_json::Error> {
    if json {
        return Ok(serde_json::to_string_pretty(runs)? + "\n");
    }
    let mut out = String::new();
    out.push_str(
        "| run | recorded (UTC) | records | findings | score | gate | run id | inputs |\n",
    );
    out.push_str("|---:|---|---:|---:|---:|---|---|---|\n");
    for r in runs {
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
    Ok(out)
}

/// One run: its row, the classes and conditions of its summary, its counts per code.
pub fn run((row, summary, codes): &RunDetail, json: bool) -> Result<String, serde_json::Error> {
    let summary: serde_json::Value = serde_json::from_str(summary)?;
    if json {
        let doc = serde_json::json!({
            "run": row,
            "report": summary,
            "codes": codes
                .iter()
                .map(|(c, f, r)| serde_json::json!({"code": c, "findings": f, "records": r}))
                .collect::<Vec<_>>(),
        });
        return Ok(serde_json::to_string_pretty(&doc)? + "\n");
    }
    let mut out = format!(
        "# Run {} ({})\n\nRecorded {} over {}: {} records, {} findings, trust {:.1}/100, gate {}.\n\n",
        row.run,
        row.run_id,
        row.recorded_at,
        row.dataset.replace('\n', ", "),
        row.records,
        row.findings,
        row.score,
        if row.passed { "passed" } else { "failed" }
    );
    if let Some(classes) = summary["summary"]["classes"].as_object() {
        let list: Vec<String> = classes.iter().map(|(k, v)| format!("{v} {k}")).collect();
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
    for (c, f, r) in codes {
        out.push_str(&format!("| {c} | {f} | {r} |\n"));
    }
    Ok(out)
}
