//! The plan of one input: what its columns mean and which rules apply to which column,
//! resolved once from the rule file, the header and a sample of records.
//!
//! Checks read the plan; they never resolve names or compile patterns themselves. The
//! plan is also where the input's object type, id column and locale are decided, with
//! the reason kept for the report.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::{Condition, FieldRef, Pattern, SalesforceIdMode, Settings, ValueRange};
use crate::input::columns::{ColumnMap, Role, ValueKind, header_key};
use crate::input::object::ObjectType;
use crate::input::{Batch, Header, InputSpec};
use crate::locale::Locale;
use crate::normalize::text::{fold_alnum, fold_spaces};

/// How a uniqueness key is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Record ids: exact, except that a Salesforce 18-character id equals its 15-character form.
    Id,
    /// Email match key (`normalize::email`).
    Email,
    /// Any other value: case and spacing folded.
    Text,
}

/// A conditional requirement with its columns resolved and values folded.
#[derive(Debug, Clone)]
pub struct ResolvedCondition {
    pub field: usize,
    pub when: usize,
    pub condition: Condition,
    /// The folded values of `In` / `NotIn`.
    pub values: HashSet<String>,
}

/// A picklist: the allowed values and their folded forms for near-miss matching.
#[derive(Debug, Clone)]
pub struct AllowedValues {
    pub values: Vec<String>,
    exact: HashSet<String>,
    /// Folded (`fold_alnum`) form of each value, in order.
    folded_list: Vec<String>,
    /// Folded form → the first allowed value with it.
    folded: HashMap<String, usize>,
}

/// How a value relates to a picklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PicklistMatch {
    Allowed,
    /// Differs from the allowed value at this index only by case, spacing,
    /// punctuation or a few edits.
    Variant(usize),
    NotAllowed,
}

/// Shortest folded value for which a typo is considered (shorter words differ by design:
/// `Won`/`Wan`).
const MIN_FUZZY_LEN: usize = 4;

impl AllowedValues {
    fn new(values: &[String]) -> AllowedValues {
        let folded_list: Vec<String> = values.iter().map(|v| fold_alnum(v)).collect();
        let mut folded = HashMap::default();
        for (i, f) in folded_list.iter().enumerate() {
            folded.entry(f.clone()).or_insert(i);
        }
        AllowedValues {
            values: values.to_vec(),
            exact: values.iter().map(|v| v.trim().to_owned()).collect(),
            folded_list,
            folded,
        }
    }

    pub fn classify(&self, value: &str, max_edits: usize) -> PicklistMatch {
        if self.exact.contains(value) {
            return PicklistMatch::Allowed;
        }
        let f = fold_alnum(value);
        if let Some(&i) = self.folded.get(&f) {
            return PicklistMatch::Variant(i);
        }
        if max_edits == 0 || f.chars().count() < MIN_FUZZY_LEN {
            return PicklistMatch::NotAllowed;
        }
        self.folded_list
            .iter()
            .enumerate()
            .filter(|(_, allowed)| allowed.chars().count() >= MIN_FUZZY_LEN)
            .map(|(i, allowed)| (strsim::osa_distance(&f, allowed), i))
            .filter(|(d, _)| *d <= max_edits)
            .min()
            .map_or(PicklistMatch::NotAllowed, |(_, i)| {
                PicklistMatch::Variant(i)
            })
    }
}

/// Everything the checks need to know about one input.
#[derive(Debug)]
pub struct InputPlan {
    pub index: u32,
    pub name: String,
    pub object: ObjectType,
    pub object_source: &'static str,
    pub header: Header,
    pub columns: ColumnMap,
    pub locale: Locale,
    pub id_column: Option<usize>,
    pub required: Vec<usize>,
    pub required_when: Vec<ResolvedCondition>,
    /// Columns checked for placeholders, with the role-specific set to use.
    pub placeholder_columns: Vec<(usize, Option<Role>)>,
    pub placeholders: HashSet<String>,
    pub placeholders_by_role: BTreeMap<Role, HashSet<String>>,
    /// Longest listed placeholder, in bytes.
    pub placeholder_max_len: usize,
    /// For each lowercase first byte, a bit per byte length (< 64) of the listed
    /// placeholders starting with it: ASCII values of another shape cannot be listed,
    /// so they are not folded and looked up.
    pub placeholder_shapes: Box<[u64; 256]>,
    pub patterns: Vec<(usize, Pattern)>,
    pub allowed: Vec<(usize, AllowedValues)>,
    pub allowed_max_edits: usize,
    pub ranges: Vec<(usize, ValueRange)>,
    pub date_columns: Vec<usize>,
    pub number_columns: Vec<usize>,
    pub boolean_columns: Vec<usize>,
    /// Columns holding Salesforce ids, with the object their prefix must name.
    pub salesforce_id_columns: Vec<(usize, Option<ObjectType>)>,
    pub unique: Vec<(usize, KeyKind)>,
    pub references: Vec<(usize, ObjectType)>,
    /// Columns a [`crate::input::table::Table`] keeps for dataset checks.
    pub kept: Vec<usize>,
    /// The column of true entity ids (`--labels-column`), kept for evaluation only.
    pub labels_column: Option<usize>,
    /// Notes for the user about rules that could not apply to this input.
    pub warnings: Vec<String>,
}

