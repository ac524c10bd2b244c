//! The hostile-input corpus (`fixtures/malformed/`): every file goes through the binary
//! as a user would run it, and must end in its expected class: audited (exit 0 or 1)
//! with the records and the input findings (`IN…`) listed, or refused (exit 2) with a
//! message naming the file, and the line where there is one. Never a panic, never a
//! hang.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longest a case may take (a debug build on a loaded machine; a release build takes
/// well under a second on each).
const LIMIT: Duration = Duration::from_secs(20);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/malformed")
}

/// Runs the binary in `dir`, killing it past [`LIMIT`].
fn run(dir: &Path, args: &[String]) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).unwrap();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).unwrap();
        buf
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let output = Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    (output, started.elapsed())
}

struct Case {
    file: String,
    args: Vec<String>,
    class: String,
    records: Option<usize>,
    expect: String,
}

fn cases() -> Vec<Case> {
    let mut rdr = csv::Reader::from_path(corpus().join("expected.csv")).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Case {
                file: r[0].to_owned(),
                args: serde_json::from_str(&r[1]).unwrap(),
                class: r[2].to_owned(),
                records: r[3].parse().ok(),
                expect: r[4].to_owned(),
            }
        })
        .collect()
}

/// Checks one case; returns what went wrong.
fn check(dir: &Path, case: &Case) -> Option<String> {
    let mut args = vec!["audit".to_owned(), case.file.clone()];
    if case.file.ends_with(".toml") {
        args[1] = "base.csv".to_owned();
    }
    args.extend(case.args.iter().cloned());
    args.extend(["-f".to_owned(), "json".to_owned()]);
    let (out, took) = run(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    let name = &case.file;
    if took > LIMIT {
        return Some(format!("{name}: still running after {LIMIT:?}"));
    }
    if stderr.contains("panicked") || code.is_none() {
        return Some(format!("{name}: crashed ({code:?}): {stderr}"));
    }
    match case.class.as_str() {
        "audited" => {
            if !matches!(code, Some(0 | 1)) {
                return Some(format!(
                    "{name}: expected an audit, got exit {code:?}: {stderr}"
                ));
            }
            let report: serde_json::Value = match serde_json::from_slice(&out.stdout) {
                Ok(r) => r,
                Err(e) => return Some(format!("{name}: report is not JSON: {e}")),
            };
            let records = report["summary"]["records"].as_u64().unwrap_or(u64::MAX);
            if case.records.is_some_and(|n| n as u64 != records) {
                return Some(format!(
                    "{name}: {records} records audited, expected {:?}",
                    case.records
                ));
            }
            let mut codes: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|f| f["code"].as_str())
                .filter(|c| c.starts_with("IN"))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            let expected: Vec<&str> = case.expect.split_whitespace().collect();
            (codes != expected)
                .then(|| format!("{name}: input findings {codes:?}, expected {expected:?}"))
        }
        "error" => {
            if code != Some(2) {
                return Some(format!("{name}: expected exit 2, got {code:?}"));
            }
            (!stderr.contains(&case.expect))
                .then(|| format!("{name}: message lacks `{}`: {stderr}", case.expect))
        }
        other => Some(format!("{name}: unknown class `{other}`")),
    }
}

#[test]
fn the_corpus_is_large_and_every_case_is_described() {
    let cases = cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let files: Vec<String> = std::fs::read_dir(corpus().join("files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for case in &cases {
        assert!(files.contains(&case.file), "{} is not in files/", case.file);
        if case.class == "error" {
            // A refusal names the file it is about (a rule file: with its line).
            let positioned = case.expect.contains(".toml:");
            assert!(
                positioned || case.expect.contains(&case.file),
                "{}: the expected message names neither the file nor a position",
                case.file
            );
        }
    }
}

#[test]
fn every_hostile_input_ends_in_its_class() {
    let dir = corpus().join("files");
    let cases = cases();
    // Two at a time: each run uses both cores only briefly.
    let failures: Vec<String> = std::thread::scope(|s| {
        let (a, b) = cases.split_at(cases.len() / 2);
        let first = s.spawn(|| a.iter().filter_map(|c| check(&dir, c)).collect::<Vec<_>>());
        let mut failures: Vec<String> = b.iter().filter_map(|c| check(&dir, c)).collect();
        failures.extend(first.join().unwrap());
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_rule_file_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(corpus().join("files/base.csv"), dir.path().join("base.csv")).unwrap();
    let big = format!("# {}\n", "x".repeat(5 * 1024 * 1024));
    std::fs::write(dir.path().join("big.toml"), big).unwrap();
    let args: Vec<String> = ["audit", "base.csv", "--config", "big.toml"]
        .map(String::from)
        .to_vec();
    let (out, took) = run(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("big.toml") && stderr.contains("limited"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(5));
}
