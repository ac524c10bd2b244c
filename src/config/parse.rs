//! Walks a spanned TOML tree (`toml-span`) into [`Settings`], one layer at a time.
//!
//! Every key this module owns is matched by hand so unknown keys, wrong types, bad
//! regexes and unknown object types or roles are all reported with their position, and
//! parsing goes on after each problem. `[checks.<name>]` and `[duplicates.<object>]`
//! tables are kept as written ([`RawOptions`]) for the stages that own them.
//!
//! Rule files load as a set: each file once (by canonical path), so a diamond of
//! `extends` costs one read per file, and a file that extends itself, directly or
//! through others, is a cycle reported with the chain of files and lines.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use toml_span::Span;
use toml_span::value::{Table, Value, ValueInner};

use super::diagnostic::LineIndex;
use super::value::{Item, Layer as Source, RawOptions, closest};
use super::{
    AsOf, BUILTIN_PACKS, ColumnOverride, Condition, ConditionalRequirement, Diagnostic, FieldRef,
    Origin, Pattern, ReferenceTarget, Selector, Settings, ValueRange,
};
use crate::finding::Severity;
use crate::input::columns::Role;
use crate::input::encoding_for_label;
use crate::input::object::ObjectType;
use crate::locale::{DateOrder, DecimalSeparator};

/// Deepest `extends` chain followed.
const MAX_DEPTH: usize = 8;
/// Largest rule file read (a rule file is hand-written text, not data).
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Most rule files one run loads.
const MAX_FILES: usize = 64;

pub(super) struct Loader<'s> {
    settings: &'s mut Settings,
    diagnostics: &'s mut Vec<Diagnostic>,
    /// Canonical paths of the files loaded (or being loaded), and built-in packs.
    loaded: Vec<PathBuf>,
    /// The files being loaded, outermost first, with the `extends` entry that led to
    /// the next one: for cycle messages.
    chain: Vec<(String, Option<Origin>)>,
}

/// One file being read: its positions, and the directory its `extends` resolve from.
struct Layer {
    source: Arc<Source>,
    dir: PathBuf,
}

impl Layer {
    fn file(&self) -> &str {
        &self.source.file
    }
}

impl<'s> Loader<'s> {
    pub(super) fn new(settings: &'s mut Settings, diagnostics: &'s mut Vec<Diagnostic>) -> Self {
        Loader {
            settings,
            diagnostics,
            loaded: Vec::new(),
            chain: Vec::new(),
        }
    }

    /// Loads a built-in pack once; false if there is no pack of that name.
    pub(super) fn load_builtin(&mut self, name: &str, depth: Option<usize>) -> bool {
        let Some((_, text)) = BUILTIN_PACKS.iter().find(|(n, _)| *n == name) else {
            return false;
        };
        let key = PathBuf::from(format!("builtin:{name}"));
        if self.loaded.contains(&key) {
            return true;
        }
        self.loaded.push(key);
        self.load_text(
            &format!("builtin:{name}"),
            Path::new("."),
            text,
            depth.unwrap_or(0),
        );
        true
    }

    /// Remembers the object rules loaded so far as the built-in defaults.
    pub(super) fn mark_defaults(&mut self) {
        self.settings.defaults = self.settings.objects.clone();
    }

    /// Loads the rule file given on the command line (or found in the directory).
    pub(super) fn load_root(&mut self, path: &Path) {
        self.load_file(path, 0, None);
    }