/// Input-level settings from the command line, which win over the rule file.
#[derive(Debug, Clone, Default)]
pub struct CliInputOptions {
    pub object: Option<ObjectType>,
    pub id_column: Option<String>,
    /// Keep the columns duplicate detection compares.
    pub dedupe: bool,
    /// A column of true entity ids, for evaluating duplicate detection.
    pub labels_column: Option<String>,
}

/// Errors that make an input unusable as configured.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
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

impl InputPlan {
    pub fn build(
        index: u32,
        spec: &InputSpec,
        header: Header,
        sample: &Batch,
        settings: &Settings,
        cli: &CliInputOptions,
    ) -> Result<InputPlan, PlanError> {
        let file_settings = settings
            .input(&spec.file_name())
            .cloned()
            .unwrap_or_default();
        let headers = &header.columns;

        // Object type: explicit > Salesforce id prefix > file name > headers.
        let generic = ColumnMap::infer(headers, None, &BTreeMap::new());
        let generic_roles: Vec<Role> = generic.roles();
        let id_guess = explicit_id_column(headers, cli, &file_settings.id_column)
            .or_else(|| generic.column(Role::Id));
        let (object, object_source) = if let Some(o) = cli.object {
            (o, "command line")
        } else if let Some(o) = file_settings.object {
            (o, "rule file")
        } else if let Some(o) = id_guess.and_then(|c| salesforce_prefix_object(sample, c)) {
            (o, "salesforce id prefix")
        } else if let Some(o) = ObjectType::from_file_name(&spec.object_hint()) {
            (o, "file name")
        } else {
            let o = ObjectType::from_roles(&generic_roles);
            (
                o,
                if o == ObjectType::Generic {
                    "default"
                } else {
                    "headers"
                },
            )
        };

        let overrides = settings.columns.get(&object).cloned().unwrap_or_default();
        let mut columns = ColumnMap::infer(headers, Some(object), &overrides);
        let labels_column = match &cli.labels_column {
            Some(name) => {
                let found = headers.iter().position(|h| h == name).or_else(|| {
                    headers
                        .iter()
                        .position(|h| header_key(h) == header_key(name))
                });
                match found {
                    // Labels are never evidence: the column loses any role.
                    Some(c) => {
                        columns.clear(c);
                        Some(c)
                    }
                    None => {
                        return Err(PlanError::MissingLabelsColumn {
                            input: spec.name.clone(),
                            column: name.clone(),
                            available: headers.join(", "),
                        });
                    }
                }
            }
            None => None,
        };

        let id_column = match explicit_id_column(headers, cli, &file_settings.id_column) {
            Some(c) => Some(c),
            None => {
                let wanted = cli.id_column.clone().or(file_settings.id_column.clone());
                if let Some(column) = wanted {
                    return Err(PlanError::MissingIdColumn {
                        input: spec.name.clone(),
                        column,
                        available: headers.join(", "),
                    });
                }
                columns.column(Role::Id)
            }
        };

        let sample_values = |col: usize| {
            sample
                .records
                .iter()
                .filter_map(move |r| r.get(col))
                .filter_map(|b| std::str::from_utf8(b).ok())
                .filter(|s| !s.trim().is_empty())
        };
        let kinds: Vec<Option<ValueKind>> = (0..headers.len())
            .map(|c| columns.role(c).map(Role::kind))
            .collect();
        let of_kind = |pred: fn(ValueKind) -> bool| -> Vec<usize> {
            kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| k.is_some_and(pred))
                .map(|(i, _)| i)
                .collect()
        };
        let date_columns = of_kind(ValueKind::is_date);
        let number_columns = of_kind(ValueKind::is_number);
        let boolean_columns = of_kind(|k| k == ValueKind::Boolean);

