//! The documentation that lists checks stays in sync with the registry.

use crmaudit::checks::CheckSet;

/// `(code, name, default severity)` of each row of the README's check table.
fn readme_rows() -> Vec<(String, String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = *cells.get(1)?;
            let is_code = code.len() == 5
                && code[..2].bytes().all(|b| b.is_ascii_uppercase())
                && code[2..].bytes().all(|b| b.is_ascii_digit());
            is_code.then(|| (code.to_owned(), cells[2].to_owned(), cells[3].to_owned()))
        })
        .collect()
}

#[test]
fn readme_check_table_matches_the_registry() {
    let set = CheckSet::builtin();
    let registered: Vec<(String, String, String)> = set
        .entries()
        .iter()
        .map(|e| {
            let m = e.meta();
            (
                m.code.to_string(),
                m.name.to_string(),
                m.severity.as_str().to_owned(),
            )
        })
        .collect();
    let mut documented = readme_rows();
    documented.sort();
    assert_eq!(
        documented, registered,
        "README.md's check table (code | name | default severity) must list every check of the registry"
    );
}
