//! Blocking: which pairs get compared. Each rule is a list of match keys; records that
//! share all of a rule's keys form a block, and every pair inside a block is a
//! candidate. Candidates are the union over rules, each pair compared once and credited
//! to the first rule that produced it. Never all-pairs: blocks larger than
//! `max-block-size` are skipped and counted.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::features::{Features, Field};
use crate::input::object::ObjectType;

/// A match key usable in a blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKey {
    Email,
    Phone,
    /// Canonical first name (nicknames resolved).
    FirstName,
    LastName,
    LastPhonetic,
    FirstInitial,
    /// First and last name in either order (catches swapped names).
    NameSet,
    Company,
    Domain,
    Street,
    City,
    Postcode,
    State,
    BirthDate,
    NationalId,
    StreetNumber,
}

impl BlockKey {
    pub const ALL: [BlockKey; 16] = [
        BlockKey::Email,
        BlockKey::Phone,
        BlockKey::FirstName,
        BlockKey::LastName,
        BlockKey::LastPhonetic,
        BlockKey::FirstInitial,
        BlockKey::NameSet,
        BlockKey::Company,
        BlockKey::Domain,
        BlockKey::Street,
        BlockKey::City,
        BlockKey::Postcode,
        BlockKey::State,
        BlockKey::BirthDate,
        BlockKey::NationalId,
        BlockKey::StreetNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockKey::Email => "email",
            BlockKey::Phone => "phone",
            BlockKey::FirstName => "first_name",
            BlockKey::LastName => "last_name",
            BlockKey::LastPhonetic => "last_name_phonetic",
            BlockKey::FirstInitial => "first_initial",
            BlockKey::NameSet => "name_set",
            BlockKey::Company => "company",
            BlockKey::Domain => "domain",
            BlockKey::Street => "street",
            BlockKey::City => "city",
            BlockKey::Postcode => "postcode",
            BlockKey::State => "state",
            BlockKey::BirthDate => "birth_date",
            BlockKey::NationalId => "national_id",
            BlockKey::StreetNumber => "street_number",
        }
    }

    pub fn parse(s: &str) -> Option<BlockKey> {
        BlockKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One blocking rule: records agreeing on all keys are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule(pub Vec<BlockKey>);

impl BlockingRule {
    pub fn name(&self) -> String {
        self.0.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("+")
    }

    fn of(keys: &[BlockKey]) -> BlockingRule {
        BlockingRule(keys.to_vec())
    }
}

/// Default rules: strict keys first, so most pairs are credited to the most telling rule.
pub fn default_rules(object: ObjectType) -> Vec<BlockingRule> {
    use BlockKey::*;
    if object == ObjectType::Account {
        return [
            &[Domain][..],
            &[Phone],
            &[Company, City],
            &[Company, Postcode],
            &[Street, Postcode],
        ]
        .iter()
        .map(|k| BlockingRule::of(k))
        .collect();
    }
    [
        &[Email][..],
        &[Phone],
        &[NationalId],
        &[LastName, Postcode],
        &[FirstName, Postcode],
        &[NameSet, City],
        &[NameSet, Postcode],
        &[FirstName, LastName, State],
        &[BirthDate, FirstInitial],
        &[BirthDate, LastPhonetic],
        &[BirthDate, Postcode],
        &[StreetNumber, Postcode],
        &[LastPhonetic, FirstInitial, Street],
    ]
    .iter()
    .map(|k| BlockingRule::of(k))
    .collect()
}

/// Candidate pairs and how blocking went.
pub struct Candidates {
    /// `(a, b, rule)` with `a < b`, sorted, each pair once.
    pub pairs: Vec<(u32, u32, u8)>,
    /// Pairs credited to each rule.
    pub by_rule: Vec<usize>,
    pub skipped_blocks: usize,
    pub skipped_records: usize,
}

/// Generates the candidate pairs of `rules` (rules whose keys the data lacks are skipped).
pub fn candidates(f: &Features, rules: &[BlockingRule], max_block: usize) -> Candidates {
    let per_rule: Vec<(Vec<(u32, u32, u8)>, usize, usize)> = rules
        .par_iter()
        .enumerate()
        .map(|(r, rule)| rule_pairs(f, rule, r as u8, max_block))
        .collect();
    let mut skipped_blocks = 0;
    let mut skipped_records = 0;
    let mut pairs = Vec::with_capacity(per_rule.iter().map(|p| p.0.len()).sum());
    for (p, blocks, records) in per_rule {
        pairs.extend(p);
        skipped_blocks += blocks;
        skipped_records += records;
    }
    pairs.par_sort_unstable();
    pairs.dedup_by_key(|(a, b, _)| (*a, *b));
    let mut by_rule = vec![0; rules.len()];
    for &(_, _, r) in &pairs {
        by_rule[r as usize] += 1;
    }
    Candidates { pairs, by_rule, skipped_blocks, skipped_records }
}

fn rule_pairs(f: &Features, rule: &BlockingRule, r: u8, max_block: usize) -> (Vec<(u32, u32, u8)>, usize, usize) {
    let mut keyed: Vec<(u64, u32)> = (0..f.len())
        .into_par_iter()
        .flat_map_iter(|i| keys(f, rule, i).into_iter().map(move |h| (h, i as u32)))
        .collect();
    keyed.par_sort_unstable();
    keyed.dedup();
    let mut pairs = Vec::new();
    let (mut skipped_blocks, mut skipped_records) = (0, 0);
    let mut start = 0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        let block = &keyed[start..end];
        if block.len() > max_block {
            skipped_blocks += 1;
            skipped_records += block.len();
        } else {
            for (i, &(_, a)) in block.iter().enumerate() {
                for &(_, b) in &block[i + 1..] {
                    if a != b {
                        pairs.push((a.min(b), a.max(b), r));
                    }
                }
            }
        }
        start = end;
    }
    (pairs, skipped_blocks, skipped_records)
}

