//! The run's compiled check set: every built-in check (and, later, every user rule) in
//! code order, each with whether it runs, its effective severity, where both were
//! decided, and its options read from the rule files.
//!
//! Findings name their check by position in this set ([`CheckId`]); reports look the
//! code, name and docs up here. Selectors (`ALL`, `CP`, `FM003`, `allowed-value-variant`)
//! are resolved here, against the checks that exist, so an unknown code is reported at
//! the rule-file line or flag that wrote it.

use std::ops::Deref;

use super::registry::CHECKS;
use super::{AnyOptions, CheckMeta, DynCheck, Scope};
use crate::config::{ConfigError, Diagnostic, OptionTable, Origin, Selector, Settings, closest};
use crate::finding::{CheckId, Severity};

/// Keys of `[checks]` that are not check names.
const RESERVED: &[&str] = &[
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "severity",
];

enum CheckRef {
    Builtin(&'static dyn DynCheck),
    Owned(Box<dyn DynCheck>),
}

impl Deref for CheckRef {
    type Target = dyn DynCheck;

    fn deref(&self) -> &(dyn DynCheck + 'static) {
        match self {
            CheckRef::Builtin(c) => *c,
            CheckRef::Owned(c) => c.as_ref(),
        }
    }
}

/// One check of the run.
pub struct CheckEntry {
    check: CheckRef,
    /// Whether the check runs.
    pub enabled: bool,
    /// What enabled or disabled it.
    pub selected_by: Origin,
    pub severity: Severity,
    /// Where the severity was set.
    pub severity_source: Origin,
    options: Box<AnyOptions>,
}

impl CheckEntry {
    pub fn meta(&self) -> &CheckMeta {
        self.check.meta()
    }

    pub fn check(&self) -> &dyn DynCheck {
        &*self.check
    }

    pub fn options(&self) -> &AnyOptions {
        self.options.as_ref()
    }
}

impl std::fmt::Debug for CheckEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckEntry")
            .field("code", &self.meta().code)
            .field("enabled", &self.enabled)
            .field("severity", &self.severity)
            .finish()
    }
}

/// The checks of one run, in code order.
#[derive(Debug)]
pub struct CheckSet {
    entries: Vec<CheckEntry>,
}

impl CheckSet {
    /// Compiles the built-in checks and `extra` (user rules) with the settings'
    /// selection, severities and options. Every problem is collected.
    pub fn compile(
        settings: &Settings,
        extra: Vec<Box<dyn DynCheck>>,
    ) -> Result<CheckSet, ConfigError> {
        let mut diagnostics = Vec::new();
        let set = CheckSet::compile_collecting(settings, extra, &mut diagnostics);
        if diagnostics.is_empty() {
            Ok(set)
        } else {
            Err(ConfigError::sorted(diagnostics))
        }
    }

