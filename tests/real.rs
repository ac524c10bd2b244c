//! The real-export regression suite: every export in `fixtures/real/` (public CRM
//! exports, see `fixtures/real/README.md`) audited exactly as a new user would run it,
//! with no rule file and no flags, through the binary.
//!
//! - `fixtures/real/exports.csv` names each export and its input files;
//! - `fixtures/real/expected.csv` lists the known defects a check must find
//!   (`export, input file, record id, code`);
//! - `fixtures/real/ceilings.csv` caps each code's findings per export; a code with no
//!   row may not fire there at all, so a new false alarm fails the suite;
//! - every export's findings are snapshotted (`tests/snapshots/real__<export>.snap`), so
//!   a change in what the tool says about real data is reviewed like code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real")
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_path(real_dir().join(file))
        .unwrap();
    rdr.records()
        .map(|r| r.unwrap().iter().map(|f| f.trim().to_owned()).collect())
        .collect()
}

/// `dir/*.ext` or a plain path, relative to `fixtures/real`, sorted.
fn expand(pattern: &str) -> Vec<String> {
    let Some((dir, ext)) = pattern.split_once("/*.") else {
        return vec![pattern.to_owned()];
    };
    let mut out: Vec<String> = std::fs::read_dir(real_dir().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(&format!(".{ext}")))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

struct Finding {
    input: String,
    record: String,
    code: String,
    line: String,
}

fn audit(inputs: &[String]) -> (Vec<Finding>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .arg("audit")
        .arg("--isolated")
        .args(["--format", "json"])
        .args(inputs)
        .current_dir(real_dir())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "{inputs:?}: exit {code}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            let input = s("input");
            let file = input.rsplit('/').next().unwrap_or(&input).to_owned();
            Finding {
                line: format!(
                    "{file}:{} {} {} {} [{}] {}",
                    f["line"],
                    s("record_id"),
                    s("code"),
                    s("severity"),
                    s("field"),
                    s("message")
                ),
                input: file,
                record: s("record_id"),
                code: s("code"),
            }
        })
        .collect();
    (findings, report)
}

#[test]
fn real_exports() {
    let exports = rows("exports.csv");
    let mut expected: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for r in rows("expected.csv") {
        expected
            .entry(r[0].clone())
            .or_default()
            .push((r[1].clone(), r[2].clone(), r[3].clone()));
    }
    let mut ceilings: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in rows("ceilings.csv") {
        ceilings.insert((r[0].clone(), r[1].clone()), r[2].parse().unwrap());
    }
    let names: BTreeSet<&str> = exports.iter().map(|r| r[0].as_str()).collect();
    for key in expected.keys().chain(ceilings.keys().map(|(e, _)| e)) {
        assert!(names.contains(key.as_str()), "unknown export `{key}`");
    }

    let mut failures = Vec::new();
    for export in &exports {
        let name = &export[0];
        let inputs: Vec<String> = export[1].split_whitespace().flat_map(expand).collect();
        let (findings, report) = audit(&inputs);

        // Every listed defect is found.
        for (input, record, code) in expected.get(name).into_iter().flatten() {
            let found = findings
                .iter()
                .any(|f| &f.input == input && &f.record == record && &f.code == code);
            if !found {
                failures.push(format!("{name}: {code} not found on {input} {record}"));
            }
        }
        // No code fires more often than its ceiling (0 without a row).
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &findings {
            *by_code.entry(f.code.as_str()).or_default() += 1;
        }
        for (code, n) in &by_code {
            let max = ceilings
                .get(&(name.clone(), (*code).to_owned()))
                .copied()
                .unwrap_or(0);
            if *n > max {
                failures.push(format!("{name}: {n} {code} findings, ceiling {max}"));
            }
        }

        let mut snapshot: Vec<String> = report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "input {} {} {} records ({})",
                    i["name"].as_str().unwrap_or_default(),
                    i["object"].as_str().unwrap_or_default(),
                    i["records"],
                    i["object_source"].as_str().unwrap_or_default()
                )
            })
            .collect();
        snapshot.extend(findings.iter().map(|f| f.line.clone()));
        insta::assert_snapshot!(name.as_str(), snapshot.join("\n"));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `fixtures/vendor/`: amoCRM- and Bitrix24-shaped exports with planted defects
