use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::checks::prelude::*;
use crate::engine::plan::{KeyKind, looks_like_salesforce_id};
use crate::normalize::email::email_key;
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

impl Check for DuplicateKeyValue {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_dataset(&self, ctx: &DatasetContext<'_>, sink: &mut DatasetSink) {
        for (table, plan) in ctx.tables.iter().zip(ctx.plans) {
            for &(column, kind) in &plan.unique {
                let values = if Some(column) == table.id_column {
                    &table.ids
                } else {
                    let Some(values) = table.column(column) else {
                        continue;
                    };
                    values
                };
                let keys: Vec<Option<Cow<'_, str>>> = (0..values.len())
                    .into_par_iter()
                    .map(|i| key(values.get(i), kind))
                    .collect();
                let mut first: FxHashMap<&str, usize> =
                    FxHashMap::with_capacity_and_hasher(keys.len(), Default::default());
                for (record, key) in keys.iter().enumerate() {
                    let Some(key) = key.as_deref() else { continue };
                    match first.get(key) {
                        None => {
                            first.insert(key, record);
                        }
                        Some(&original) => sink.report(
                            &Self::META,
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
                        ),
                    }
                }
            }
        }
    }
}

/// The comparison key of a value, or `None` for a blank (blanks are never duplicates).
fn key(value: &str, kind: KeyKind) -> Option<Cow<'_, str>> {
    if value.is_empty() {
        return None;
    }
    Some(match kind {
        KeyKind::Id if value.len() == 18 && looks_like_salesforce_id(value) => {
            Cow::Borrowed(&value[..15])
        }
        KeyKind::Id => Cow::Borrowed(value),
        KeyKind::Email => Cow::Owned(email_key(value).unwrap_or_else(|| value.to_lowercase())),
        KeyKind::Text => Cow::Owned(fold_spaces(value)),
    })
}
