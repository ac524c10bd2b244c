//! What an input *is*: its object type and why, its header and column roles, its id
//! column, its locale and its labels column, decided once from the header, a sample of
//! records and the hints of the command line and rule file.
//!
//! Every later stage reads the profile: checks prepare themselves from it, the scan
//! keeps values by it, duplicate detection and reports name records through it. This
//! module does not read rule files; the engine turns the rule file and flags into
//! [`ProfileHints`].

use std::collections::BTreeMap;

use super::columns::{ColumnMap, Role, ValueKind, header_key};
use super::object::{FileNameGuess, ObjectType};
use super::{Batch, Header, InputSpec};
use crate::locale::{DateOrder, DecimalSeparator, Locale};
use crate::normalize::salesforce_id::looks_like_salesforce_id;

/// A header mapping written by the user (`[columns.<object>]`, `--column`): the headers
/// a role may take, and where it was written, for messages.
#[derive(Debug, Clone)]
pub struct ColumnHint {
    pub headers: Vec<String>,
    pub origin: String,
}

/// What the user said about an input, from the command line and the rule file; the
/// command line wins.
#[derive(Debug, Clone, Default)]
pub struct ProfileHints {
    /// The object type, with where it was set (`command line`, `rule file`).
    pub object: Option<(ObjectType, &'static str)>,
    pub id_column: Option<String>,
    pub labels_column: Option<String>,
    /// Column mappings per object type.
    pub columns: BTreeMap<ObjectType, BTreeMap<Role, ColumnHint>>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalSeparator>,
}

/// Errors that make an input unusable as configured.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("labels column `{column}` not found in `{input}` (columns: {available})")]
    MissingLabelsColumn {
        input: String,
        column: String,
        available: String,
    },
    #[error("id column `{column}` not found in `{input}` (columns: {available})")]
    MissingIdColumn {
        input: String,
        column: String,
        available: String,
    },
}

/// One input, understood.
#[derive(Debug, Clone)]
pub struct InputProfile {
    /// Index of the input in the run.
    pub index: u32,
    /// How the input is named in reports: the path as given, or `db.sqlite:table`.
    pub name: String,
    pub object: ObjectType,
    /// Why the object type was chosen (`rule file`, `Salesforce id prefix 006
    /// (Opportunity)`, `headers StageName, Amount`, …).
    pub object_source: String,
    /// The Salesforce object its ids name, when known from their key prefix.
    pub sf_object: Option<String>,
    pub header: Header,
    pub columns: ColumnMap,
    /// The id column, when there is one; otherwise records are named by line.
    pub id_column: Option<usize>,
    pub locale: Locale,
    /// The column of true entity ids (`--labels-column`), kept for evaluation only.
    pub labels_column: Option<usize>,
    /// Things the user should know about how the input was read (a mapping that found
    /// no column, …).
    pub notices: Vec<String>,
}

