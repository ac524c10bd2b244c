//! Trust scores and classes end to end: every record in exactly one of `clean.csv`,
//! `review.csv`, `quarantine.csv` with its score and reasons, the counts in
//! `report.json`, and the `[score]`/`[gate]` tables of a rule file.

mod common;

use common::{Workdir, code, stderr};

const CONTACTS: &str = "Id,FirstName,LastName,Email\n\
1,Ann,Lee,ann@acme-corp.com\n\
2,Bo,Ray,n/a\n\
3,Cy,,cy@acme-corp.com\n\
4,Di,Fox,di@gmial.com\n";

fn rows(path: &std::path::Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_record_lands_in_exactly_one_class_file() {
    let w = Workdir::new();
    w.write("contacts.csv", CONTACTS);
    let out = w.run(&["audit", "contacts.csv", "--out", "o"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let mut ids = Vec::new();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("o/report.json")).unwrap()).unwrap();
    for class in ["clean", "review", "quarantine"] {
        let path = w.path(&format!("o/{class}.csv"));
        let header = csv::Reader::from_path(&path)
            .unwrap()
            .headers()
            .unwrap()
            .clone();
        assert_eq!(
            header.iter().collect::<Vec<_>>(),
            [
                "Id",
                "FirstName",
                "LastName",
                "Email",
                "trust_score",
                "reasons",
                "run_id"
            ]
        );
        let records = rows(&path);
        assert_eq!(
            report["summary"]["classes"][class].as_u64().unwrap() as usize,
            records.len(),
            "{class}"
        );
        ids.extend(
            records
                .iter()
                .map(|r| (r[0].to_owned(), class, r[4].to_owned(), r[5].to_owned())),
        );
    }
    ids.sort();
    let got: Vec<(&str, &str)> = ids.iter().map(|(id, c, _, _)| (id.as_str(), *c)).collect();
    // A blank last name is an error (CP001): quarantine. A placeholder email or a
    // misspelt domain is one warning: 85, clean above the review line of 80.
    assert_eq!(
        got,
        [
            ("1", "clean"),
            ("2", "clean"),
            ("3", "quarantine"),
            ("4", "clean")
        ]
    );
    assert_eq!(ids[0].2, "100.0");
    assert_eq!(ids[0].3, "");
    assert!(
        ids[2].3.contains("CP001 required-field-blank -40"),
        "{:?}",
        ids[2]
    );
    assert_eq!(report["summary"]["trust"]["review_below"], 80.0);
}

#[test]
fn the_rule_file_sets_penalties_and_thresholds() {
    let w = Workdir::new();
    w.write("contacts.csv", CONTACTS);
    w.write(
        "crmaudit.toml",
        "[score]\npenalty = { warning = 30 }\n[gate]\nreview-below = 90\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--out", "o"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let review: Vec<String> = rows(&w.path("o/review.csv"))
        .iter()
        .map(|r| r[0].to_owned())
        .collect();
    assert_eq!(review, ["2", "4"]);
    assert_eq!(rows(&w.path("o/review.csv"))[0][4].to_owned(), "70.0");

    w.write(
        "bad.toml",
        "[gate]\nreview-below = 40\nquarantine-below = 60\ncolour = 1\n",
    );
    let out = w.run(&["audit", "contacts.csv", "-c", "bad.toml"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(err.contains("quarantine-below"), "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn class_files_copy_records_as_they_stand_and_rows_that_do_not_fit_field_by_field() {
    let w = Workdir::new();
    // `;`, CRLF, quotes the export did not need, a note over two lines, a short row;
    // then enough plain records that most are read in chunks after the first batch.
    let mut input = "Id;FirstName;LastName;Description\r\n\
\"1\";\"Ann\";\"Lee\";\"first line\r\nsecond; line\"\r\n\
2;Bo;Ray;plain\r\n\
3;Cy\r\n"
        .to_owned();
    for i in 4..30_000 {
        input += &format!("{i};Name{i};Last{i};note {i}\r\n");
    }
    input += "30000;\"Quoted\";Late;\"a; b\"\r\n";
    w.write("contacts.csv", &input);
    let out = w.run(&["audit", "contacts.csv", "--out", "o", "-q"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let mut all = String::new();
    for class in ["clean", "review", "quarantine"] {
        all += &std::fs::read_to_string(w.path(&format!("o/{class}.csv"))).unwrap();
    }
    let run_id = serde_json::from_slice::<serde_json::Value>(
        &std::fs::read(w.path("o/report.json")).unwrap(),
    )
    .unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Quoted only where a field needs it, the line break kept; the score follows.
    assert!(
        all.contains("1;Ann;Lee;\"first line\r\nsecond; line\";100.0;;"),
        "{:?}",
        &all[..300]
    );
    assert!(all.contains(&format!("2;Bo;Ray;plain;100.0;;{run_id}\r\n")));
    // Records read late (copied as they stand) are written the same way.
    let late = all.lines().find(|l| l.starts_with("29999;")).unwrap();
    assert!(
        late.starts_with("29999;Name29999;Last29999;note 29999;"),
        "{late:?}"
    );
    assert!(late.ends_with(&format!(";{run_id}")), "{late:?}");
    let quoted = all.lines().find(|l| l.starts_with("30000;")).unwrap();
    assert!(
        quoted.starts_with("30000;Quoted;Late;\"a; b\";"),
        "{quoted:?}"
    );
    assert_eq!(
        all.matches(&run_id).count(),
        30_000 - 1 + 1,
        "every record once"
    );
    // The short row is padded to the header, its score in its column.
    let short = all.lines().find(|l| l.starts_with("3;")).unwrap();
    assert!(short.starts_with("3;Cy;;;"), "{short:?}");
    let score = short.split(';').nth(4).unwrap();
    assert!(score.parse::<f64>().is_ok(), "{short:?}");
    // Reasons with the delimiter in them are quoted.
    assert!(
        short.contains("\"CP001 required-field-blank -40; IN001 ragged-row -15\""),
        "{short:?}"
    );
}
