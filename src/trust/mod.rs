//! Trust: a score per record from its findings, and the class it puts the record in
//! (clean / review / quarantine). Between the scan and the reports; pure functions of
//! the findings and the rule file's `[score]` and `[gate]` tables.
//!
//! A record starts at 100 and each of its findings removes its penalty as a share of
//! what is left: `score = 100 × Π (1 − penalty / 100)` (DESIGN.md §7). So a score stays
//! within 0–100, a new finding never raises it, and two findings cost less than twice
//! one (the second takes its share of less). The same product over the findings of one
//! dimension is that dimension's score. Findings about an input as a whole (a missing
//! column, IN004's notices) score no record.
//!
//! Class: `quarantine` for any error, or a score below `quarantine-below`; `review`
//! below `review-below`; else `clean`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checks::CheckSet;
pub use crate::config::trust::TrustSettings;
use crate::finding::{Dimension, Finding, Severity};
use crate::input::table::Table;

/// Where a record may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Clean,
    Review,
    Quarantine,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Clean, Class::Review, Class::Quarantine];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Clean => "clean",
            Class::Review => "review",
            Class::Quarantine => "quarantine",
        }
    }
}

/// The dimensions in the order scores are kept.
pub const DIMENSIONS: [Dimension; 6] = [
    Dimension::Completeness,
    Dimension::Validity,
    Dimension::Uniqueness,
    Dimension::Timeliness,
    Dimension::Consistency,
    Dimension::Accuracy,
];

/// One record's trust.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordTrust {
    /// 0–100.
    pub score: f64,
    /// Per dimension, in [`DIMENSIONS`] order.
    pub dimensions: [f64; 6],
    pub class: Class,
}

impl RecordTrust {
    /// A record without findings.
    pub const CLEAN: RecordTrust = RecordTrust {
        score: 100.0,
        dimensions: [100.0; 6],
        class: Class::Clean,
    };
}

/// The trust of one record from its findings' severities and dimensions.
pub fn score(
    findings: impl IntoIterator<Item = (Severity, Dimension)>,
    settings: &TrustSettings,
) -> RecordTrust {
    let mut left = 1.0f64;
    let mut dimensions = [1.0f64; 6];
    let mut error = false;
    for (severity, dimension) in findings {
        let keep = 1.0 - settings.penalty(severity) / 100.0;
        left *= keep;
        if let Some(i) = DIMENSIONS.iter().position(|d| *d == dimension) {
            dimensions[i] *= keep;
        }
        error |= severity == Severity::Error;
    }
    // Classed as shown: to a tenth (79.98 is 80.0 in every report, and clean).
    let score = 100.0 * left;
    let shown = round1(score);
    let class = if error || shown < settings.quarantine_below {
        Class::Quarantine
    } else if shown < settings.review_below {
        Class::Review
    } else {
        Class::Clean
    };
    RecordTrust {
        score,
        dimensions: dimensions.map(|d| 100.0 * d),
        class,
    }
}

/// The trust of every record of a run, and the dataset's.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Per input, per record: score (rounded to a tenth) and class.
    pub records: Vec<Vec<(f32, Class)>>,
    pub summary: TrustSummary,
}

/// What the reports show of the run's trust.
#[derive(Debug, Clone, Serialize)]
pub struct TrustSummary {
    /// Records per class (in the report as `summary.classes`).
    #[serde(skip)]
    pub classes: BTreeMap<Class, usize>,
    /// The mean record score (100 for a run without records).
    pub score: f64,
    /// The mean score per dimension.
    pub dimensions: BTreeMap<Dimension, f64>,
    /// Records per score band: `0-9`, `10-19`, …, `90-99`, `100`.
    pub distribution: Vec<Band>,
    pub review_below: f64,
    pub quarantine_below: f64,
}

/// Records whose score falls in one band.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    pub band: String,
    pub records: usize,
}

