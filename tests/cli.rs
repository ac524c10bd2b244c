//! Runs the real binary in throwaway directories: exit codes, selection, severities,
//! configuration errors, broken input, encodings, SQLite, determinism.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{Workdir, code, stderr, stdout};

fn demo(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/demo")
        .join(name)
        .display()
        .to_string()
}

const CLEAN: &str =
    "Id,FirstName,LastName,Email\n1,Ann,Lee,ann@acme-corp.com\n2,Bo,Ray,bo@acme-corp.com\n";

#[test]
fn clean_export_passes_with_exit_0() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    let out = w.run(&["audit", "contacts.csv"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("No findings."));
    assert!(stdout(&out).contains("Gate (fails on errors): passed"));
}

#[test]
fn demo_fails_the_gate_with_exit_1() {
    let w = Workdir::new();
    let out = w.run(&[
        "audit",
        &demo("accounts.csv"),
        &demo("contacts.csv"),
        &demo("deals.csv"),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    for code in ["CP001", "RF001", "DU001", "IN001", "IN002", "FM008"] {
        assert!(text.contains(code), "demo summary lacks {code}:\n{text}");
    }
}

#[test]
fn demo_findings_cover_every_planted_defect() {
    let w = Workdir::new();
    let out = w.run(&[
        "audit",
        &demo("accounts.csv"),
        &demo("contacts.csv"),
        &demo("deals.csv"),
        "--out",
        "out",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let findings = std::fs::read_to_string(w.path("out/findings.csv")).unwrap();
    let found: std::collections::HashSet<(String, String)> =
        csv::Reader::from_reader(findings.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_owned(), r[2].to_owned())
            })
            .collect();
    let planted = std::fs::read_to_string(demo("defects.csv")).unwrap();
    let mut n = 0;
    for r in csv::Reader::from_reader(planted.as_bytes()).records() {
        let r = r.unwrap();
        n += 1;
        assert!(
            found.contains(&(r[1].to_owned(), r[2].to_owned())),
            "planted {} on {} ({}) not found",
            &r[2],
            &r[1],
            &r[3]
        );
    }
    assert!(n >= 15);
}

#[test]
fn fail_on_decides_between_0_and_1() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,Lee,n/a\n",
    );
    assert_eq!(
        code(&w.run(&["audit", "contacts.csv"])),
        0,
        "a warning alone passes by default"
    );
    assert_eq!(
        code(&w.run(&["audit", "contacts.csv", "--fail-on", "warning"])),
        1
    );
    w.write(
        "bad.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,x@acme-corp.com\n",
    );
    assert_eq!(code(&w.run(&["audit", "bad.csv"])), 1);
    assert_eq!(code(&w.run(&["audit", "bad.csv", "--fail-on", "never"])), 0);
}