    fn load_file(&mut self, path: &Path, depth: usize, via: Option<Origin>) {
        let file = path.display().to_string();
        let at = |message: String| match &via {
            Some(origin) => origin.diagnostic(message),
            None => Diagnostic {
                file: file.clone(),
                line: 1,
                column: 1,
                message,
            },
        };
        let canonical = match std::fs::canonicalize(path) {
            Ok(p) => p,
            Err(e) => {
                let d = at(format!("cannot read rule file `{file}`: {e}"));
                self.diagnostics.push(d);
                return;
            }
        };
        if let Some(pos) = self.chain_position(&canonical) {
            let mut steps: Vec<String> = self.chain[pos..]
                .iter()
                .map(|(f, via)| match via {
                    Some(o) => format!("{f} (extends at {o})"),
                    None => f.clone(),
                })
                .collect();
            steps.push(file.clone());
            let d = at(format!("`extends` cycle: {}", steps.join(" → ")));
            self.diagnostics.push(d);
            return;
        }
        if self.loaded.contains(&canonical) {
            // Already applied through another `extends` path: a set, not a tree.
            return;
        }
        if self.loaded.len() >= MAX_FILES {
            let d = at(format!(
                "more than {MAX_FILES} rule files in one `extends` graph"
            ));
            self.diagnostics.push(d);
            return;
        }
        match std::fs::metadata(&canonical) {
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                let d = at(format!(
                    "rule file `{file}` is {} bytes; rule files are limited to {MAX_FILE_BYTES}",
                    m.len()
                ));
                self.diagnostics.push(d);
                return;
            }
            _ => {}
        }
        self.loaded.push(canonical.clone());
        match std::fs::read_to_string(&canonical) {
            Ok(text) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                self.chain.push((file.clone(), None));
                self.load_text(&file, &dir, &text, depth);
                self.chain.pop();
            }
            Err(e) => {
                let d = at(format!("cannot read rule file `{file}`: {e}"));
                self.diagnostics.push(d);
            }
        }
    }

    fn chain_position(&self, canonical: &Path) -> Option<usize> {
        self.chain
            .iter()
            .position(|(f, _)| std::fs::canonicalize(f).is_ok_and(|c| c == canonical))
    }

    fn load_text(&mut self, file: &str, dir: &Path, text: &str, depth: usize) {
        let layer = Layer {
            source: Arc::new(Source {
                file: file.to_owned(),
                lines: LineIndex::new(text),
            }),
            dir: dir.to_path_buf(),
        };
        let mut root = match toml_span::parse(text) {
            Ok(v) => v,
            Err(e) => {
                let message = toml_error_message(&e);
                self.error(&layer, e.span, message);
                return;
            }
        };
        let Some(mut table) = self.table(&layer, &mut root, "the rule file") else {
            return;
        };
        // `extends` first: the file's own keys override what it extends.
        let extends_key = table.keys().find(|k| k.name == "extends").cloned();
        if let Some(key) = extends_key
            && let Some(mut value) = table.remove(&key)
        {
            self.extends(&layer, &mut value, depth);
        }
        self.settings.sources.push(file.to_owned());
        for (key, mut value) in table {
            match key.name.as_ref() {
                "as-of" => self.as_of(&layer, &mut value),
                "checks" => self.checks(&layer, &mut value),
                "input" => self.inputs(&layer, &mut value),
                "columns" => self.columns(&layer, &mut value),
                "objects" => self.objects(&layer, &mut value),
                "duplicates" => self.duplicates(&layer, &mut value),
                "pipelines" => self.pipelines(&layer, &mut value),
                // Validated by the trust stage, which owns these settings.
                "score" | "gate" | "report" => self.settings.trust_options.push(RawOptions {
                    name: key.name.clone().into_owned(),
                    at: key.span.start,
                    layer: Arc::clone(&layer.source),
                    item: Item::from_toml(&mut value),
                }),
                other => self.unknown_key(
                    &layer,
                    key.span,
                    other,
                    "the top level",
                    &[
                        "extends",
                        "as-of",
                        "checks",
                        "input",
                        "columns",
                        "objects",
                        "duplicates",
                        "pipelines",
                        "score",
                        "gate",
                        "report",
                    ],
                ),
            }
        }
    }

    fn extends(&mut self, layer: &Layer, value: &mut Value<'_>, depth: usize) {
        let Some(mut entries) = self.spanned_strings(layer, value) else {
            return;
        };
        // A file listed twice is applied once, where it first appears.
        let mut seen = std::collections::BTreeSet::new();
        entries.retain(|(entry, _)| seen.insert(entry.clone()));
        for (entry, span) in entries {
            if depth >= MAX_DEPTH {
                self.error(
                    layer,
                    span,
                    format!("`extends` nested deeper than {MAX_DEPTH} files"),
                );
                continue;
            }
            if let Some(name) = entry.strip_prefix("builtin:") {
                if !self.load_builtin(name, Some(depth + 1)) {
                    let known: Vec<String> = BUILTIN_PACKS
                        .iter()
                        .map(|(n, _)| format!("builtin:{n}"))
                        .collect();
                    self.error(
                        layer,
                        span,
                        format!(
                            "unknown built-in pack `{entry}` (known: {})",
                            known.join(", ")
                        ),
                    );
                }
            } else {
                let path = layer.dir.join(&entry);
                if path.is_file() {
                    let via = origin(layer, span);
                    if let Some(last) = self.chain.last_mut() {
                        last.1 = Some(via.clone());
                    }
                    self.load_file(&path, depth + 1, Some(via));
                    if let Some(last) = self.chain.last_mut() {
                        last.1 = None;
                    }
                } else {
                    self.error(
                        layer,
                        span,
                        format!("extended rule file `{}` not found", path.display()),
                    );
                }
            }
        }
    }

    fn as_of(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let span = value.span;
        let Some(s) = self.string(layer, value) else {
            return;
        };
        match AsOf::parse(&s) {
            Some(as_of) => {
                self.settings.as_of = as_of;
                self.settings.as_of_origin = origin(layer, span);
            }
            None => self.error(
                layer,
                span,
                format!(
                    "`as-of` must be \"export\", \"today\" or a date like \"2026-11-22\", not `{s}`"
                ),
            ),
        }
    }

    fn checks(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[checks]") else {
            return;
        };
        for (key, mut value) in table {
            match key.name.as_ref() {
                "select" => {
                    if let Some(list) = self.selectors(layer, &mut value) {
                        self.settings.selection.select = Some(list);
                    }
                }
                "ignore" => {
                    if let Some(list) = self.selectors(layer, &mut value) {
                        self.settings.selection.ignore = list;
                    }
                }
                "extend-select" => {
                    if let Some(list) = self.selectors(layer, &mut value) {
                        self.settings.selection.extend_select.extend(list);
                    }
                }
                "extend-ignore" => {
                    if let Some(list) = self.selectors(layer, &mut value) {
                        self.settings.selection.ignore.extend(list);
                    }
                }
                "severity" => self.severity(layer, &mut value),
                // Anything else names a check; the check set validates it and hands
                // the table to the check.
                _ => self.settings.check_options.push(RawOptions {
                    name: key.name.clone().into_owned(),
                    at: key.span.start,
                    layer: Arc::clone(&layer.source),
                    item: Item::from_toml(&mut value),
                }),
            }
        }
    }

    fn selectors(&mut self, layer: &Layer, value: &mut Value<'_>) -> Option<Vec<Selector>> {
        let list = self.spanned_strings(layer, value)?;
        Some(
            list.into_iter()
                .map(|(text, span)| Selector {
                    text,
                    origin: origin(layer, span),
                })
                .collect(),
        )
    }

    fn severity(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[checks.severity]") else {
            return;
        };
        for (key, mut value) in table {
            let span = value.span;
            let Some(level) = self.string(layer, &mut value) else {
                continue;
            };
            let Some(severity) = Severity::parse(&level) else {
                self.error(
                    layer,
                    span,
                    format!("severity must be \"error\", \"warning\" or \"info\", not `{level}`"),
                );
                continue;
            };
            self.settings.severities.push((
                Selector {
                    text: key.name.into_owned(),
                    origin: origin(layer, key.span),
                },
                severity,
            ));
        }
    }

    fn inputs(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[input]") else {
            return;
        };
        for (name, mut value) in table {
            let section = format!("[input.\"{}\"]", name.name);
            let Some(table) = self.table(layer, &mut value, &section) else {
                continue;
            };
            let mut input = self
                .settings
                .inputs
                .get(name.name.as_ref())
                .cloned()
                .unwrap_or_default();
            for (key, mut value) in table {
                let span = value.span;
                match key.name.as_ref() {
                    "object" => {
                        if let Some(s) = self.string(layer, &mut value) {
                            input.object = self.object(layer, &s, span);
                        }
                    }
                    "id-column" => input.id_column = self.string(layer, &mut value),
                    "delimiter" => {
                        if let Some(s) = self.string(layer, &mut value) {
                            match crate::input::chunk::CsvFormat::parse_delimiter(&s) {
                                Some(d) => input.delimiter = Some(d),
                                None => self.error(layer, span, format!("`delimiter` must be one ASCII character that is not a quote or a line break (or \"tab\"), not `{s}`")),
                            }
                        }
                    }
                    "encoding" => {
                        if let Some(s) = self.string(layer, &mut value) {
                            match encoding_for_label(&s) {
                                Some(e) => input.encoding = Some(e),
                                None => self.error(layer, span, format!("unknown encoding `{s}`")),
                            }
                        }
                    }
                    "date-order" => {
                        if let Some(s) = self.string(layer, &mut value) {
                            match DateOrder::parse(&s) {
                                Some(o) => input.date_order = Some(o),
                                None => self.error(
                                    layer,
                                    span,
                                    format!("`date-order` must be \"mdy\" or \"dmy\", not `{s}`"),
                                ),
                            }
                        }
                    }
                    "decimal" => {
                        if let Some(s) = self.string(layer, &mut value) {
                            match DecimalSeparator::parse(&s) {
                                Some(d) => input.decimal = Some(d),
                                None => self.error(
                                    layer,
                                    span,
                                    format!("`decimal` must be \".\" or \",\", not `{s}`"),
                                ),
                            }
                        }
                    }
                    "references" => {
                        let Some(table) = self.table(layer, &mut value, &format!("{section}.references"))
                        else {
                            continue;
                        };
                        for (column, mut target) in table {
                            let at = origin(layer, target.span);
                            if let Some(text) = self.string(layer, &mut target) {
                                let (file, key) = match text.rsplit_once(':') {
                                    Some((f, c)) if !f.is_empty() && !c.is_empty() => {
                                        (f.to_owned(), Some(c.to_owned()))
                                    }
                                    _ => (text.clone(), None),
                                };
                                input.references.insert(
                                    column.name.into_owned(),
                                    ReferenceTarget {
                                        file,
                                        column: key,
                                        origin: at,
                                    },
                                );
                            }
                        }
                    }
                    "max-quoted-lines" => {
                        match value.take() {
                            ValueInner::Integer(n) if (1..=10_000_000).contains(&n) => {
                                input.max_quoted_lines = Some(n as u64);
                            }
                            other => self.error(
                                layer,
                                span,
                                format!(
                                    "`max-quoted-lines` must be an integer from 1 to 10000000, found {}",
                                    match other {
                                        ValueInner::Integer(n) => n.to_string(),
                                        other => other.type_str().to_owned(),
                                    }
                                ),
                            ),
                        }
                    }
                    other => self.unknown_key(
                        layer,
                        key.span,
                        other,
                        &section,
                        &[
                            "object",
                            "id-column",
                            "delimiter",
                            "encoding",
                            "date-order",
                            "decimal",
                            "max-quoted-lines",
                            "references",
                        ],
                    ),
                }
            }
            self.settings.inputs.insert(name.name.into_owned(), input);
        }
    }

    fn columns(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[columns]") else {
            return;
        };
        for (object_key, mut value) in table {
            let Some(object) = self.object(layer, &object_key.name, object_key.span) else {
                continue;
            };
            let section = format!("[columns.{}]", object_key.name);
            let Some(table) = self.table(layer, &mut value, &section) else {
                continue;
            };
            for (key, mut value) in table {
                let Some(role) = self.role(layer, &key.name, key.span) else {
                    continue;
                };
                let at = origin(layer, value.span);
                if let Some(headers) = self.strings(layer, &mut value) {
                    self.settings.columns.entry(object).or_default().insert(
                        role,
                        ColumnOverride {
                            headers,
                            origin: at,
                        },
                    );
                }
            }
        }
    }

    fn objects(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[objects]") else {
            return;
        };
        for (object_key, mut value) in table {
            let Some(object) = self.object(layer, &object_key.name, object_key.span) else {
                continue;
            };
            let section = format!("[objects.{}]", object_key.name);
            let Some(table) = self.table(layer, &mut value, &section) else {
                continue;
            };
            let mut rules = self
                .settings
                .objects
                .get(&object)
                .cloned()
                .unwrap_or_default();
            for (key, mut value) in table {
                match key.name.as_ref() {
                    "required" => {
                        if let Some(list) = self.strings(layer, &mut value) {
                            rules.required = list.iter().map(|s| FieldRef::parse(s)).collect();
                        }
                    }
                    "unique" => {
                        if let Some(list) = self.strings(layer, &mut value) {
                            rules.unique = list.iter().map(|s| FieldRef::parse(s)).collect();
                        }
                    }
                    "required-when" => {
                        if let Some(list) = self.required_when(layer, &mut value, &section) {
                            rules.required_when = list;
                        }
                    }
                    "allowed" => {
                        let Some(table) =
                            self.table(layer, &mut value, &format!("{section}.allowed"))
                        else {
                            continue;
                        };
                        for (field, mut value) in table {
                            if let Some(list) = self.strings(layer, &mut value) {
                                rules.allowed.insert(FieldRef::parse(&field.name), list);
                            }
                        }
                    }
                    "range" => {
                        let Some(table) =
                            self.table(layer, &mut value, &format!("{section}.range"))
                        else {
                            continue;
                        };
                        for (field, mut value) in table {
                            if let Some(range) = self.range(
                                layer,
                                &mut value,
                                &format!("{section}.range.{}", field.name),
                            ) {
                                rules.range.insert(FieldRef::parse(&field.name), range);
                            }
                        }
                    }
                    "pattern" => {
                        let Some(table) =
                            self.table(layer, &mut value, &format!("{section}.pattern"))
                        else {
                            continue;
                        };
                        for (field, mut value) in table {
                            if let Some(pattern) = self.pattern(
                                layer,
                                &mut value,
                                &format!("{section}.pattern.{}", field.name),
                            ) {
                                rules.pattern.insert(FieldRef::parse(&field.name), pattern);
                            }
                        }
                    }
                    other => self.unknown_key(
                        layer,
                        key.span,
                        other,
                        &section,
                        &[
                            "required",
                            "required-when",
                            "allowed",
                            "range",
                            "pattern",
                            "unique",
                        ],
                    ),
                }
            }
            self.settings.objects.insert(object, rules);
        }
    }

    /// `[pipelines.<name>] stages = [{ name, state, probability, forecast }, …]`.
    fn pipelines(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[pipelines]") else {
            return;
        };
        for (name_key, mut value) in table {
            let name = name_key.name.clone().into_owned();
            let section = format!("[pipelines.{name}]");
            let Some(table) = self.table(layer, &mut value, &section) else {
                continue;
            };
            let mut stages = Vec::new();
            for (key, mut value) in table {
                if key.name != "stages" {
                    self.unknown_key(layer, key.span, &key.name, &section, &["stages"]);
                    continue;
                }
                let span = value.span;
                let ValueInner::Array(items) = value.take() else {
                    self.error(
                        layer,
                        span,
                        format!("{section} `stages` must be an array of tables"),
                    );
                    continue;
                };
                for mut item in items {
                    if let Some(stage) = self.stage(layer, &mut item, &section) {
                        stages.push(stage);
                    }
                }
            }
            if stages.is_empty() {
                self.error(layer, name_key.span, format!("{section} has no stages"));
                continue;
            }
            if !layer.file().starts_with("builtin:")
                && !self.settings.user_pipelines.contains(&name)
            {
                self.settings.user_pipelines.push(name.clone());
            }
            self.settings
                .pipelines
                .insert(name.clone(), crate::stage::Pipeline { name, stages });
        }
    }

    fn stage(
        &mut self,
        layer: &Layer,
        value: &mut Value<'_>,
        section: &str,
    ) -> Option<crate::stage::StageDef> {
        let span = value.span;
        let table = self.table(layer, value, &format!("a stage of {section}"))?;
        let mut name = None;
        let mut state = crate::stage::StageState::Open;
        let mut probability = None;
        let mut forecast = None;
        for (key, mut value) in table {
            match key.name.as_ref() {
                "name" => name = self.string(layer, &mut value),
                "state" => {
                    let at = value.span;
                    if let Some(s) = self.string(layer, &mut value) {
                        match crate::stage::StageState::parse(&s) {
                            Some(s) => state = s,
                            None => self.error(
                                layer,
                                at,
                                format!("stage state `{s}` is not one of open, won, lost"),
                            ),
                        }
                    }
                }
                "probability" => {
                    let at = value.span;
                    match value.take() {
                        ValueInner::Integer(i) if (0..=100).contains(&i) => {
                            probability = Some(i as f64);
                        }
                        ValueInner::Float(f) if (0.0..=100.0).contains(&f) => {
                            probability = Some(f);
                        }
                        _ => self.error(
                            layer,
                            at,
                            "`probability` must be a number from 0 to 100".to_owned(),
                        ),
                    }
                }
                "forecast" => forecast = self.string(layer, &mut value),
                other => self.unknown_key(
                    layer,
                    key.span,
                    other,
                    section,
                    &["name", "state", "probability", "forecast"],
                ),
            }
        }
        let Some(name) = name else {
            self.error(layer, span, format!("a stage of {section} has no `name`"));
            return None;
        };
        Some(crate::stage::StageDef {
            name,
            state,
            probability,
            forecast,
        })
    }

    fn duplicates(&mut self, layer: &Layer, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[duplicates]") else {
            return;
        };
        for (object_key, mut value) in table {
            let Some(object) = self.object(layer, &object_key.name, object_key.span) else {
                continue;
            };
            // Validated by duplicate detection, which owns these settings.
            self.settings.duplicate_options.push((
                object,
                RawOptions {
                    name: object_key.name.clone().into_owned(),
                    at: object_key.span.start,
                    layer: Arc::clone(&layer.source),
                    item: Item::from_toml(&mut value),
                },
            ));
        }
    }

    fn required_when(
        &mut self,
        layer: &Layer,
        value: &mut Value<'_>,
        section: &str,
    ) -> Option<Vec<ConditionalRequirement>> {
        let span = value.span;
        let ValueInner::Array(items) = value.take() else {
            self.error(
                layer,
                span,
                format!("`required-when` in {section} must be an array of tables"),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for mut item in items {
            let item_span = item.span;
            let Some(table) = self.table(layer, &mut item, "a `required-when` entry") else {
                ok = false;
                continue;
            };
            let (mut field, mut when, mut condition) = (None, None, None);
            let mut conditions = 0;
            for (key, mut value) in table {
                match key.name.as_ref() {
                    "field" => field = self.string(layer, &mut value).map(|s| FieldRef::parse(&s)),
                    "when" => when = self.string(layer, &mut value).map(|s| FieldRef::parse(&s)),
                    "in" => {
                        conditions += 1;
                        condition = self.strings(layer, &mut value).map(Condition::In);
                    }
                    "not-in" => {
                        conditions += 1;
                        condition = self.strings(layer, &mut value).map(Condition::NotIn);
                    }
                    "present" | "is-true" => {
                        conditions += 1;
                        let span = value.span;
                        match value.take() {
                            ValueInner::Boolean(true) => {
                                condition = Some(if key.name == "present" {
                                    Condition::Present
                                } else {
                                    Condition::IsTrue
                                });
                            }
                            _ => self.error(
                                layer,
                                span,
                                format!("`{}` can only be `true`", key.name),
                            ),
                        }
                    }
                    other => self.unknown_key(
                        layer,
                        key.span,
                        other,
                        "a `required-when` entry",
                        &["field", "when", "in", "not-in", "present", "is-true"],
                    ),
                }
            }
            match (field, when, condition) {
                (Some(field), Some(when), Some(condition)) if conditions == 1 => {
                    out.push(ConditionalRequirement {
                        field,
                        when,
                        condition,
                    });
                }
                _ => {
                    ok = false;
                    self.error(layer, item_span, "a `required-when` entry needs `field`, `when` and exactly one of `in`, `not-in`, `present`, `is-true`".to_owned());
                }
            }
        }
        ok.then_some(out)
    }

    fn range(&mut self, layer: &Layer, value: &mut Value<'_>, section: &str) -> Option<ValueRange> {
        let table = self.table(layer, value, section)?;
        let mut range = ValueRange::default();
        for (key, mut value) in table {
            let span = value.span;
            let number = match value.take() {
                ValueInner::Integer(i) => Some(i as f64),
                ValueInner::Float(f) => Some(f),
                other => {
                    self.error(
                        layer,
                        span,
                        format!(
                            "`{}` must be a number, found {}",
                            key.name,
                            other.type_str()
                        ),
                    );
                    None
                }
            };
            match key.name.as_ref() {
                "min" => range.min = number,
                "max" => range.max = number,
                other => self.unknown_key(layer, key.span, other, section, &["min", "max"]),
            }
        }
        if let (Some(min), Some(max)) = (range.min, range.max)
            && min > max
        {
            self.error(
                layer,
                value.span,
                format!("{section}: `min` ({min}) is above `max` ({max})"),
            );
            return None;
        }
        Some(range)
    }

    fn pattern(&mut self, layer: &Layer, value: &mut Value<'_>, section: &str) -> Option<Pattern> {
        let span = value.span;
        let (source, source_span, message) = match value.take() {
            ValueInner::String(s) => (s.into_owned(), span, None),
            ValueInner::Table(table) => {
                let (mut regex, mut message) = (None, None);
                for (key, mut value) in table {
                    match key.name.as_ref() {
                        "regex" => regex = self.string(layer, &mut value).map(|s| (s, value.span)),
                        "message" => message = self.string(layer, &mut value),
                        other => {
                            self.unknown_key(layer, key.span, other, section, &["regex", "message"])
                        }
                    }
                }
                let Some((regex, regex_span)) = regex else {
                    self.error(layer, span, format!("{section} needs a `regex`"));
                    return None;
                };
                (regex, regex_span, message)
            }
            other => {
                self.error(
                    layer,
                    span,
                    format!(
                        "{section} must be a regex string or a table with `regex`, found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        // Anchor the whole value: a pattern describes the value, not a substring of it.
        match Regex::new(&format!("^(?:{source})$")) {
            Ok(regex) => Some(Pattern { regex, message }),
            Err(e) => {
                let detail = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("invalid regex")
                    .trim()
                    .to_owned();
                self.error(
                    layer,
                    source_span,
                    format!("invalid regex `{source}`: {detail}"),
                );
                None
            }
        }
    }

    // ---- value helpers ------------------------------------------------------------

    fn table<'de>(
        &mut self,
        layer: &Layer,
        value: &mut Value<'de>,
        what: &str,
    ) -> Option<Table<'de>> {
        let span = value.span;
        match value.take() {
            ValueInner::Table(t) => Some(t),
            other => {
                self.error(
                    layer,
                    span,
                    format!("{what} must be a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn string(&mut self, layer: &Layer, value: &mut Value<'_>) -> Option<String> {
        let span = value.span;
        match value.take() {
            ValueInner::String(s) => Some(s.into_owned()),
            other => {
                self.error(
                    layer,
                    span,
                    format!("expected a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A string or an array of strings, each with its span.
    fn spanned_strings(
        &mut self,
        layer: &Layer,
        value: &mut Value<'_>,
    ) -> Option<Vec<(String, Span)>> {
        let span = value.span;
        match value.take() {
            ValueInner::String(s) => Some(vec![(s.into_owned(), span)]),
            ValueInner::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for mut item in items {
                    let item_span = item.span;
                    match item.take() {
                        ValueInner::String(s) => out.push((s.into_owned(), item_span)),
                        other => {
                            ok = false;
                            self.error(
                                layer,
                                item_span,
                                format!("expected a string, found {}", other.type_str()),
                            );
                        }
                    }
                }
                ok.then_some(out)
            }
            other => {
                self.error(
                    layer,
                    span,
                    format!(
                        "expected a string or an array of strings, found {}",
                        other.type_str()
                    ),
                );
                None
            }
        }
    }

    fn strings(&mut self, layer: &Layer, value: &mut Value<'_>) -> Option<Vec<String>> {
        self.spanned_strings(layer, value)
            .map(|v| v.into_iter().map(|(s, _)| s).collect())
    }

    fn object(&mut self, layer: &Layer, name: &str, span: Span) -> Option<ObjectType> {
        let object = ObjectType::parse(name);
        if object.is_none() {
            let known: Vec<&str> = ObjectType::ALL.iter().map(|o| o.as_str()).collect();
            self.error(
                layer,
                span,
                format!("unknown object type `{name}` (known: {})", known.join(", ")),
            );
        }
        object
    }

    fn role(&mut self, layer: &Layer, name: &str, span: Span) -> Option<Role> {
        let role = Role::parse(name);
        if role.is_none() {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            let hint = closest(name, &names)
                .map(|r| format!("; did you mean `{r}`?"))
                .unwrap_or_default();
            self.error(
                layer,
                span,
                format!("unknown column role `{name}`{hint} (`crmaudit init` lists them)"),
            );
        }
        role
    }

    fn unknown_key(
        &mut self,
        layer: &Layer,
        span: Span,
        key: &str,
        section: &str,
        expected: &[&str],
    ) {
        let hint = closest(key, expected)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        self.error(
            layer,
            span,
            format!(
                "unknown key `{key}` in {section}{hint} (expected one of: {})",
                expected.join(", ")
            ),
        );
    }

    fn error(&mut self, layer: &Layer, span: Span, message: String) {
        self.diagnostics
            .push(layer.source.diagnostic(span.start, message));
    }
}

fn origin(layer: &Layer, span: Span) -> Origin {
    let (line, column) = layer.source.lines.position(span.start);
    Origin::File {
        file: layer.file().to_owned(),
        line,
        column,
    }
}

fn toml_error_message(e: &toml_span::Error) -> String {
    let text: Cow<'_, str> = Cow::Owned(e.to_string());
    format!("TOML syntax error: {text}")
}
