//! `crmaudit fix` end to end: the planted defects of a generated export that have a safe
//! fix are fixed, nothing else changes, `changes.csv` lists exactly what changed, a
//! second run changes nothing, the re-audit finds none of the fixed findings, and the
//! update files, `--diff` and the refusals behave.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Workdir, code, stderr, stdout};

/// The rows of a CSV file as maps from header to value.
fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

const FILES: [&str; 3] = ["gen/accounts.csv", "gen/contacts.csv", "gen/deals.csv"];

fn generate(w: &Workdir) {
    let out = w.run(&[
        "generate",
        "--out",
        "gen",
        "--contacts",
        "8000",
        "--seed",
        "11",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

fn fix(w: &Workdir, inputs: &[&str], out: &str, extra: &[&str]) {
    let mut args = vec!["fix", "--raw-csv"];
    args.extend(inputs);
    args.extend(["--out", out]);
    args.extend(extra);
    let run = w.run(&args);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
}

#[test]
fn planted_defects_with_a_safe_fix_are_fixed_and_nothing_else_changes() {
    let w = Workdir::new();
    generate(&w);
    fix(&w, &FILES, "fixed", &[]);

    // Every planted defect of a kind with a safe fix is in changes.csv, by its code.
    let changes = rows(&w.path("fixed/changes.csv"));
    let changed: BTreeSet<(String, String)> = changes
        .iter()
        .flat_map(|c| {
            c["code"]
                .split(',')
                .map(|code| (c["record_id"].clone(), code.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let safe_kinds = [
        "placeholder company",
        "placeholder phone",
        "account id lower-cased",
        "space after the company name",
        "email pasted as a mailto: link",
    ];
    let mut planted = 0;
    for d in rows(&w.path("gen/defects.csv")) {
        if safe_kinds.contains(&d["what"].as_str()) {
            planted += 1;
            assert!(
                changed.contains(&(d["record_id"].clone(), d["code"].clone())),
                "planted {} ({}) on {} was not fixed",
                d["code"],
                d["what"],
                d["record_id"]
            );
        }
    }
    assert!(planted > 100, "{planted} planted defects with a safe fix");
    assert!(changes.iter().all(|c| c["applicability"] == "safe"));

    // changes.csv is exactly the difference between the inputs and the cleaned copies.
    let mut seen = 0;
    for file in ["accounts.csv", "contacts.csv", "deals.csv"] {
        let before = rows(&w.path(&format!("gen/{file}")));
        let after = rows(&w.path(&format!("fixed/{file}")));
        assert_eq!(before.len(), after.len(), "{file}: records lost or added");
        for (a, b) in before.iter().zip(&after) {
            for (field, old) in a {
                let new = &b[field];
                if old == new {
                    continue;
                }
                seen += 1;
                assert!(
                    changes.iter().any(|c| c["input"] == format!("gen/{file}")
                        && c["record_id"] == a["Id"]
                        && &c["field"] == field
                        && &c["old"] == old
                        && &c["new"] == new),
                    "{file} {} {field}: `{old}` → `{new}` is not in changes.csv",
                    a["Id"]
                );
            }
        }
    }
    assert_eq!(seen, changes.len(), "changes.csv lists changes not made");

    // Only fields with a finding changed: each change is a finding of its code.
    let audit = w.run(&["audit", FILES[0], FILES[1], FILES[2], "-f", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let found: BTreeSet<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["record_id"].as_str().unwrap_or_default().to_owned(),
                f["field"].as_str().unwrap_or_default().to_owned(),
                f["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for c in &changes {
        for code in c["code"].split(',') {
            assert!(
                found.contains(&(c["record_id"].clone(), c["field"].clone(), code.to_owned())),
                "{} {} changed by {code} without its finding",
                c["record_id"],
                c["field"]
            );
        }
    }

    // Fixing the cleaned copies again changes nothing.
    let cleaned = [
        "fixed/accounts.csv",
        "fixed/contacts.csv",
        "fixed/deals.csv",
    ];
    fix(&w, &cleaned, "again", &[]);
    assert!(rows(&w.path("again/changes.csv")).is_empty());
    for file in ["accounts.csv", "contacts.csv", "deals.csv"] {
        assert_eq!(
            std::fs::read(w.path(&format!("fixed/{file}"))).unwrap(),
            std::fs::read(w.path(&format!("again/{file}"))).unwrap(),
            "{file} changed on the second run"
        );
    }

    // The re-audit finds none of the fixed findings.
    let reaudit = w.run(&["audit", cleaned[0], cleaned[1], cleaned[2], "-f", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&reaudit.stdout).unwrap();
    for f in report["findings"].as_array().unwrap() {
        let key = (
            f["record_id"].as_str().unwrap_or_default().to_owned(),
            f["field"].as_str().unwrap_or_default().to_owned(),
        );
        let fixed_here = changes.iter().any(|c| {
            c["record_id"] == key.0 && c["field"] == key.1 && {
                c["code"].split(',').any(|code| code == f["code"])
            }
        });
        assert!(!fixed_here, "fixed finding found again: {f}");
    }
}

#[test]
fn fixing_is_deterministic_whatever_the_thread_count() {
    let w = Workdir::new();
    generate(&w);
    fix(&w, &FILES, "one", &["-j", "1", "--unsafe-fixes"]);
    fix(&w, &FILES, "two", &["-j", "2", "--unsafe-fixes"]);
    for file in [
        "changes.csv",
        "contacts.csv",
        "fix-summary.md",
        "manifest.json",
    ] {
        let one = std::fs::read(w.path(&format!("one/{file}"))).unwrap();
        let two = std::fs::read(w.path(&format!("two/{file}"))).unwrap();
        assert!(one == two, "{file} differs between -j1 and -j2");
    }
}

const MESSY: &str = "Id,FirstName,LastName,Email,MailingCountry,AccountId\r\n\
0031,Ann ,Lee,mailto:ann@acme.com,United States,001a0000006vm9riac\r\n\
0032,Bo,Ray,bo@gmial.com,USA,001A0000006Vm9rIAC\r\n\
0033,N/A,Kim,kim@acme.com,United States,001A0000006Vm9rIAC\r\n\
0034,Cy,Roe,\"Cy Roe <cy@acme.com>\",United States,001A0000006Vm9rIAC\r\n";

#[test]
fn update_files_carry_only_the_changed_records_and_columns() {
    let w = Workdir::new();
    w.write("contacts.csv", MESSY);
    fix(
        &w,
        &["contacts.csv"],
        "sf",
        &["--object", "contact", "--update-file", "salesforce"],
    );
    // A CRLF line ending is no stray whitespace, and the cleaned copy keeps one field
    // per column.
    let text = std::fs::read_to_string(w.path("sf/contacts.csv")).unwrap();
    assert_eq!(
        text.matches("\r\n").count(),
        5,
        "CRLF line endings kept:\n{text}"
    );
    let cleaned = rows(&w.path("sf/contacts.csv"));
    assert_eq!(cleaned[1]["AccountId"], "001A0000006Vm9rIAC");
    assert_eq!(cleaned[0]["FirstName"], "Ann");
    assert_eq!(cleaned[0]["Email"], "ann@acme.com");
    assert_eq!(cleaned[0]["AccountId"], "001A0000006Vm9rIAC");
    assert_eq!(cleaned[3]["Email"], "cy@acme.com");
    let update = std::fs::read_to_string(w.path("sf/contacts.salesforce-update.csv")).unwrap();
    assert_eq!(
        update,
        "Id,FirstName,Email,MailingCountry,AccountId\n\
         0031,Ann,ann@acme.com,,001A0000006Vm9rIAC\n\
         0032,,,United States,\n\
         0033,#N/A,,,\n\
         0034,,cy@acme.com,,\n"
    );
    fix(
        &w,
        &["contacts.csv"],
        "hs",
        &["--object", "contact", "--update-file", "hubspot"],
    );
    let update = std::fs::read_to_string(w.path("hs/contacts.hubspot-update.csv")).unwrap();
    assert!(
        !update.contains("0033"),
        "a blanking fix in a HubSpot file:\n{update}"
    );
    // The unsafe typo fix waits for --unsafe-fixes.
    assert!(!update.contains("gmail.com"));
    fix(
        &w,
        &["contacts.csv"],
        "generic",
        &[
            "--object",
            "contact",
            "--update-file",
            "generic",
            "--unsafe-fixes",
        ],
    );
    let update = std::fs::read_to_string(w.path("generic/contacts.generic-update.csv")).unwrap();
    assert!(update.starts_with("Id,field,value\n"));
    assert!(update.contains("0032,Email,bo@gmail.com\n"));
    assert!(update.contains("0033,FirstName,\n"));
    // The input is never modified.
    assert_eq!(
        std::fs::read_to_string(w.path("contacts.csv")).unwrap(),
        MESSY
    );
}

#[test]
fn diff_writes_nothing_and_exits_1_when_there_are_changes() {
    let w = Workdir::new();
    w.write("contacts.csv", MESSY);
    let out = w.run(&["fix", "contacts.csv", "--object", "contact", "--diff"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.starts_with("--- contacts.csv\n+++ contacts.csv (fixed)\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-Email: mailto:ann@acme.com\n+Email: ann@acme.com\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("gmail.com"),
        "an unsafe fix shown as applied:\n{diff}"
    );
    let entries: Vec<_> = std::fs::read_dir(w.dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "--diff wrote files");

    w.write(
        "clean.csv",
        "Id,FirstName,LastName,Email\n1,Ann,Lee,ann@acme-corp.com\n",
    );
    let out = w.run(&["fix", "clean.csv", "--diff"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[test]
fn fix_refuses_stdin_a_missing_out_and_an_out_that_would_replace_an_input() {
    let w = Workdir::new();
    w.write("contacts.csv", MESSY);
    let out = w.run(&["fix", "contacts.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--out DIR"), "{}", stderr(&out));
    let out = w.run(&["fix", "-", "--out", "o"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("stdin"), "{}", stderr(&out));
    // The cleaned copy of ./contacts.csv in `.` would be the input itself.
    let out = w.run(&["fix", "contacts.csv", "--out", "."]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert_eq!(
        std::fs::read_to_string(w.path("contacts.csv")).unwrap(),
        MESSY
    );
}

#[test]
fn cleaned_copies_keep_what_has_no_fix() {
    let w = Workdir::new();
    // A ragged row after a stray quote, an undecodable byte, a CRLF file.
    let mut input: Vec<u8> = b"Id,FirstName,LastName,Email,MailingCountry\r\n".to_vec();
    input.extend_from_slice(b"1,Ann ,Lee,ann@acme.com,USA\r\n");
    input.extend_from_slice(b"2,Bo,\"Ray, Inc ,bo@acme.com,USA\r\n");
    input.extend_from_slice(b"3,Caf\xe9 ,Roe,cy@acme.com,United States\r\n");
    // UTF-8 elsewhere: the file is read as UTF-8, the byte above is no text.
    for i in 4..8 {
        input.extend_from_slice(format!("{i},Zoë,Fox,d{i}@acme.com,United States\r\n").as_bytes());
    }
    w.write("contacts.csv", &input);
    fix(&w, &["contacts.csv"], "out", &["--object", "contact"]);
    let out = std::fs::read(w.path("out/contacts.csv")).unwrap();
    let text = String::from_utf8_lossy(&out);
    // Record 1 is fixed; the row after the stray quote and the undecodable one are not.
    assert!(
        text.contains("1,Ann,Lee,ann@acme.com,United States\r\n"),
        "{text}"
    );
    assert!(
        out.windows(6).any(|w| w == b"Caf\xe9 ,"),
        "the undecodable byte was rewritten:\n{text}"
    );
    let changes = rows(&w.path("out/changes.csv"));
    assert!(changes.iter().all(|c| c["record_id"] == "1"), "{changes:?}");

    // An audit into the folder, of a file the fix wrote there, is refused: the commit
    // would remove it.
    let audit = w.run(&["audit", "out/contacts.csv", "--out", "out"]);
    assert_eq!(code(&audit), 2, "{}", stdout(&audit));
    assert!(w.path("out/contacts.csv").is_file());
}

#[test]
fn update_files_never_take_another_files_name() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("x")).unwrap();
    std::fs::create_dir(w.path("y")).unwrap();
    w.write("x/contacts.csv", MESSY);
    w.write("y/contacts.salesforce-update.csv", MESSY);
    fix(
        &w,
        &["x/contacts.csv", "y/contacts.salesforce-update.csv"],
        "o",
        &["--object", "contact", "--update-file", "salesforce"],
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("o/manifest.json")).unwrap()).unwrap();
    let mut names: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all, "a name written twice: {names:?}");
    assert_eq!(rows(&w.path("o/contacts.salesforce-update.csv")).len(), 4);
}
