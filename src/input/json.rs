//! JSON exports: an array of records, JSON Lines, Salesforce SFDX tree files
//! (`{"records":[{"attributes":{"type":"Account","referenceId":"AccountRef1"},…}]}`,
//! children nested under their relationship name), Salesforce REST query results
//! (`{"records":[…]}`) and HubSpot API pages (`{"results":[{"id","properties":{…}}]}`).
//!
//! Records become rows like a CSV export's: the columns are every key in order of first
//! appearance; strings are their text, numbers and booleans their JSON text, `null` is
//! blank, nested objects are flattened (`Account.Name`; HubSpot's `properties` merged in)
//! and arrays kept as JSON. A file with several record types (an SFDX tree with nested
//! children) is one input per type: `Accounts.json:Contact`. SFDX records carry their
//! `referenceId` as `@AccountRef1` in an `Id` column, which is how their lookups are
//! written, and nested children get their parent's reference (`AccountId`). The line of a
//! record is the line its object starts on.
//!
//! An SFDX data plan (an array of `{"sobject", "files"}`) is not records: it names the
//! tree files, which become the inputs.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{BatchSender, Error, Header};

/// A JSON object's fields in file order, values unparsed.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Fields<'a>, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One record found in the file: its type (SFDX/REST `attributes.type`), the line it
/// starts on, and its columns.
struct Record {
    kind: Option<String>,
    line: u64,
    fields: Vec<(String, String)>,
}

/// The shape of a JSON file.
enum Shape<'a> {
    Records(Vec<&'a RawValue>),
    /// An SFDX data plan: the tree files it names.
    Plan(Vec<PathBuf>),
}

fn parse_error(path: &str, e: &serde_json::Error) -> Error {
    Error::Format {
        path: path.to_owned(),
        message: format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ),
    }
}

/// Whether a file holds JSON (by extension, or a first character `{` / `[`).
pub fn is_json(path: &Path, head: &[u8]) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "json" | "jsonl" | "ndjson" | "sdx") {
        return true;
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
}

fn read_text(path: &Path, name: &str) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Open {
        path: name.to_owned(),
        source,
    })?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|e| Error::Format {
        path: name.to_owned(),
        message: format!(
            "JSON must be UTF-8; invalid byte at offset {}",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn shape<'a>(text: &'a str, path: &Path, name: &str) -> Result<Shape<'a>, Error> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<&RawValue> =
            serde_json::from_str(text).map_err(|e| parse_error(name, &e))?;
        // An SFDX data plan lists tree files, it holds no records.
        let plan: Option<Vec<PathBuf>> = items
            .iter()
            .map(|item| {
                let fields: Fields<'_> = serde_json::from_str(item.get()).ok()?;
                fields.0.iter().find(|(k, _)| k == "sobject")?;
                let (_, files) = fields.0.iter().find(|(k, _)| k == "files")?;
                let files: Vec<String> = serde_json::from_str(files.get()).ok()?;
                Some(files)
            })
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|lists| {
                let dir = path.parent().unwrap_or(Path::new(""));
                lists.into_iter().flatten().map(|f| dir.join(f)).collect()
            });
        return Ok(match plan {
            Some(files) if !items.is_empty() => Shape::Plan(files),
            _ => Shape::Records(items),
        });
    }
    // One object: a page of records, or JSON Lines (one object per line).
    match serde_json::from_str::<Fields<'_>>(text) {
        Ok(fields) => {
            for key in ["records", "results", "data", "items"] {
                if let Some((_, list)) = fields.0.iter().find(|(k, _)| k == key)
                    && let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(list.get())
                {
                    return Ok(Shape::Records(items));
                }
            }
            // A single record.
            let whole: &RawValue = serde_json::from_str(text).map_err(|e| parse_error(name, &e))?;
            Ok(Shape::Records(vec![whole]))
        }
        Err(_) => {
            let mut items = Vec::new();
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                // The line of the file, not of the one-line document serde sees.
                let item: &RawValue = serde_json::from_str(line).map_err(|e| Error::Format {
                    path: name.to_owned(),
                    message: format!(
                        "not valid JSON at line {}, column {}: {}",
                        n + 1,
                        e.column(),
                        e.to_string().split(" at line ").next().unwrap_or_default()
                    ),
                })?;
                items.push(item);
            }
            Ok(Shape::Records(items))
        }
    }
}

/// The inputs a JSON file holds: one per record type (`None`: untyped records), or the
/// tree files of a data plan.
pub enum Contents {
    Types(Vec<Option<String>>),
    Plan(Vec<PathBuf>),
}

/// Looks into a JSON file for its record types (or its plan's files).
pub fn contents(path: &Path, name: &str) -> Result<Contents, Error> {
    let text = read_text(path, name)?;
    match shape(&text, path, name)? {
        Shape::Plan(files) => Ok(Contents::Plan(files)),
        Shape::Records(items) => {
            let records = flatten(&text, &items, name)?;
            let mut types: Vec<Option<String>> = Vec::new();
            for r in &records {
                if !types.contains(&r.kind) {
                    types.push(r.kind.clone());
                }
            }
            if types.is_empty() {
                types.push(None);
            }
            Ok(Contents::Types(types))
        }
    }
}

