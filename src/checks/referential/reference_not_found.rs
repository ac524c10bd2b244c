use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use crate::checks::prelude::*;
use crate::checks::referential::ids_of;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::profile::looks_hashed;
use crate::input::relations::RelationKind;
use crate::input::table::Table;
use crate::normalize::salesforce_id::{join_key, key_prefix};

declare_check! {
    /// ## What it checks
    /// Reference columns (`AccountId` on contacts and deals, `OwnerId`, `ParentId`,
    /// `ConvertedContactId`, …) whose value is not the id of any record in the inputs of
    /// the referenced object. A polymorphic lookup (`WhoId`, `WhatId` on tasks and
    /// events) is checked value by value against the object its Salesforce key prefix
    /// names. Runs only when the run includes an input of that object,
    /// e.g. `accounts.csv` for `AccountId`. Salesforce 15- and 18-character forms of one
    /// id match each other.
    ///
    /// ## Why it matters
    /// An orphan contact drops out of every account roll-up (contacts per account,
    /// revenue by industry); an orphan deal's revenue belongs to no customer.
    ///
    /// ## Example
    /// With accounts `001…A1` and `001…A2` in `accounts.csv`:
    ///
    /// | contact | AccountId | flagged |
    /// |---------|-----------|---------|
    /// | Ann     | `001…A9`  | yes     |
    /// | Bo      | `001…A1`  | no      |
    /// | Cy      | ``        | no (reported as `reference-blank`) |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ReferenceNotFound;
    code = "RF001",
    name = "reference-not-found",
    family = Referential,
    scope = Dataset,
    severity = Error,
    dimension = Consistency,
}

/// Unresolved values from which a column that (nearly) never joins is reported once.
const MIN_COLUMN_FAILURE: usize = 5;

/// Share of a column's references (in percent) that must fail for the column to be
/// reported once instead of per record. History, link and line-item tables of a sampled
/// or filtered export routinely point at records the export left out: a quarter failing
/// already says more about the export than about each row.
fn fold_percent(object: ObjectType) -> usize {
    match object {
        ObjectType::History
        | ObjectType::DealHistory
        | ObjectType::Association
        | ObjectType::CampaignMember
        | ObjectType::LineItem => 25,
        _ => 90,
    }
}

/// What a reference column points at.
#[derive(Debug, Clone)]
pub enum Target {
    /// The ids of every input of an object type (`AccountId` → accounts).
    Object(ObjectType),
    /// One input's key column (`None`: its ids), found from the values.
    Input { input: u32, column: Option<usize> },
    /// A polymorphic lookup (Salesforce `WhoId`, `WhatId`): each value's key prefix
    /// names its object (`003` a contact, `00Q` a lead, `006` a deal); values of an
    /// object the run has no input of cannot be checked.
    ByPrefix,
}

impl Check for ReferenceNotFound {
    type Options = ();
    /// Reference columns and what each refers to.
    type Prepared = Vec<(usize, Target)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, Target)>> {
        let profile = cx.profile;
        let related: Vec<(usize, Target)> = profile
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Reference)
            .map(|r| {
                (
                    r.column,
                    Target::Input {
                        input: r.target,
                        column: r.target_column,
                    },
                )
            })
            .collect();
        let by_role = profile
            .columns
            .mapped()
            .filter(|(c, _)| !related.iter().any(|(r, _)| r == c))
            .filter_map(|(c, role)| match role {
                Role::WhoId | Role::WhatId => Some((c, Target::ByPrefix)),
                _ => Some((c, Target::Object(role.references()?))),
            });
        let references: Vec<(usize, Target)> = related.iter().cloned().chain(by_role).collect();
        (!references.is_empty()).then_some(references)
    }

    fn kept_columns(&self, references: &Vec<(usize, Target)>) -> Vec<usize> {
        references.iter().map(|(c, _)| *c).collect()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<(usize, Target)>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(references)) = (input.table, input.prepared) else {
                continue;
            };
            for (column, target) in references {
                let column = *column;
                let Some(values) = table.column(column) else {
                    continue;
                };
                let Some(Unresolved {
                    missing,
                    checked: present,
                    targets,
                    all_targets: what,
                    keys_hashed,
                }) = unresolved(cx.tables, target, values)
                else {
                    continue;
                };
                // A column where (nearly) nothing joins is one fact about the inputs, not
                // a defect of each record: ids of another system, another portal, or a
                // partial export.
                if missing.len() >= MIN_COLUMN_FAILURE
                    && missing.len() * 100 >= present * fold_percent(table.object)
                {
                    let examples: Vec<&str> = missing
                        .iter()
                        .take(3)
                        .map(|(r, _)| values.get(*r))
                        .collect();
                    let hashed = missing
                        .iter()
                        .filter(|(r, _)| looks_hashed(values.get(*r)))
                        .count();
                    if !keys_hashed && hashed * 10 >= missing.len() * 9 {
                        // Obfuscated ids (a warehouse sync that hashes lookups) against
                        // plain ones: nothing can join them, which says nothing about the
                        // records.
                        sink.report_input_notice(
                            table,
                            Some(column),
                            format!(
                                "`{}`: {} of {} values are hashes (obfuscated ids, e.g. {}), so this column cannot be joined to {what}; not checked",
                                table.header_name(column),
                                hashed,
                                present,
                                examples[0]
                            ),
                        );
                        continue;
                    }
                    sink.report_input(
                        table,
                        Some(column),
                        format!(
                            "`{}`: {} of {} values are not {what}, so this column does not join to it (ids of another system, or an incomplete export); e.g. {}",
                            table.header_name(column),
                            missing.len(),
                            present,
                            examples.join(", ")
                        ),
                    );
                    continue;
                }
                for (record, target) in missing {
                    let (value, what) = (values.get(record), &targets[target]);
                    sink.report(
                        table,
                        record,
                        Some(column),
                        Some(value),
                        format!("`{}` = `{value}` is not {what}", table.header_name(column),),
                    );
                }
            }
        }
    }
}

