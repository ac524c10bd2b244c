//! Fellegi–Sunter scoring with parameters estimated from the data (no labels).
//!
//! For each field level, `m` = P(level | same entity) and `u` = P(level | different
//! entities). `u` starts from comparisons of random record pairs; `m`, `u` and the share
//! of matches among the candidate pairs are then fitted by expectation-maximisation over
//! the candidates' level patterns (conditional independence, as in Splink and the
//! recordlinkage ECM classifier). A pair's match weight is the prior log-odds plus
//! `log2(m/u)` of each field's level; exact agreement on a common value (`Smith`) is
//! worth less than on a rare one, by `log2(u_exact / frequency(value))`.

use rustc_hash::FxHashMap;

use super::compare::{self, NULL};
use super::features::Features;

/// Estimated parameters.
#[derive(Debug, Clone)]
pub struct Model {
    /// Share of matches among candidate pairs.
    pub prior: f64,
    /// `m[field][level]`, `u[field][level]`; level 0 (null) is unused.
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub iterations: usize,
}

/// Bits per field in a packed level pattern.
const BITS: u32 = 4;
const MAX_ITERATIONS: usize = 100;
/// Floor on probabilities, so no level is impossible.
const FLOOR: f64 = 1e-6;

pub fn pack(levels: &[u8]) -> u64 {
    levels.iter().enumerate().fold(0, |acc, (i, l)| acc | (u64::from(*l) << (BITS * i as u32)))
}

fn unpack(pattern: u64, field: usize) -> usize {
    ((pattern >> (BITS * field as u32)) & ((1 << BITS) - 1)) as usize
}

impl Model {
    /// Fits the model to the level patterns of the candidate pairs.
    ///
    /// `random_patterns` are patterns of random record pairs (initial `u`).
    pub fn fit(f: &Features, patterns: &FxHashMap<u64, u64>, random_patterns: &FxHashMap<u64, u64>) -> Model {
        let fields = f.fields.len();
        let levels: Vec<usize> = f.fields.iter().map(|fl| compare::level_names(*fl).len()).collect();
        let u = distribution(random_patterns, &levels, |_| 1.0);
        // m starts concentrated on the strongest agreement levels.
        let m: Vec<Vec<f64>> = levels
            .iter()
            .map(|&n| {
                let raw: Vec<f64> = (0..n).map(|l| if l == NULL as usize { 0.0 } else { 2f64.powi(l as i32) }).collect();
                let total: f64 = raw.iter().sum();
                raw.into_iter().map(|x| x / total).collect()
            })
            .collect();
        let mut model = Model { prior: 0.1, m, u, iterations: 0 };
        let list: Vec<(u64, f64)> = {
            let mut v: Vec<(u64, f64)> = patterns.iter().map(|(p, c)| (*p, *c as f64)).collect();
            v.sort_unstable_by_key(|(p, _)| *p);
            v
        };
        for iteration in 0..MAX_ITERATIONS {
            // E-step: the match probability of each pattern.
            let posteriors: Vec<f64> = list.iter().map(|(p, _)| model.probability_of_pattern(*p, fields)).collect();
            // M-step.
            let total: f64 = list.iter().map(|(_, c)| c).sum();
            let matched: f64 = list.iter().zip(&posteriors).map(|((_, c), g)| c * g).sum();
            let prior = (matched / total).clamp(FLOOR, 1.0 - FLOOR);
            let weighted = |of_match: bool| -> Vec<Vec<f64>> {
                let mut acc: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
                for ((p, c), g) in list.iter().zip(&posteriors) {
                    let w = if of_match { c * g } else { c * (1.0 - g) };
                    for (field, row) in acc.iter_mut().enumerate() {
                        row[unpack(*p, field)] += w;
                    }
                }
                normalize(acc)
            };
            let (m, u) = (weighted(true), weighted(false));
            let change = (prior - model.prior).abs()
                + max_change(&m, &model.m)
                + max_change(&u, &model.u);
            model = Model { prior, m, u, iterations: iteration + 1 };
            if change < 1e-7 {
                break;
            }
        }
        model
    }

    /// `log2(m/u)` of a field level; 0 for null.
    pub fn weight(&self, field: usize, level: u8) -> f64 {
        if level == NULL {
            return 0.0;
        }
        (self.m[field][level as usize] / self.u[field][level as usize]).log2()
    }

    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    fn probability_of_pattern(&self, pattern: u64, fields: usize) -> f64 {
        let mut w = self.prior_weight();
        for field in 0..fields {
            w += self.weight(field, unpack(pattern, field) as u8);
        }
        probability(w)
    }
}

/// Match weight → probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + 2f64.powf(-weight))
}

/// Level distribution per field from pattern counts, nulls excluded.
fn distribution(patterns: &FxHashMap<u64, u64>, levels: &[usize], _weight: impl Fn(u64) -> f64) -> Vec<Vec<f64>> {
    let mut acc: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
    for (p, c) in patterns {
        for (field, row) in acc.iter_mut().enumerate() {
            row[unpack(*p, field)] += *c as f64;
        }
    }
    normalize(acc)
}

fn normalize(mut acc: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    for row in &mut acc {
        row[NULL as usize] = 0.0;
        let total: f64 = row.iter().sum::<f64>() + FLOOR * row.len() as f64;
        for (l, x) in row.iter_mut().enumerate() {
            if l != NULL as usize {
                *x = (*x + FLOOR) / total;
            }
        }
    }
    acc
}

fn max_change(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f64::max)
}
