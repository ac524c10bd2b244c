//! The library's modules depend on each other one way only (CONTRIBUTING.md): no cycle
//! among the top-level modules, read from the `crate::` paths of `src/` (test modules
//! excluded).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module → the top-level modules it names with `crate::`.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        if top == "bin" || top == "main.rs" || top == "lib.rs" {
            continue;
        }
        let module = top.trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::declare_check` is a macro exported at the crate root by `checks`.
            if !name.is_empty() && name != module && name != "declare_check" {
                deps.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    deps
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let deps = dependencies();
    for (from, tos) in &deps {
        for to in tos {
            // Is `from` reachable from `to`?
            let mut stack = vec![to.clone()];
            let mut seen = BTreeSet::new();
            while let Some(m) = stack.pop() {
                assert!(
                    m != *from,
                    "import cycle: {from} uses {to}, which leads back to {from}\n{deps:#?}"
                );
                if seen.insert(m.clone()) {
                    stack.extend(deps.get(&m).into_iter().flatten().cloned());
                }
            }
        }
    }
}

#[test]
fn configuration_does_not_know_checks_and_reports_do_not_know_clap() {
    let deps = dependencies();
    assert!(!deps.get("config").is_some_and(|d| d.contains("checks")));
    let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report");
    let mut files = Vec::new();
    rust_files(&report, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("clap"), "{} uses clap", file.display());
    }
}
