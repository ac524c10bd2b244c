//! The machine-read formats validate against their schemas (SARIF 2.1.0, JUnit as CI
//! systems read it), the HTML report is self-contained, JSON Lines is one finding per
//! line, and --redact masks what it promises.

mod common;

use common::{Workdir, code, stderr, stdout};

const CONTACTS: &str = "Id,FirstName,LastName,Email,Phone,AccountId\n\
c1,Ann,Lee,ann.lee@example.com,+1 415 555 0101,a1\n\
c2,Bo,,bo@@example.com,12,a9\n\
c3,Zoë <b>,Ng,zoe@mailinator.com,\"+1 (415) 555-0199\",a1\n";
const ACCOUNTS: &str = "Id,Name,Phone\na1,Acme,+1 415 555 0100\na2,,n/a\n";

fn workdir() -> Workdir {
    let w = Workdir::new();
    w.write("contacts.csv", CONTACTS);
    w.write("accounts.csv", ACCOUNTS);
    w
}

fn audit(w: &Workdir, format: &str) -> String {
    let out = w.run(&["audit", "accounts.csv", "contacts.csv", "--format", format]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn sarif_validates_against_the_2_1_0_schema_and_locates_fields() {
    let w = workdir();
    let text = audit(&w, "sarif");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-2.1.0.json")).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif-2.1.0.json", schema).unwrap();
    let id = compiler.compile("sarif-2.1.0.json", &mut schemas).unwrap();
    if let Err(e) = schemas.validate(&doc, id) {
        panic!("SARIF output is not valid 2.1.0: {e:#}");
    }
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    // A finding on a field points at the field: the email of c2 starts at column 8 (`c2,Bo,,`).
    let email = results
        .iter()
        .find(|r| r["properties"]["record_id"] == "c2" && r["properties"]["field"] == "Email")
        .expect("a finding on c2's email");
    let region = &email["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 8);
}

#[test]
fn junit_validates_against_the_ant_junit_schema() {
    let w = workdir();
    let xml = audit(&w, "junit");
    assert!(xml.contains("<testsuites>"));
    // Every enabled check is a test case; the failing ones list their findings.
    let cases = xml.matches("<testcase ").count();
    let failures: usize = xml.matches("<failure ").count();
    assert!(cases > 20, "{cases} test cases");
    assert!(failures >= 2, "{xml}");
    assert!(xml.contains(&format!("failures=\"{failures}\"")));
    w.write("out.xml", &xml);
    match std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/schemas/JUnit.xsd"
        ))
        .arg(w.path("out.xml"))
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "junit output does not validate: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        // `.ci/run` installs xmllint; without it the structure is checked here.
        Err(_) => {
            eprintln!(
                "xmllint not found (apt-get install libxml2-utils): checked the structure only"
            );
            let doc = xml.replace('\n', "");
            assert!(doc.contains("<properties>"));
            assert!(doc.contains("hostname=\"localhost\""));
            assert!(
                doc.contains("<system-out></system-out><system-err></system-err>")
                    || doc.contains("<system-out></system-out>    <system-err></system-err>")
            );
        }
    }
}

#[test]
fn html_is_self_contained_and_escapes_values() {
    let w = workdir();
    let html = audit(&w, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
    ] {
        assert!(
            !html.contains(external),
            "the report references `{external}`"
        );
    }
    // Verdict first, then the sections a person reads.
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no `{s}`"));
    assert!(at("class=\"verdict") < at("Trust score distribution"));
    assert!(at("Trust score distribution") < at("Fit for downstream reports"));
    assert!(at("Findings by check") < at("Completeness per field"));
    assert!(html.contains("<svg"));
    // A value from the input never becomes markup.
    assert!(!html.contains("Zoë <b>"));
}

#[test]
fn jsonl_is_one_finding_per_line_with_the_run_id() {
    let w = workdir();
    let text = audit(&w, "jsonl");
    let json: serde_json::Value = serde_json::from_str(&audit(&w, "json")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), json["findings"].as_array().unwrap().len());
    for (line, finding) in lines.iter().zip(json["findings"].as_array().unwrap()) {
        assert_eq!(line["run_id"], json["run_id"]);
        assert_eq!(line["code"], finding["code"]);
        assert_eq!(line["record_id"], finding["record_id"]);
    }
}

#[test]
fn redact_masks_emails_phones_and_names_in_reports_but_not_in_class_files() {
    let w = workdir();
    let out = w.run(&[
        "audit",
        "accounts.csv",
        "contacts.csv",
        "--redact",
        "--out",
        "o",
        "-q",
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty(),
        "-q prints nothing: {}",
        stdout(&out)
    );
    for name in ["report.json", "findings.csv", "summary.md", "report.html"] {
        let text = std::fs::read_to_string(w.path(&format!("o/{name}"))).unwrap();
        for secret in [
            "bo@@example.com",
            "zoe@mailinator.com",
            "555-0199",
            "555 0101",
        ] {
            assert!(!text.contains(secret), "{name} shows `{secret}`");
        }
    }
    let findings = std::fs::read_to_string(w.path("o/findings.csv")).unwrap();
    assert!(findings.contains("z***@m***.com"), "{findings}");
    // The class files are the CRM's data: whole.
    let mut classes = String::new();
    for class in ["clean", "review", "quarantine"] {
        classes += &std::fs::read_to_string(w.path(&format!("o/contacts.{class}.csv"))).unwrap();
    }
    assert!(classes.contains("zoe@mailinator.com"));
}

#[test]
fn bom_option_starts_the_csv_reports_with_a_byte_order_mark() {
    let w = workdir();
    let out = w.run(&["audit", "contacts.csv", "--out", "o", "--bom", "-q"]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    for name in ["findings.csv", "fitness.csv"] {
        let bytes = std::fs::read(w.path(&format!("o/{name}"))).unwrap();
        assert!(bytes.starts_with(b"\xef\xbb\xbf"), "{name}");
    }
    let plain = w.run(&["audit", "contacts.csv", "--out", "p", "-q"]);
    assert!(code(&plain) <= 1);
    assert!(
        !std::fs::read(w.path("p/findings.csv"))
            .unwrap()
            .starts_with(b"\xef")
    );
}
