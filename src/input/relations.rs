//! Relations between the inputs of one run: a column whose values are (mostly) the keys
//! of another input — its record ids, or its names (`deals.account` holding the names
//! `accounts.csv` is keyed by, `deals.product` holding the products of `products.csv`).
//!
//! A relation to an entity (accounts, contacts, users, …) is a reference: values that are
//! not keys of the target are orphans, a blank is a missing reference. A relation to a
//! small lookup table (products, teams, stages) is a picklist: values that are not in it
//! are not allowed, and a near miss names the value meant.
//!
//! Relations are inferred from the first records of every input, before any input is
//! scanned, so no input is read twice; a target must have been read whole in that
//! sample (a lookup table is small). The rule file's `[input."<file>".references]` sets
//! relations explicitly.

use std::collections::BTreeSet;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::Batch;
use super::columns::{Role, ValueKind, header_key};
use super::object::ObjectType;
use super::profile::{InputProfile, sample_values};

/// What a relation means for the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    /// Values name records of another input (RF001 orphans, RF002 blanks).
    Reference,
    /// Values come from a lookup input's list (FM002 not allowed, FM003 near miss).
    Picklist,
}

/// One column of an input whose values are keys of another input.
#[derive(Debug, Clone)]
pub struct Relation {
    pub column: usize,
    /// Index of the target input.
    pub target: u32,
    /// The target's key column; `None` for its record ids.
    pub target_column: Option<usize>,
    pub kind: RelationKind,
    /// Distinct sampled values that are keys of the target, and all distinct values.
    pub matched: usize,
    pub distinct: usize,
    /// `inferred` or the rule file position.
    pub source: String,
}

/// An input before scanning: its profile and first records.
pub struct Sampled<'a> {
    pub profile: &'a InputProfile,
    pub sample: &'a Batch,
    /// The sample is the whole input (it was read to the end).
    pub complete: bool,
}

/// Share of a column's distinct values that must be keys of the target.
const MIN_MATCH: f64 = 0.8;
/// Without a header naming the target, values must match almost all.
const MIN_MATCH_UNNAMED: f64 = 0.95;
/// Longest average value of a candidate column (longer values are free text).
const MAX_KEY_LEN: usize = 60;

impl Relation {
    /// Describes the relation for the summary: "`account` → accounts.csv `account`
    /// (reference; 85 of 85 sampled values match; inferred)".
    pub fn describe(&self, source: &InputProfile, target: &InputProfile) -> String {
        let key = match self.target_column {
            Some(c) => format!("`{}`", target.header_name(c)),
            None => "ids".to_owned(),
        };
        let what = match self.kind {
            RelationKind::Reference => "reference",
            RelationKind::Picklist => "picklist",
        };
        if self.distinct == 0 {
            return format!(
                "`{}` → {} {key} ({what}; {})",
                source.header_name(self.column),
                target.name,
                self.source
            );
        }
        format!(
            "`{}` → {} {key} ({what}; {} of {} sampled values match; {})",
            source.header_name(self.column),
            target.name,
            self.matched,
            self.distinct,
            self.source
        )
    }
}