        let detected = Locale::detect(
            date_columns.iter().flat_map(|c| sample_values(*c)),
            number_columns.iter().flat_map(|c| sample_values(*c)),
            header
                .delimiter
                .as_deref()
                .and_then(|d| d.bytes().next())
                .unwrap_or(b','),
        );
        let locale = Locale {
            date_order: file_settings.date_order.unwrap_or(detected.date_order),
            decimal: file_settings.decimal.unwrap_or(detected.decimal),
        };

        let mut warnings = Vec::new();
        let rules = settings.object_rules(object).cloned().unwrap_or_default();
        let resolve = |field: &FieldRef, what: &str, warnings: &mut Vec<String>| -> Option<usize> {
            let found = match field {
                FieldRef::Role(role) => columns.column(*role),
                FieldRef::Header(h) => {
                    let key = header_key(h);
                    headers.iter().position(|x| header_key(x) == key)
                }
            };
            if found.is_none() && !matches!(field, FieldRef::Role(_)) {
                warnings.push(format!("{what} `{field}` is not a column of {}", spec.name));
            }
            found
        };

        let mut required = Vec::new();
        for field in &rules.required {
            match resolve(field, "required field", &mut warnings) {
                Some(c) => required.push(c),
                None if matches!(field, FieldRef::Role(_)) => {
                    warnings.push(format!(
                        "required field `{field}` has no column in {} ({object} export); map it under [columns.{object}]",
                        spec.name
                    ));
                }
                None => {}
            }
        }
        required.sort_unstable();
        required.dedup();

        let required_when = rules
            .required_when
            .iter()
            .filter_map(|r| {
                let field = resolve(&r.field, "conditionally required field", &mut warnings)?;
                let when = resolve(&r.when, "condition field", &mut warnings)?;
                let values = match &r.condition {
                    Condition::In(v) | Condition::NotIn(v) => {
                        v.iter().map(|s| fold_spaces(s)).collect()
                    }
                    _ => HashSet::default(),
                };
                Some(ResolvedCondition {
                    field,
                    when,
                    condition: r.condition.clone(),
                    values,
                })
            })
            .collect();

        let fold_set = |values: &[String]| -> HashSet<String> {
            values.iter().map(|v| fold_spaces(v)).collect()
        };
        let placeholders = fold_set(&settings.options.placeholder_values);
        let placeholders_by_role: BTreeMap<Role, HashSet<String>> = settings
            .options
            .placeholder_by_role
            .iter()
            .map(|(r, v)| (*r, fold_set(v)))
            .collect();
        let placeholder_max_len = placeholders
            .iter()
            .chain(placeholders_by_role.values().flatten())
            .map(String::len)
            .max()
            .unwrap_or(0)
            // Folding collapses spaces, so a stored value may be a little longer.
            + 8;
        let mut placeholder_shapes = Box::new([0u64; 256]);
        for p in placeholders
            .iter()
            .chain(placeholders_by_role.values().flatten())
        {
            match (p.as_bytes().first(), p.len()) {
                (Some(first), len) if len < 64 => {
                    placeholder_shapes[usize::from(*first)] |= 1 << len
                }
                // A long or empty entry: disable the shortcut for its first byte.
                (Some(first), _) => placeholder_shapes[usize::from(*first)] = u64::MAX,
                (None, _) => {}
            }
        }
        let placeholder_columns = columns
            .mapped()
            .filter(|(_, role)| {
                role.kind().is_typed_text()
                    && !matches!(role, Role::Description | Role::LossReason | Role::NextStep)
            })
            .map(|(c, role)| (c, Some(role)))
            .collect();

        let patterns = rules
            .pattern
            .iter()
            .filter_map(|(f, p)| Some((resolve(f, "pattern field", &mut warnings)?, p.clone())))
            .collect();
        let allowed = rules
            .allowed
            .iter()
            .filter_map(|(f, v)| {
                Some((
                    resolve(f, "picklist field", &mut warnings)?,
                    AllowedValues::new(v),
                ))
            })
            .collect();
        let ranges = rules
            .range
            .iter()
            .filter_map(|(f, r)| Some((resolve(f, "range field", &mut warnings)?, *r)))
            .collect();

        let mut unique: Vec<(usize, KeyKind)> = rules
            .unique
            .iter()
            .filter_map(|f| {
                let c = if matches!(f, FieldRef::Role(Role::Id)) {
                    id_column
                } else {
                    resolve(f, "unique field", &mut warnings)
                }?;
                let kind = match columns.role(c) {
                    _ if Some(c) == id_column => KeyKind::Id,
                    Some(r) if r.kind() == ValueKind::Email => KeyKind::Email,
                    _ => KeyKind::Text,
                };
                Some((c, kind))
            })
            .collect();
        unique.sort_by_key(|(c, _)| *c);
        unique.dedup_by_key(|(c, _)| *c);

