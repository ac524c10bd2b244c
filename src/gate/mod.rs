//! The decision between the scan and the reports: does this run pass, and which
//! records may feed which downstream report?
//!
//! A run fails (exit 1) when it has findings at or above `--fail-on`'s severity (with
//! a baseline: new findings only), or when a `[gate.dataset]` condition does not hold.
//! Each record's class comes from `trust`; [`fitness`] decides, per downstream report,
//! which records may feed it. Reports only show what was decided here.

pub mod baseline;
pub mod dataset;
pub mod fitness;

use std::collections::BTreeMap;

use serde::Serialize;

pub use self::dataset::{Condition, Prior};
use crate::finding::{Finding, Severity};

/// Which findings make the run fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn describe(self) -> &'static str {
        match self {
            FailOn::Error => "fails on errors",
            FailOn::Warning => "fails on warnings or errors",
            FailOn::Never => "findings never fail",
        }
    }
}

/// The verdict of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub fail_on: FailOn,
    pub passed: bool,
    /// Whether the findings pass `--fail-on` (with a baseline: the new ones).
    pub findings_passed: bool,
    /// `[gate.dataset]`, measured.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl Gate {
    /// Adds the dataset conditions to the verdict.
    pub fn with_conditions(mut self, conditions: Vec<Condition>) -> Gate {
        self.passed = self.findings_passed && conditions.iter().all(|c| c.passed);
        self.conditions = conditions;
        self
    }

    /// The conditions that failed.
    pub fn failed(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(|c| !c.passed)
    }
}

/// What the gate compares a run with.
#[derive(Debug, Clone)]
pub struct Compare {
    pub fail_on: FailOn,
    /// Fingerprints of accepted findings (`--baseline`): `--fail-on` counts the others.
    pub baseline: Option<rustc_hash::FxHashSet<u64>>,
    /// The last run of the history (`--history`).
    pub last: Option<LastRun>,
    /// Compute every finding's fingerprint even without a baseline or a last run (to
    /// record the run, or write a baseline).
    pub fingerprints: bool,
}

impl Compare {
    pub fn new(fail_on: FailOn) -> Compare {
        Compare {
            fail_on,
            baseline: None,
            last: None,
            fingerprints: false,
        }
    }
}

/// What the history keeps of the last run that the gate reads.
#[derive(Debug, Clone)]
pub struct LastRun {
    /// Its number in the history.
    pub run: i64,
    pub score: f64,
    /// Fingerprints of its findings.
    pub fingerprints: rustc_hash::FxHashSet<u64>,
}

/// Findings per severity (every severity present, zero or not).
pub fn count_by_severity<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> BTreeMap<Severity, usize> {
    let mut counts: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
    for f in findings {
        *counts.entry(f.severity).or_default() += 1;
    }
    counts
}

/// Decides the run from its findings.
pub fn decide(by_severity: &BTreeMap<Severity, usize>, fail_on: FailOn) -> Gate {
    let count = |s: Severity| by_severity.get(&s).copied().unwrap_or(0);
    let passed = match fail_on {
        FailOn::Never => true,
        FailOn::Error => count(Severity::Error) == 0,
        FailOn::Warning => count(Severity::Error) == 0 && count(Severity::Warning) == 0,
    };
    Gate {
        fail_on,
        passed,
        findings_passed: passed,
        conditions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fails_at_the_chosen_severity() {
        let mut counts = BTreeMap::new();
        counts.insert(Severity::Warning, 2);
        assert!(decide(&counts, FailOn::Error).passed);
        assert!(!decide(&counts, FailOn::Warning).passed);
        assert!(decide(&counts, FailOn::Never).passed);
    }
}