/// Scores every record of `tables` from `findings` (sorted by input and record).
pub fn assess(
    findings: &[Finding],
    tables: &[Table],
    checks: &CheckSet,
    settings: &TrustSettings,
) -> Trust {
    let dimension_of = |f: &Finding| checks.meta(f.check).dimension;
    let mut records: Vec<Vec<(f32, Class)>> = tables
        .iter()
        .map(|t| vec![(100.0, Class::Clean); t.len()])
        .collect();
    let mut dimension_sums = [0.0f64; 6];
    let mut scored = 0usize;
    let mut sum = 0.0f64;
    let mut record_findings = findings.iter().filter(|f| !f.is_input_level()).peekable();
    while let Some(first) = record_findings.next() {
        let key = (first.input, first.record);
        let mut own = vec![(first.severity, dimension_of(first))];
        while let Some(f) = record_findings.next_if(|f| (f.input, f.record) == key) {
            own.push((f.severity, dimension_of(f)));
        }
        let trust = score(own, settings);
        if let Some(slot) = records
            .get_mut(key.0 as usize)
            .and_then(|r| r.get_mut(key.1 as usize))
        {
            *slot = ((trust.score * 10.0).round() as f32 / 10.0, trust.class);
            scored += 1;
            sum += trust.score;
            for (s, d) in dimension_sums.iter_mut().zip(trust.dimensions) {
                *s += d;
            }
        }
    }
    let total: usize = records.iter().map(Vec::len).sum();
    let clean = total - scored;
    let mean = |sum: f64| {
        if total == 0 {
            100.0
        } else {
            round1((sum + 100.0 * clean as f64) / total as f64)
        }
    };
    let mut classes: BTreeMap<Class, usize> = Class::ALL.iter().map(|c| (*c, 0)).collect();
    let mut bands = [0usize; 11];
    for &(score, class) in records.iter().flatten() {
        *classes.entry(class).or_default() += 1;
        bands[((score / 10.0).floor() as usize).min(10)] += 1;
    }
    let distribution = bands
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let band = if i == 10 {
                "100".to_owned()
            } else {
                format!("{}-{}", i * 10, i * 10 + 9)
            };
            Band { band, records: *n }
        })
        .collect();
    Trust {
        records,
        summary: TrustSummary {
            classes,
            score: mean(sum),
            dimensions: DIMENSIONS
                .iter()
                .zip(dimension_sums)
                .map(|(d, s)| (*d, mean(s)))
                .collect(),
            distribution,
            review_below: settings.review_below,
            quarantine_below: settings.quarantine_below,
        },
    }
}

/// A score rounded to a tenth as the reports write it (`87.5`, `100.0`), without the
/// general float formatter (a million rows of class files and fitness.csv).
pub fn tenths(score: f32) -> String {
    let mut text = String::with_capacity(5);
    push_tenths(&mut text, score);
    text
}

/// [`tenths`], appended to `text`.
pub fn push_tenths(text: &mut String, score: f32) {
    use std::fmt::Write as _;
    let t = (f64::from(score) * 10.0).round().max(0.0) as u64;
    let _ = write!(text, "{}.{}", t / 10, t % 10);
}

/// Rounded to a tenth, as scores are shown.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn severity() -> impl Strategy<Value = Severity> {
        prop_oneof![
            Just(Severity::Info),
            Just(Severity::Warning),
            Just(Severity::Error)
        ]
    }

    fn dimension() -> impl Strategy<Value = Dimension> {
        (0..6usize).prop_map(|i| DIMENSIONS[i])
    }

    proptest! {
        #[test]
        fn a_new_finding_never_raises_a_score(
            findings in prop::collection::vec((severity(), dimension()), 0..12),
            extra in (severity(), dimension()),
        ) {
            let settings = TrustSettings::default();
            let before = score(findings.clone(), &settings);
            let mut more = findings;
            more.push(extra);
            let after = score(more, &settings);
            prop_assert!(after.score <= before.score);
            prop_assert!(after.class >= before.class);
            for (a, b) in after.dimensions.iter().zip(before.dimensions) {
                prop_assert!(*a <= b);
            }
            prop_assert!((0.0..=100.0).contains(&after.score));
        }
    }

    #[test]
    fn tenths_writes_what_the_reports_show() {
        assert_eq!(tenths(100.0), "100.0");
        assert_eq!(tenths(72.25), "72.3");
        assert_eq!(tenths(85.0), "85.0");
        assert_eq!(tenths(0.04), "0.0");
        assert_eq!(tenths(49.95), format!("{:.1}", 49.95f32));
    }

    #[test]
    fn penalties_take_their_share_of_what_is_left() {
        let s = TrustSettings::default();
        assert_eq!(score([], &s), RecordTrust::CLEAN);
        let one = score([(Severity::Warning, Dimension::Validity)], &s);
        assert!((one.score - 85.0).abs() < 1e-9);
        assert_eq!(one.class, Class::Clean);
        let two = score(
            [
                (Severity::Warning, Dimension::Validity),
                (Severity::Warning, Dimension::Completeness),
            ],
            &s,
        );
        assert!((two.score - 72.25).abs() < 1e-9);
        assert_eq!(two.class, Class::Review);
        assert_eq!(two.dimensions[0], 85.0);
        let error = score([(Severity::Error, Dimension::Validity)], &s);
        assert_eq!(error.class, Class::Quarantine);
    }
}