/// Infers the relations of every input (aligned with `inputs`).
pub fn infer(inputs: &[Sampled<'_>]) -> Vec<Vec<Relation>> {
    // The key columns of each complete input, as value sets.
    let keys: Vec<Vec<(Option<usize>, FxHashSet<&str>)>> = inputs
        .iter()
        .map(|i| {
            if i.complete {
                key_columns(i)
            } else {
                Vec::new()
            }
        })
        .collect();
    inputs
        .iter()
        .enumerate()
        .map(|(a, input)| {
            let mut out = Vec::new();
            for column in candidates(input.profile) {
                let values: BTreeSet<&str> = sample_values(input.sample, column).collect();
                if values.len() < 2 {
                    continue;
                }
                let total_len: usize = values.iter().map(|v| v.len()).sum();
                if total_len / values.len() > MAX_KEY_LEN {
                    continue;
                }
                let numeric = values.iter().all(|v| v.bytes().all(|b| b.is_ascii_digit()));
                let header = header_key(input.profile.header_name(column));
                let mut best: Option<Relation> = None;
                for (b, target) in inputs.iter().enumerate() {
                    if a == b {
                        continue;
                    }
                    for (key_column, set) in &keys[b] {
                        if set.len() < 3 {
                            continue;
                        }
                        let matched = values.iter().filter(|v| set.contains(*v)).count();
                        let share = matched as f64 / values.len() as f64;
                        let named = names_target(&header, target.profile, *key_column);
                        let needed = if named { MIN_MATCH } else { MIN_MATCH_UNNAMED };
                        // Numbers match any numbered table: only with a header naming it.
                        if matched < 2 || share < needed || (numeric && !named) {
                            continue;
                        }
                        let better = best.as_ref().is_none_or(|r| matched > r.matched);
                        if better {
                            best = Some(Relation {
                                column,
                                target: target.profile.index,
                                target_column: *key_column,
                                kind: kind_of(target.profile.object, *key_column),
                                matched,
                                distinct: values.len(),
                                source: "inferred".to_owned(),
                            });
                        }
                    }
                }
                out.extend(best);
            }
            out
        })
        .collect()
}

/// Record ids and entities are referenced; the names of anything else small enough to
/// be read whole are a list of allowed values.
pub fn kind_of(object: ObjectType, key_column: Option<usize>) -> RelationKind {
    if key_column.is_none() {
        return RelationKind::Reference;
    }
    match object {
        ObjectType::Account
        | ObjectType::Contact
        | ObjectType::Lead
        | ObjectType::Deal
        | ObjectType::User
        | ObjectType::Case
        | ObjectType::Campaign => RelationKind::Reference,
        _ => RelationKind::Picklist,
    }
}

/// Columns of an input that may hold another input's keys: unmapped columns, free-text
/// company and owner names, and reference roles.
fn candidates(profile: &InputProfile) -> Vec<usize> {
    (0..profile.width())
        .filter(|c| Some(*c) != profile.id_column && Some(*c) != profile.labels_column)
        .filter(|c| match profile.columns.role(*c) {
            None => true,
            Some(Role::Company | Role::Owner) => true,
            Some(role) => matches!(role.kind(), ValueKind::Reference(_) | ValueKind::Id),
        })
        .collect()
}

/// The key columns of an input with their sampled values: its ids, its name columns,
/// and a first column whose sampled values are all distinct.
fn key_columns<'a>(input: &Sampled<'a>) -> Vec<(Option<usize>, FxHashSet<&'a str>)> {
    let profile = input.profile;
    let mut out: Vec<(Option<usize>, FxHashSet<&str>)> = Vec::new();
    let set = |c: usize| -> FxHashSet<&'a str> { sample_values(input.sample, c).collect() };
    if let Some(id) = profile.id_column {
        out.push((None, set(id)));
    }
    let mut named: Vec<usize> = [Role::Name, Role::FullName, Role::Username, Role::Email]
        .iter()
        .filter_map(|r| profile.columns.column(*r))
        .collect();
    let first_distinct = {
        let values: Vec<&str> = sample_values(input.sample, 0).collect();
        let distinct: FxHashSet<&str> = values.iter().copied().collect();
        !values.is_empty() && distinct.len() == values.len()
    };
    if first_distinct && profile.id_column != Some(0) {
        named.push(0);
    }
    named.sort_unstable();
    named.dedup();
    out.extend(named.into_iter().map(|c| (Some(c), set(c))));
    out
}

/// Whether a header names the target input: its object, a word of its file name, or
/// its key column's header (`account` → `accounts.csv`, `sales_agent` → a table keyed
/// by `sales_agent`).
fn names_target(header: &str, target: &InputProfile, key_column: Option<usize>) -> bool {
    if header.is_empty() {
        return false;
    }
    let object = target.object.as_str().replace('_', "");
    let stem = target
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&target.name)
        .split('.')
        .next()
        .unwrap_or_default();
    let stem = header_key(stem);
    let stem_singular = stem.strip_suffix('s').unwrap_or(&stem).to_owned();
    let key = key_column.map(|c| header_key(target.header_name(c)));
    let contains = |word: &str| {
        word.len() >= 3 && header.len() >= 3 && (header.contains(word) || word.contains(header))
    };
    (target.object != ObjectType::Generic && contains(&object))
        || object_words(target.object).iter().any(|w| contains(w))
        || contains(&stem_singular)
        || key.as_deref().is_some_and(|k| k == header)
}

/// Words a column header uses for an object type, in the languages of the CRMs read
/// (`Компания` → accounts, `Ответственный` → users).
fn object_words(object: ObjectType) -> &'static [&'static str] {
    match object {
        ObjectType::Account => &[
            "account",
            "company",
            "organization",
            "organisation",
            "компания",
            "организация",
            "клиент",
            "контрагент",
        ],
        ObjectType::Contact => &["contact", "person", "контакт"],
        ObjectType::Lead => &["lead", "лид"],
        ObjectType::Deal => &["deal", "opportunity", "сделка"],
        ObjectType::User => &[
            "owner",
            "user",
            "rep",
            "ответственный",
            "менеджер",
            "пользователь",
        ],
        ObjectType::Product => &["product", "товар", "продукт"],
        ObjectType::Campaign => &["campaign", "кампания"],
        _ => &[],
    }
}
