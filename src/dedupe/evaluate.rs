//! Precision, recall and F1 against true entity ids (`--labels-column`), computed over
//! unordered record pairs: a predicted pair is right when both records carry the same
//! label. Pairwise metrics judge the match pairs; cluster metrics judge every pair
//! inside each predicted cluster (what a merge would actually join).

use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
}

impl Scores {
    /// The scores of two disjoint groups together.
    pub fn merge(&self, other: &Scores) -> Scores {
        Scores::from_counts(
            self.correct_pairs + other.correct_pairs,
            self.predicted_pairs + other.predicted_pairs,
            self.true_pairs + other.true_pairs,
        )
    }

    pub fn from_counts(correct: u64, predicted: u64, truth: u64) -> Scores {
        let precision = if predicted == 0 {
            1.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if truth == 0 {
            1.0
        } else {
            correct as f64 / truth as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            precision,
            recall,
            f1,
            true_pairs: truth,
            predicted_pairs: predicted,
            correct_pairs: correct,
        }
    }
}

/// Pairwise scores of the match pairs (flattened into the JSON object) and of the
/// within-cluster pairs.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Evaluation {
    #[serde(flatten)]
    pub pairs: Scores,
    pub clusters: Scores,
}

/// Pairs of records sharing a label (blank labels are singletons).
pub fn true_pairs(labels: &[&str]) -> u64 {
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    for l in labels.iter().filter(|l| !l.is_empty()) {
        *counts.entry(l).or_default() += 1;
    }
    counts.values().map(|n| n * (n - 1) / 2).sum()
}

/// Correct pairs among all within-cluster pairs.
pub fn cluster_counts(clusters: &[Vec<u32>], labels: &[&str]) -> (u64, u64) {
    let (mut correct, mut predicted) = (0, 0);
    for members in clusters {
        let n = members.len() as u64;
        predicted += n * (n - 1) / 2;
        let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
        for &m in members {
            let l = labels[m as usize];
            if !l.is_empty() {
                *counts.entry(l).or_default() += 1;
            }
        }
        correct += counts.values().map(|k| k * (k - 1) / 2).sum::<u64>();
    }
    (correct, predicted)
}
