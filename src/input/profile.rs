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
use super::relations::Relation;
use super::{Batch, Header, InputSpec};
use crate::locale::{DateOrder, DecimalSeparator, Locale, parse_bool, parse_number};
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
    /// Roles a header suggested but the values overruled (hashed, not yes/no, …).
    pub overruled: Vec<Role>,
    /// Columns holding another input's keys (set once every input is profiled).
    pub relations: Vec<Relation>,
    /// Things the user should know about how the input was read (a mapping that found
    /// no column, …).
    pub notices: Vec<String>,
    /// The sales stages of a deal input (set once the rule files' pipelines are known).
    pub stages: crate::stage::StageMap,
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
        let mut notices = spec.notes.clone();

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
        } else if let Some(api) = &header.record_type {
            // A typed export (SFDX tree, REST query result) names each record's object.
            (
                ObjectType::from_salesforce_api(api),
                format!("record type `{api}` in the file"),
                Some(api.clone()),
            )
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

        // The values can overrule a header: a "stage" of numbers is a probability, a
        // yes/no column of words is not a yes/no column, hashed emails are not emails.
        let overridden: Vec<Role> = column_hints.keys().copied().collect();
        let overruled = correct_roles(
            &spec.name,
            &mut columns,
            headers,
            sample,
            &overridden,
            &mut notices,
        );

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
            overruled,
            relations: Vec::new(),
            notices,
            stages: crate::stage::StageMap::default(),
        })
    }

    pub fn header_name(&self, column: usize) -> &str {
        self.header.columns.get(column).map_or("", String::as_str)
    }

    pub fn width(&self) -> usize {
        self.header.columns.len()
    }
}

/// Fewest sampled values from which the data may overrule a header's role.
const MIN_EVIDENCE: usize = 3;

/// Corrects roles the sampled values contradict (roles the user mapped are kept) and
/// returns the roles taken away; one notice per reason.
fn correct_roles(
    input: &str,
    columns: &mut ColumnMap,
    headers: &[String],
    sample: &Batch,
    keep: &[Role],
    notices: &mut Vec<String>,
) -> Vec<Role> {
    let mut by_reason: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut overruled = Vec::new();
    let mapped: Vec<(usize, Role)> = columns.mapped().collect();
    for (column, role) in mapped {
        if keep.contains(&role) {
            continue;
        }
        let values: Vec<&str> = sample_values(sample, column).collect();
        if values.len() < MIN_EVIDENCE {
            continue;
        }
        let share = |pred: &dyn Fn(&str) -> bool| {
            values.iter().filter(|v| pred(v)).count() as f64 / values.len() as f64
        };
        let header = &headers[column];
        let kind = role.kind();
        let is_key = matches!(kind, ValueKind::Id | ValueKind::Reference(_));
        let correction = if !is_key && share(&looks_hashed) >= 0.9 {
            Some((
                None,
                "values are hashes (obfuscated data), not checked as such".to_owned(),
            ))
        } else if kind == ValueKind::Boolean && share(&|v| parse_bool(v).is_some()) < 0.5 {
            Some((None, "values are words, not yes/no".to_owned()))
        } else if kind == ValueKind::Email && share(&|v| v.contains('@')) < 0.5 {
            Some((None, "values are not email addresses".to_owned()))
        } else if kind == ValueKind::Text
            && role.is_category()
            && share(&|v| {
                parse_number(v, DecimalSeparator::Point).is_some()
                    || parse_number(v, DecimalSeparator::Comma).is_some()
            }) >= 0.9
        {
            let numbers: Vec<f64> = values
                .iter()
                .filter_map(|v| parse_number(v, DecimalSeparator::Point))
                .collect();
            let in_range = |max: f64| numbers.iter().all(|n| (0.0..=max).contains(n));
            if role == Role::Stage
                && columns.column(Role::Probability).is_none()
                && (in_range(1.0) || in_range(100.0))
            {
                Some((
                    Some(Role::Probability),
                    "values are numbers from 0 to 1 or 100: read as a probability".to_owned(),
                ))
            } else {
                Some((None, "values are numbers, not categories".to_owned()))
            }
        } else {
            None
        };
        if let Some((new_role, why)) = correction {
            columns.set(column, new_role);
            overruled.push(role);
            by_reason
                .entry(why)
                .or_default()
                .push(format!("`{header}` (not {})", role.as_str()));
        }
    }
    for (why, columns) in by_reason {
        notices.push(format!("{input}: {}: {why}", columns.join(", ")));
    }
    overruled
}

/// A hex digest (MD5/SHA) or the base64 of one: obfuscated data, not a value.
pub fn looks_hashed(value: &str) -> bool {
    let b = value.as_bytes();
    let hex = matches!(b.len(), 32 | 40 | 64) && b.iter().all(u8::is_ascii_hexdigit);
    let base64 = b.len() == 24
        && value.ends_with("==")
        && b[..22]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/');
    hex || base64
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
