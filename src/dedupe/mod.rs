//! Duplicate detection: normalize → block → compare → score → cluster → explain.
//!
//! A stage after the scan, not a check: it reads the kept columns of every input of one
//! object type (contacts, leads, accounts, generic records with names), and its result
//! feeds `pairs.csv`, `clusters.csv`, the JSON report and the `DU002`/`DU003` findings.
//! Scores come from a Fellegi–Sunter model fitted to the data itself (`model`), so no
//! labels are needed; labels, when given, are only used to evaluate.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod evaluate;
pub mod features;
pub mod model;
pub mod settings;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use self::blocking::{BlockingRule, default_rules};
use self::evaluate::{Evaluation, Scores, cluster_counts, true_pairs};
use self::features::{Features, Field, RecordRef};
use self::model::{Model, pack, probability};
pub use self::settings::DuplicateSettings;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::table::Table;

/// A compared pair at or above the review threshold, with its evidence.
#[derive(Debug, Clone)]
pub struct ScoredPair {
    /// Feature indices, `a < b`.
    pub a: u32,
    pub b: u32,
    /// The blocking rule that produced the pair.
    pub rule: u8,
    pub weight: f64,
    pub probability: f64,
    /// Level of each field.
    pub levels: Vec<u8>,
    /// Weight of each field (level weight plus frequency adjustment).
    pub weights: Vec<f64>,
    /// First and last names agreed only after swapping.
    pub swapped: bool,
    pub is_match: bool,
    pub cluster: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub id: u32,
    /// Feature indices, ascending.
    pub members: Vec<u32>,
    /// The suggested surviving record: the most complete, then the first.
    pub survivor: u32,
}

/// The duplicates of one object type.
#[derive(Debug)]
pub struct Group {
    pub features: Features,
    pub inputs: Vec<String>,
    pub rules: Vec<BlockingRule>,
    pub pairs_by_rule: Vec<usize>,
    pub compared: usize,
    pub skipped_blocks: usize,
    pub skipped_records: usize,
    pub model: Model,
    pub settings: DuplicateSettings,
    /// Pairs at or above the review threshold, sorted by `(a, b)`.
    pub pairs: Vec<ScoredPair>,
    pub clusters: Vec<Cluster>,
    pub refused_links: usize,
    pub evaluation: Option<Evaluation>,
}

impl Group {
    pub fn object(&self) -> ObjectType {
        self.features.object
    }

    pub fn record(&self, index: u32) -> RecordRef {
        self.features.refs[index as usize]
    }
}

/// All groups of a run, and the evaluation over them.
#[derive(Debug)]
pub struct Duplicates {
    pub groups: Vec<Group>,
    pub evaluation: Option<Evaluation>,
}

/// Random pairs compared to start `u`.
const RANDOM_PAIRS: usize = 100_000;

/// Runs duplicate detection over every object type with enough to compare.
pub fn run(tables: &[Table], settings_for: impl Fn(ObjectType) -> DuplicateSettings) -> Duplicates {
    let mut groups = Vec::new();
    for object in [
        ObjectType::Account,
        ObjectType::Contact,
        ObjectType::Lead,
        ObjectType::Generic,
    ] {
        let members: Vec<&Table> = tables
            .iter()
            .filter(|t| t.object == object)
            .filter(|t| {
                object != ObjectType::Generic
                    || [Role::LastName, Role::FullName, Role::Email]
                        .iter()
                        .any(|r| t.columns.column(*r).is_some())
            })
            .collect();
        if members.iter().map(|t| t.len()).sum::<usize>() < 2 {
            continue;
        }
        let has_labels = members.iter().any(|t| t.labels_column.is_some());
        // One label per record, only when evaluating.
        let labels: Vec<&str> = if has_labels {
            members
                .iter()
                .flat_map(|t| {
                    let column = t.labels_column.and_then(|c| t.column(c));
                    (0..t.len()).map(move |r| column.map_or("", |c| c.get(r)))
                })
                .collect()
        } else {
            Vec::new()
        };
        let group = dedupe_group(
            object,
            &members,
            settings_for(object),
            has_labels.then_some(&labels[..]),
        );
        tracing::info!(
            object = %object,
            records = group.features.len(),
            compared = group.compared,
            clusters = group.clusters.len(),
            "duplicates"
        );
        groups.push(group);
    }
    let evaluation = groups
        .iter()
        .filter_map(|g| g.evaluation)
        .reduce(|a, b| Evaluation {
            pairs: a.pairs.merge(&b.pairs),
            clusters: a.clusters.merge(&b.clusters),
        });
    Duplicates { groups, evaluation }
}

