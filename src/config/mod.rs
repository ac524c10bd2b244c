//! Rule files: loading and layering into [`Settings`].
//!
//! Layering order: the embedded `builtin:default` pack, then each `extends` entry of the
//! rule file (depth first, in order, each file once), then the rule file itself, then
//! command-line flags. Within a layer, a scalar or list replaces what an earlier layer
//! set and a table merges key by key. All problems of all layers are collected with
//! file, line and column before anything is used (DESIGN.md §4): nothing is half-applied.
//!
//! This module knows rule-file syntax and the data rules that several checks share
//! (`[objects.*]`, `[columns.*]`, `[input.*]`). It deliberately does not know which
//! checks exist: selectors, severities and each check's own `[checks.<name>]` options are
//! kept as written, with their origin, and resolved when the run's check set is
//! compiled (`checks::CheckSet`), so a check owns its options and this module never
//! changes when a check is added.

mod diagnostic;
pub mod gate;
mod parse;
pub mod trust;
pub mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Serialize;

pub use self::diagnostic::{ConfigError, Diagnostic};
pub use self::value::{Item, Layer, OptionTable, Owned, RawOptions, closest};
use crate::finding::Severity;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::locale::{Date, DateOrder, DecimalSeparator};
use crate::stage::Pipeline;

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
    /// The newest system timestamp in the export (reproducible).
    #[default]
    Export,
    /// The wall clock at run time.
    Today,
    Date(Date),
}

impl AsOf {
    /// Parses `export`, `today` or an ISO date `2026-11-22`.
    pub fn parse(s: &str) -> Option<AsOf> {
        match s.trim() {
            "export" => Some(AsOf::Export),
            "today" => Some(AsOf::Today),
            other => {
                let d = crate::locale::parse_date(other, DateOrder::Mdy)?;
                (other.len() == 10 && other.as_bytes()[4] == b'-').then_some(AsOf::Date(d))
            }
        }
    }
}

/// Where a setting was written: its rule file position, the command line, or the
/// built-in default. Shown by `crmaudit rules --format json` and the JSON report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    Default,
    CommandLine,
    File {
        file: String,
        line: usize,
        column: usize,
    },
}

impl Origin {
    /// A diagnostic located at this origin.
    pub fn diagnostic(&self, message: String) -> Diagnostic {
        let (file, line, column) = match self {
            Origin::File { file, line, column } => (file.clone(), *line, *column),
            Origin::CommandLine => ("command line".to_owned(), 0, 0),
            Origin::Default => ("default".to_owned(), 0, 0),
        };
        Diagnostic {
            file,
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::CommandLine => f.write_str("command line"),
            Origin::File { file, line, column } => write!(f, "{file}:{line}:{column}"),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A check selector as written (`ALL`, `CP`, `FM003`, `allowed-value-variant`).
#[derive(Debug, Clone)]
pub struct Selector {
    pub text: String,
    pub origin: Origin,
}

/// `select` / `extend-select` / `ignore`, unresolved.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `None`: the default selection (every check that runs by default).
    pub select: Option<Vec<Selector>>,
    pub extend_select: Vec<Selector>,
    pub ignore: Vec<Selector>,
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

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

#[derive(Debug, Clone, PartialEq)]
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

/// Per-object data rules (`[objects.<object>]`), shared by the checks that enforce them.
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
    /// Lines a quoted field may span before its quote counts as a stray one.
    pub max_quoted_lines: Option<u64>,
    /// Columns holding another input's keys: column header → target.
    pub references: BTreeMap<String, ReferenceTarget>,
}

/// `[input."<file>".references] <column> = "<file>[:<column>]"`: the input and key
/// column (its ids when none is named) a column's values come from.
#[derive(Debug, Clone)]
pub struct ReferenceTarget {
    pub file: String,
    pub column: Option<String>,
    pub origin: Origin,
}

/// A `[columns.<object>]` entry: the headers a role may take, and where it was written.
#[derive(Debug, Clone)]
pub struct ColumnOverride {
    pub headers: Vec<String>,
    pub origin: Origin,
}

/// The validated configuration of a run, before the check set is compiled.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The layers that were loaded, in order (`builtin:default`, `crmaudit.toml`, …).
    pub sources: Vec<String>,
    pub as_of: AsOf,
    /// Where `as-of` was set, if anywhere.
    pub as_of_origin: Origin,
    pub inputs: BTreeMap<String, InputSettings>,
    pub columns: BTreeMap<ObjectType, BTreeMap<Role, ColumnOverride>>,
    pub objects: BTreeMap<ObjectType, ObjectRules>,
    pub selection: Selection,
    /// `[checks.severity]` entries and `--severity` flags, in layer order (later wins).
    pub severities: Vec<(Selector, Severity)>,
    /// Every `[checks.<name>]` table, in layer order.
    pub check_options: Vec<RawOptions>,
    /// Every `[duplicates.<object>]` table, in layer order (`dedupe` reads them).
    pub duplicate_options: Vec<(ObjectType, RawOptions)>,
    /// Every `[score]`, `[gate]` and `[[report]]` table, in layer order (`trust` and
    /// `gate` read them).
    pub trust_options: Vec<RawOptions>,
    /// `[pipelines.<name>]`: sales stages in order, by pipeline name (a later layer's
    /// pipeline of the same name replaces the earlier one).
    pub pipelines: BTreeMap<String, Pipeline>,
    /// Names of the pipelines a rule file (not a built-in pack) defined.
    pub user_pipelines: Vec<String>,
    /// `[objects.*]` as the built-in defaults set them, before any rule file: a rule
    /// still equal to its default was not chosen by the user.
    pub defaults: BTreeMap<ObjectType, ObjectRules>,
}

impl Settings {
    fn empty() -> Settings {
        Settings {
            sources: Vec::new(),
            as_of: AsOf::Export,
            as_of_origin: Origin::Default,
            inputs: BTreeMap::new(),
            columns: BTreeMap::new(),
            objects: BTreeMap::new(),
            selection: Selection::default(),
            severities: Vec::new(),
            check_options: Vec::new(),
            duplicate_options: Vec::new(),
            trust_options: Vec::new(),
            pipelines: BTreeMap::new(),
            user_pipelines: Vec::new(),
            defaults: BTreeMap::new(),
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
        let (settings, diagnostics) = Settings::load_partial(path);
        if diagnostics.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError::sorted(diagnostics))
        }
    }