/// The values of one reference column that resolve to nothing.
struct Unresolved {
    /// Records whose value is no key, with the index in `targets` of what it missed.
    missing: Vec<(usize, usize)>,
    /// Values that could be checked (not blank; for a polymorphic column, naming an
    /// object the run has an input of).
    checked: usize,
    /// How each target is named ("the id of any account in accounts.csv").
    targets: Vec<String>,
    /// All of them, in object order ("… or …").
    all_targets: String,
    /// The target's keys are hashes too, so hashed values compare.
    keys_hashed: bool,
}

/// The unresolved values of a column, or `None` when the run has nothing to check it
/// against.
fn unresolved(
    tables: &[Table],
    target: &Target,
    values: &crate::input::table::StrColumn,
) -> Option<Unresolved> {
    if !matches!(target, Target::ByPrefix) {
        let (keys, what) = keys_of(tables, target)?;
        let sample: Vec<&&str> = keys.iter().take(100).collect();
        let keys_hashed = !sample.is_empty()
            && sample.iter().filter(|k| looks_hashed(k)).count() * 10 >= sample.len() * 9;
        return Some(Unresolved {
            missing: values
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty() && !keys.contains(join_key(v)))
                .map(|(r, _)| (r, 0))
                .collect(),
            checked: values.iter().filter(|v| !v.is_empty()).count(),
            all_targets: what.clone(),
            targets: vec![what],
            keys_hashed,
        });
    }
    // Polymorphic: each value against the object its prefix names, when the run has it.
    let mut by_object: BTreeMap<ObjectType, Option<(HashSet<&str>, usize)>> = BTreeMap::new();
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (record, value) in values.iter().enumerate() {
        let Some((object, _)) = key_prefix(value).and_then(ObjectType::from_salesforce_prefix)
        else {
            continue;
        };
        let entry = by_object.entry(object).or_insert_with(|| {
            let (keys, what) = keys_of(tables, &Target::Object(object))?;
            targets.push(what);
            Some((keys, targets.len() - 1))
        });
        let Some((keys, target)) = entry else {
            continue;
        };
        checked += 1;
        if !keys.contains(join_key(value)) {
            missing.push((record, *target));
        }
    }
    let all_targets: Vec<&str> = by_object
        .values()
        .flatten()
        .map(|(_, i)| targets[*i].as_str())
        .collect();
    let all_targets = all_targets.join(" or ");
    (!targets.is_empty()).then_some(Unresolved {
        missing,
        checked,
        targets,
        all_targets,
        keys_hashed: false,
    })
}

/// The keys a reference must be one of, and how to name them in a message ("the id of
/// any account in accounts.csv"), or `None` when the run has no such input.
fn keys_of<'t>(tables: &'t [Table], target: &Target) -> Option<(HashSet<&'t str>, String)> {
    match target {
        // Per value: see `unresolved_by_prefix`.
        Target::ByPrefix => None,
        Target::Object(object) => {
            let (ids, names) = ids_of(tables, *object)?;
            Some((
                ids,
                format!("the id of any {object} in {}", names.join(", ")),
            ))
        }
        Target::Input { input, column } => {
            let table = tables.get(*input as usize)?;
            match column {
                None => Some((
                    table.ids.iter().map(join_key).collect(),
                    format!("the id of any {} in {}", table.object, table.name),
                )),
                Some(c) => Some((
                    table.column(*c)?.iter().collect(),
                    format!(
                        "among the `{}` values of {}",
                        table.header_name(*c),
                        table.name
                    ),
                )),
            }
        }
    }
}
