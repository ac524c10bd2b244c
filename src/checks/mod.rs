//! Checks: one per file, each a unit struct whose doc comment is its documentation.
//!
//! A check has a scope. `Record` checks see one record at a time while the input
//! streams, in parallel; `Dataset` checks run once after every input was read and see
//! the kept columns of all inputs. The list of checks is [`registry::CHECKS`]; metadata,
//! docs, selection and dispatch all come from it.
//!
//! Checks read their configuration from the input's [`InputPlan`] (columns resolved,
//! regexes compiled, lookup sets built once) and never from the rule file directly.

pub mod completeness;
pub mod duplicates;
pub mod format;
pub mod input;
pub mod referential;
pub mod registry;

use serde::Serialize;

use crate::config::Settings;
use crate::engine::plan::InputPlan;
use crate::finding::{Dimension, Finding, Severity, display_value};
use crate::input::table::Table;

/// Check families, by code prefix (DESIGN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Family {
    /// `IN`: the export itself (ragged rows, encoding).
    Input,
    /// `CP`: completeness.
    Completeness,
    /// `FM`: format and validity.
    Format,
    /// `RF`: referential integrity.
    Referential,
    /// `DU`: duplicates.
    Duplicates,
}

impl Family {
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Input => "IN",
            Family::Completeness => "CP",
            Family::Format => "FM",
            Family::Referential => "RF",
            Family::Duplicates => "DU",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Completeness => "completeness",
            Family::Format => "format",
            Family::Referential => "referential",
            Family::Duplicates => "duplicates",
        }
    }
}

/// When a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Once per record, while the input streams.
    Record,
    /// Once per run, after all inputs were read.
    Dataset,
    /// Emitted by the duplicate-detection stage (`dedupe`), which runs when one of its
    /// codes is enabled.
    Duplicates,
}

/// Everything about a check except its logic.
#[derive(Debug, Serialize)]
pub struct CheckMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub scope: Scope,
    pub severity: Severity,
    pub dimension: Dimension,
    #[serde(skip)]
    pub docs: &'static str,
}

impl CheckMeta {
    /// The documentation as Markdown (the doc comment without its leading spaces).
    pub fn docs_markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The first paragraph under `## What it checks`.
    pub fn summary(&self) -> String {
        let docs = self.docs_markdown();
        docs.split("## What it checks")
            .nth(1)
            .and_then(|rest| rest.trim_start().split("\n\n").next())
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }
}

/// A check's logic. Implement the method of its scope; the other stays a no-op.
pub trait Check: Sync {
    fn meta(&self) -> &'static CheckMeta;

    fn check_record(
        &self,
        _ctx: &RecordContext<'_>,
        _record: &RecordView<'_>,
        _sink: &mut FindingSink,
    ) {
    }

    fn check_dataset(&self, _ctx: &DatasetContext<'_>, _sink: &mut DatasetSink) {}
}

/// Declares a check struct with its metadata; the doc comment becomes its docs.
#[macro_export]
#[doc(hidden)]
macro_rules! declare_check {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident;
        code = $code:literal,
        name = $cname:literal,
        family = $family:ident,
        scope = $scope:ident,
        severity = $severity:ident,
        dimension = $dimension:ident $(,)?
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            pub const META: $crate::checks::CheckMeta = $crate::checks::CheckMeta {
                code: $code,
                name: $cname,
                family: $crate::checks::Family::$family,
                scope: $crate::checks::Scope::$scope,
                severity: $crate::finding::Severity::$severity,
                dimension: $crate::finding::Dimension::$dimension,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub use crate::declare_check;

/// What a record check can see besides the record.
pub struct RecordContext<'a> {
    pub plan: &'a InputPlan,
    pub settings: &'a Settings,
}

/// One record, decoded. Short (ragged) rows are padded with blanks to the header width.
pub struct RecordView<'a> {
    /// Field values, one per header column, untrimmed.
    pub fields: &'a [&'a str],
    /// How many fields the row really had.
    pub field_count: usize,
    /// Columns whose bytes were not valid in the input's encoding (shown lossily).
    pub invalid_encoding: &'a [usize],
    pub line: u64,
}

impl RecordView<'_> {
    /// The trimmed value of a column ("" when absent).
    pub fn get(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", |v| v.trim())
    }
}

/// Collects the findings of one record. One sink per worker thread is reused record
/// after record; `scratch` is a buffer checks may use instead of allocating.
pub struct FindingSink {
    input: u32,
    record: u32,
    line: u64,
    pub(crate) findings: Vec<Finding>,
    pub scratch: String,
}

impl FindingSink {
    pub fn new(input: u32, record: u32, line: u64) -> Self {
        FindingSink {
            input,
            record,
            line,
            findings: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Points the sink at the next record.
    pub fn start(&mut self, record: u32, line: u64) {
        self.record = record;
        self.line = line;
    }

    /// The findings of the current record, leaving the sink empty.
    pub fn take(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.findings)
    }

    pub fn report(
        &mut self,
        meta: &'static CheckMeta,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        self.findings.push(Finding {
            check: meta,
            severity: meta.severity,
            input: self.input,
            record: self.record,
            line: self.line,
            column: column.and_then(|c| u32::try_from(c).ok()),
            value: value.map(display_value),
            message: message.into_boxed_str(),
        });
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// What a dataset check can see: every input's kept columns and plan.
pub struct DatasetContext<'a> {
    pub tables: &'a [Table],
    pub plans: &'a [InputPlan],
    pub settings: &'a Settings,
}

/// Collects dataset findings, which may name any record of any input.
#[derive(Default)]
pub struct DatasetSink {
    pub(crate) findings: Vec<Finding>,
}

impl DatasetSink {
    pub fn report(
        &mut self,
        meta: &'static CheckMeta,
        table: &Table,
        record: usize,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        self.findings.push(Finding {
            check: meta,
            severity: meta.severity,
            input: table.index,
            record: u32::try_from(record).unwrap_or(u32::MAX),
            line: table.lines[record],
            column: column.and_then(|c| u32::try_from(c).ok()),
            value: value.map(display_value),
            message: message.into_boxed_str(),
        });
    }
}

/// What every check file imports.
pub mod prelude {
    pub use super::{
        Check, CheckMeta, DatasetContext, DatasetSink, FindingSink, RecordContext, RecordView,
        declare_check,
    };
}