/// Matches the records of one object type: block, compare, fit, score, cluster, pick
/// survivors, evaluate. Each step is its own function below.
fn dedupe_group(
    object: ObjectType,
    tables: &[&Table],
    settings: DuplicateSettings,
    labels: Option<&[&str]>,
) -> Group {
    let clock = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::info!(
            phase = what,
            seconds = clock.elapsed().as_secs_f64(),
            "dedupe"
        )
    };
    let features = Features::build(object, tables);
    lap("features");
    let rules = settings
        .block
        .clone()
        .unwrap_or_else(|| default_rules(object));
    let candidates = blocking::candidates(&features, &rules, settings.max_block_size);
    lap("blocking");
    let compared = compare_candidates(&features, &candidates.pairs);
    lap("compare");
    let model = fit(&features, &compared);
    lap("fit");
    let scored = score(&features, &model, &candidates.pairs, &compared, &settings);
    lap("score");
    let mut pairs = scored.pairs;
    let clustered = cluster::cluster(
        features.len(),
        &scored.edges,
        &scored.cannot,
        settings.max_cluster_size,
    );
    lap("cluster");
    let clusters = survivors(&features, clustered.members);
    assign_clusters(&mut pairs, &clusters);
    let evaluation = labels.map(|labels| evaluate(labels, &pairs, &clusters));

    let mut inputs: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
    inputs.dedup();
    Group {
        features,
        inputs,
        rules,
        pairs_by_rule: candidates.by_rule,
        compared: candidates.pairs.len(),
        skipped_blocks: candidates.skipped_blocks,
        skipped_records: candidates.skipped_records,
        model,
        settings,
        pairs,
        clusters,
        refused_links: clustered.refused,
        evaluation,
    }
}

/// The packed level pattern of every candidate pair, and whether its names agreed only
/// when swapped. Each pair is compared once.
fn compare_candidates(features: &Features, candidates: &[(u32, u32, u8)]) -> Vec<(u64, bool)> {
    let n_fields = features.compared.len();
    candidates
        .par_iter()
        .map_init(
            || vec![0u8; n_fields],
            |levels, &(a, b, _)| {
                let swapped = compare::compare(features, a as usize, b as usize, levels);
                (pack(levels), swapped)
            },
        )
        .collect()
}

/// Fits the Fellegi–Sunter model: `u` from random pairs, `m` and the prior by EM on the
/// candidates' patterns.
fn fit(features: &Features, compared: &[(u64, bool)]) -> Model {
    let mut patterns: FxHashMap<u64, u64> = FxHashMap::default();
    for (p, _) in compared {
        *patterns.entry(*p).or_default() += 1;
    }
    let (random, random_pairs) = random_patterns(features);
    let n = features.len() as f64;
    Model::fit(
        features,
        &patterns,
        &random,
        random_pairs,
        n * (n - 1.0) / 2.0,
    )
}

/// The result of scoring: the pairs at or above review, the match edges (strongest
/// first) and the compared pairs below review between linked records (cannot-links).
struct Scored {
    pairs: Vec<ScoredPair>,
    edges: Vec<(u32, u32)>,
    cannot: Vec<(u32, u32)>,
}

/// A pair's field weights: each level's model weight, plus the term-frequency
/// adjustment on exact agreement.
struct Weights<'f> {
    features: &'f Features,
    level_weights: Vec<Vec<f64>>,
    exact: Vec<u8>,
    tf: Vec<Option<TermFrequencies<'f>>>,
    /// Each record's own frequency adjustment, for single-valued fields.
    record_tf: Vec<Option<Vec<f32>>>,
}

