//! Fellegi–Sunter scoring with parameters estimated from the data (no labels).
//!
//! For each field level, `m` = P(level | same entity) and `u` = P(level | different
//! entities). `u` is measured on random record pairs, so it describes the whole
//! population and not the candidate pairs (whose non-matches agree on the blocking keys
//! by construction). The prior is the share of matching pairs among all pairs. `m` and
//! the prior are fitted by expectation-maximisation over the candidates' level
//! patterns, as Splink does, except that the `m` of the identity fields (the names of a
//! person, the name of an organisation) stays at fixed values (`compare::anchored_m`)
//! so that EM cannot take colleagues for duplicates. A pair's match weight is the prior
//! log-odds plus `log2(m/u)` of each field's level; exact agreement on a common value
//! (`Smith`) is worth less than on a rare one, by `log2(u_exact / frequency(value))`.

use rustc_hash::FxHashMap;

use super::compare::{self, NULL};
use super::features::Features;
use crate::input::object::ObjectType;

/// Estimated parameters.
#[derive(Debug, Clone)]
pub struct Model {
    /// Share of matching pairs among all record pairs.
    pub prior: f64,
    /// `m[field][level]`, `u[field][level]`; level 0 (null) is unused.
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub iterations: usize,
    /// Whether the field's weights are forced to grow with its level.
    pub monotone: Vec<bool>,
}

/// Bits per field in a packed level pattern.
const BITS: u32 = 4;
const MAX_ITERATIONS: usize = 200;
/// Floor on `m`, so no level is impossible for a match.
const M_FLOOR: f64 = 1e-4;

pub fn pack(levels: &[u8]) -> u64 {
    levels
        .iter()
        .enumerate()
        .fold(0, |acc, (i, l)| acc | (u64::from(*l) << (BITS * i as u32)))
}

pub fn unpack(pattern: u64, field: usize) -> u8 {
    ((pattern >> (BITS * field as u32)) & ((1 << BITS) - 1)) as u8
}

impl Model {
    /// Fits `m` and the prior to the level patterns of the candidate pairs, with `u`
    /// taken from `random` (patterns of `random_pairs` random record pairs).
    /// `all_pairs` is the number of record pairs in the population.
    pub fn fit(
        f: &Features,
        candidates: &FxHashMap<u64, u64>,
        random: &FxHashMap<u64, u64>,
        random_pairs: usize,
        all_pairs: f64,
    ) -> Model {
        let levels: Vec<usize> = f
            .compared
            .iter()
            .map(|fl| compare::level_names(*fl).len())
            .collect();
        let organisation = f.object == ObjectType::Account;
        let anchors: Vec<Option<&'static [f64]>> = f
            .compared
            .iter()
            .map(|fl| compare::anchored_m(*fl, organisation))
            .collect();

        // u: level frequencies among random pairs; a level never seen among them gets
        // half a pair's worth, not zero.
        let floor = 0.5 / random_pairs.max(1) as f64;
        let mut u: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
        let mut random: Vec<(u64, u64)> = random.iter().map(|(p, c)| (*p, *c)).collect();
        random.sort_unstable();
        for (p, c) in random {
            for (field, row) in u.iter_mut().enumerate() {
                row[unpack(p, field) as usize] += c as f64;
            }
        }
        for row in &mut u {
            row[NULL as usize] = 0.0;
            let total: f64 = row.iter().sum();
            for x in row.iter_mut().skip(1) {
                *x = if total > 0.0 {
                    (*x / total).max(floor)
                } else {
                    floor
                };
            }
        }

        // m starts at the anchors, or concentrated on the strongest levels.
        let m: Vec<Vec<f64>> = levels
            .iter()
            .zip(&anchors)
            .map(|(&n, anchor)| match anchor {
                Some(a) => a.to_vec(),
                None => {
                    let raw: Vec<f64> = (0..n)
                        .map(|l| if l == 0 { 0.0 } else { 2f64.powi(l as i32) })
                        .collect();
                    let total: f64 = raw.iter().sum();
                    raw.into_iter().map(|x| x / total).collect()
                }
            })
            .collect();
        let total_candidates: f64 = candidates.values().map(|c| *c as f64).sum();
        let mut model = Model {
            prior: (0.1 * total_candidates / all_pairs).clamp(1e-12, 0.5),
            m,
            u,
            iterations: 0,
            monotone: f
                .compared
                .iter()
                .map(|fl| *fl != super::features::Field::Workplace)
                .collect(),
        };
        let mut list: Vec<(u64, f64)> = candidates.iter().map(|(p, c)| (*p, *c as f64)).collect();
        list.sort_unstable_by_key(|(p, _)| *p);
        for iteration in 0..MAX_ITERATIONS {
            let posteriors: Vec<f64> = list
                .iter()
                .map(|(p, _)| probability(model.pattern_weight(*p)))
                .collect();
            let matched: f64 = list.iter().zip(&posteriors).map(|((_, c), g)| c * g).sum();
            let prior = (matched / all_pairs).clamp(1e-12, 0.5);
            let mut m: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
            for ((p, c), g) in list.iter().zip(&posteriors) {
                for (field, row) in m.iter_mut().enumerate() {
                    row[unpack(*p, field) as usize] += c * g;
                }
            }
            for (field, row) in m.iter_mut().enumerate() {
                if let Some(anchor) = anchors[field] {
                    row.copy_from_slice(anchor);
                    continue;
                }
                row[NULL as usize] = 0.0;
                let total: f64 = row.iter().sum::<f64>() + M_FLOOR * (row.len() - 1) as f64;
                for x in row.iter_mut().skip(1) {
                    *x = (*x + M_FLOOR) / total;
                }
            }
            let change = ((prior - model.prior) / model.prior).abs() + max_change(&m, &model.m);
            model.prior = prior;
            model.m = m;
            model.iterations = iteration + 1;
            if change < 1e-6 {
                break;
            }
        }
        model
    }

    /// `log2(m/u)` of a field level (0 for null), made monotone: a weaker agreement
    /// never weighs more than a stronger one of the same field, so a level rarely seen
    /// among random pairs cannot outweigh exact agreement. The workplace composite's
    /// levels are not strictly ordered and keep their own weights.
    pub fn weight(&self, field: usize, level: u8) -> f64 {
        if level == NULL {
            return 0.0;
        }
        let raw = |l: usize| (self.m[field][l] / self.u[field][l]).log2();
        if !self.monotone[field] {
            return raw(level as usize);
        }
        (level as usize..self.m[field].len())
            .map(raw)
            .fold(f64::INFINITY, f64::min)
    }

    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// The match weight of a level pattern, without frequency adjustments.
    pub fn pattern_weight(&self, pattern: u64) -> f64 {
        self.prior_weight()
            + (0..self.m.len())
                .map(|f| self.weight(f, unpack(pattern, f)))
                .sum::<f64>()
    }
}

/// Match weight → probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + 2f64.powf(-weight))
}

fn max_change(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f64::max)
}