    /// Loads as much as can be loaded, with every problem found: the caller adds the
    /// problems of later stages (the check set) so all are reported at once.
    pub fn load_partial(path: Option<&Path>) -> (Settings, Vec<Diagnostic>) {
        let mut settings = Settings::empty();
        let mut diagnostics = Vec::new();
        let mut loader = parse::Loader::new(&mut settings, &mut diagnostics);
        loader.load_builtin("default", None);
        loader.mark_defaults();
        if let Some(path) = path {
            loader.load_root(path);
        }
        (settings, diagnostics)
    }

    /// `--select` and `--ignore` replace the rule file's lists; `--extend-select` adds.
    pub fn apply_cli_selection(
        &mut self,
        select: Option<&[String]>,
        extend_select: Option<&[String]>,
        ignore: Option<&[String]>,
    ) {
        let cli = |list: &[String]| -> Vec<Selector> {
            list.iter()
                .map(|s| Selector {
                    text: s.clone(),
                    origin: Origin::CommandLine,
                })
                .collect()
        };
        if let Some(select) = select {
            self.selection.select = Some(cli(select));
        }
        if let Some(ignore) = ignore {
            self.selection.ignore = cli(ignore);
        }
        if let Some(extend) = extend_select {
            self.selection.extend_select.extend(cli(extend));
        }
    }

    /// `--severity CODE=LEVEL` flags, applied after every rule-file layer.
    pub fn apply_cli_severity(&mut self, overrides: &[(String, Severity)]) {
        self.severities
            .extend(overrides.iter().map(|(selector, severity)| {
                (
                    Selector {
                        text: selector.clone(),
                        origin: Origin::CommandLine,
                    },
                    *severity,
                )
            }));
    }

    /// `--as-of DATE|export|today`.
    pub fn apply_cli_as_of(&mut self, as_of: AsOf) {
        self.as_of = as_of;
        self.as_of_origin = Origin::CommandLine;
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

    /// The pipelines, user-defined ones first (their stage names win), then the
    /// built-in ones in name order.
    pub fn pipelines(&self) -> Vec<Pipeline> {
        let mut out: Vec<Pipeline> = self.pipelines.values().cloned().collect();
        out.sort_by_key(|p| !self.user_pipelines.contains(&p.name));
        out
    }

    /// The built-in default rules of an object type.
    pub fn default_rules(&self, object: ObjectType) -> Option<&ObjectRules> {
        self.defaults.get(&object)
    }
}

/// The rule file used when none is given: `./crmaudit.toml` if it exists.
pub fn default_rule_file() -> Option<PathBuf> {
    let p = PathBuf::from("crmaudit.toml");
    p.is_file().then_some(p)
}

#[cfg(test)]
mod tests;