impl<'f> Weights<'f> {
    fn new(features: &'f Features, model: &Model) -> Weights<'f> {
        let n_fields = features.compared.len();
        // Term frequencies for frequency-adjusted fields.
        let tf: Vec<Option<TermFrequencies<'_>>> = features
            .compared
            .iter()
            .map(|field| {
                compare::frequency_adjusted(*field).then(|| TermFrequencies::new(features, *field))
            })
            .collect();
        let exact: Vec<u8> = features
            .compared
            .iter()
            .map(|f| compare::level_names(*f).len() as u8 - 1)
            .collect();
        // Level weights once, then per pair only the frequency adjustments.
        let level_weights: Vec<Vec<f64>> = (0..n_fields)
            .map(|slot| {
                (0..16u8)
                    .map(|l| {
                        if (l as usize) < model.m[slot].len() {
                            model.weight(slot, l)
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let record_tf: Vec<Option<Vec<f32>>> = tf
            .iter()
            .enumerate()
            .map(|(slot, t)| {
                let t = t.as_ref().filter(|t| !t.multi)?;
                let field = features.compared[slot];
                Some(
                    (0..features.len())
                        .into_par_iter()
                        .map(|r| t.adjustment(features.base(field, r), "") as f32)
                        .collect(),
                )
            })
            .collect();
        Weights {
            features,
            level_weights,
            exact,
            tf,
            record_tf,
        }
    }

    fn field(&self, slot: usize, level: u8, a: u32, b: u32) -> f64 {
        let mut fw = self.level_weights[slot][level as usize];
        if level == self.exact[slot] {
            if let Some(per_record) = &self.record_tf[slot] {
                fw += f64::from(per_record[a as usize]);
            } else if let Some(t) = &self.tf[slot] {
                let field = self.features.compared[slot];
                fw += t.adjustment(
                    self.features.base(field, a as usize),
                    self.features.base(field, b as usize),
                );
            }
        }
        fw
    }
}

/// Scores every compared pair and splits them into review/match pairs, match edges and
/// cannot-links.
fn score(
    features: &Features,
    model: &Model,
    candidates: &[(u32, u32, u8)],
    compared: &[(u64, bool)],
    settings: &DuplicateSettings,
) -> Scored {
    let n_fields = features.compared.len();
    let weights = Weights::new(features, model);
    let prior_weight = model.prior_weight();
    let scored: Vec<(f64, f64)> = candidates
        .par_iter()
        .zip(compared.par_iter())
        .map(|(&(a, b, _), &(pattern, _))| {
            let w = prior_weight
                + (0..n_fields)
                    .map(|slot| weights.field(slot, model::unpack(pattern, slot), a, b))
                    .sum::<f64>();
            (w, probability(w))
        })
        .collect();

    let mut edges: Vec<(f64, u32, u32)> = Vec::new();
    let mut cannot: Vec<(u32, u32)> = Vec::new();
    let mut pairs: Vec<ScoredPair> = Vec::new();
    for (i, &(a, b, rule)) in candidates.iter().enumerate() {
        let (w, p) = scored[i];
        if p < settings.review_probability {
            cannot.push((a, b));
            continue;
        }
        let is_match = p >= settings.match_probability;
        if is_match {
            edges.push((w, a, b));
        }
        let levels: Vec<u8> = (0..n_fields)
            .map(|slot| model::unpack(compared[i].0, slot))
            .collect();
        let field_weights: Vec<f64> = levels
            .iter()
            .enumerate()
            .map(|(slot, l)| weights.field(slot, *l, a, b))
            .collect();
        pairs.push(ScoredPair {
            a,
            b,
            rule,
            weight: w,
            probability: p,
            levels,
            weights: field_weights,
            swapped: compared[i].1,
            is_match,
            cluster: None,
        });
    }
    edges.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    // Cannot-links matter only between records that have a match edge.
    let mut linked = vec![false; features.len()];
    for &(_, a, b) in &edges {
        linked[a as usize] = true;
        linked[b as usize] = true;
    }
    cannot.retain(|&(a, b)| linked[a as usize] && linked[b as usize]);
    Scored {
        pairs,
        edges: edges.iter().map(|&(_, a, b)| (a, b)).collect(),
        cannot,
    }
}

/// Numbers the clusters and picks each one's surviving record: the most complete, then
/// the first.
fn survivors(features: &Features, members: Vec<Vec<u32>>) -> Vec<Cluster> {
    let completeness = |i: u32| -> usize {
        (0..features.fields.len())
            .filter(|s| !features.value(*s, i as usize).is_empty())
            .count()
    };
    members
        .into_iter()
        .enumerate()
        .map(|(id, members)| {
            let survivor = *members
                .iter()
                .max_by(|x, y| completeness(**x).cmp(&completeness(**y)).then(y.cmp(x)))
                .unwrap_or(&members[0]);
            Cluster {
                id: id as u32 + 1,
                members,
                survivor,
            }
        })
        .collect()
}

/// Marks each pair inside one cluster with that cluster.
fn assign_clusters(pairs: &mut [ScoredPair], clusters: &[Cluster]) {
    let mut cluster_of: FxHashMap<u32, u32> = FxHashMap::default();
    for c in clusters {
        for &m in &c.members {
            cluster_of.insert(m, c.id);
        }
    }
    for p in pairs {
        let (ca, cb) = (cluster_of.get(&p.a), cluster_of.get(&p.b));
        if ca.is_some() && ca == cb {
            p.cluster = ca.copied();
        }
    }
}

/// Pairwise and cluster precision, recall and F1 against the labels.
fn evaluate(labels: &[&str], pairs: &[ScoredPair], clusters: &[Cluster]) -> Evaluation {
    let truth = true_pairs(labels);
    let matches: Vec<&ScoredPair> = pairs.iter().filter(|p| p.is_match).collect();
    let correct = matches
        .iter()
        .filter(|p| {
            let (x, y) = (labels[p.a as usize], labels[p.b as usize]);
            !x.is_empty() && x == y
        })
        .count() as u64;
    let members: Vec<Vec<u32>> = clusters.iter().map(|c| c.members.clone()).collect();
    let (c_correct, c_predicted) = cluster_counts(&members, labels);
    Evaluation {
        pairs: Scores::from_counts(correct, matches.len() as u64, truth),
        clusters: Scores::from_counts(c_correct, c_predicted, truth),
    }
}

/// Level patterns of random record pairs (deterministic sample).
fn random_patterns(f: &Features) -> (FxHashMap<u64, u64>, usize) {
    let n = f.len();
    let mut rng = fastrand::Rng::with_seed(0x5eed_u64 ^ n as u64);
    let total = (n as u64 * (n as u64 - 1) / 2).min(RANDOM_PAIRS as u64) as usize;
    let pairs: Vec<(usize, usize)> = (0..total)
        .map(|_| {
            let a = rng.usize(..n);
            let mut b = rng.usize(..n - 1);
            if b >= a {
                b += 1;
            }
            (a, b)
        })
        .collect();
    let patterns: Vec<u64> = pairs
        .par_iter()
        .map_init(
            || vec![0u8; f.compared.len()],
            |levels, &(a, b)| {
                compare::compare(f, a, b, levels);
                pack(levels)
            },
        )
        .collect();
    let mut counts = FxHashMap::default();
    for p in &patterns {
        *counts.entry(*p).or_default() += 1;
    }
    (counts, patterns.len())
}

/// How common each value of a field is (each number, for phones).
struct TermFrequencies<'f> {
    counts: FxHashMap<&'f str, u32>,
    total: f64,
    /// Probability that two random non-blank values are equal.
    u_exact: f64,
    multi: bool,
}

impl<'f> TermFrequencies<'f> {
    fn new(f: &'f Features, field: Field) -> TermFrequencies<'f> {
        let multi = field == Field::Phone;
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        if let Some(slot) = f.slot(field) {
            for v in f.column(slot).filter(|v| !v.is_empty()) {
                if multi {
                    for part in v.split('|') {
                        *counts.entry(part).or_default() += 1;
                    }
                } else {
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
        let total: f64 = counts.values().map(|c| f64::from(*c)).sum::<f64>().max(1.0);
        let u_exact = counts
            .values()
            .map(|c| (f64::from(*c) / total).powi(2))
            .sum::<f64>();
        TermFrequencies {
            counts,
            total,
            u_exact,
            multi,
        }
    }

    /// `log2(u_exact / frequency(value))`, bounded: a rare value adds evidence, a
    /// common one (a switchboard number, `Smith`) removes some. For phones, the
    /// frequency of the number the two records share.
    fn adjustment(&self, x: &str, y: &str) -> f64 {
        let value = if self.multi {
            x.split('|')
                .find(|p| y.split('|').any(|q| q == *p))
                .unwrap_or(x)
        } else {
            x
        };
        let count = self.counts.get(value).copied().unwrap_or(1);
        let tf = f64::from(count) / self.total;
        (self.u_exact / tf).log2().clamp(-8.0, 6.0)
    }
}

/// Describes the evidence of a pair: the fields that agreed, strongest first.
pub fn evidence(group: &Group, pair: &ScoredPair) -> String {
    let mut parts: Vec<(f64, String)> = group
        .features
        .compared
        .iter()
        .enumerate()
        .filter(|(slot, _)| pair.levels[*slot] > compare::DIFFERENT)
        .map(|(slot, field)| {
            (
                pair.weights[slot],
                format!(
                    "{} {}",
                    field.as_str(),
                    compare::level_names(*field)[pair.levels[slot] as usize]
                ),
            )
        })
        .collect();
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut text = parts
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ");
    if pair.swapped {
        text.push_str(" (first and last name swapped)");
    }
    text
}