    /// Like [`CheckSet::compile`], adding problems to `diagnostics` and returning the set
    /// as far as it could be built.
    pub fn compile_collecting(
        settings: &Settings,
        extra: Vec<Box<dyn DynCheck>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> CheckSet {
        let mut entries: Vec<CheckEntry> = CHECKS
            .iter()
            .map(|c| CheckRef::Builtin(*c))
            .chain(extra.into_iter().map(CheckRef::Owned))
            .map(|check| {
                let meta = check.meta();
                CheckEntry {
                    // Without `select`, every check runs except duplicate detection's,
                    // which is heavier, and opt-in policies: they run when selected.
                    enabled: settings.selection.select.is_none()
                        && meta.scope != Scope::Duplicates
                        && !meta.opt_in,
                    selected_by: Origin::Default,
                    severity: meta.severity,
                    severity_source: Origin::Default,
                    options: check.default_options(),
                    check,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.meta().code.cmp(&b.meta().code));
        let mut set = CheckSet { entries };

        let selection = &settings.selection;
        if let Some(select) = &selection.select {
            set.select(select, true, diagnostics);
        }
        set.select(&selection.extend_select, true, diagnostics);
        set.select(&selection.ignore, false, diagnostics);

        for (selector, severity) in &settings.severities {
            match set.resolve(&selector.text) {
                Some(ids) => {
                    for id in ids {
                        let entry = &mut set.entries[id.index()];
                        entry.severity = *severity;
                        entry.severity_source = selector.origin.clone();
                    }
                }
                None => diagnostics.push(unknown_selector(selector)),
            }
        }

        for raw in &settings.check_options {
            let found = set
                .entries
                .iter_mut()
                .find(|e| e.meta().name == raw.name.as_str());
            match found {
                Some(entry) => {
                    let section = format!("[checks.{}]", raw.name);
                    let mut table =
                        OptionTable::new(&raw.layer, section, raw.item.clone(), diagnostics);
                    entry
                        .check
                        .apply_options(entry.options.as_mut(), &mut table);
                }
                None => {
                    let names: Vec<&str> = RESERVED
                        .iter()
                        .copied()
                        .chain(CHECKS.iter().map(|c| c.meta().name.as_ref()))
                        .collect();
                    let hint = closest(&raw.name, &names)
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    diagnostics.push(raw.layer.diagnostic(
                        raw.at,
                        format!(
                            "unknown key `{}` in [checks]{hint} (expected {}, or a check name: `crmaudit rules` lists them)",
                            raw.name,
                            RESERVED.join(", ")
                        ),
                    ));
                }
            }
        }
        set
    }

    /// The built-in checks with their defaults (docs, listings, tests).
    pub fn builtin() -> CheckSet {
        CheckSet::compile_collecting(&Settings::builtin(), Vec::new(), &mut Vec::new())
    }

    fn select(&mut self, selectors: &[Selector], on: bool, diagnostics: &mut Vec<Diagnostic>) {
        for selector in selectors {
            match self.resolve(&selector.text) {
                Some(ids) => {
                    for id in ids {
                        let entry = &mut self.entries[id.index()];
                        entry.enabled = on;
                        entry.selected_by = selector.origin.clone();
                    }
                }
                None => diagnostics.push(unknown_selector(selector)),
            }
        }
    }

    /// The checks a selector names: `ALL`, a code prefix (`CP`, `FM00`), a code or a
    /// name. `None` when it names none.
    pub fn resolve(&self, selector: &str) -> Option<Vec<CheckId>> {
        let s = selector.trim();
        if s.is_empty() {
            return None;
        }
        let upper = s.to_ascii_uppercase();
        let ids: Vec<CheckId> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let m = e.meta();
                upper == "ALL" || m.code.starts_with(&upper) || m.name == s
            })
            .map(|(i, _)| id(i))
            .collect();
        (!ids.is_empty()).then_some(ids)
    }

    pub fn entries(&self) -> &[CheckEntry] {
        &self.entries
    }

    pub fn get(&self, id: CheckId) -> &CheckEntry {
        &self.entries[id.index()]
    }

    pub fn meta(&self, id: CheckId) -> &CheckMeta {
        self.entries[id.index()].meta()
    }

    /// The check with this code or name.
    pub fn find(&self, code_or_name: &str) -> Option<(CheckId, &CheckEntry)> {
        self.entries.iter().enumerate().find_map(|(i, e)| {
            let m = e.meta();
            (m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
                .then_some((id(i), e))
        })
    }

    /// The enabled checks of a scope.
    pub fn enabled(&self, scope: Scope) -> impl Iterator<Item = (CheckId, &CheckEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.enabled && e.meta().scope == scope)
            .map(|(i, e)| (id(i), e))
    }
}

fn id(index: usize) -> CheckId {
    CheckId(u16::try_from(index).unwrap_or(u16::MAX))
}

fn unknown_selector(selector: &Selector) -> Diagnostic {
    selector
        .origin
        .diagnostic(format!("unknown check code or name `{}`", selector.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_prefix_code_and_name() {
        let set = CheckSet::builtin();
        assert_eq!(set.resolve("ALL").unwrap().len(), set.entries().len());
        let cp = set.resolve("CP").unwrap();
        assert!(cp.iter().all(|i| set.meta(*i).code.starts_with("CP")));
        assert_eq!(set.resolve("fm003").unwrap().len(), 1);
        assert_eq!(set.resolve("required-field-blank").unwrap().len(), 1);
        assert_eq!(set.resolve("ZZ999"), None);
        assert_eq!(set.resolve(""), None);
    }

    #[test]
    fn entries_are_in_code_order() {
        let set = CheckSet::builtin();
        let codes: Vec<&str> = set
            .entries()
            .iter()
            .map(|e| e.meta().code.as_ref())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }
}
