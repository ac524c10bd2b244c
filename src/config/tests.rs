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
    assert_eq!(s.severities.len(), 1);
    assert_eq!(s.severities[0].0.text, "CP003");
    assert_eq!(s.severities[0].1, Severity::Error);
    assert_eq!(s.selection.ignore.len(), 1);
    assert!(s.selection.select.is_none());
}

#[test]
fn syntax_errors_point_at_the_line() {
    let err = load_text("[checks]\nselect = [\"CP\"\n").unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    assert!(err.diagnostics[0].line >= 2, "{}", err.diagnostics[0]);
}

#[test]
fn extends_load_as_a_set_and_cycles_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap();
    };
    // A diamond: both branches extend `base.toml`, which is read once.
    write("base.toml", "[objects.contact]\nrequired = [\"email\"]\n");
    write("a.toml", "extends = [\"base.toml\"]\n");
    write("b.toml", "extends = [\"base.toml\"]\n");
    write(
        "top.toml",
        "extends = [\"a.toml\", \"b.toml\", \"a.toml\"]\n",
    );
    let s = Settings::load(Some(&dir.path().join("top.toml"))).unwrap();
    let files: Vec<&str> = s
        .sources
        .iter()
        .map(|f| f.rsplit('/').next().unwrap_or(f))
        .collect();
    assert_eq!(
        files,
        [
            "builtin:default",
            "base.toml",
            "a.toml",
            "b.toml",
            "top.toml"
        ]
    );

    // A file that extends itself through another is a cycle, reported once.
    write("x.toml", "extends = [\"y.toml\"]\n");
    write("y.toml", "extends = [\"x.toml\", \"x.toml\"]\n");
    let err = Settings::load(Some(&dir.path().join("x.toml"))).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let message = err.diagnostics[0].to_string();
    assert!(message.contains("`extends` cycle"), "{message}");
    assert!(message.contains("y.toml:1:"), "{message}");
}