impl InputProfile {
    pub fn build(
        index: u32,
        spec: &InputSpec,
        header: Header,
        sample: &Batch,
        hints: &ProfileHints,
    ) -> Result<InputProfile, ProfileError> {
        let headers = &header.columns;
        let mut notices = Vec::new();

        // Object type, strongest evidence first (see `object`).
        let generic = ColumnMap::infer(headers, None, &BTreeMap::new());
        let explicit_id = hints
            .id_column
            .as_deref()
            .map(|wanted| find_header(headers, wanted));
        let id_guess = explicit_id.flatten().or_else(|| generic.column(Role::Id));
        let prefix = id_guess.and_then(|c| majority_prefix(sample, c));
        let file_guess = ObjectType::from_file_name(&spec.object_hint());
        let (by_headers, evidence) = ObjectType::from_roles(&generic.roles());
        let header_reason = || {
            let names: Vec<&str> = evidence
                .iter()
                .filter_map(|r| generic.column(*r))
                .map(|c| headers[c].as_str())
                .collect();
            format!("headers {}", names.join(", "))
        };
        let file_reason =
            |g: &FileNameGuess| format!("file name `{}` ({})", spec.object_hint(), g.what);
        let (object, object_source, sf_object) = if let Some((o, source)) = hints.object {
            (o, source.to_owned(), None)
        } else if let Some(g) = file_guess.filter(|g| g.derived) {
            (g.object, file_reason(&g), None)
        } else if let Some((prefix, (o, api))) = prefix {
            (
                o,
                format!("Salesforce id prefix {prefix} ({api})"),
                Some(api.to_owned()),
            )
        } else if let Some(g) = file_guess.filter(|g| {
            // A file name naming two objects is a link table unless the headers say
            // clearly which entity it holds.
            !(g.object == ObjectType::Association && by_headers != ObjectType::Generic)
        }) {
            (g.object, file_reason(&g), None)
        } else if by_headers != ObjectType::Generic {
            (by_headers, header_reason(), None)
        } else {
            (
                ObjectType::Generic,
                "no clear evidence of an object type".to_owned(),
                None,
            )
        };

        let empty = BTreeMap::new();
        let column_hints = hints.columns.get(&object).unwrap_or(&empty);
        let overrides: BTreeMap<Role, Vec<String>> = column_hints
            .iter()
            .map(|(role, hint)| (*role, hint.headers.clone()))
            .collect();
        let mut columns = ColumnMap::infer(headers, Some(object), &overrides);
        for (role, hint) in column_hints {
            let found = hint
                .headers
                .iter()
                .any(|wanted| find_header(headers, wanted).is_some());
            if !found {
                notices.push(format!(
                    "the mapping `{} = {}` ({}) names no column of {}; the role is inferred instead (columns: {})",
                    role.as_str(),
                    hint.headers
                        .iter()
                        .map(|h| format!("\"{h}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                    hint.origin,
                    spec.name,
                    headers.join(", ")
                ));
            }
        }

        let labels_column = match &hints.labels_column {
            Some(name) => match find_header(headers, name) {
                // Labels are never evidence: the column loses any role.
                Some(c) => {
                    columns.clear(c);
                    Some(c)
                }
                None => {
                    return Err(ProfileError::MissingLabelsColumn {
                        input: spec.name.clone(),
                        column: name.clone(),
                        available: headers.join(", "),
                    });
                }
            },
            None => None,
        };

        let id_column = match (&hints.id_column, explicit_id) {
            (Some(_), Some(Some(c))) => Some(c),
            (Some(column), _) => {
                return Err(ProfileError::MissingIdColumn {
                    input: spec.name.clone(),
                    column: column.clone(),
                    available: headers.join(", "),
                });
            }
            (None, _) => columns.column(Role::Id),
        };

        let of_kind = |pred: fn(ValueKind) -> bool| -> Vec<usize> {
            columns
                .mapped()
                .filter(|(_, r)| pred(r.kind()))
                .map(|(c, _)| c)
                .collect()
        };
        let date_columns = of_kind(ValueKind::is_date);
        let number_columns = of_kind(ValueKind::is_number);
        let detected = Locale::detect(
            date_columns.iter().flat_map(|c| sample_values(sample, *c)),
            number_columns
                .iter()
                .flat_map(|c| sample_values(sample, *c)),
            header
                .delimiter
                .as_deref()
                .and_then(|d| d.bytes().next())
                .unwrap_or(b','),
        );
        let locale = Locale {
            date_order: hints.date_order.unwrap_or(detected.date_order),
            decimal: hints.decimal.unwrap_or(detected.decimal),
        };

        Ok(InputProfile {
            index,
            name: spec.name.clone(),
            object,
            object_source,
            sf_object,
            header,
            columns,
            id_column,
            locale,
            labels_column,
            notices,
        })
    }

    pub fn header_name(&self, column: usize) -> &str {
        self.header.columns.get(column).map_or("", String::as_str)
    }

    pub fn width(&self) -> usize {
        self.header.columns.len()
    }
}

/// The non-blank values of a column in a sample batch.
pub fn sample_values(sample: &Batch, column: usize) -> impl Iterator<Item = &str> {
    sample
        .records
        .iter()
        .filter_map(move |r| r.get(column))
        .filter_map(|b| std::str::from_utf8(b).ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A header by exact name, else by folded name.
fn find_header(headers: &[String], wanted: &str) -> Option<usize> {
    headers.iter().position(|h| h == wanted).or_else(|| {
        let key = header_key(wanted);
        headers.iter().position(|h| header_key(h) == key)
    })
}

/// The Salesforce key prefix shared by at least 80% of the sampled ids of a column,
/// with the object it names.
pub fn majority_prefix(
    sample: &Batch,
    column: usize,
) -> Option<(String, (ObjectType, &'static str))> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0usize;
    for value in sample_values(sample, column) {
        total += 1;
        if looks_like_salesforce_id(value) {
            *counts.entry(&value[..3]).or_default() += 1;
        }
    }
    let (prefix, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    if n * 10 < total * 8 {
        return None;
    }
    Some((
        prefix.to_owned(),
        ObjectType::from_salesforce_prefix(prefix)?,
    ))
}
