//! Run configuration: every problem of every stage (rule files, check set, duplicate
//! settings) reported together, with positions.

use std::io::Write;

use super::*;

fn load_text(text: &str) -> Result<RunConfig, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crmaudit.toml");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    RunConfig::load(Some(&path)).map_err(|mut e| {
        for d in &mut e.diagnostics {
            d.file = d.file.replace(&dir.path().display().to_string(), "[TMP]");
        }
        e
    })
}

#[test]
fn reports_every_problem_with_its_position() {
    let err = load_text(
        r#"extends = ["builtin:nope"]
as-of = "yesterday"
[checks]
selct = ["CP"]
ignore = ["ZZ999"]
[checks.severity]
CP001 = "fatal"
XX001 = "error"
[objects.contact]
required = "last_name"
pattern = { postcode = '(\d{5' }
[objects.spaceship]
required = []
[columns.contact]
emial = "E-mail"
"#,
    )
    .unwrap_err();
    let rendered: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn check_options_are_validated_by_their_check() {
    let err = load_text(
        r#"[checks.allowed-value-variant]
max-edits = 7
max-edit = 1
[checks.invalid-salesforce-id]
mode = "sometimes"
[checks.ragged-row]
limit = 3
[duplicates.contact]
block = [["email"], ["surname"]]
threshold = { match = 0.5, review = 0.8 }
"#,
    )
    .unwrap_err();
    let rendered: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn severities_remember_where_they_were_set() {
    let config = load_text("[checks.severity]\nCP003 = \"error\"\n").unwrap();
    let (_, entry) = config.checks.find("CP003").unwrap();
    assert_eq!(entry.severity, Severity::Error);
    let source = entry.severity_source.to_string();
    assert!(source.ends_with("crmaudit.toml:2:1"), "{source}");
    let (_, default) = config.checks.find("CP001").unwrap();
    assert_eq!(default.severity_source.to_string(), "default");
}
