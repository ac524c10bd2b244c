//! Picklists: a column's allowed values and how a value relates to them. Shared by
//! `value-not-allowed` (FM002) and `allowed-value-variant` (FM003), which split the
//! values outside the list between them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::input::profile::sample_values;
use crate::input::relations::RelationKind;
use crate::normalize::text::fold_alnum;

/// Shortest folded value for which a typo is considered (shorter words differ by design:
/// `Won`/`Wan`).
const MIN_FUZZY_LEN: usize = 4;

/// How a value relates to a picklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PicklistMatch {
    Allowed,
    /// Differs from the allowed value at this index only by case, spacing,
    /// punctuation or a few edits.
    Variant(usize, Nearness),
    NotAllowed,
}

/// How a variant relates to the allowed value it is near.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nearness {
    /// Only case, spacing or punctuation differ, and no other allowed value is written
    /// with the same letters: the same value, certainly.
    Spelling,
    /// Case, spacing or punctuation, where several allowed values share the letters.
    SharedSpelling,
    /// A typo from exactly one allowed value.
    Typo,
    /// A typo as near to another allowed value as to this one.
    TiedTypo,
}

/// A picklist: the allowed values and their folded forms for near-miss matching.
#[derive(Debug, Clone)]
pub struct AllowedValues {
    pub values: Vec<String>,
    exact: HashSet<String>,
    /// Folded (`fold_alnum`) form of each value, in order.
    folded_list: Vec<String>,
    /// Folded form → the first allowed value with it, and whether another shares it.
    folded: HashMap<String, (usize, bool)>,
}

impl AllowedValues {
    pub fn new(values: &[String]) -> AllowedValues {
        let folded_list: Vec<String> = values.iter().map(|v| fold_alnum(v)).collect();
        let mut folded = HashMap::default();
        for (i, f) in folded_list.iter().enumerate() {
            folded
                .entry(f.clone())
                .and_modify(|(_, shared)| *shared = true)
                .or_insert((i, false));
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
        if let Some(&(i, shared)) = self.folded.get(&f) {
            let nearness = if shared {
                Nearness::SharedSpelling
            } else {
                Nearness::Spelling
            };
            return PicklistMatch::Variant(i, nearness);
        }
        if max_edits == 0 || f.chars().count() < MIN_FUZZY_LEN {
            return PicklistMatch::NotAllowed;
        }
        let mut near: Vec<(usize, usize)> = self
            .folded_list
            .iter()
            .enumerate()
            .filter(|(_, allowed)| allowed.chars().count() >= MIN_FUZZY_LEN)
            .map(|(i, allowed)| (strsim::osa_distance(&f, allowed), i))
            .filter(|(d, _)| *d <= max_edits)
            .collect();
        near.sort_unstable();
        match near.as_slice() {
            [] => PicklistMatch::NotAllowed,
            [(d, i), (next, j), ..]
                if d == next && self.folded_list[*i] != self.folded_list[*j] =>
            {
                PicklistMatch::Variant(*i, Nearness::TiedTypo)
            }
            [(_, i), ..] => PicklistMatch::Variant(*i, Nearness::Typo),
        }
    }
}

/// A column's picklist.
pub struct Picklist {
    pub column: usize,
    pub allowed: AllowedValues,
    /// The list is a built-in default, not the user's.
    pub default: bool,
}

/// The picklists of one input's columns: `[objects.<object>.allowed]`, and columns
/// whose values come from a small lookup input of the run (its key column is the list).
pub fn resolve(cx: &crate::checks::PrepareContext<'_>) -> Vec<Picklist> {
    let mut lists: Vec<Picklist> = cx
        .rules()
        .map(|rules| {
            rules
                .allowed
                .iter()
                .filter_map(|(f, v)| {
                    Some(Picklist {
                        column: cx.resolve(f, "picklist field")?,
                        allowed: AllowedValues::new(v),
                        default: cx.is_default(|d| d.allowed.get(f) == Some(v)),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    for relation in &cx.profile.relations {
        if relation.kind != RelationKind::Picklist
            || lists.iter().any(|l| l.column == relation.column)
        {
            continue;
        }
        let Some((target, sample)) = cx.inputs.get(relation.target as usize) else {
            continue;
        };
        let Some(key) = relation.target_column.or(target.id_column) else {
            continue;
        };
        let mut values: Vec<String> = sample_values(sample, key).map(str::to_owned).collect();
        values.sort();
        values.dedup();
        lists.push(Picklist {
            column: relation.column,
            allowed: AllowedValues::new(&values),
            // Inferred from the data: where it does not fit, one notice (IN004).
            default: true,
        });
    }
    lists
}
