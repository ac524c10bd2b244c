//! `[gate.dataset]`: conditions on the run as a whole, each measured and compared with
//! its limit. A condition that cannot be measured (a drop since the last run on the
//! first run, a field no input has) says so; only a field no input has fails, since a
//! misspelt field would otherwise pass every night.

use serde::Serialize;

use crate::checks::{CheckSet, Family};
use crate::config::FieldRef;
use crate::config::gate::DatasetConditions;
use crate::finding::Finding;
use crate::input::columns::header_key;
use crate::input::table::Table;
use crate::trust::{Class, TrustSummary, round1};

/// One condition, measured.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// The key in `[gate.dataset]` (`max-quarantine-rate`, `min-completeness.Email`).
    pub name: String,
    pub limit: f64,
    /// What the run measured; `None` when it could not be measured.
    pub actual: Option<f64>,
    pub passed: bool,
    /// One sentence: what was measured against what, and by how much it missed.
    pub detail: String,
}

/// What the conditions compare with from earlier runs.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    /// The last run's dataset score.
    pub score: Option<f64>,
    /// Findings this run has that the last run (or the baseline) did not.
    pub new_findings: Option<usize>,
}

/// Measures every condition set.
pub fn evaluate(
    conditions: &DatasetConditions,
    tables: &[Table],
    findings: &[Finding],
    checks: &CheckSet,
    trust: &TrustSummary,
    prior: &Prior,
) -> Vec<Condition> {
    let records: usize = tables.iter().map(Table::len).sum();
    let share = |n: usize| {
        if records == 0 {
            0.0
        } else {
            100.0 * n as f64 / records as f64
        }
    };
    let class = |c: Class| trust.classes.get(&c).copied().unwrap_or(0);
    let mut out = Vec::new();
    if records == 0 {
        // Nothing to measure: limits hold, minimums cannot be met.
        for (name, limit, minimum) in [
            ("max-quarantine-rate", conditions.max_quarantine_rate, false),
            ("max-review-rate", conditions.max_review_rate, false),
            ("max-duplicate-rate", conditions.max_duplicate_rate, false),
            ("max-score-drop", conditions.max_score_drop, false),
            (
                "max-new-findings",
                conditions.max_new_findings.map(|n| n as f64),
                false,
            ),
            ("min-score", conditions.min_score, true),
        ]
        .into_iter()
        .chain(
            conditions
                .min_completeness
                .iter()
                .map(|c| ("", Some(c.min), true)),
        ) {
            let Some(limit) = limit else { continue };
            out.push(Condition {
                name: name.to_owned(),
                limit,
                actual: None,
                passed: !minimum,
                detail: "not measured: the inputs have no records".to_owned(),
            });
        }
        for (c, text) in out
            .iter_mut()
            .filter(|c| c.name.is_empty())
            .zip(&conditions.min_completeness)
        {
            c.name = format!("min-completeness.{}", text.text);
        }
        return out;
    }
    let mut at_most = |name: &str, limit: Option<f64>, actual: Option<f64>, what: &str| {
        let Some(limit) = limit else { return };
        out.push(compare(name, limit, actual, what, false));
    };
    at_most(
        "max-quarantine-rate",
        conditions.max_quarantine_rate,
        Some(share(class(Class::Quarantine))),
        "% of records in quarantine",
    );
    at_most(
        "max-review-rate",
        conditions.max_review_rate,
        Some(share(class(Class::Review))),
        "% of records to review",
    );
    let duplicated = duplicated_records(findings, checks);
    at_most(
        "max-duplicate-rate",
        conditions.max_duplicate_rate,
        Some(share(duplicated)),
        "% of records duplicating another",
    );
    at_most(
        "max-score-drop",
        conditions.max_score_drop,
        prior.score.map(|s| round1(s - trust.score)),
        " points of dataset score lost since the last run",
    );
    at_most(
        "max-new-findings",
        conditions.max_new_findings.map(|n| n as f64),
        prior.new_findings.map(|n| n as f64),
        " findings new since the last run (or the baseline)",
    );
    if let Some(min) = conditions.min_score {
        out.push(compare(
            "min-score",
            min,
            Some(trust.score),
            " (dataset trust score)",
            true,
        ));
    }
    for c in &conditions.min_completeness {
        let mut filled = 0u64;
        let mut total = 0usize;
        let mut found = false;
        for t in tables {
            if c.object.is_some_and(|o| o != t.object) {
                continue;
            }
            let column = match &c.field {
                FieldRef::Role(r) => t.columns.column(*r),
                FieldRef::Header(h) => {
                    let key = header_key(h);
                    t.header.columns.iter().position(|x| header_key(x) == key)
                }
            };
            if let Some(col) = column {
                found = true;
                filled += t.filled.get(col).copied().unwrap_or(0);
                total += t.len();
            }
        }
        let name = format!("min-completeness.{}", c.text);
        if !found {
            out.push(Condition {
                name,
                limit: c.min,
                actual: None,
                passed: false,
                detail: format!(
                    "no input has a field `{}`{}: the condition cannot hold",
                    c.field,
                    c.object
                        .map(|o| format!(" among its {o} inputs"))
                        .unwrap_or_default()
                ),
            });
            continue;
        }
        let actual = if total == 0 {
            100.0
        } else {
            round1(100.0 * filled as f64 / total as f64)
        };
        out.push(compare(
            &name,
            c.min,
            Some(actual),
            &format!("% of records with `{}` filled", c.text),
            true,
        ));
    }
    out
}

/// Records that duplicate another: those with a duplicates finding at warning or above
/// (the later copies of exact duplicates and of a key, the non-masters of fuzzy
/// clusters), not the first record of a value shared by many (a team mailbox), which
/// says it is no duplicate.
pub fn duplicated_records(findings: &[Finding], checks: &CheckSet) -> usize {
    let mut last = None;
    let mut n = 0;
    for f in findings {
        if f.is_input_level()
            || f.severity < crate::finding::Severity::Warning
            || checks.meta(f.check).family != Family::Duplicates
            || f.shared
        {
            continue;
        }
        let key = (f.input, f.record);
        if last != Some(key) {
            n += 1;
            last = Some(key);
        }
    }
    n
}

fn compare(name: &str, limit: f64, actual: Option<f64>, what: &str, at_least: bool) -> Condition {
    let Some(actual) = actual else {
        return Condition {
            name: name.to_owned(),
            limit,
            actual: None,
            passed: true,
            detail: "not measured: no earlier run to compare with (--history) or baseline (--baseline); holds until there is".to_owned(),
        };
    };
    let actual = round1(actual);
    let passed = if at_least {
        actual >= limit
    } else {
        actual <= limit
    };
    let bound = if at_least { "at least" } else { "at most" };
    let detail = if passed {
        format!("{actual}{what} ({bound} {limit})")
    } else {
        format!(
            "{actual}{what}, {bound} {limit} allowed: {} {}",
            round1((actual - limit).abs()),
            if at_least { "short" } else { "over" }
        )
    };
    Condition {
        name: name.to_owned(),
        limit,
        actual: Some(actual),
        passed,
        detail,
    }
}