#[test]
fn select_ignore_and_severity_overrides() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,n/a\n1,Bo,Ray,bo@acme-corp.com\n",
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["audit", "contacts.csv", "-f", "json"];
        all.extend_from_slice(args);
        serde_json::from_slice(&w.run(&all).stdout).unwrap()
    };
    let codes = |v: &serde_json::Value| -> Vec<String> {
        v["findings_by_code"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(codes(&json(&[])), ["CP001", "CP003", "DU001"]);
    assert_eq!(codes(&json(&["--select", "CP"])), ["CP001", "CP003"]);
    assert_eq!(
        codes(&json(&["--ignore", "CP001,duplicate-key-value"])),
        ["CP003"]
    );
    let v = json(&["--severity", "CP003=error"]);
    assert_eq!(v["findings_by_code"]["CP003"]["severity"], "error");
    // The same through a rule file.
    w.write(
        "rules.toml",
        "[checks]\nignore = [\"DU\"]\n[checks.severity]\nCP001 = \"info\"\n",
    );
    let v = json(&["-c", "rules.toml"]);
    assert_eq!(codes(&v), ["CP001", "CP003"]);
    assert_eq!(v["findings_by_code"]["CP001"]["severity"], "info");
    assert_eq!(v["gate"]["passed"], true);
}

#[test]
fn malformed_rule_file_exits_2_naming_file_line_and_column() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    w.write("crmaudit.toml", "[checks]\nselect = [\"CP\"]\nignroe = [\"DU\"]\n[objects.contact.pattern]\npostcode = '(\\d'\n");
    let out = w.run(&["audit", "contacts.csv"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("crmaudit.toml:3:1: unknown key `ignroe` in [checks]; did you mean `ignore`?"),
        "{err}"
    );
    assert!(err.contains("crmaudit.toml:5:13: invalid regex"), "{err}");
    assert!(err.contains("2 problems"), "{err}");
    // --isolated ignores the broken file.
    assert_eq!(code(&w.run(&["audit", "contacts.csv", "--isolated"])), 0);
}

#[test]
fn unknown_codes_and_bad_flags_exit_2() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    let out = w.run(&["audit", "contacts.csv", "--select", "ZZ999"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown check code or name `ZZ999`"));
    assert_eq!(
        code(&w.run(&["audit", "contacts.csv", "--severity", "CP001=fatal"])),
        2
    );
    assert_eq!(
        code(&w.run(&["audit", "contacts.csv", "--object", "spaceship"])),
        2
    );
    assert_eq!(
        code(&w.run(&["audit", "contacts.csv", "--encoding", "klingon"])),
        2
    );
    assert_eq!(code(&w.run(&["audit", "contacts.csv", "--frobnicate"])), 2);
    let out = w.run(&["audit", "contacts.csv", "--id-column", "NoSuchColumn"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("id column `NoSuchColumn` not found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_empty_and_binary_inputs_exit_2() {
    let w = Workdir::new();
    let out = w.run(&["audit", "nope.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nope.csv"));
    w.write("empty.csv", "");
    let out = w.run(&["audit", "empty.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is empty"), "{}", stderr(&out));
    w.write("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    let out = w.run(&["audit", "image.csv"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("image.csv`: this is an image, not an export"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ragged_rows_and_bad_bytes_are_findings_not_crashes() {
    let w = Workdir::new();
    let mut data = b"Id,FirstName,LastName,Email\n1,Jos\xc3\xa9,Lee,a@acme-corp.com\n2,Bo\n3,Cy,Ray,cy@acme-corp.com,extra\n".to_vec();
    data.extend_from_slice(b"4,Ren\xe9,Roy,r@acme-corp.com\n5,Zo\xc3\xab,Kay,z@acme-corp.com\n");
    w.write("contacts.csv", data);
    let out = w.run(&["audit", "contacts.csv", "-f", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = |c: &str| -> Vec<u64> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == c)
            .map(|f| f["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines("IN001"), [3, 4]);
    assert_eq!(lines("IN002"), [5]);
    // Row 2 is short: its last name is blank, and still checked.
    assert_eq!(lines("CP001"), [3]);
    assert_eq!(v["summary"]["records"], 5);
}

#[test]
fn windows_1251_semicolon_export_with_russian_headers() {
    let w = Workdir::new();
    let text = "ИД;Имя;Фамилия;Эл. почта;Телефон;Компания;Дата создания\r\n\
                1;Иван;Петров;ivan@romashka.ru;+7 495 123-45-67;ООО Ромашка;22.11.2026\r\n\
                2;Мария;;maria@romashka.ru;;нет;31.02.2026\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    w.write("контакты.csv", &*bytes);
    let out = w.run(&["audit", "контакты.csv", "-f", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &v["inputs"][0];
    assert_eq!(input["encoding"], "windows-1251");
    assert_eq!(input["delimiter"], ";");
    assert_eq!(input["object"], "contact");
    assert_eq!(input["id_column"], "ИД");
    assert_eq!(input["date_order"], "dmy");
    let findings: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["field"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        findings.contains(&("CP001".into(), "Фамилия".into())),
        "{findings:?}"
    );
    assert!(
        findings.contains(&("CP003".into(), "Компания".into())),
        "{findings:?}"
    );
    assert!(
        findings.contains(&("FM005".into(), "Дата создания".into())),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 3, "{findings:?}");
}

#[test]
fn utf16_tab_separated_export() {
    let w = Workdir::new();
    let text = "Id\tFirst Name\tLast Name\tEmail\r\n1\tAnn\tLee\tann@acme-corp.com\r\n2\tBo\t\tbo@acme-corp.com\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    w.write("contacts.tsv", bytes);
    let out = w.run(&["audit", "contacts.tsv", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["encoding"], "UTF-16LE");
    assert_eq!(v["inputs"][0]["delimiter"], "\t");
    assert_eq!(v["findings"][0]["code"], "CP001");
    assert_eq!(v["findings"][0]["line"], 3);
}

#[test]
fn quoted_multiline_notes_keep_line_numbers() {
    let w = Workdir::new();
    w.write(
        "deals.csv",
        "Id,Name,StageName,Amount,CloseDate,Description\n\
         1,A,Prospecting,100,2026-12-01,\"line one\nline, two\n\"\"quoted\"\"\"\n\
         2,B,Prospecting,100,soon,plain\n",
    );
    let out = w.run(&["audit", "deals.csv", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["records"], 2);
    assert_eq!(v["findings"][0]["code"], "FM005");
    assert_eq!(v["findings"][0]["line"], 5);
}

#[test]
fn sqlite_table_and_query_inputs() {
    let w = Workdir::new();
    let db = w.path("crm.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE accounts (Id TEXT, Name TEXT);
             INSERT INTO accounts VALUES ('a1', 'Acme'), ('a2', NULL);
             CREATE TABLE contacts (Id TEXT, FirstName TEXT, LastName TEXT, Email TEXT, AccountId TEXT, Amount REAL);
             INSERT INTO contacts VALUES ('c1', 'Ann', 'Lee', 'ann@acme-corp.com', 'a1', 1.5),
                                         ('c2', 'Bo', NULL, 'bo@acme-corp.com', 'a9', NULL);",
        )
        .unwrap();
    }
    let out = w.run(&[
        "audit", "crm.db", "--table", "accounts", "--table", "contacts", "-f", "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["name"], "crm.db:accounts");
    assert_eq!(v["inputs"][0]["format"], "sqlite");
    let got: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["record_id"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(got.contains(&("a2".into(), "CP001".into(), 2)), "{got:?}");
    assert!(got.contains(&("c2".into(), "CP001".into(), 2)), "{got:?}");
    assert!(got.contains(&("c2".into(), "RF001".into(), 2)), "{got:?}");

    let out = w.run(&[
        "audit",
        "crm.db",
        "--query",
        "SELECT * FROM contacts WHERE Id = 'c1'",
        "--object",
        "contact",
    ]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let out = w.run(&["audit", "crm.db", "--query", "DELETE FROM contacts"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    let out = w.run(&["audit", "crm.db"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--table"), "{}", stderr(&out));
    let out = w.run(&["audit", "crm.db", "--table", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("tables: accounts, contacts"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn threads_do_not_change_the_report() {
    let w = Workdir::new();
    let generated = w.run(&[
        "generate",
        "--out",
        "gen",
        "--contacts",
        "6000",
        "--seed",
        "3",
    ]);
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    let files = ["gen/accounts.csv", "gen/contacts.csv", "gen/deals.csv"];
    let mut reports = Vec::new();
    for threads in ["1", "4"] {
        let dir = format!("out{threads}");
        let mut args = vec!["audit"];
        args.extend(files);
        args.extend(["-j", threads, "--out", &dir, "-f", "json"]);
        let out = w.run(&args);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        reports.push((
            out.stdout,
            std::fs::read(w.path(&format!("{dir}/report.json"))).unwrap(),
            std::fs::read(w.path(&format!("{dir}/findings.csv"))).unwrap(),
        ));
    }
    assert!(reports[0].0.len() > 10_000);
    assert_eq!(reports[0], reports[1]);
}

#[test]
fn out_dir_gets_all_reports_and_no_temp_files() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,a@acme-corp.com\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--out", "audit"]);
    assert_eq!(code(&out), 1);
    let mut names: Vec<String> = std::fs::read_dir(w.path("audit"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "clean.csv",
            "findings.csv",
            "fitness.csv",
            "manifest.json",
            "quarantine.csv",
            "report.html",
            "report.json",
            "review.csv",
            "summary.md"
        ]
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("audit/report.json")).unwrap()).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["records"], 1);
    assert_eq!(report["findings_by_code"]["CP001"]["count"], 1);
    let csv = std::fs::read_to_string(w.path("audit/findings.csv")).unwrap();
    assert!(
        csv.starts_with(
            "record_id,object,code,name,severity,field,value,message,input,line,run_id\n1,contact,CP001,"
        ),
        "{csv}"
    );
}

/// The files a manifest lists, checked against their sizes and hashes; the run id.
fn verify_manifest(dir: &Path) -> (String, Vec<String>) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let run_id = manifest["run_id"].as_str().unwrap().to_owned();
    let mut names = Vec::new();
    for file in manifest["files"].as_array().unwrap() {
        let name = file["name"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(file["bytes"], bytes.len(), "{name}");
        let digest = blake3::hash(&bytes).to_hex();
        assert_eq!(file["blake3"], digest.as_str(), "{name}");
        // A CSV carries the id on every row; one with a header only has none to carry.
        let header_only =
            name.ends_with(".csv") && bytes.iter().filter(|b| **b == b'\n').count() <= 1;
        assert!(
            header_only || String::from_utf8_lossy(&bytes).contains(&run_id),
            "{name} lacks the run id"
        );
        names.push(name.to_owned());
    }
    (run_id, names)
}

/// The run id each output file of `dir` carries (in its text).
fn run_ids_in(dir: &Path, candidates: &[String]) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "manifest.json" || name.starts_with('.') {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(&name)).unwrap()).into_owned();
        let id = candidates
            .iter()
            .find(|c| text.contains(c.as_str()))
            .cloned();
        found.push((name, id));
    }
    found
}

#[test]
fn every_output_carries_the_run_id_and_the_manifest_lists_them() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,Lee,ann@acme-corp.com\n2,Ann,Lee,ann@acme-corp.com\n",
    );
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--extend-select",
        "DU",
        "--out",
        "o",
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let (run_id, mut names) = verify_manifest(&w.path("o"));
    names.sort();
    assert_eq!(
        names,
        [
            "clean.csv",
            "clusters.csv",
            "findings.csv",
            "fitness.csv",
            "pairs.csv",
            "quarantine.csv",
            "report.html",
            "report.json",
            "review.csv",
            "summary.md",
        ]
    );
    assert_eq!(run_id.len(), 16);
    // Same inputs and rules: the same id and byte-identical files.
    let again = w.run(&[
        "audit",
        "contacts.csv",
        "--extend-select",
        "DU",
        "--out",
        "p",
    ]);
    assert_eq!(code(&again), code(&out));
    for name in &names {
        assert_eq!(
            std::fs::read(w.path(&format!("o/{name}"))).unwrap(),
            std::fs::read(w.path(&format!("p/{name}"))).unwrap(),
            "{name}"
        );
    }
    // A run without duplicate detection removes the duplicate CSVs of the one before,
    // so the folder never mixes two runs.
    let plain = w.run(&["audit", "contacts.csv", "--out", "o"]);
    assert!(code(&plain) <= 1);
    let (other_id, mut names) = verify_manifest(&w.path("o"));
    names.sort();
    assert_eq!(
        names,
        [
            "clean.csv",
            "findings.csv",
            "fitness.csv",
            "quarantine.csv",
            "report.html",
            "report.json",
            "review.csv",
            "summary.md"
        ]
    );
    assert_ne!(other_id, run_id);
    assert!(!w.path("o/pairs.csv").exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_in_out_is_never_followed() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,a@acme-corp.com\n",
    );
    std::fs::create_dir(w.path("o")).unwrap();
    let names = [
        "report.json",
        "findings.csv",
        "summary.md",
        "pairs.csv",
        "clusters.csv",
        "manifest.json",
    ];
    for name in names {
        let victim = w.write(&format!("victim-{name}"), "precious\n");
        std::os::unix::fs::symlink(&victim, w.path(&format!("o/{name}"))).unwrap();
    }
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--extend-select",
        "DU",
        "--out",
        "o",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    for name in names {
        assert_eq!(
            std::fs::read_to_string(w.path(&format!("victim-{name}"))).unwrap(),
            "precious\n",
            "{name}"
        );
        let meta = std::fs::symlink_metadata(w.path(&format!("o/{name}"))).unwrap();
        assert!(meta.is_file(), "{name} is still a symlink");
    }
    verify_manifest(&w.path("o"));
}

#[test]
fn temporaries_of_killed_runs_are_removed() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,a@acme-corp.com\n",
    );
    std::fs::create_dir(w.path("o")).unwrap();
    // A process id that cannot be running (above Linux's pid_max).
    let stale = w.write("o/.crmaudit-tmp-4294967295-AbCdEf", vec![b'x'; 4096]);
    let keep = w.write("o/notes.txt", "mine\n");
    // A file under an output's name that no crmaudit manifest lists is not ours.
    let theirs = w.write("o/pairs.csv", "mine\n");
    let out = w.run(&["audit", "contacts.csv", "--out", "o"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "stale temporary left");
    }
    assert!(keep.exists(), "a file that is not ours was removed");
    assert!(
        theirs.exists(),
        "a pairs.csv this run does not write was removed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(w.path("o"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".crmaudit-tmp-") && !n.ends_with("AbCdEf"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_killed_run_never_leaves_two_runs_mixed() {
    let w = Workdir::new();
    let generated = w.run(&[
        "generate",
        "--out",
        "gen",
        "--contacts",
        "30000",
        "--seed",
        "9",
    ]);
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    // Two different runs into one folder: the first complete, then kills of the second.
    let first = w.run(&["audit", "gen/contacts.csv", "--out", "o"]);
    assert_eq!(code(&first), 1, "{}", stderr(&first));
    let (first_id, _) = verify_manifest(&w.path("o"));
    let full = w.run(&[
        "audit",
        "gen/contacts.csv",
        "gen/accounts.csv",
        "--out",
        "full",
    ]);
    assert_eq!(code(&full), 1);
    let (second_id, _) = verify_manifest(&w.path("full"));
    let ids = [first_id.clone(), second_id.clone()];
    let started = std::time::Instant::now();
    let probe = w.run(&[
        "audit",
        "gen/contacts.csv",
        "gen/accounts.csv",
        "--out",
        "probe",
    ]);
    assert_eq!(code(&probe), 1);
    let run_time = started.elapsed();
    for i in 0..12u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
            .args([
                "audit",
                "gen/contacts.csv",
                "gen/accounts.csv",
                "--out",
                "o",
            ])
            .current_dir(w.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kills spread over the whole run, the writing of the reports included.
        std::thread::sleep(run_time * (i + 1) / 12);
        let _ = child.kill();
        child.wait().unwrap();
        let dir = w.path("o");
        if dir.join("manifest.json").exists() {
            let (id, mut listed) = verify_manifest(&dir);
            let mut present: Vec<String> = run_ids_in(&dir, &ids)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            present.sort();
            listed.sort();
            assert_eq!(present, listed, "kill {i}: files beside the manifest");
            assert!(ids.contains(&id));
        } else {
            let found = run_ids_in(&dir, &ids);
            let distinct: std::collections::BTreeSet<_> =
                found.iter().map(|(_, id)| id.clone()).collect();
            assert!(distinct.len() <= 1, "kill {i}: mixed folder {found:?}");
        }
    }
    // The next complete run cleans up after the kills.
    let last = w.run(&["audit", "gen/contacts.csv", "--out", "o"]);
    assert_eq!(code(&last), 1);
    let (id, _) = verify_manifest(&w.path("o"));
    assert_eq!(id, first_id);
    let temps = std::fs::read_dir(w.path("o"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".crmaudit-tmp-")
        })
        .count();
    assert_eq!(temps, 0);
}

#[test]
fn a_report_never_replaces_an_input() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("o")).unwrap();
    let input = w.write(
        "o/findings.csv",
        "Id,FirstName,LastName,Email\n1,Ann,,n/a\n",
    );
    let before = std::fs::read(&input).unwrap();
    let out = w.run(&["audit", "o/findings.csv", "--out", "o"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("findings.csv"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--out"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // A rule file is an input too.
    let rules = w.write(
        "o/summary.md",
        "[objects.contact]\nrequired = [\"email\"]\n",
    );
    let out = w.run(&[
        "audit",
        "o/findings.csv",
        "--config",
        "o/summary.md",
        "--out",
        "./o/",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(rules.exists());
}

#[test]
fn an_empty_export_fails_the_gate_unless_allowed() {
    let w = Workdir::new();
    w.write("contacts.csv", "Id,FirstName,LastName,Email\r\n");
    let out = w.run(&["audit", "contacts.csv"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("no records"), "{}", stdout(&out));
    let allowed = w.run(&["audit", "contacts.csv", "--allow-empty"]);
    assert_eq!(code(&allowed), 0, "{}", stdout(&allowed));
    // An empty file, and a file whose lines are all blank, are no export either.
    w.write("nothing.csv", "");
    assert_ne!(code(&w.run(&["audit", "nothing.csv"])), 0);
    w.write("blank.csv", "\n\n\r\n");
    assert_ne!(code(&w.run(&["audit", "blank.csv"])), 0);
    // Most rows not fitting the header: not a table.
    w.write(
        "split.csv",
        "Id,Name,Email\n1\nAnn\nann@example.com\n2,Bo,bo@example.com\n",
    );
    let out = w.run(&["audit", "split.csv", "-f", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("IN008"));
}

#[test]
fn polymorphic_lookups_resolve_by_key_prefix() {
    let w = Workdir::new();
    w.write(
        "Contact.csv",
        "Id,LastName\n003A0000001AAAAIA4,Lee\n003A0000001AAABIA4,Ray\n",
    );
    w.write(
        "Opportunity.csv",
        "Id,Name,StageName,Amount,CloseDate\n006A0000001AAAAIA4,Deal,Prospecting,10,2026-12-01\n",
    );
    w.write(
        "Task.csv",
        "Id,Subject,WhoId,WhatId\n\
         00TA0000001AAAAIA4,Call,003A0000001AAAAIA4,006A0000001AAAAIA4\n\
         00TA0000001AAABIA4,Call,003A0000009ZZZZIA4,006A0000001AAAAIA4\n\
         00TA0000001AAACIA4,Call,00QA0000001AAAAIA4,001A0000001AAAAIA4\n",
    );
    let out = w.run(&[
        "audit",
        "Task.csv",
        "Contact.csv",
        "Opportunity.csv",
        "--select",
        "RF001",
        "-f",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["record_id"].as_str().unwrap().to_owned(),
                f["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The missing contact only: the lead and the account have no input to look in.
    assert_eq!(
        found,
        [("00TA0000001AAABIA4".to_owned(), "WhoId".to_owned())],
        "{}",
        stderr(&out)
    );
}

#[test]
fn hashed_references_are_a_notice_unless_both_sides_are_hashed() {
    let w = Workdir::new();
    let hash = |i: u32| format!("{:0>22}==", format!("h{i}xYz"));
    let mut contacts = String::from("Id,LastName,AccountId\n");
    for i in 0..8 {
        contacts.push_str(&format!("c{i},Lee,{}\n", hash(i + 100)));
    }
    w.write("contacts.csv", contacts);
    let severities = |account_id: &dyn Fn(u32) -> String| -> Vec<String> {
        let mut accounts = String::from("Id,Name\n");
        for i in 0..8 {
            accounts.push_str(&format!("{},Acme {i}\n", account_id(i)));
        }
        w.write("accounts.csv", accounts);
        let out = w.run(&[
            "audit",
            "contacts.csv",
            "accounts.csv",
            "--select",
            "RF001",
            "-f",
            "json",
        ]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["severity"].as_str().unwrap().to_owned())
            .collect()
    };
    // Plain account ids, hashed references: cannot be joined, a notice.
    assert_eq!(severities(&|i| format!("001A000000{i:04}AAAIA4")), ["info"]);
    // Hashed on both sides: hashes compare, so the unmatched ones are orphans.
    assert_eq!(severities(&hash), ["error"]);
}

#[test]
fn inputs_are_never_modified() {
    let w = Workdir::new();
    let path = w.write("contacts.csv", "Id,FirstName,LastName,Email\n1,Ann,,n/a\n");
    let before = std::fs::read(&path).unwrap();
    w.run(&["audit", "contacts.csv", "--out", "."]);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn broken_pipe_exits_0() {
    let w = Workdir::new();
    let generated = w.run(&[
        "generate",
        "--out",
        "gen",
        "--contacts",
        "20000",
        "--seed",
        "5",
    ]);
    assert_eq!(code(&generated), 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .args(["audit", "gen/contacts.csv", "-f", "json"])
        .current_dir(w.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn stdin_input() {
    let w = Workdir::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .args(["audit", "-", "--object", "contact", "-f", "json"])
        .current_dir(w.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Id,LastName\n1,\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["code"], "CP001");
}

#[test]
fn id_column_flag_and_line_numbers_as_ids() {
    let w = Workdir::new();
    w.write(
        "people.csv",
        "Ref,First Name,Last Name\nR-1,Ann,\nR-2,Bo,Ray\n",
    );
    let v: serde_json::Value = serde_json::from_slice(
        &w.run(&["audit", "people.csv", "--object", "contact", "-f", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(
        v["findings"][0]["record_id"], "2",
        "without an id column the line number names the record"
    );
    let v: serde_json::Value = serde_json::from_slice(
        &w.run(&[
            "audit",
            "people.csv",
            "--object",
            "contact",
            "--id-column",
            "Ref",
            "-f",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(v["findings"][0]["record_id"], "R-1");
}

#[test]
fn init_writes_a_rule_file_that_audit_accepts() {
    let w = Workdir::new();
    w.write("deals.csv", "Id,Opportunity Name,Stage,Amount,Close Date,Custom_Score__c\n1,A,Prospecting,100,2026-12-01,7\n");
    let out = w.run(&["init", "deals.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(w.path("crmaudit.toml")).unwrap();
    assert!(text.contains("object = \"deal\""), "{text}");
    assert!(text.contains("stage = \"Stage\""), "{text}");
    assert!(text.contains("# ? = \"Custom_Score__c\""), "{text}");
    assert_eq!(
        code(&w.run(&["init", "deals.csv"])),
        2,
        "refuses to overwrite"
    );
    assert_eq!(code(&w.run(&["init", "deals.csv", "--force"])), 0);
    let out = w.run(&["audit", "deals.csv"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn rule_docs_and_list() {
    let w = Workdir::new();
    let out = w.run(&["rule", "CP001"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("# CP001 required-field-blank"));
    assert!(stdout(&out).contains("## Why it matters"));
    let out = w.run(&["rule", "allowed-value-variant", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "FM003");
    assert_eq!(v["severity"], "warning");
    assert_eq!(code(&w.run(&["rule", "XX999"])), 2);
    let out = w.run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        crmaudit::checks::registry::CHECKS.len()
    );
}

#[test]
fn a_column_mapping_that_names_no_column_is_reported() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    w.write(
        "crmaudit.toml",
        "[columns.contact]\nemail = \"E-mail (work)\"\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--object", "contact"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("names no column of contacts.csv") && text.contains("crmaudit.toml:2:10"),
        "{text}"
    );
    // The same from the command line.
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--isolated",
        "--column",
        "contact.email=Mail",
    ]);
    assert!(
        stdout(&out).contains("`email = \"Mail\"` (--column) names no column"),
        "{}",
        stdout(&out)
    );
    // A mapping that finds its column moves the role.
    w.write("other.csv", "Id,LastName,Mail\n1,Lee,ann@example\n");
    let out = w.run(&[
        "audit",
        "other.csv",
        "--isolated",
        "--object",
        "contact",
        "--column",
        "email=Mail",
        "-f",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["inputs"][0]["columns"][2]["role"], "email");
}

#[test]
fn as_of_is_never_silently_accepted() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    // Used by the time-relative checks, and said so.
    w.write(
        "deals.csv",
        "Id,Name,StageName,CloseDate\nd1,A,Prospecting,2026-01-05\n",
    );
    let out = w.run(&["audit", "deals.csv", "--as-of", "2026-11-22"]);
    assert!(
        stdout(&out).contains("time-relative checks measure against 2026-11-22"),
        "{}",
        stdout(&out)
    );
    // With none of them selected, said to have no effect.
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--as-of",
        "2026-11-22",
        "--select",
        "CP",
    ]);
    assert!(stdout(&out).contains("as-of is set"), "{}", stdout(&out));
    let out = w.run(&["audit", "contacts.csv", "--as-of", "yesterday"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--as-of"), "{}", stderr(&out));
}

#[test]
fn thread_count_is_capped() {
    let w = Workdir::new();
    w.write("contacts.csv", CLEAN);
    let out = w.run(&["audit", "contacts.csv", "-j", "100000"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn blank_lines_do_not_shift_line_numbers() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,LastName,Email\n1,a,x@y.com\n\n2,,z@y.com\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--object", "contact", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["line"], 4);
}

#[test]
fn a_stray_quote_does_not_swallow_the_rest_of_the_file() {
    // See: issue "Nothing lost, nothing overwritten, nothing let through".
    let w = Workdir::new();
    let mut text = String::from("Id,LastName,Email,Note\n");
    for i in 1..=200_000u32 {
        if i == 100 {
            text.push_str(&format!("{i},Lee,lee{i}@acme-corp.com,\"5'11 tall\n"));
        } else {
            text.push_str(&format!("{i},Lee,lee{i}@acme-corp.com,ok\n"));
        }
    }
    w.write("contacts.csv", text);
    let out = w.run(&["audit", "contacts.csv", "--object", "contact", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["records"], 200_000, "{}", stderr(&out));
    let stray: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "IN003")
        .collect();
    assert_eq!(stray.len(), 1);
    assert_eq!(stray[0]["line"], 101);
}

fn real(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/real")
        .join(path)
        .display()
        .to_string()
}

/// `(input, record_id, code)` of every finding of a JSON report.
fn finding_keys(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["input"].as_str().unwrap_or_default().to_owned(),
                f["record_id"].as_str().unwrap_or_default().to_owned(),
                f["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn json_arrays_lines_and_api_pages() {
    let w = Workdir::new();
    w.write(
        "contacts.json",
        r#"[{"Id":"c1","FirstName":"Ann","LastName":"Lee","Email":"ann@acme-corp.com"},
            {"Id":"c2","FirstName":"Bo","LastName":null,"Email":"bo@acme-corp.com","Phone":5551234}]"#,
    );
    w.write(
        "contacts.jsonl",
        "{\"Id\":\"c1\",\"LastName\":\"Lee\"}\n\n{\"Id\":\"c2\",\"LastName\":\"\"}\n",
    );
    w.write(
        "deals.json",
        r#"{"results":[{"id":"101","properties":{"dealname":"Big","dealstage":"closedwon","amount":"10"}},
                       {"id":"102","properties":{"dealname":"","dealstage":"appointmentscheduled"}}],
            "paging":{"next":{"after":"2"}}}"#,
    );
    for (file, records) in [
        ("contacts.json", 2),
        ("contacts.jsonl", 2),
        ("deals.json", 2),
    ] {
        let out = w.run(&["audit", file, "-f", "json"]);
        assert!(code(&out) <= 1, "{file}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["inputs"][0]["format"], "json", "{file}");
        assert_eq!(v["inputs"][0]["records"], records, "{file}");
    }
    // The blank last name is found on the record and line it is on.
    let out = w.run(&[
        "audit",
        "contacts.jsonl",
        "--object",
        "contact",
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(
        (f["record_id"].as_str(), f["line"].as_u64()),
        (Some("c2"), Some(3))
    );
    // HubSpot's properties are columns of the record.
    let out = w.run(&["audit", "deals.json", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let columns: Vec<&str> = v["inputs"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["id", "dealname", "dealstage", "amount"]);
    assert_eq!(v["inputs"][0]["object"], "deal");
    // Broken JSON is an input error with its position.
    w.write("broken.json", "[{\"Id\": \"c1\",\n  \"Name\": }]");
    let out = w.run(&["audit", "broken.json"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("broken.json`: not valid JSON at line 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sfdx_trees_split_by_type_and_resolve_references() {
    let w = Workdir::new();
    // A tree with nested children, as `sf data export tree` writes it.
    w.write(
        "Accounts.json",
        r#"{"records":[
  {"attributes":{"type":"Account","referenceId":"AccountRef1"},"Name":"Acme",
   "Contacts":{"records":[
     {"attributes":{"type":"Contact","referenceId":"ContactRef1"},"LastName":"Lee","Email":"lee@acme.com"}]}},
  {"attributes":{"type":"Account","referenceId":"AccountRef2"},"Name":"Globex","ParentId":"@AccountRef9"}
]}"#,
    );
    let out = w.run(&["audit", "Accounts.json", "-f", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs: Vec<(&str, &str)> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["object"].as_str().unwrap()))
        .collect();
    assert_eq!(
        inputs,
        [
            ("Accounts.json:Account", "account"),
            ("Accounts.json:Contact", "contact")
        ]
    );
    let keys = finding_keys(&v);
    // The dangling self-reference is an orphan; the nested contact has its parent.
    assert!(
        keys.contains(&(
            "Accounts.json:Account".into(),
            "@AccountRef2".into(),
            "RF001".into()
        )),
        "{keys:?}"
    );
    assert!(!keys.iter().any(|k| k.1 == "@ContactRef1"), "{keys:?}");
    // No `@ref` is ever validated as a Salesforce id.
    assert!(!keys.iter().any(|k| k.2 == "FM008"), "{keys:?}");
}

#[test]
fn a_data_plan_is_its_files_and_each_file_is_read_once() {
    let plan =
        real("salesforce-sfdx-trees/sf-plugin-data-tests/missingRef/Account-Opportunity-plan.json");
    let account = real("salesforce-sfdx-trees/sf-plugin-data-tests/missingRef/Account.json");
    let w = Workdir::new();
    let out = w.run(&["audit", &plan, &account, "-f", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 2);
    let keys = finding_keys(&v);
    let orphan = keys
        .iter()
        .filter(|k| k.1 == "@OpportunityRef1" && k.2 == "RF001")
        .count();
    assert_eq!(orphan, 1, "{keys:?}");
    // A plan naming a file that is not there is a broken export.
    w.write(
        "plan.json",
        r#"[{"sobject":"Account","saveRefs":true,"files":["Missing.json"]}]"#,
    );
    let out = w.run(&["audit", "plan.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("Missing.json"), "{}", stderr(&out));
}

#[test]
fn spreadsheets_each_sheet_an_input_pivots_left_out() {
    let w = Workdir::new();
    let book = real("ru-salesman-crm/export-dogs.xlsx");
    let out = w.run(&["audit", &book, "-f", "json"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1, "the pivot sheet is not records");
    assert!(inputs[0]["name"].as_str().unwrap().ends_with(":Данные"));
    assert_eq!(inputs[0]["format"], "spreadsheet");
    assert_eq!(inputs[0]["records"], 200);
    assert_eq!(inputs[0]["object"], "deal");
    let out = w.run(&["audit", &book]);
    assert!(
        stdout(&out).contains("holds a pivot table")
            || stderr(&out).contains("holds a pivot table"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Old binary Excel (BIFF8, code page 1251, dates as serial numbers).
    let out = w.run(&["audit", &real("ru-salesman-crm/deals.xls"), "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["records"], 40, "{}", stderr(&out));
    assert_eq!(v["inputs"][0]["object"], "deal");
}

#[test]
fn files_that_are_no_export_exit_2() {
    let w = Workdir::new();
    for (name, bytes, what) in [
        ("report.pdf", &b"%PDF-1.7\n1 0 obj\n"[..], "a PDF document"),
        (
            "export.zip",
            &b"PK\x03\x04\x14\x00\x00\x00\x08\x00"[..],
            "a ZIP archive",
        ),
        ("export.csv.gz", &b"\x1f\x8b\x08\x00\x00\x00"[..], "gzip"),
        ("tool.exe", &b"MZ\x90\x00\x03\x00\x00\x00"[..], "a program"),
    ] {
        w.write(name, bytes);
        let out = w.run(&["audit", name]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains(what), "{name}: {err}");
    }
}

#[test]
fn spreadsheet_formulas_and_terminal_escapes_are_neutralized() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,LastName,Email\n=HYPERLINK(\"http://x\"),,a@acme-corp.com\nc2,\u{1b}[2JLee,-\n",
    );
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--object",
        "contact",
        "--out",
        "out",
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let csv = std::fs::read_to_string(w.path("out/findings.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("=HYPERLINK")), "{csv}");
    assert!(!stdout(&out).contains('\u{1b}'), "{}", stdout(&out));
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--object",
        "contact",
        "--out",
        "raw",
        "--raw-csv",
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let csv = std::fs::read_to_string(w.path("raw/findings.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("\"=HYPERLINK")), "{csv}");
}

#[test]
fn sqlite_is_read_without_side_effects() {
    let w = Workdir::new();
    let db = w.path("crm.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE contacts (Id TEXT, LastName TEXT);
             INSERT INTO contacts VALUES ('c1', 'Lee');
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    }
    let before: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let out = w.run(&[
        "audit", "crm.db", "--table", "contacts", "--object", "contact",
    ]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let mut after: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    after.sort();
    let mut before = before;
    before.sort();
    assert_eq!(before, after, "reading created or removed files");
    for query in [
        "ATTACH DATABASE 'other.db' AS o",
        "PRAGMA journal_mode=DELETE",
        "SAVEPOINT s",
    ] {
        let out = w.run(&["audit", "crm.db", "--query", query]);
        assert_eq!(code(&out), 2, "{query}");
        assert!(
            stderr(&out).contains("read-only SELECT"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!w.path("other.db").exists());
    // Past the first word: a second statement, or a write inside WITH.
    for query in [
        "SELECT * FROM contacts; DELETE FROM contacts",
        "WITH x AS (SELECT 1) DELETE FROM contacts",
    ] {
        let out = w.run(&["audit", "crm.db", "--query", query]);
        assert_eq!(code(&out), 2, "{query}: {}", stderr(&out));
        assert!(stderr(&out).contains("crm.db"), "{}", stderr(&out));
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}
