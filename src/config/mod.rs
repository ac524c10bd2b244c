//! Rule files: loading, layering and validation into [`Settings`].
//!
//! Layering order: the embedded `builtin:default` pack, then each `extends` entry of the
//! rule file (recursively, in order), then the rule file itself, then command-line
//! flags. Within a layer, a scalar or list replaces what an earlier layer set and a
//! table merges key by key. All problems of all layers are collected with file, line and
//! column before anything is used (DESIGN.md §4): nothing is half-applied.

mod diagnostic;
mod parse;
pub mod selector;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;

pub use self::diagnostic::{ConfigError, Diagnostic};
use crate::checks::registry;
use crate::dedupe::blocking::BlockingRule;
use crate::finding::Severity;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::locale::{Date, DateOrder, DecimalSeparator};

/// Built-in rule packs, embedded in the binary.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("default", include_str!("../../rules/default.toml")),
    ("salesforce", include_str!("../../rules/salesforce.toml")),
    ("hubspot", include_str!("../../rules/hubspot.toml")),
    ("russian", include_str!("../../rules/russian.toml")),
];

/// The date that time-relative rules measure against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AsOf {
    /// The newest timestamp in the export (reproducible).
    #[default]
    Export,
    /// The wall clock at run time.
    Today,
    Date(Date),
}

/// A column named in a rule file: by role (`close_date`) or by header (`Close Date`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldRef {
    Role(Role),
    Header(String),
}

impl FieldRef {
    pub fn parse(s: &str) -> FieldRef {
        match Role::parse(s) {
            Some(role) => FieldRef::Role(role),
            None => FieldRef::Header(s.trim().to_owned()),
        }
    }
}

impl std::fmt::Display for FieldRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldRef::Role(r) => f.write_str(r.as_str()),
            FieldRef::Header(h) => f.write_str(h),
        }
    }
}

/// When a conditionally required field is required.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The other field's value is one of these (compared case- and space-insensitively).
    In(Vec<String>),
    /// The other field has a value that is not one of these.
    NotIn(Vec<String>),
    /// The other field has any value.
    Present,
    /// The other field reads as a true boolean.
    IsTrue,
}

#[derive(Debug, Clone)]
pub struct ConditionalRequirement {
    pub field: FieldRef,
    pub when: FieldRef,
    pub condition: Condition,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ValueRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub regex: Regex,
    pub message: Option<String>,
}

/// Per-object data rules (`[objects.<object>]`).
#[derive(Debug, Clone, Default)]
pub struct ObjectRules {
    pub required: Vec<FieldRef>,
    pub required_when: Vec<ConditionalRequirement>,
    pub allowed: BTreeMap<FieldRef, Vec<String>>,
    pub range: BTreeMap<FieldRef, ValueRange>,
    pub pattern: BTreeMap<FieldRef, Pattern>,
    pub unique: Vec<FieldRef>,
}

/// Per-input reader settings (`[input."<file name>"]`).
#[derive(Debug, Clone, Default)]
pub struct InputSettings {
    pub object: Option<ObjectType>,
    pub id_column: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalSeparator>,
}

/// How Salesforce ids are validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SalesforceIdMode {
    /// Only columns whose sampled values look like Salesforce ids.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options of individual checks (`[checks.<check-name>]`).
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Values treated as placeholders in every text column (compared folded).
    pub placeholder_values: Vec<String>,
    /// Placeholders per role, on top of `placeholder_values`.
    pub placeholder_by_role: BTreeMap<Role, Vec<String>>,
    /// Edits (insert, delete, substitute, transpose) allowed for a near-miss picklist value.
    pub allowed_max_edits: usize,
    pub salesforce_ids: SalesforceIdMode,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            placeholder_values: Vec::new(),
            placeholder_by_role: BTreeMap::new(),
            allowed_max_edits: 1,
            salesforce_ids: SalesforceIdMode::Auto,
        }
    }
}

/// Duplicate matching for one object type (`[duplicates.<object>]`).
#[derive(Debug, Clone)]
pub struct DuplicateSettings {
    /// Blocking rules; `None` means the defaults for the object type.
    pub block: Option<Vec<BlockingRule>>,
    /// Pairs at or above this match probability are duplicates (and clustered).
    pub match_probability: f64,
    /// Pairs between this and the match probability are listed for review; below it, a
    /// compared pair is evidence that two records differ.
    pub review_probability: f64,
    /// Blocks larger than this are skipped (and counted).
    pub max_block_size: usize,
    pub max_cluster_size: usize,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings {
            block: None,
            match_probability: 0.9,
            review_probability: 0.5,
            max_block_size: 1000,
            max_cluster_size: 50,
        }
    }
}

/// The validated configuration of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The layers that were loaded, in order (`builtin:default`, `crmaudit.toml`, …).
    pub sources: Vec<String>,
    /// Enabled flag per check, by registry position.
    pub enabled: Vec<bool>,
    /// Severity per check, by registry position (defaults, then overrides).
    pub severity: Vec<Severity>,
    pub as_of: AsOf,
    pub inputs: BTreeMap<String, InputSettings>,
    pub columns: BTreeMap<ObjectType, BTreeMap<Role, Vec<String>>>,
    pub objects: BTreeMap<ObjectType, ObjectRules>,
    pub options: CheckOptions,
    pub duplicates: BTreeMap<ObjectType, DuplicateSettings>,
    /// `[checks] select` as written, before resolution (None = all).
    select: Option<Vec<(String, Origin)>>,
    ignore: Vec<(String, Origin)>,
    extend_select: Vec<(String, Origin)>,
}

