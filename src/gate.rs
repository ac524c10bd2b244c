//! The decision between the scan and the reports: does this run pass?
//!
//! Today a run fails when it has findings at or above a severity (`--fail-on`). This
//! is the stage where trust scores, record classes (clean / review / quarantine) and
//! dataset conditions decide instead; reports only show what was decided here.

use std::collections::BTreeMap;

use serde::Serialize;

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
            FailOn::Never => "never fails",
        }
    }
}

/// The verdict of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub fail_on: FailOn,
    pub passed: bool,
}

/// Findings per severity (every severity present, zero or not).
pub fn count_by_severity(findings: &[Finding]) -> BTreeMap<Severity, usize> {
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
    Gate { fail_on, passed }
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
