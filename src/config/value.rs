//! Owned, spanned TOML values, and [`OptionTable`], the reader a check uses for its
//! options.
//!
//! The loader does not know which checks exist or what options they take (checks sit
//! above configuration). It keeps each layer's `[checks.<name>]` table as an
//! [`Item`] tree together with the layer's positions ([`Layer`]); when the run's check
//! set is compiled, each check reads its tables through an [`OptionTable`], which
//! remembers the keys the check asked for and reports every other key, and every
//! mistyped value, at file:line:column with a "did you mean".

use std::ops::RangeInclusive;
use std::sync::Arc;

use toml_span::value::{Value, ValueInner};

use super::diagnostic::{Diagnostic, LineIndex};

/// One loaded rule file (or built-in pack): its name for messages and its positions.
#[derive(Debug)]
pub struct Layer {
    pub file: String,
    pub lines: LineIndex,
}

impl Layer {
    pub fn diagnostic(&self, at: usize, message: String) -> Diagnostic {
        let (line, column) = self.lines.position(at);
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            message,
        }
    }
}

/// A TOML value with the byte offset where it starts.
#[derive(Debug, Clone)]
pub struct Item {
    pub at: usize,
    pub value: Owned,
}

#[derive(Debug, Clone)]
pub enum Owned {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Array(Vec<Item>),
    /// Keys in file order, each with the offset of the key.
    Table(Vec<(String, usize, Item)>),
}

impl Owned {
    pub fn type_str(&self) -> &'static str {
        match self {
            Owned::String(_) => "string",
            Owned::Integer(_) => "integer",
            Owned::Float(_) => "float",
            Owned::Boolean(_) => "boolean",
            Owned::Array(_) => "array",
            Owned::Table(_) => "table",
        }
    }
}

impl Item {
    /// Copies a parsed value out of its source text.
    pub fn from_toml(value: &mut Value<'_>) -> Item {
        let at = value.span.start;
        let value = match value.take() {
            ValueInner::String(s) => Owned::String(s.into_owned()),
            ValueInner::Integer(i) => Owned::Integer(i),
            ValueInner::Float(f) => Owned::Float(f),
            ValueInner::Boolean(b) => Owned::Boolean(b),
            ValueInner::Array(items) => Owned::Array(
                items
                    .into_iter()
                    .map(|mut v| Item::from_toml(&mut v))
                    .collect(),
            ),
            ValueInner::Table(table) => {
                let mut entries: Vec<(String, usize, Item)> = table
                    .into_iter()
                    .map(|(k, mut v)| (k.name.into_owned(), k.span.start, Item::from_toml(&mut v)))
                    .collect();
                entries.sort_by_key(|(_, at, _)| *at);
                Owned::Table(entries)
            }
        };
        Item { at, value }
    }
}

/// A `[checks.<name>]` table of one layer, kept until the check set reads it.
#[derive(Debug, Clone)]
pub struct RawOptions {
    /// The check name as written.
    pub name: String,
    /// Where the name was written.
    pub at: usize,
    pub layer: Arc<Layer>,
    pub item: Item,
}

