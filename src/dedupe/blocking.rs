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
    LastInitial,
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
    pub const ALL: [BlockKey; 17] = [
        BlockKey::Email,
        BlockKey::Phone,
        BlockKey::FirstName,
        BlockKey::LastName,
        BlockKey::LastPhonetic,
        BlockKey::FirstInitial,
        BlockKey::LastInitial,
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
            BlockKey::LastInitial => "last_initial",
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
        self.0
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("+")
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
        &[LastName, Postcode, FirstInitial],
        &[FirstName, Postcode, LastInitial],
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

/// One rule's pairs, skipped blocks and records in them.
type RulePairs = (Vec<(u32, u32, u8)>, usize, usize);

/// Generates the candidate pairs of `rules` (rules whose keys the data lacks are skipped).
pub fn candidates(f: &Features, rules: &[BlockingRule], max_block: usize) -> Candidates {
    let per_rule: Vec<RulePairs> = rules
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
    Candidates {
        pairs,
        by_rule,
        skipped_blocks,
        skipped_records,
    }
}

fn rule_pairs(f: &Features, rule: &BlockingRule, r: u8, max_block: usize) -> RulePairs {
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
    let mut hashers: Vec<FxHasher> = vec![FxHasher::default()];
    for key in &rule.0 {
        match key {
            // Shared switchboard numbers say where someone works, not who they are:
            // blocking on them would compare every pair of colleagues.
            BlockKey::Phone => {
                let Some(s) = f.slot(Field::Phone) else {
                    return Vec::new();
                };
                let numbers: Vec<&str> = f
                    .value(s, i)
                    .split('|')
                    .filter(|p| !p.is_empty() && !f.is_shared_phone(p))
                    .collect();
                if numbers.is_empty() {
                    return Vec::new();
                }
                hashers = hashers
                    .into_iter()
                    .flat_map(|h| {
                        numbers.iter().map(move |n| {
                            let mut h = h.clone();
                            n.hash(&mut h);
                            h
                        })
                    })
                    .collect();
            }
            BlockKey::NameSet => {
                let (x, y) = (f.base(Field::FirstName, i), f.base(Field::LastName, i));
                if x.is_empty() || y.is_empty() {
                    return Vec::new();
                }
                let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
                for h in &mut hashers {
                    lo.hash(h);
                    hi.hash(h);
                }
            }
            other => {
                let part = match other {
                    BlockKey::FirstName if f.slot(Field::FirstName).is_some() => {
                        f.first_canonical(i)
                    }
                    BlockKey::LastPhonetic if f.slot(Field::LastName).is_some() => {
                        f.last_phonetic(i)
                    }
                    // The initial of the canonical name, so `Bob` and `Robert` share `r`.
                    BlockKey::FirstInitial if f.slot(Field::FirstName).is_some() => {
                        f.first_canonical(i).get(..1).unwrap_or("")
                    }
                    BlockKey::LastInitial => f.base(Field::LastName, i).get(..1).unwrap_or(""),
                    BlockKey::Email => f.base(Field::Email, i),
                    BlockKey::LastName => f.base(Field::LastName, i),
                    BlockKey::Company => f.base(Field::Company, i),
                    BlockKey::Domain => f.base(Field::Domain, i),
                    BlockKey::Street => f.base(Field::Street, i),
                    BlockKey::City => f.base(Field::City, i),
                    BlockKey::Postcode => f.base(Field::Postcode, i),
                    BlockKey::State => f.base(Field::State, i),
                    BlockKey::BirthDate => f.base(Field::BirthDate, i),
                    BlockKey::StreetNumber => f.base(Field::StreetNumber, i),
                    BlockKey::NationalId => f.base(Field::NationalId, i),
                    _ => "",
                };
                if part.is_empty() {
                    return Vec::new();
                }
                for h in &mut hashers {
                    part.hash(h);
                }
            }
        }
    }
    hashers.into_iter().map(|h| h.finish()).collect()
}
