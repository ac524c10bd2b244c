//! Duplicate detection end to end: accuracy bars on FEBRL 2 and on generated CRM
//! contacts (with colleagues as hard negatives), determinism, explanations, labels.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn crmaudit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn febrl2() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/febrl/febrl2.csv")
        .display()
        .to_string()
}

fn generated(dir: &Path, contacts: &str) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_crmaudit-gen"))
        .current_dir(dir)
        .args([
            "--out",
            "gen",
            "--contacts",
            contacts,
            "--seed",
            "21",
            "--labels",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    dir.join("gen/contacts.csv")
}

#[test]
fn febrl2_pairwise_f1_stays_above_0_995() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&crmaudit(
        dir.path(),
        &[
            "dedupe",
            &febrl2(),
            "--object",
            "contact",
            "--labels-column",
            "entity_id",
            "-f",
            "json",
        ],
    ));
    let e = &v["duplicates"]["evaluation"];
    assert_eq!(e["true_pairs"], 1934);
    assert!(e["f1"].as_f64().unwrap() >= 0.995, "{e}");
    assert!(e["precision"].as_f64().unwrap() >= 0.995, "{e}");
    assert!(e["clusters"]["f1"].as_f64().unwrap() >= 0.995, "{e}");
}

#[test]
fn generated_crm_contacts_keep_colleagues_apart() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = generated(dir.path(), "8000");
    let contacts = contacts.display().to_string();
    let v = json(&crmaudit(
        dir.path(),
        &[
            "dedupe",
            &contacts,
            "--labels-column",
            "EntityId",
            "-f",
            "json",
        ],
    ));
    let e = &v["duplicates"]["evaluation"];
    assert!(e["f1"].as_f64().unwrap() >= 0.95, "{e}");
    assert!(e["clusters"]["f1"].as_f64().unwrap() >= 0.95, "{e}");
    let group = &v["duplicates"]["groups"][0];
    assert!(
        group["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "workplace"),
        "{}",
        group["fields"]
    );
    // Blocking never compares all pairs.
    assert!(group["pairs_compared"].as_u64().unwrap() < 8000 * 20);
}

#[test]
fn same_report_whatever_the_thread_count_and_labels_never_match() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = generated(dir.path(), "3000").display().to_string();
    let mut outputs = Vec::new();
    for (threads, labels) in [("1", true), ("4", true), ("2", false)] {
        let out_dir = format!("out-{threads}-{labels}");
        let mut args = vec![
            "dedupe",
            contacts.as_str(),
            "-j",
            threads,
            "--out",
            &out_dir,
        ];
        if labels {
            args.extend(["--labels-column", "EntityId"]);
        }
        assert_eq!(crmaudit(dir.path(), &args).status.code(), Some(0));
        let read = |f: &str| std::fs::read(dir.path().join(&out_dir).join(f)).unwrap();
        outputs.push((read("pairs.csv"), read("clusters.csv"), read("report.json")));
    }
    assert_eq!(outputs[0], outputs[1], "thread count changed the output");
    // Without labels only the evaluation differs: pairs and clusters are the same.
    assert_eq!(
        (&outputs[0].0, &outputs[0].1),
        (&outputs[2].0, &outputs[2].1)
    );
}

#[test]
fn every_link_is_explained_by_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = generated(dir.path(), "2000").display().to_string();
    assert_eq!(
        crmaudit(dir.path(), &["dedupe", &contacts, "--out", "out"])
            .status
            .code(),
        Some(0)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    let group = &report["duplicates"]["groups"][0];
    let prior = group["model"]["prior_weight"].as_f64().unwrap();
    let threshold = group["thresholds"]["match"].as_f64().unwrap();
    let fields: Vec<String> = group["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    let mut rdr = csv::Reader::from_path(dir.path().join("out/pairs.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut rows = 0;
    for row in rdr.records() {
        let row = row.unwrap();
        rows += 1;
        let weight: f64 = row[col("match_weight")].parse().unwrap();
        let sum: f64 = fields
            .iter()
            .map(|f| row[col(&format!("{f}_weight"))].parse::<f64>().unwrap())
            .sum();
        assert!(
            (prior + sum - weight).abs() < 0.01 * fields.len() as f64,
            "row {rows}: {prior} + {sum} != {weight}"
        );
        let p: f64 = row[col("match_probability")].parse().unwrap();
        assert_eq!(
            row[col("decision")] == *"match",
            p >= threshold,
            "row {rows}"
        );
        assert!(!row[col("blocking_rule")].is_empty());
    }
    assert!(rows > 50);
    // Every clustered record appears in clusters.csv with its survivor.
    let clusters = std::fs::read_to_string(dir.path().join("out/clusters.csv")).unwrap();
    assert!(
        clusters
            .starts_with("cluster,object,input,record_id,line,size,survivor,survivor_id,run_id\n")
    );
    assert!(clusters.lines().skip(1).any(|l| l.contains(",true,")));
}

#[test]
fn audit_runs_fuzzy_duplicates_when_selected() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = generated(dir.path(), "1500").display().to_string();
    let plain = json(&crmaudit(
        dir.path(),
        &["audit", &contacts, "-f", "json", "--out", "plain"],
    ));
    assert!(plain.get("duplicates").is_none());
    assert!(plain["findings_by_code"].get("DU003").is_none());
    assert!(!dir.path().join("plain/pairs.csv").exists());

    let v = json(&crmaudit(
        dir.path(),
        &[
            "audit",
            &contacts,
            "--extend-select",
            "DU",
            "-f",
            "json",
            "--out",
            "dups",
        ],
    ));
    assert!(v["findings_by_code"]["DU003"]["count"].as_u64().unwrap() > 50);
    assert!(dir.path().join("dups/pairs.csv").exists());
    assert!(dir.path().join("dups/clusters.csv").exists());
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DU003")
        .unwrap();
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("duplicate of") && message.contains("strongest link"),
        "{message}"
    );
}
