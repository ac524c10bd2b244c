//! The gate end to end: two nightly runs with a history (the second with planted
//! regressions), dataset conditions, downstream reports and their roll-up through
//! references, baselines.

mod common;

use common::{Workdir, code, stderr, stdout};

/// One downstream report's entry of `report.json`'s `fitness`.
fn report_fitness(report: &serde_json::Value, name: &str) -> serde_json::Value {
    report["fitness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no report `{name}`"))
        .clone()
}

fn rows(path: &std::path::Path) -> Vec<csv::StringRecord> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    r.records().map(Result::unwrap).collect()
}

/// Blanks every 15th email, corrupts every 20th phone and overwrites one field on every
/// record (a bulk import), keeping everything else as it was.
fn regress(path: &std::path::Path) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (email, phone, source) = (col("Email"), col("Phone"), col("LeadSource"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(&header).unwrap();
    for (i, r) in records.iter().enumerate() {
        let mut fields: Vec<String> = r.iter().map(str::to_owned).collect();
        if (i + 1) % 15 == 0 {
            fields[email].clear();
        }
        if (i + 1) % 20 == 0 {
            fields[phone] = "555-01".into();
        }
        fields[source] = "Import 2026-12".into();
        w.write_record(&fields).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn two_nightly_runs_pass_then_fail_and_name_what_changed() {
    let w = Workdir::new();
    let out = w.run(&[
        "generate",
        "--out",
        "n",
        "--contacts",
        "2000",
        "--seed",
        "7",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    w.write(
        "crmaudit.toml",
        "[gate.dataset]\nmax-quarantine-rate = 10\nmax-score-drop = 2\nmax-new-findings = 20\nmin-completeness = { Email = 80 }\n",
    );
    let args = [
        "audit",
        "n/accounts.csv",
        "n/contacts.csv",
        "n/deals.csv",
        "--history",
        "audit.db",
        "--fail-on",
        "never",
        "--format",
        "json",
    ];
    let first = w.run(&args);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let first: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert!(
        first.get("history").is_none(),
        "a first run has nothing to compare"
    );
    let max_drop = first["gate"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "max-score-drop")
        .unwrap();
    assert_eq!(max_drop["passed"], true);
    assert!(
        max_drop["detail"]
            .as_str()
            .unwrap()
            .contains("not measured")
    );

    regress(&w.path("n/contacts.csv"));
    let second = w.run(&args);
    assert_eq!(code(&second), 1, "{}", stderr(&second));
    let second: serde_json::Value = serde_json::from_str(&stdout(&second)).unwrap();
    let h = &second["history"];
    assert_eq!(h["previous_run"], 1);
    // The new findings are named by code: corrupted phones.
    assert!(h["new_findings"].as_u64().unwrap() >= 100, "{h}");
    assert!(h["new_by_code"]["PH002"].as_u64().unwrap() >= 90, "{h}");
    // Records moved class, with examples.
    let moved = &h["moved"];
    assert!(
        moved["newly_review"].as_u64().unwrap() + moved["newly_quarantined"].as_u64().unwrap() > 0,
        "{moved}"
    );
    assert!(!moved["examples"].as_array().unwrap().is_empty());
    // The overwritten field is found, and the blanked emails are a change too.
    let changed = h["changed_fields"].as_array().unwrap();
    let source = changed.iter().find(|f| f["field"] == "LeadSource").unwrap();
    assert_eq!(source["unusual"], true);
    assert_eq!(source["share"], 100.0);
    let email = changed.iter().find(|f| f["field"] == "Email").unwrap();
    assert_eq!(email["unusual"], false);
    // The failing condition is named with by how much.
    let failed: Vec<&serde_json::Value> = second["gate"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["name"], "max-new-findings");
    assert!(failed[0]["detail"].as_str().unwrap().contains("over"));

    // `crmaudit history` lists both runs and shows one.
    let list = w.run(&["history", "audit.db"]);
    assert_eq!(code(&list), 0, "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("| 2 |") && text.contains("| 1 |"), "{text}");
    let one = w.run(&["history", "audit.db", "2", "--format", "json"]);
    let one: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(one["run"]["passed"], false);
    // The human report says the same.
    let human = w.run(&args[..args.len() - 2]);
    let text = stdout(&human);
    assert!(text.contains("Since run 2"), "{text}");
    assert!(
        text.contains("FAIL max-new-findings") || text.contains("ok   max-new-findings"),
        "{text}"
    );
}

#[test]
fn a_deal_of_a_quarantined_account_is_not_fit_for_reports_by_account() {
    let w = Workdir::new();
    // The second account is a test record: its deal is out of pipeline by account.
    w.write(
        "Account.csv",
        "Id,Name,NumberOfEmployees\n001000000000001AAA,Acme,10\n001000000000002AAA,Test Account,40\n001000000000003AAA,Cog,5\n",
    );
    w.write(
        "Opportunity.csv",
        "Id,Name,AccountId,StageName,Amount,CloseDate,IsClosed,IsWon\n\
006000000000001AAA,Acme deal,001000000000001AAA,Prospecting,1000,2026-12-20,false,false\n\
006000000000002AAA,Bolt deal,001000000000002AAA,Prospecting,2500,2026-12-20,false,false\n\
006000000000003AAA,Cog deal,001000000000003AAA,Prospecting,500,2026-12-20,false,false\n",
    );
    let out = w.run(&[
        "audit",
        "Account.csv",
        "Opportunity.csv",
        "--out",
        "o",
        "--format",
        "json",
        "--as-of",
        "2026-12-01",
        "--severity",
        "FM004=error",
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let test_account = report["findings"].as_array().unwrap().iter().any(|f| {
        f["record_id"] == "001000000000002AAA" && f["code"].as_str().unwrap().starts_with("JK")
    });
    assert!(test_account, "{}", report["findings"]);
    let pipeline = report_fitness(&report, "pipeline");
    assert_eq!(pipeline["records"], 3);
    assert_eq!(pipeline["fit"], 2, "{pipeline}");
    assert_eq!(pipeline["excluded_by"]["roll-up: Account.csv"], 1);
    assert_eq!(pipeline["totals"]["open_amount"], 4000.0);
    assert_eq!(pipeline["totals"]["open_amount_fit"], 1500.0);
    // fitness.csv: one row per record, the deal of Bolt out of the pipeline.
    let fitness = rows(&w.path("o/fitness.csv"));
    assert_eq!(fitness.len(), 6);
    let header = csv::Reader::from_path(w.path("o/fitness.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let pipe = header.iter().position(|h| h == "pipeline").unwrap();
    let bolt = fitness
        .iter()
        .find(|r| &r[1] == "006000000000002AAA")
        .unwrap();
    assert_eq!(&bolt[pipe], "out: roll-up: Account.csv");
    let acme = fitness
        .iter()
        .find(|r| &r[1] == "006000000000001AAA")
        .unwrap();
    assert_eq!(&acme[pipe], "fit");
    // Accounts feed no pipeline: blank.
    let account = fitness
        .iter()
        .find(|r| &r[1] == "001000000000001AAA")
        .unwrap();
    assert_eq!(&account[pipe], "");
}

#[test]
fn report_sections_change_built_in_reports_and_add_new_ones() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\nc1,Ann,Lee,ann@@acmecorp.io\nc2,Bo,Ng,bo@acmecorp.io\n",
    );
    w.write(
        "crmaudit.toml",
        "[[report]]\nname = \"newsletter\"\nobjects = [\"contact\"]\nexclude = [\"EM\"]\n\n[[report]]\nname = \"outreach\"\nexclude = []\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--format", "json"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let by_name = |n: &str| report_fitness(&report, n);
    let newsletter = by_name("newsletter");
    assert_eq!(newsletter["records"], 2);
    assert_eq!(newsletter["fit"], 1, "{newsletter}");
    assert_eq!(by_name("outreach")["fit"], 2);

    // Mistakes are configuration errors at their position.
    w.write(
        "crmaudit.toml",
        "[[report]]\nname = \"x\"\nobjects = [\"contact\"]\nexclude = [\"ZZ999\"]\n\n[gate.dataset]\nmax-quarantine-rate = 150\n",
    );
    let bad = w.run(&["audit", "contacts.csv"]);
    assert_eq!(code(&bad), 2);
    let err = stderr(&bad);
    assert!(
        err.contains("crmaudit.toml:4:") && err.contains("ZZ999"),
        "{err}"
    );
    assert!(
        err.contains("crmaudit.toml:7:") && err.contains("max-quarantine-rate"),
        "{err}"
    );
}

#[test]
fn a_baseline_lets_ci_fail_on_new_findings_only() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\nc1,Ann,Lee,ann@@acmecorp.io\n",
    );
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--write-baseline",
        "baseline.json",
        "-q",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(code(&out), 1, "the warning fails the run: {}", stderr(&out));
    let baseline: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    assert!(!baseline["findings"].as_array().unwrap().is_empty());
    // Accepted: passes. The record moving to another line is the same finding.
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\nc0,Cy,Do,cy@acmecorp.io\nc1,Ann,Lee,ann@@acmecorp.io\n",
    );
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["new"] == false)
    );
    // A new finding fails it again.
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email\nc0,Cy,Do,cy@@acmecorp.io\nc1,Ann,Lee,ann@@acmecorp.io\n",
    );
    let out = w.run(&[
        "audit",
        "contacts.csv",
        "--baseline",
        "baseline.json",
        "-q",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(code(&out), 1);
    // A file that is no baseline is an input error.
    w.write("nope.json", "[1,2]");
    let out = w.run(&["audit", "contacts.csv", "--baseline", "nope.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nope.json"), "{}", stderr(&out));
}

#[test]
fn a_finding_counts_for_the_reports_that_read_its_field_even_beside_input_notices() {
    let w = Workdir::new();
    // LastName, required by default, is blank on every row (one notice about the
    // column, not 40 findings); one email is invalid.
    let mut csv = String::from("Id,FirstName,LastName,Email\n");
    for i in 0..40 {
        let email = if i == 3 {
            "bad@@acmecorp.io".to_owned()
        } else {
            format!("p{i}@acmecorp.io")
        };
        csv += &format!("c{i},Ann{},,{email}\n", char::from(b'a' + (i % 26) as u8));
    }
    w.write("contacts.csv", &csv);
    let out = w.run(&["audit", "contacts.csv", "--format", "json"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let input_level = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["record_id"] == "");
    assert!(
        input_level,
        "the test needs a finding about the whole input"
    );
    let by_name = |n: &str| report_fitness(&report, n);
    let outreach = by_name("outreach");
    assert_eq!(outreach["records"], 40);
    assert_eq!(outreach["fit"], 39, "{outreach}");
    // An invalid email does not distort conversion.
    let conversion = by_name("conversion");
    assert_eq!(conversion["fit"], 40, "{conversion}");
}

#[test]
fn only_the_main_phone_and_email_columns_decide_outreach() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "Id,FirstName,LastName,Email,Phone,OtherPhone,MailingCountry\n\
c1,Ann,Lee,ann@acmecorp.io,+1 650 253 0000,12,USA\n\
c2,Bo,Ng,bo@acmecorp.io,12,+1 650 253 0000,USA\n\
c3,Cy,Do,cy@acmecorp.io,+1 650 253 0001,+1 650 253 0002,USA\n",
    );
    let out = w.run(&["audit", "contacts.csv", "--out", "o", "-q"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let mut r = csv::Reader::from_path(w.path("o/fitness.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let col = header.iter().position(|h| h == "outreach").unwrap();
    let cells: Vec<(String, String)> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            (x[1].to_owned(), x[col].to_owned())
        })
        .collect();
    // A bad OtherPhone beside a good Phone still reaches the contact; a bad Phone does not.
    assert_eq!(
        cells,
        [
            ("c1".to_owned(), "fit".to_owned()),
            ("c2".to_owned(), "out: PH002".to_owned()),
            ("c3".to_owned(), "fit".to_owned())
        ]
    );
}

#[test]
fn a_grouped_report_is_read_but_a_wrong_delimiter_fails_the_gate() {
    let w = Workdir::new();
    // Accounts with their contacts: an account without contacts stops after its columns.
    let mut grouped = String::from("Account Name,Type,Phone,First Name,Last Name,Email\n");
    for i in 0..6 {
        if i % 3 == 0 {
            grouped +=
                &format!("Acme {i},Customer,+1 650 253 000{i},Ann,Lee{i},ann{i}@acmecorp.io\n");
        } else {
            grouped += &format!("Bolt {i},Prospect,+1 650 253 001{i}\n");
        }
    }
    w.write("grouped.csv", &grouped);
    let out = w.run(&["audit", "grouped.csv", "--format", "json"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let in008: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "IN008")
        .collect();
    assert_eq!(in008.len(), 1);
    assert_eq!(in008[0]["severity"], "info", "{}", in008[0]);
    // Read with the wrong delimiter, every row is one field: unusable, an error.
    w.write(
        "semi.csv",
        "Id,LastName,Email\n1;Lee;a@x.com\n2;Ray;b@x.com\n3;Kim;c@x.com\n",
    );
    let out = w.run(&["audit", "semi.csv", "--delimiter", ",", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let unusable = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "IN008")
        .unwrap();
    assert_eq!(unusable["severity"], "error");
}
