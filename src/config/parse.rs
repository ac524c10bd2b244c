//! Walks a spanned TOML tree (`toml-span`) into [`Settings`], one layer at a time.
//!
//! Every key is matched by hand so unknown keys, wrong types, bad regexes and unknown
//! codes are all reported with their position, and parsing goes on after each problem.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use regex::Regex;
use toml_span::Span;
use toml_span::value::{Table, Value, ValueInner};

use super::diagnostic::LineIndex;
use super::{
    AsOf, BUILTIN_PACKS, Condition, ConditionalRequirement, Diagnostic, FieldRef, Origin, Pattern,
    SalesforceIdMode, Settings, ValueRange, selector,
};
use crate::dedupe::blocking::{BlockKey, BlockingRule};
use crate::finding::Severity;
use crate::input::columns::Role;
use crate::input::encoding_for_label;
use crate::input::object::ObjectType;
use crate::locale::{DateOrder, DecimalSeparator, parse_date};

/// Deepest `extends` chain followed (guards against cycles).
const MAX_DEPTH: usize = 8;

pub(super) struct Loader<'s> {
    settings: &'s mut Settings,
    diagnostics: &'s mut Vec<Diagnostic>,
}

/// One file being read: its name for messages, and its line index.
struct Layer<'t> {
    file: String,
    dir: PathBuf,
    lines: LineIndex<'t>,
}

impl<'s> Loader<'s> {
    pub(super) fn new(settings: &'s mut Settings, diagnostics: &'s mut Vec<Diagnostic>) -> Self {
        Loader {
            settings,
            diagnostics,
        }
    }

    pub(super) fn load_builtin(&mut self, name: &str) -> bool {
        let Some((_, text)) = BUILTIN_PACKS.iter().find(|(n, _)| *n == name) else {
            return false;
        };
        self.load_text(&format!("builtin:{name}"), Path::new("."), text, 0);
        true
    }

