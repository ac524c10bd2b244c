use std::io::Write;

use super::*;

fn load_text(text: &str) -> Result<Settings, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crmaudit.toml");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    Settings::load(Some(&path)).map_err(|mut e| {
        for d in &mut e.diagnostics {
            d.file = d.file.replace(&dir.path().display().to_string(), "[TMP]");
        }
        e
    })
}

#[test]
fn builtin_packs_are_valid() {
    for (name, _) in BUILTIN_PACKS {
        let text = format!("extends = [\"builtin:{name}\"]\n");
        let settings = load_text(&text).unwrap_or_else(|e| panic!("builtin:{name}: {e}"));
        assert!(
            settings
                .sources
                .iter()
                .any(|s| s == &format!("builtin:{name}"))
        );
    }
}

#[test]
fn layers_override_and_merge() {
    let s = load_text(
        r#"
extends = ["builtin:salesforce"]
[checks]
ignore = ["DU"]
[checks.severity]
CP003 = "error"
[objects.contact]
required = ["last_name", "Email"]
[objects.deal.allowed]
type = ["A", "B"]
"#,
    )
    .unwrap();
    assert_eq!(s.sources[..2], ["builtin:default", "builtin:salesforce"]);
    assert!(s.sources[2].ends_with("crmaudit.toml"));
    let contact = s.object_rules(ObjectType::Contact).unwrap();
    assert_eq!(
        contact.required,
        vec![FieldRef::Role(Role::LastName), FieldRef::Role(Role::Email)]
    );
    // The pack's stage list stays; the file's type list replaces the pack's.
    let deal = s.object_rules(ObjectType::Deal).unwrap();
    assert!(deal.allowed.contains_key(&FieldRef::Role(Role::Stage)));
    assert_eq!(
        deal.allowed[&FieldRef::Role(Role::Type)],
        vec!["A".to_owned(), "B".to_owned()]
    );
    assert_eq!(s.severity_of("CP003"), Some(Severity::Error));
    let du = registry::position("DU001").unwrap();
    assert!(!s.enabled[du]);
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
fn syntax_errors_point_at_the_line() {
    let err = load_text("[checks]\nselect = [\"CP\"\n").unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    assert!(err.diagnostics[0].line >= 2, "{}", err.diagnostics[0]);
}