/// Hashes of the rule's key for record `i` (several for several phones); none when a
/// key part is blank.
fn keys(f: &Features, rule: &BlockingRule, i: usize) -> Vec<u64> {
    let mut partial: Vec<FxHasher> = vec![FxHasher::default()];
    for key in &rule.0 {
        let parts: Vec<String> = match key {
            BlockKey::Phone => match f.slot(Field::Phone) {
                Some(s) => f.value(s, i).split('|').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
                None => Vec::new(),
            },
            BlockKey::FirstName => one(f.slot(Field::FirstName).map(|_| f.first_canonical.get(i))),
            BlockKey::LastPhonetic => one(f.slot(Field::LastName).map(|_| f.last_phonetic.get(i))),
            BlockKey::FirstInitial => {
                one(f.slot(Field::FirstName).map(|s| f.value(s, i).get(..1).unwrap_or("")))
            }
            BlockKey::NameSet => match (f.slot(Field::FirstName), f.slot(Field::LastName)) {
                (Some(a), Some(b)) => {
                    let (x, y) = (f.value(a, i), f.value(b, i));
                    if x.is_empty() || y.is_empty() {
                        Vec::new()
                    } else if x <= y {
                        vec![format!("{x} {y}")]
                    } else {
                        vec![format!("{y} {x}")]
                    }
                }
                _ => Vec::new(),
            },
            other => {
                let field = match other {
                    BlockKey::Email => Field::Email,
                    BlockKey::LastName => Field::LastName,
                    BlockKey::Company => Field::Company,
                    BlockKey::Domain => Field::Domain,
                    BlockKey::Street => Field::Street,
                    BlockKey::City => Field::City,
                    BlockKey::Postcode => Field::Postcode,
                    BlockKey::State => Field::State,
                    BlockKey::BirthDate => Field::BirthDate,
                    BlockKey::StreetNumber => Field::StreetNumber,
                    _ => Field::NationalId,
                };
                one(f.slot(field).map(|s| f.value(s, i)))
            }
        };
        if parts.is_empty() {
            return Vec::new();
        }
        partial = partial
            .into_iter()
            .flat_map(|h| {
                parts.iter().map(move |p| {
                    let mut h = h.clone();
                    p.hash(&mut h);
                    h
                })
            })
            .collect();
    }
    partial.into_iter().map(|h| h.finish()).collect()
}

fn one(value: Option<&str>) -> Vec<String> {
    match value {
        Some(v) if !v.is_empty() => vec![v.to_owned()],
        _ => Vec::new(),
    }
}