/// Where a value was written, for diagnostics raised after parsing.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Settings {
    fn empty() -> Settings {
        let checks = registry::CHECKS;
        Settings {
            sources: Vec::new(),
            enabled: vec![true; checks.len()],
            severity: checks.iter().map(|c| c.meta().severity).collect(),
            as_of: AsOf::Export,
            inputs: BTreeMap::new(),
            columns: BTreeMap::new(),
            objects: BTreeMap::new(),
            options: CheckOptions::default(),
            duplicates: BTreeMap::new(),
            select: None,
            ignore: Vec::new(),
            extend_select: Vec::new(),
        }
    }

    /// Settings from the embedded default pack only.
    pub fn builtin() -> Settings {
        Settings::load(None).unwrap_or_else(|e| {
            // The embedded packs are tested; reaching this is a build defect.
            panic!("embedded rule packs are invalid: {e}")
        })
    }

    /// Loads the default pack and, if given, a rule file with its `extends`.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut settings = Settings::empty();
        let mut diagnostics = Vec::new();
        let mut loader = parse::Loader::new(&mut settings, &mut diagnostics);
        loader.load_builtin("default");
        if let Some(path) = path {
            loader.load_file(path, 0);
        }
        settings.resolve_selection(&mut diagnostics);
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        if diagnostics.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError { diagnostics })
        }
    }

    /// Applies `--select` / `--ignore` from the command line, which replace the rule
    /// file's lists.
    pub fn apply_cli_selection(
        &mut self,
        select: Option<&[String]>,
        ignore: Option<&[String]>,
    ) -> Result<(), ConfigError> {
        self.apply_cli_selection_with(select, None, ignore)
    }

    /// Like [`Settings::apply_cli_selection`], with `--extend-select`, which adds to the
    /// rule file's list.
    pub fn apply_cli_selection_with(
        &mut self,
        select: Option<&[String]>,
        extend_select: Option<&[String]>,
        ignore: Option<&[String]>,
    ) -> Result<(), ConfigError> {
        let origin = |_: &String| Origin {
            file: "command line".to_owned(),
            line: 0,
            column: 0,
        };
        if let Some(select) = select {
            self.select = Some(select.iter().map(|s| (s.clone(), origin(s))).collect());
        }
        if let Some(ignore) = ignore {
            self.ignore = ignore.iter().map(|s| (s.clone(), origin(s))).collect();
        }
        if let Some(extend) = extend_select {
            self.extend_select
                .extend(extend.iter().map(|s| (s.clone(), origin(s))));
        }
        let mut diagnostics = Vec::new();
        self.resolve_selection(&mut diagnostics);
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { diagnostics })
        }
    }

    /// Applies `--severity CODE=LEVEL` style overrides from the command line.
    pub fn apply_cli_severity(
        &mut self,
        overrides: &[(String, Severity)],
    ) -> Result<(), ConfigError> {
        let mut diagnostics = Vec::new();
        for (selector, severity) in overrides {
            match selector::resolve(selector) {
                Some(indices) => {
                    for i in indices {
                        self.severity[i] = *severity;
                    }
                }
                None => diagnostics.push(Diagnostic {
                    file: "command line".to_owned(),
                    line: 0,
                    column: 0,
                    message: format!("unknown check code or name `{selector}`"),
                }),
            }
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { diagnostics })
        }
    }

    fn resolve_selection(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        // Without `select`, every check runs except the duplicate-detection stage's,
        // which is heavier and runs when selected (`select`, `extend-select`, or the
        // `dedupe` command).
        let mut enabled: Vec<bool> = registry::CHECKS
            .iter()
            .map(|c| self.select.is_none() && c.meta().scope != crate::checks::Scope::Duplicates)
            .collect();
        let mut resolve = |list: &[(String, Origin)], on: bool, enabled: &mut Vec<bool>| {
            for (selector, origin) in list {
                match selector::resolve(selector) {
                    Some(indices) => {
                        for i in indices {
                            enabled[i] = on;
                        }
                    }
                    None => diagnostics.push(Diagnostic {
                        file: origin.file.clone(),
                        line: origin.line,
                        column: origin.column,
                        message: format!("unknown check code or name `{selector}`"),
                    }),
                }
            }
        };
        if let Some(select) = &self.select {
            resolve(select, true, &mut enabled);
        }
        resolve(&self.extend_select, true, &mut enabled);
        resolve(&self.ignore, false, &mut enabled);
        self.enabled = enabled;
    }

    /// The settings of the input with this file name (or stem), if the rule file has any.
    pub fn input(&self, file_name: &str) -> Option<&InputSettings> {
        self.inputs.get(file_name).or_else(|| {
            let stem = Path::new(file_name).file_stem()?.to_str()?;
            self.inputs.get(stem)
        })
    }

    pub fn object_rules(&self, object: ObjectType) -> Option<&ObjectRules> {
        self.objects.get(&object)
    }

    pub fn duplicate_settings(&self, object: ObjectType) -> DuplicateSettings {
        self.duplicates.get(&object).cloned().unwrap_or_default()
    }

    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        registry::position(code).map(|i| self.severity[i])
    }
}

/// The rule file used when none is given: `./crmaudit.toml` if it exists.
pub fn default_rule_file() -> Option<PathBuf> {
    let p = PathBuf::from("crmaudit.toml");
    p.is_file().then_some(p)
}

#[cfg(test)]
mod tests;
