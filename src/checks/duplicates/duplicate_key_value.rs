use std::borrow::Cow;
use std::hash::BuildHasher;

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::checks::prelude::*;
use crate::config::FieldRef;
use crate::input::columns::{Role, ValueKind};
use crate::input::table::StrColumn;
use crate::normalize::email::email_key;
use crate::normalize::salesforce_id::join_key;
use crate::normalize::text::fold_spaces;

declare_check! {
    /// ## What it checks
    /// Records of one input that repeat another record's key: the same record id, the
    /// same email address (compared by match key: case, Gmail dots and `+tags` ignored),
    /// or the same value of any other key column set for the object. The first record
    /// with a key is kept; each later one is reported, naming the first.
    ///
    /// ## Why it matters
    /// Repeated ids mean a broken or concatenated export: joins multiply rows. Repeated
    /// emails are the commonest duplicate people (HubSpot keys contacts by email); they
    /// double-count leads and split a customer's history.
    ///
    /// ## Example
    /// | Id  | Email               | flagged                 |
    /// |-----|---------------------|-------------------------|
    /// | 1   | `ann@example.com`   | no (first)              |
    /// | 2   | `Ann@Example.com `  | yes (same email as 1)   |
    /// | 1   | `bo@example.com`    | yes (same id as 1)      |
    ///
    /// ## Options
    /// - `objects.<object>.unique`: key fields, by role or header (default: `id`, plus
    ///   `email` for contacts and leads, `name` for accounts).
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct DuplicateKeyValue;
    code = "DU001",
    name = "duplicate-key-value",
    family = Duplicates,
    scope = Dataset,
    severity = Warning,
    dimension = Uniqueness,
}

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

impl Check for DuplicateKeyValue {
    type Options = ();
    /// Key columns and how each is compared.
    type Prepared = Vec<(usize, KeyKind)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, KeyKind)>> {
        let profile = cx.profile;
        let mut unique: Vec<(usize, KeyKind)> = cx
            .rules()?
            .unique
            .iter()
            .filter_map(|f| {
                let c = if matches!(f, FieldRef::Role(Role::Id)) {
                    profile.id_column
                } else {
                    cx.resolve(f, "unique field")
                }?;
                let kind = match profile.columns.role(c) {
                    _ if Some(c) == profile.id_column => KeyKind::Id,
                    Some(r) if r.kind() == ValueKind::Email => KeyKind::Email,
                    _ => KeyKind::Text,
                };
                Some((c, kind))
            })
            .collect();
        unique.sort_by_key(|(c, _)| *c);
        unique.dedup_by_key(|(c, _)| *c);
        (!unique.is_empty()).then_some(unique)
    }

    fn kept_columns(&self, unique: &Vec<(usize, KeyKind)>) -> Vec<usize> {
        // Record ids are always kept.
        unique
            .iter()
            .filter(|(_, kind)| *kind != KeyKind::Id)
            .map(|(c, _)| *c)
            .collect()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        prepared: &[Option<&Vec<(usize, KeyKind)>>],
        sink: &mut DatasetSink,
    ) {
        for (table, unique) in cx.tables.iter().zip(prepared) {
            let Some(unique) = unique else {
                continue;
            };
            for &(column, kind) in *unique {
                let values = if kind == KeyKind::Id {
                    &table.ids
                } else {
                    let Some(values) = table.column(column) else {
                        continue;
                    };
                    values
                };
                for (record, original) in repeats(values, kind) {
                    sink.report(
                        table,
                        record,
                        Some(column),
                        Some(values.get(record)),
                        format!(
                            "same `{}` as record {} (line {})",
                            table.header_name(column),
                            table.id(original),
                            table.lines[original]
                        ),
                    );
                }
            }
        }
    }
}

/// Every record whose key an earlier record already has, with that first record, in
/// record order. Keys are computed in parallel and the first-occurrence maps are
/// sharded by key hash, so both cores share the work.
fn repeats(values: &StrColumn, kind: KeyKind) -> Vec<(usize, usize)> {
    let keys: Vec<Option<Cow<'_, str>>> = (0..values.len())
        .into_par_iter()
        .map(|i| key(values.get(i), kind))
        .collect();
    let shard_count = (rayon::current_num_threads() * 4).max(1);
    let hashes: Vec<u64> = keys
        .par_iter()
        .map(|k| k.as_deref().map_or(0, |k| FxBuildHasher.hash_one(k)))
        .collect();
    let mut shards: Vec<Vec<u32>> = vec![Vec::new(); shard_count];
    for (record, key) in keys.iter().enumerate() {
        if key.is_some() {
            shards[(hashes[record] % shard_count as u64) as usize].push(record as u32);
        }
    }
    let mut found: Vec<(usize, usize)> = shards
        .par_iter()
        .flat_map_iter(|records| {
            let mut first: FxHashMap<&str, usize> =
                FxHashMap::with_capacity_and_hasher(records.len(), Default::default());
            let mut out = Vec::new();
            for &record in records {
                let record = record as usize;
                let Some(key) = keys[record].as_deref() else {
                    continue;
                };
                match first.get(key) {
                    None => {
                        first.insert(key, record);
                    }
                    Some(&original) => out.push((record, original)),
                }
            }
            out
        })
        .collect();
    found.sort_unstable();
    found
}

/// The comparison key of a value, or `None` for a blank (blanks are never duplicates).
fn key(value: &str, kind: KeyKind) -> Option<Cow<'_, str>> {
    if value.is_empty() {
        return None;
    }
    Some(match kind {
        KeyKind::Id => Cow::Borrowed(join_key(value)),
        KeyKind::Email => Cow::Owned(email_key(value).unwrap_or_else(|| value.to_lowercase())),
        KeyKind::Text => Cow::Owned(fold_spaces(value)),
    })
}