        let references: Vec<(usize, ObjectType)> = columns
            .mapped()
            .filter_map(|(c, role)| Some((c, role.references()?)))
            .collect();

        let salesforce_id_columns = salesforce_id_columns(
            settings.options.salesforce_ids,
            object,
            id_column,
            &columns,
            &sample_values,
        );

        let mut kept: Vec<usize> = unique
            .iter()
            .map(|(c, _)| *c)
            .chain(references.iter().map(|(c, _)| *c))
            .collect();
        if cli.dedupe {
            kept.extend(
                crate::dedupe::features::needed_roles(object)
                    .into_iter()
                    .filter_map(|r| columns.column(r)),
            );
            kept.extend(labels_column);
        }
        kept.sort_unstable();
        kept.dedup();

        Ok(InputPlan {
            index,
            name: spec.name.clone(),
            object,
            object_source,
            header,
            columns,
            locale,
            id_column,
            required,
            required_when,
            placeholder_columns,
            placeholders,
            placeholders_by_role,
            placeholder_max_len,
            placeholder_shapes,
            patterns,
            allowed,
            allowed_max_edits: settings.options.allowed_max_edits,
            ranges,
            date_columns,
            number_columns,
            boolean_columns,
            salesforce_id_columns,
            unique,
            references,
            kept,
            labels_column,
            warnings,
        })
    }

    pub fn header_name(&self, column: usize) -> &str {
        self.header.columns.get(column).map_or("", String::as_str)
    }
}

fn explicit_id_column(
    headers: &[String],
    cli: &CliInputOptions,
    file_id: &Option<String>,
) -> Option<usize> {
    let wanted = cli.id_column.as_ref().or(file_id.as_ref())?;
    headers.iter().position(|h| h == wanted).or_else(|| {
        headers
            .iter()
            .position(|h| header_key(h) == header_key(wanted))
    })
}

/// Whether a value has the shape of a Salesforce id (15 or 18 letters and digits).
pub fn looks_like_salesforce_id(value: &str) -> bool {
    (value.len() == 15 || value.len() == 18)
        && value.bytes().all(|b| b.is_ascii_alphanumeric())
        && value.as_bytes()[..3].iter().any(u8::is_ascii_digit)
}

/// The object named by the Salesforce key prefix shared by most sampled ids.
fn salesforce_prefix_object(sample: &Batch, column: usize) -> Option<ObjectType> {
    let mut counts: BTreeMap<ObjectType, usize> = BTreeMap::new();
    let mut total = 0usize;
    for record in &sample.records {
        let Some(value) = record.get(column).and_then(|b| std::str::from_utf8(b).ok()) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        total += 1;
        if looks_like_salesforce_id(value)
            && let Some(o) = ObjectType::from_salesforce_prefix(&value[..3])
        {
            *counts.entry(o).or_default() += 1;
        }
    }
    let (object, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n * 10 >= total * 8 && n > 0).then_some(object)
}

fn salesforce_id_columns<'s, I>(
    mode: SalesforceIdMode,
    object: ObjectType,
    id_column: Option<usize>,
    columns: &ColumnMap,
    sample_values: &impl Fn(usize) -> I,
) -> Vec<(usize, Option<ObjectType>)>
where
    I: Iterator<Item = &'s str>,
{
    if mode == SalesforceIdMode::Never {
        return Vec::new();
    }
    let mut candidates: Vec<(usize, Option<ObjectType>)> = Vec::new();
    if let Some(c) = id_column {
        candidates.push((c, (object != ObjectType::Generic).then_some(object)));
    }
    for (c, role) in columns.mapped() {
        if Some(c) == id_column {
            continue;
        }
        match role.kind() {
            ValueKind::Reference(target) => candidates.push((c, Some(target))),
            ValueKind::Id => candidates.push((c, None)),
            _ => {}
        }
    }
    candidates
        .into_iter()
        .filter(|(c, _)| {
            if mode == SalesforceIdMode::Always {
                return true;
            }
            let (mut total, mut like) = (0usize, 0usize);
            for v in sample_values(*c) {
                total += 1;
                like += usize::from(looks_like_salesforce_id(v.trim()));
            }
            total > 0 && like * 10 >= total * 8
        })
        .collect()
}
