//! `[duplicates.<object>]`: matching settings per object type. The rule-file loader
//! keeps these tables as written; this module, which owns them, reads and validates
//! them when the run is configured.

use std::collections::BTreeMap;

use super::blocking::{BlockKey, BlockingRule};
use crate::config::{Diagnostic, OptionTable, Settings};
use crate::input::object::ObjectType;

/// Duplicate matching for one object type.
#[derive(Debug, Clone)]
pub struct DuplicateSettings {
    /// Blocking rules; `None` means the defaults for the object type.
    pub block: Option<Vec<BlockingRule>>,
    /// Pairs at or above this match probability are duplicates (and clustered).
    pub match_probability: f64,
    /// Pairs between this and the match probability are listed for review; below it, a
    /// compared pair is evidence that two records differ.
    pub review_probability: f64,
    /// Blocks larger than this are skipped (and counted).
    pub max_block_size: usize,
    pub max_cluster_size: usize,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings {
            block: None,
            match_probability: 0.9,
            review_probability: 0.5,
            max_block_size: 1000,
            max_cluster_size: 50,
        }
    }
}

/// The settings of every object type that has a `[duplicates.<object>]` section, each
/// layer applied in order. Problems go to `diagnostics`.
pub fn load(
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<ObjectType, DuplicateSettings> {
    let mut out: BTreeMap<ObjectType, DuplicateSettings> = BTreeMap::new();
    for (object, raw) in &settings.duplicate_options {
        let dup = out.entry(*object).or_default();
        let section = format!("[duplicates.{}]", raw.name);
        let mut t = OptionTable::new(&raw.layer, section, raw.item.clone(), diagnostics);
        apply(dup, &mut t);
    }
    out
}

fn apply(dup: &mut DuplicateSettings, t: &mut OptionTable<'_>) {
    if let Some(rules) = t.string_list_array("block") {
        let mut parsed = Vec::new();
        for rule in rules {
            let mut keys = Vec::new();
            for (name, at) in rule {
                match BlockKey::parse(&name) {
                    Some(key) => keys.push(key),
                    None => {
                        let names: Vec<&str> = BlockKey::ALL.iter().map(|k| k.as_str()).collect();
                        t.error_at(
                            at,
                            format!(
                                "unknown blocking key `{name}` (known: {})",
                                names.join(", ")
                            ),
                        );
                    }
                }
            }
            if !keys.is_empty() {
                parsed.push(BlockingRule(keys));
            }
        }
        dup.block = Some(parsed);
    }
    if let Some(mut threshold) = t.table("threshold") {
        if let Some(p) = threshold.number("match", 0.0..=1.0) {
            dup.match_probability = p;
        }
        if let Some(p) = threshold.number("review", 0.0..=1.0) {
            dup.review_probability = p;
        }
        if dup.review_probability > dup.match_probability {
            let (at, section) = (threshold.at(), threshold.section().to_owned());
            threshold.error_at(at, format!("{section}: `review` must not be above `match`"));
        }
    }
    if let Some(n) = t.integer("max-block-size", 2..=1_000_000) {
        dup.max_block_size = n as usize;
    }
    if let Some(n) = t.integer("max-cluster-size", 2..=1_000_000) {
        dup.max_cluster_size = n as usize;
    }
}