/// (`defects.csv`). Every planted defect a check covers is found, and no finding falls
/// on a record without a planted defect.
#[test]
fn vendor_exports() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/vendor");
    let mut rdr = csv::Reader::from_path(dir.join("defects.csv")).unwrap();
    let planted: Vec<(String, String, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[4].to_owned(),
            )
        })
        .collect();
    // The check that covers each kind of planted defect.
    let covers = |defect: &str| -> Option<&str> {
        Some(match defect {
            "won_deal_zero_amount" | "won_deal_blank_amount" => "SM001",
            "lost_deal_nonzero_probability" => "SM002",
            "close_date_before_created" => "SM007",
            "open_deal_overdue_close_date" => "SM013",
            "deal_company_not_in_companies" => "RF001",
            "invalid_email" => "EM001",
            "email_domain_typo" => "EM002",
            "placeholder_email" => "EM005",
            "role_email_on_contact" => "EM004",
            "placeholder_phone" => "PH001",
            "test_record" => "JK002",
            "keyboard_mash_name" => "JK001",
            _ => return None,
        })
    };
    let mut failures = Vec::new();
    for vendor in ["amocrm", "bitrix24"] {
        let out = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
            .args(["audit", "--isolated", "--format", "json"])
            .args(["companies.csv", "contacts.csv", "deals.csv"].map(|f| format!("{vendor}/{f}")))
            .current_dir(&dir)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings: Vec<(String, String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let input = f["input"].as_str().unwrap_or_default();
                (
                    input.rsplit('/').next().unwrap_or(input).to_owned(),
                    f["record_id"].as_str().unwrap_or_default().to_owned(),
                    f["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        for (v, file, id, defect) in planted.iter().filter(|p| p.0 == vendor) {
            let Some(code) = covers(defect) else { continue };
            if !findings
                .iter()
                .any(|f| &f.0 == file && &f.1 == id && f.2 == code)
            {
                failures.push(format!("{v}: {defect} on {file} {id}: no {code}"));
            }
        }
        for (file, id, code) in &findings {
            let planted_here = planted
                .iter()
                .any(|p| p.0 == vendor && &p.1 == file && &p.2 == id);
            // Input-level notices have no record.
            if !id.is_empty() && !planted_here {
                failures.push(format!("{vendor}: {code} on clean record {file} {id}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `--out` on every export (and the demo): clean + review + quarantine hold every
/// record exactly once (ragged rows, stray quotes and bad bytes included), and
/// fitness.csv lists each record once, per input as many as the audit read.
#[test]
fn class_files_and_fitness_hold_every_record_once() {
    let mut runs: Vec<(String, Vec<String>, PathBuf)> = rows("exports.csv")
        .iter()
        .map(|e| {
            let inputs = e[1].split_whitespace().flat_map(expand).collect();
            (e[0].clone(), inputs, real_dir())
        })
        .collect();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    runs.push((
        "demo".into(),
        ["accounts.csv", "contacts.csv", "deals.csv"]
            .map(String::from)
            .to_vec(),
        demo,
    ));
    for (name, inputs, dir) in runs {
        let out_dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
            .arg("audit")
            .arg("--isolated")
            .args(["--format", "json", "--out"])
            .arg(out_dir.path())
            .args(&inputs)
            .current_dir(&dir)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "{name}: exit {code}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let run_id = report["run_id"].as_str().unwrap();
        let records = report["summary"]["records"].as_u64().unwrap() as usize;
        // Every record row of a class file carries the run id once (a multi-line note
        // or a field of bad bytes does not change that).
        let mut in_classes = 0;
        for entry in std::fs::read_dir(out_dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            if ["clean.csv", "review.csv", "quarantine.csv"]
                .iter()
                .any(|c| file.ends_with(c))
            {
                let bytes = std::fs::read(&path).unwrap();
                in_classes += bytes
                    .windows(run_id.len())
                    .filter(|w| *w == run_id.as_bytes())
                    .count();
            }
        }
        assert_eq!(in_classes, records, "{name}: class files vs records");
        let mut fitness = csv::Reader::from_path(out_dir.path().join("fitness.csv")).unwrap();
        let mut per_input: BTreeMap<String, usize> = BTreeMap::new();
        for r in fitness.records() {
            *per_input.entry(r.unwrap()[0].to_owned()).or_default() += 1;
        }
        for input in report["inputs"].as_array().unwrap() {
            let path = input["name"].as_str().unwrap();
            // By file name: no two inputs of one export share one.
            let n = path.rsplit('/').next().unwrap();
            let expected = input["records"].as_u64().unwrap() as usize;
            // Stdin has no name to key; every export here is a file.
            assert_eq!(
                per_input.get(n).copied().unwrap_or(0),
                expected,
                "{name}: fitness.csv rows of {n}"
            );
        }
    }
}
