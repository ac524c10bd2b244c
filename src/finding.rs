//! Findings: what a check reports about one record. Data only.
//!
//! This module knows nothing about output formats or about the checks themselves; the
//! writers in `report/` turn a sorted `Vec<Finding>` into text. A finding names its check
//! by its position in the run's compiled check set ([`CheckId`]), and its record by the
//! input's index and the record's ordinal, so the code, id, object and path come from the
//! check set and the input table, not from copies in every finding.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses the spellings accepted in rule files and on the command line.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" | "deny" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data-quality dimension a check measures (DESIGN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Completeness,
    Validity,
    Uniqueness,
    Timeliness,
    Consistency,
    Accuracy,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Completeness => "completeness",
            Dimension::Validity => "validity",
            Dimension::Uniqueness => "uniqueness",
            Dimension::Timeliness => "timeliness",
            Dimension::Consistency => "consistency",
            Dimension::Accuracy => "accuracy",
        }
    }
}

/// A report built downstream of the CRM, which a finding may distort. Each check names
/// the ones it distorts; the gate decides per report which records may feed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Downstream {
    /// Open deals by stage: count and amount.
    Pipeline,
    /// Open deals by close date, weighted by probability or forecast category.
    Forecast,
    /// Closed deals: win rate, won amount, average deal size.
    WinLoss,
    /// Days from created to closed for won deals.
    SalesCycle,
    /// Leads to contacts and deals; lead source and campaign attribution.
    Conversion,
    /// Tasks, calls and meetings by owner and by record.
    Activity,
    /// Any of the above split by owner or territory.
    PerOwner,
    /// Email, call and mailing lists drawn from contacts and leads.
    Outreach,
}

impl Downstream {
    pub const ALL: [Downstream; 8] = [
        Downstream::Pipeline,
        Downstream::Forecast,
        Downstream::WinLoss,
        Downstream::SalesCycle,
        Downstream::Conversion,
        Downstream::Activity,
        Downstream::PerOwner,
        Downstream::Outreach,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Downstream::Pipeline => "pipeline",
            Downstream::Forecast => "forecast",
            Downstream::WinLoss => "win-loss",
            Downstream::SalesCycle => "sales-cycle",
            Downstream::Conversion => "conversion",
            Downstream::Activity => "activity",
            Downstream::PerOwner => "per-owner",
            Downstream::Outreach => "outreach",
        }
    }

    pub fn parse(s: &str) -> Option<Downstream> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Downstream::ALL.into_iter().find(|d| {
            d.as_str().replace('-', "") == key
                || (key == "winloss" && *d == Downstream::WinLoss)
                || (key == "owner" && *d == Downstream::PerOwner)
        })
    }
}

/// How far a fix may be trusted, as in ruff: `crmaudit fix` applies safe fixes, unsafe
/// ones with `--unsafe-fixes`, and never a suggestion (it is shown, for a person to
/// decide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Meaning-preserving: the same value written the way the column writes it.
    Safe,
    /// A judgement that is right nearly always (a typo corrected to the one value it is
    /// near), which a person may want to review.
    Unsafe,
    /// Shown only: more than one correction is possible.
    Suggestion,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Suggestion => "suggestion",
        }
    }
}

/// A correction of one field of one record: the new value replaces the whole field.
/// The old value is the field as the input holds it, read again when the fix is
/// applied. A fix never fills a blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// 0-based ordinal of the record within the finding's input.
    pub record: u32,
    pub column: u32,
    pub new: Box<str>,
    pub applicability: Applicability,
}

/// A check's position in the run's check set. The set is ordered by code, so ordering
/// by id orders by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CheckId(pub u16);

impl CheckId {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// One problem found in one record (or, with [`Finding::INPUT`] as record, in the input
/// itself: a missing column, an unreadable header).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The check that found it.
    pub check: CheckId,
    /// Effective severity (the check's default, or the rule file's override), stamped
    /// once by the sink.
    pub severity: Severity,
    /// Index of the input in the run.
    pub input: u32,
    /// 0-based ordinal of the record within its input.
    pub record: u32,
    /// 1-based line where the record starts (row number for SQLite inputs).
    pub line: u64,
    /// Column index in the input's header, when the finding is about one field.
    pub column: Option<u32>,
    /// The offending value, shortened for display.
    pub value: Option<Box<str>>,
    pub message: Box<str>,
    /// Raised by a built-in default rule that may not fit the export (a required field
    /// the export does not use, a picklist from a vendor pack): when such findings cover
    /// nearly every record of a column, they are one notice, not one per record.
    pub soft: bool,
    /// About a value many records share (a team mailbox, a switchboard), reported once on
    /// the first of them: it says the records are no duplicates, and keeps none of them
    /// out of a report.
    pub shared: bool,
    /// Corrections: of the finding's own field, or, for a finding about a column, of
    /// each record that writes it unlike the others.
    pub fixes: Box<[Fix]>,
}

/// Longest value kept in a finding; longer values are cut at a char boundary.
const MAX_VALUE_CHARS: usize = 120;

/// Shortens `value` for display in findings (notes can be 32,000 characters).
pub fn display_value(value: &str) -> Box<str> {
    match value.char_indices().nth(MAX_VALUE_CHARS) {
        None => value.into(),
        Some((cut, _)) => format!("{}…", &value[..cut]).into_boxed_str(),
    }
}

impl Finding {
    /// The record ordinal of a finding about the input as a whole.
    pub const INPUT: u32 = u32::MAX;

    /// Whether the finding is about the input rather than one record.
    pub fn is_input_level(&self) -> bool {
        self.record == Finding::INPUT
    }

    /// The order of findings in every output: by input, record (input-level findings
    /// first), code, column, message.
    pub fn output_order(a: &Finding, b: &Finding) -> Ordering {
        let record = |f: &Finding| f.record.wrapping_add(1);
        (a.input, record(a), a.check, a.column, &a.message).cmp(&(
            b.input,
            record(b),
            b.check,
            b.column,
            &b.message,
        ))
    }
}