/// Reads the records of one type (all records when `kind` is `None`).
pub(super) fn read(
    name: &str,
    path: &Path,
    kind: Option<&str>,
    sender: &mut BatchSender<'_>,
) -> Result<(), Error> {
    let text = read_text(path, name)?;
    let Shape::Records(items) = shape(&text, path, name)? else {
        return Err(Error::Format {
            path: name.to_owned(),
            message: "an SFDX data plan holds no records: audit the files it lists".to_owned(),
        });
    };
    let records: Vec<Record> = flatten(&text, &items, name)?
        .into_iter()
        .filter(|r| kind.is_none() || r.kind.as_deref() == kind)
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for r in &records {
        for (k, _) in &r.fields {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let header = Header {
        columns: columns.clone(),
        format: "json",
        encoding: Some("UTF-8".to_owned()),
        bom: false,
        delimiter: None,
        line: records.first().map_or(1, |r| r.line),
        record_type: kind.map(str::to_owned),
    };
    if !sender.header(header) {
        return Ok(());
    }
    for r in records {
        let mut record = sender.record();
        record.clear();
        for c in &columns {
            let value = r
                .fields
                .iter()
                .find(|(k, _)| k == c)
                .map_or("", |(_, v)| v.as_str());
            record.push_field(value.as_bytes());
        }
        if !sender.push(record, r.line) {
            return Ok(());
        }
    }
    sender.finish();
    Ok(())
}

/// Every record of the file, nested children included, flattened to text columns.
fn flatten(text: &str, items: &[&RawValue], name: &str) -> Result<Vec<Record>, Error> {
    let mut out = Vec::new();
    for item in items {
        flatten_record(text, item, None, &mut out, name)?;
    }
    Ok(out)
}

/// The 1-based line a value starts on.
fn line_of(text: &str, raw: &RawValue) -> u64 {
    let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() as u64 + 1
}

fn flatten_record(
    text: &str,
    raw: &RawValue,
    parent: Option<(&str, &str)>,
    out: &mut Vec<Record>,
    name: &str,
) -> Result<(), Error> {
    let Ok(fields) = serde_json::from_str::<Fields<'_>>(raw.get()) else {
        return Err(Error::Format {
            path: name.to_owned(),
            message: format!(
                "line {}: a record must be a JSON object",
                line_of(text, raw)
            ),
        });
    };
    let mut record = Record {
        kind: None,
        line: line_of(text, raw),
        fields: Vec::new(),
    };
    let mut reference_id: Option<String> = None;
    let mut children: Vec<&RawValue> = Vec::new();
    for (key, value) in &fields.0 {
        if key == "attributes" {
            if let Ok(attrs) = serde_json::from_str::<Fields<'_>>(value.get()) {
                for (k, v) in attrs.0 {
                    let v = scalar(v).unwrap_or_default();
                    match k.as_str() {
                        "type" => record.kind = Some(v),
                        "referenceId" => reference_id = Some(v),
                        _ => {}
                    }
                }
            }
            continue;
        }
        // SFDX nested children: `"Contacts": {"records": [...]}`.
        if let Ok(inner) = serde_json::from_str::<Fields<'_>>(value.get()) {
            if let Some((_, list)) = inner.0.iter().find(|(k, _)| k == "records")
                && let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(list.get())
            {
                children.extend(items);
                continue;
            }
            // HubSpot puts the record's values under `properties`; other objects
            // (a REST relationship `Account: {Name: …}`) become `Account.Name`.
            let prefix = if key == "properties" {
                String::new()
            } else {
                format!("{key}.")
            };
            for (k, v) in inner.0 {
                if k == "attributes" {
                    continue;
                }
                record.fields.push((
                    format!("{prefix}{k}"),
                    scalar(v).unwrap_or_else(|| v.get().to_owned()),
                ));
            }
            continue;
        }
        record.fields.push((
            key.clone(),
            scalar(value).unwrap_or_else(|| value.get().to_owned()),
        ));
    }
    if let Some(reference) = &reference_id
        && !record
            .fields
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("id"))
    {
        record
            .fields
            .insert(0, ("Id".to_owned(), format!("@{reference}")));
    }
    if let Some((parent_type, parent_ref)) = parent {
        let column = format!("{parent_type}Id");
        if !record
            .fields
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(&column))
        {
            record.fields.push((column, parent_ref.to_owned()));
        }
    }
    let kind = record.kind.clone();
    out.push(record);
    let parent_ref = reference_id.map(|r| format!("@{r}"));
    for child in children {
        let parent = match (&kind, &parent_ref) {
            (Some(k), Some(r)) => Some((k.as_str(), r.as_str())),
            _ => None,
        };
        flatten_record(text, child, parent, out, name)?;
    }
    Ok(())
}

/// The text of a scalar JSON value (`null` is blank); `None` for objects and arrays.
fn scalar(raw: &RawValue) -> Option<String> {
    let s = raw.get().trim();
    match s.as_bytes().first()? {
        b'"' => serde_json::from_str::<String>(s).ok(),
        b'n' if s == "null" => Some(String::new()),
        b'{' | b'[' => None,
        _ => Some(s.to_owned()),
    }
}