    pub(super) fn load_file(&mut self, path: &Path, depth: usize) {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                self.load_text(&file, &dir, &text, depth);
            }
            Err(e) => self.diagnostics.push(Diagnostic {
                file,
                line: 1,
                column: 1,
                message: format!("cannot read rule file: {e}"),
            }),
        }
    }

    fn load_text(&mut self, file: &str, dir: &Path, text: &str, depth: usize) {
        let layer = Layer {
            file: file.to_owned(),
            dir: dir.to_path_buf(),
            lines: LineIndex::new(text),
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
                    ],
                ),
            }
        }
    }

    fn extends(&mut self, layer: &Layer<'_>, value: &mut Value<'_>, depth: usize) {
        let Some(entries) = self.spanned_strings(layer, value) else {
            return;
        };
        for (entry, span) in entries {
            if depth >= MAX_DEPTH {
                self.error(
                    layer,
                    span,
                    format!("`extends` nested deeper than {MAX_DEPTH} files (a cycle?)"),
                );
                continue;
            }
            if let Some(name) = entry.strip_prefix("builtin:") {
                if !self.load_builtin(name) {
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
                    self.load_file(&path, depth + 1);
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

    fn as_of(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
        let span = value.span;
        let Some(s) = self.string(layer, value) else {
            return;
        };
        self.settings.as_of = match s.as_str() {
            "export" => AsOf::Export,
            "today" => AsOf::Today,
            other => match parse_date(other, DateOrder::Mdy) {
                Some(d) if other.len() == 10 && other.as_bytes()[4] == b'-' => AsOf::Date(d),
                _ => {
                    self.error(layer, span, format!("`as-of` must be \"export\", \"today\" or a date like \"2026-11-22\", not `{other}`"));
                    return;
                }
            },
        };
    }

    fn checks(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[checks]") else {
            return;
        };
        for (key, mut value) in table {
            match key.name.as_ref() {
                "select" => {
                    if let Some(list) = self.spanned_strings(layer, &mut value) {
                        self.settings.select = Some(
                            list.into_iter()
                                .map(|(s, span)| (s, origin(layer, span)))
                                .collect(),
                        );
                    }
                }
                "ignore" => {
                    if let Some(list) = self.spanned_strings(layer, &mut value) {
                        self.settings.ignore = list
                            .into_iter()
                            .map(|(s, span)| (s, origin(layer, span)))
                            .collect();
                    }
                }
                "extend-select" => {
                    if let Some(list) = self.spanned_strings(layer, &mut value) {
                        self.settings
                            .extend_select
                            .extend(list.into_iter().map(|(s, span)| (s, origin(layer, span))));
                    }
                }
                "extend-ignore" => {
                    if let Some(list) = self.spanned_strings(layer, &mut value) {
                        self.settings
                            .ignore
                            .extend(list.into_iter().map(|(s, span)| (s, origin(layer, span))));
                    }
                }
                "severity" => self.severity(layer, &mut value),
                "placeholder-value" => self.placeholder_options(layer, &mut value),
                "allowed-value-variant" => {
                    let Some(table) =
                        self.table(layer, &mut value, "[checks.allowed-value-variant]")
                    else {
                        continue;
                    };
                    for (key, mut value) in table {
                        match key.name.as_ref() {
                            "max-edits" => {
                                if let Some(n) = self.integer(layer, &mut value, 0, 3) {
                                    self.settings.options.allowed_max_edits = n as usize;
                                }
                            }
                            other => self.unknown_key(
                                layer,
                                key.span,
                                other,
                                "[checks.allowed-value-variant]",
                                &["max-edits"],
                            ),
                        }
                    }
                }
                "invalid-salesforce-id" => {
                    let Some(table) =
                        self.table(layer, &mut value, "[checks.invalid-salesforce-id]")
                    else {
                        continue;
                    };
                    for (key, mut value) in table {
                        match key.name.as_ref() {
                            "mode" => {
                                let span = value.span;
                                match self.string(layer, &mut value).as_deref() {
                                    Some("auto") => self.settings.options.salesforce_ids = SalesforceIdMode::Auto,
                                    Some("always") => self.settings.options.salesforce_ids = SalesforceIdMode::Always,
                                    Some("never") => self.settings.options.salesforce_ids = SalesforceIdMode::Never,
                                    Some(other) => self.error(layer, span, format!("`mode` must be \"auto\", \"always\" or \"never\", not `{other}`")),
                                    None => {}
                                }
                            }
                            other => self.unknown_key(
                                layer,
                                key.span,
                                other,
                                "[checks.invalid-salesforce-id]",
                                &["mode"],
                            ),
                        }
                    }
                }
                other => self.unknown_key(
                    layer,
                    key.span,
                    other,
                    "[checks]",
                    &[
                        "select",
                        "ignore",
                        "extend-select",
                        "extend-ignore",
                        "severity",
                        "placeholder-value",
                        "allowed-value-variant",
                        "invalid-salesforce-id",
                    ],
                ),
            }
        }
    }

    fn severity(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
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
            match selector::resolve(&key.name) {
                Some(indices) => {
                    for i in indices {
                        self.settings.severity[i] = severity;
                    }
                }
                None => self.error(
                    layer,
                    key.span,
                    format!("unknown check code or name `{}`", key.name),
                ),
            }
        }
    }

    fn placeholder_options(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[checks.placeholder-value]") else {
            return;
        };
        for (key, mut value) in table {
            match key.name.as_ref() {
                "values" => {
                    if let Some(list) = self.strings(layer, &mut value) {
                        self.settings.options.placeholder_values = list;
                    }
                }
                "extend-values" => {
                    if let Some(list) = self.strings(layer, &mut value) {
                        self.settings.options.placeholder_values.extend(list);
                    }
                }
                "by-role" => {
                    let Some(table) =
                        self.table(layer, &mut value, "[checks.placeholder-value.by-role]")
                    else {
                        continue;
                    };
                    for (key, mut value) in table {
                        let Some(role) = self.role(layer, &key.name, key.span) else {
                            continue;
                        };
                        if let Some(list) = self.strings(layer, &mut value) {
                            self.settings.options.placeholder_by_role.insert(role, list);
                        }
                    }
                }
                other => self.unknown_key(
                    layer,
                    key.span,
                    other,
                    "[checks.placeholder-value]",
                    &["values", "extend-values", "by-role"],
                ),
            }
        }
    }

    fn inputs(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
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
                            match delimiter(&s) {
                                Some(d) => input.delimiter = Some(d),
                                None => self.error(layer, span, format!("`delimiter` must be one ASCII character (or \"tab\"), not `{s}`")),
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
                        ],
                    ),
                }
            }
            self.settings.inputs.insert(name.name.into_owned(), input);
        }
    }

    fn columns(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
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
                if let Some(headers) = self.strings(layer, &mut value) {
                    self.settings
                        .columns
                        .entry(object)
                        .or_default()
                        .insert(role, headers);
                }
            }
        }
    }

    fn objects(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
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

    fn duplicates(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) {
        let Some(table) = self.table(layer, value, "[duplicates]") else {
            return;
        };
        for (object_key, mut value) in table {
            let Some(object) = self.object(layer, &object_key.name, object_key.span) else {
                continue;
            };
            let section = format!("[duplicates.{}]", object_key.name);
            let Some(table) = self.table(layer, &mut value, &section) else {
                continue;
            };
            let mut dup = self.settings.duplicate_settings(object);
            for (key, mut value) in table {
                let span = value.span;
                match key.name.as_ref() {
                    "block" => {
                        let ValueInner::Array(rules) = value.take() else {
                            self.error(layer, span, "`block` must be an array of key lists, e.g. [[\"email\"], [\"last_name\", \"postcode\"]]".to_owned());
                            continue;
                        };
                        let mut parsed = Vec::new();
                        for mut rule in rules {
                            let Some(keys) = self.spanned_strings(layer, &mut rule) else {
                                continue;
                            };
                            let mut rule_keys = Vec::new();
                            for (k, span) in keys {
                                match BlockKey::parse(&k) {
                                    Some(key) => rule_keys.push(key),
                                    None => {
                                        let names: Vec<&str> =
                                            BlockKey::ALL.iter().map(|k| k.as_str()).collect();
                                        self.error(
                                            layer,
                                            span,
                                            format!(
                                                "unknown blocking key `{k}` (known: {})",
                                                names.join(", ")
                                            ),
                                        );
                                    }
                                }
                            }
                            if !rule_keys.is_empty() {
                                parsed.push(BlockingRule(rule_keys));
                            }
                        }
                        dup.block = Some(parsed);
                    }
                    "threshold" => {
                        let Some(table) =
                            self.table(layer, &mut value, &format!("{section}.threshold"))
                        else {
                            continue;
                        };
                        for (key, mut value) in table {
                            let span = value.span;
                            let number = match value.take() {
                                ValueInner::Float(f) if (0.0..=1.0).contains(&f) => f,
                                ValueInner::Integer(i) if i == 0 || i == 1 => i as f64,
                                _ => {
                                    self.error(
                                        layer,
                                        span,
                                        format!("`{}` must be a probability from 0 to 1", key.name),
                                    );
                                    continue;
                                }
                            };
                            match key.name.as_ref() {
                                "match" => dup.match_probability = number,
                                "review" => dup.review_probability = number,
                                other => self.unknown_key(
                                    layer,
                                    key.span,
                                    other,
                                    &format!("{section}.threshold"),
                                    &["match", "review"],
                                ),
                            }
                        }
                        if dup.review_probability > dup.match_probability {
                            self.error(
                                layer,
                                span,
                                format!("{section}: `review` must not be above `match`"),
                            );
                        }
                    }
                    "max-block-size" => {
                        if let Some(n) = self.integer(layer, &mut value, 2, 1_000_000) {
                            dup.max_block_size = n as usize;
                        }
                    }
                    "max-cluster-size" => {
                        if let Some(n) = self.integer(layer, &mut value, 2, 1_000_000) {
                            dup.max_cluster_size = n as usize;
                        }
                    }
                    other => self.unknown_key(
                        layer,
                        key.span,
                        other,
                        &section,
                        &["block", "threshold", "max-block-size", "max-cluster-size"],
                    ),
                }
            }
            self.settings.duplicates.insert(object, dup);
        }
    }

    fn required_when(
        &mut self,
        layer: &Layer<'_>,
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

    fn range(
        &mut self,
        layer: &Layer<'_>,
        value: &mut Value<'_>,
        section: &str,
    ) -> Option<ValueRange> {
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

    fn pattern(
        &mut self,
        layer: &Layer<'_>,
        value: &mut Value<'_>,
        section: &str,
    ) -> Option<Pattern> {
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
        layer: &Layer<'_>,
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

    fn string(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) -> Option<String> {
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

    fn integer(
        &mut self,
        layer: &Layer<'_>,
        value: &mut Value<'_>,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let span = value.span;
        match value.take() {
            ValueInner::Integer(i) if (min..=max).contains(&i) => Some(i),
            ValueInner::Integer(i) => {
                self.error(
                    layer,
                    span,
                    format!("expected an integer from {min} to {max}, found {i}"),
                );
                None
            }
            other => {
                self.error(
                    layer,
                    span,
                    format!("expected an integer, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A string or an array of strings, each with its span.
    fn spanned_strings(
        &mut self,
        layer: &Layer<'_>,
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

    fn strings(&mut self, layer: &Layer<'_>, value: &mut Value<'_>) -> Option<Vec<String>> {
        self.spanned_strings(layer, value)
            .map(|v| v.into_iter().map(|(s, _)| s).collect())
    }

    fn object(&mut self, layer: &Layer<'_>, name: &str, span: Span) -> Option<ObjectType> {
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

    fn role(&mut self, layer: &Layer<'_>, name: &str, span: Span) -> Option<Role> {
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
        layer: &Layer<'_>,
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

    fn error(&mut self, layer: &Layer<'_>, span: Span, message: String) {
        let (line, column) = layer.lines.position(span.start);
        self.diagnostics.push(Diagnostic {
            file: layer.file.clone(),
            line,
            column,
            message,
        });
    }
}

fn origin(layer: &Layer<'_>, span: Span) -> Origin {
    let (line, column) = layer.lines.position(span.start);
    Origin {
        file: layer.file.clone(),
        line,
        column,
    }
}

fn delimiter(s: &str) -> Option<u8> {
    match s {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" => s.bytes().next(),
        _ => None,
    }
}

/// The expected key closest to a misspelt one, if any is close.
fn closest<'a>(key: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(key, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 4))
        .min()
        .map(|(_, e)| e)
}

fn toml_error_message(e: &toml_span::Error) -> String {
    let text: Cow<'_, str> = Cow::Owned(e.to_string());
    format!("TOML syntax error: {text}")
}