/// Reads one options table for a check. Keys the check never asks for are reported as
/// unknown when the table is dropped, with the asked keys as the expected ones.
pub struct OptionTable<'a> {
    layer: &'a Layer,
    /// Where the table starts.
    at: usize,
    section: String,
    entries: Vec<(String, usize, Option<Item>)>,
    asked: Vec<&'static str>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> OptionTable<'a> {
    /// Opens `item` (which must be a table) as `section`; a non-table is reported and
    /// read as an empty table.
    pub fn new(
        layer: &'a Layer,
        section: String,
        item: Item,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> OptionTable<'a> {
        let at = item.at;
        let entries = match item.value {
            Owned::Table(entries) => entries
                .into_iter()
                .map(|(k, at, v)| (k, at, Some(v)))
                .collect(),
            other => {
                diagnostics.push(layer.diagnostic(
                    item.at,
                    format!("{section} must be a table, found {}", other.type_str()),
                ));
                Vec::new()
            }
        };
        OptionTable {
            layer,
            at,
            section,
            entries,
            asked: Vec::new(),
            diagnostics,
        }
    }

    /// The section name used in messages, e.g. `[checks.placeholder-value]`.
    pub fn section(&self) -> &str {
        &self.section
    }

    /// Where the table starts, for problems about the table as a whole.
    pub fn at(&self) -> usize {
        self.at
    }

    /// A nested table (`threshold = { match = 0.9 }`), read the same way.
    pub fn table(&mut self, key: &'static str) -> Option<OptionTable<'_>> {
        let item = self.take(key)?;
        let section = format!("{}.{key}", self.section.trim_end_matches(']')) + "]";
        Some(OptionTable::new(
            self.layer,
            section,
            item,
            self.diagnostics,
        ))
    }

    /// An array of string lists (`block = [["email"], ["last_name", "postcode"]]`),
    /// each string with its offset.
    pub fn string_list_array(&mut self, key: &'static str) -> Option<Vec<Vec<(String, usize)>>> {
        let item = self.take(key)?;
        let Owned::Array(lists) = item.value else {
            self.wrong_type(key, &item, "an array of string lists");
            return None;
        };
        let mut out = Vec::with_capacity(lists.len());
        for list in lists {
            let items = match list.value {
                Owned::Array(items) => items,
                Owned::String(s) => vec![Item {
                    at: list.at,
                    value: Owned::String(s),
                }],
                ref other => {
                    let message = format!(
                        "`{key}` in {} must list arrays of strings, found {}",
                        self.section,
                        other.type_str()
                    );
                    self.error_at(list.at, message);
                    return None;
                }
            };
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                match item.value {
                    Owned::String(s) => strings.push((s, item.at)),
                    ref other => {
                        let message = format!(
                            "`{key}` in {} must list strings, found {}",
                            self.section,
                            other.type_str()
                        );
                        self.error_at(item.at, message);
                        return None;
                    }
                }
            }
            out.push(strings);
        }
        Some(out)
    }

    /// Reports a problem at an offset of this table's file.
    pub fn error_at(&mut self, at: usize, message: String) {
        self.diagnostics.push(self.layer.diagnostic(at, message));
    }

    fn take(&mut self, key: &'static str) -> Option<Item> {
        if !self.asked.contains(&key) {
            self.asked.push(key);
        }
        self.entries
            .iter_mut()
            .find(|(k, _, v)| k == key && v.is_some())
            .and_then(|(_, _, v)| v.take())
    }

    fn wrong_type(&mut self, key: &str, item: &Item, expected: &str) {
        let message = format!(
            "`{key}` in {} must be {expected}, found {}",
            self.section,
            item.value.type_str()
        );
        self.error_at(item.at, message);
    }

    pub fn string(&mut self, key: &'static str) -> Option<String> {
        let item = self.take(key)?;
        match item.value {
            Owned::String(s) => Some(s),
            _ => {
                self.wrong_type(key, &item, "a string");
                None
            }
        }
    }

    /// A string or an array of strings.
    pub fn strings(&mut self, key: &'static str) -> Option<Vec<String>> {
        let item = self.take(key)?;
        self.string_list(key, item)
    }

    /// A string or an array of strings, each with the offset where it is written.
    pub fn spanned_strings(&mut self, key: &'static str) -> Option<Vec<(String, usize)>> {
        let item = self.take(key)?;
        self.spanned_list(key, item)
    }

    fn string_list(&mut self, key: &str, item: Item) -> Option<Vec<String>> {
        self.spanned_list(key, item)
            .map(|list| list.into_iter().map(|(s, _)| s).collect())
    }

    fn spanned_list(&mut self, key: &str, item: Item) -> Option<Vec<(String, usize)>> {
        match item.value {
            Owned::String(s) => Some(vec![(s, item.at)]),
            Owned::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Owned::String(s) => out.push((s, item.at)),
                        ref other => {
                            let message = format!(
                                "`{key}` in {} must list strings, found {}",
                                self.section,
                                other.type_str()
                            );
                            self.error_at(item.at, message);
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong_type(key, &item, "a string or an array of strings");
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let item = self.take(key)?;
        match item.value {
            Owned::Boolean(b) => Some(b),
            _ => {
                self.wrong_type(key, &item, "true or false");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'static str, range: RangeInclusive<i64>) -> Option<i64> {
        let item = self.take(key)?;
        match item.value {
            Owned::Integer(i) if range.contains(&i) => Some(i),
            Owned::Integer(i) => {
                let message = format!(
                    "`{key}` in {} must be from {} to {}, found {i}",
                    self.section,
                    range.start(),
                    range.end()
                );
                self.error_at(item.at, message);
                None
            }
            _ => {
                self.wrong_type(key, &item, "an integer");
                None
            }
        }
    }

    pub fn number(&mut self, key: &'static str, range: RangeInclusive<f64>) -> Option<f64> {
        let item = self.take(key)?;
        let n = match item.value {
            Owned::Integer(i) => i as f64,
            Owned::Float(f) => f,
            _ => {
                self.wrong_type(key, &item, "a number");
                return None;
            }
        };
        if range.contains(&n) {
            Some(n)
        } else {
            let message = format!(
                "`{key}` in {} must be from {} to {}, found {n}",
                self.section,
                range.start(),
                range.end()
            );
            self.error_at(item.at, message);
            None
        }
    }

    /// One of fixed spellings, e.g. `mode = "auto" | "always" | "never"`.
    pub fn choice<T: Copy>(&mut self, key: &'static str, choices: &[(&str, T)]) -> Option<T> {
        let item = self.take(key)?;
        let Owned::String(s) = &item.value else {
            self.wrong_type(key, &item, "a string");
            return None;
        };
        if let Some((_, v)) = choices.iter().find(|(name, _)| name == s) {
            return Some(*v);
        }
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let message = format!(
            "`{key}` in {} must be one of {}, not `{s}`",
            self.section,
            names.join(", ")
        );
        self.error_at(item.at, message);
        None
    }

    /// A sub-table whose keys are free (field names): each key with its offset and value.
    pub fn free_entries(&mut self, key: &'static str) -> Option<Vec<(String, usize, Item)>> {
        let item = self.take(key)?;
        match item.value {
            Owned::Table(entries) => Some(entries),
            _ => {
                self.wrong_type(key, &item, "a table");
                None
            }
        }
    }

    /// A sub-table whose keys are free (roles, object types, …): each key with its
    /// offset and its value as a list of strings.
    pub fn string_lists(&mut self, key: &'static str) -> Option<Vec<(String, usize, Vec<String>)>> {
        let item = self.take(key)?;
        let Owned::Table(entries) = item.value else {
            self.wrong_type(key, &item, "a table");
            return None;
        };
        let mut out = Vec::with_capacity(entries.len());
        for (name, at, value) in entries {
            if let Some(list) = self.string_list(&name, value) {
                out.push((name, at, list));
            }
        }
        Some(out)
    }
}

impl Drop for OptionTable<'_> {
    fn drop(&mut self) {
        let unknown: Vec<(String, usize)> = self
            .entries
            .iter()
            .filter(|(_, _, v)| v.is_some())
            .map(|(k, at, _)| (k.clone(), *at))
            .collect();
        for (key, at) in unknown {
            let message = if self.asked.is_empty() {
                format!("unknown key `{key}`: {} takes no options", self.section)
            } else {
                let hint = closest(&key, &self.asked)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                format!(
                    "unknown key `{key}` in {}{hint} (expected one of: {})",
                    self.section,
                    self.asked.join(", ")
                )
            };
            self.error_at(at, message);
        }
    }
}

/// The expected word closest to a misspelt one, if any is close.
pub fn closest<'a>(key: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(key, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 4))
        .min()
        .map(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (Arc<Layer>, Item) {
        let layer = Arc::new(Layer {
            file: "t.toml".to_owned(),
            lines: LineIndex::new(text),
        });
        let mut root = toml_span::parse(text).unwrap();
        (layer, Item::from_toml(&mut root))
    }

    #[test]
    fn reports_unknown_and_mistyped_keys() {
        let (layer, item) = table("max-edits = \"two\"\nmax-edit = 1\nmode = \"sometimes\"\n");
        let mut diagnostics = Vec::new();
        {
            let mut t = OptionTable::new(&layer, "[checks.x]".to_owned(), item, &mut diagnostics);
            assert_eq!(t.integer("max-edits", 0..=3), None);
            assert_eq!(t.choice("mode", &[("auto", 1), ("never", 0)]), None);
        }
        let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "t.toml:1:14: `max-edits` in [checks.x] must be an integer, found string",
                "t.toml:3:9: `mode` in [checks.x] must be one of \"auto\", \"never\", not `sometimes`",
                "t.toml:2:1: unknown key `max-edit` in [checks.x]; did you mean `max-edits`? (expected one of: max-edits, mode)",
            ]
        );
    }
}
