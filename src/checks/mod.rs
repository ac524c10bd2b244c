//! Checks: one per file, each a unit struct whose doc comment is its documentation, and
//! whose [`Check`] impl owns everything else about it: its options type, what it prepares
//! for one input, and its logic.
//!
//! A check has a scope. `Record` checks see one record at a time while the input
//! streams, in parallel; `Dataset` checks run once after every input was read and see
//! the columns they asked to keep; `Duplicates` checks read the result of duplicate
//! detection. The list of built-in checks is [`registry::CHECKS`]; a run compiles it,
//! with the rule file's selection, severities and options, into one [`CheckSet`].
//!
//! Adding a check touches its file, one line in its family's `mod.rs`, one registry
//! line, its fixture and the fixture test list; nothing in `config`, `engine` or
//! `report` changes.

pub mod completeness;
pub mod duplicates;
pub mod email;
pub mod format;
pub mod input;
pub mod junk;
pub mod phone;
pub mod places;
pub mod referential;
pub mod registry;
pub mod semantic;
mod set;
pub mod staleness;

use std::any::Any;
use std::borrow::Cow;
use std::cell::RefCell;

use serde::Serialize;

pub use self::set::{CheckEntry, CheckSet};
use crate::config::{FieldRef, ObjectRules, OptionTable, Settings};
use crate::dedupe::Duplicates;
use crate::finding::{
    Applicability, CheckId, Dimension, Downstream, Finding, Fix, Severity, display_value,
};
use crate::input::Batch;
use crate::input::chunk::RecordFlags;
use crate::input::columns::{Role, header_key};
use crate::input::profile::{InputProfile, sample_values};
use crate::input::table::Table;
use crate::locale::Date;

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
    /// `SM`: CRM semantics (stages, amounts, dates, conversion).
    Semantic,
    /// `EM`: email addresses.
    Email,
    /// `PH`: phone numbers.
    Phone,
    /// `JK`: junk and fake records.
    Junk,
    /// `ST`: staleness (no activity, dates that cannot be true yet).
    Staleness,
    /// `PL`: places (countries, regions, postal codes).
    Places,
    /// `X`: rules written in a rule file.
    User,
}

impl Family {
    /// What a family's findings about no one field distort when its check names
    /// nothing narrower: a bad record (unreadable, duplicated, orphaned, junk) is wrong
    /// in every report its object feeds; contact data (emails, phones) only the lists
    /// people are reached from, places the split by territory.
    pub const fn default_reports(self) -> &'static [Downstream] {
        match self {
            Family::Email | Family::Phone => &[Downstream::Outreach],
            // Territories and regions: the split by owner or territory.
            Family::Places => &[Downstream::PerOwner],
            Family::Staleness => &[Downstream::Outreach, Downstream::Activity],
            _ => &Downstream::ALL,
        }
    }

    /// Whether the family's findings distort what the field they are about feeds (an
    /// invalid email, a blank close date), rather than the whole record (a test record,
    /// a ragged row, a duplicate: counted twice in every report that counts it).
    pub const fn judges_fields(self) -> bool {
        !matches!(
            self,
            Family::Input | Family::Junk | Family::Duplicates | Family::User
        )
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Family::Input => "IN",
            Family::Completeness => "CP",
            Family::Format => "FM",
            Family::Referential => "RF",
            Family::Duplicates => "DU",
            Family::Semantic => "SM",
            Family::Email => "EM",
            Family::Phone => "PH",
            Family::Junk => "JK",
            Family::Staleness => "ST",
            Family::Places => "PL",
            Family::User => "X",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Completeness => "completeness",
            Family::Format => "format",
            Family::Referential => "referential",
            Family::Duplicates => "duplicates",
            Family::Semantic => "semantic",
            Family::Email => "email",
            Family::Phone => "phone",
            Family::Junk => "junk",
            Family::Staleness => "staleness",
            Family::Places => "places",
            Family::User => "user",
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
    /// On the result of duplicate detection, which runs when a check of this scope is
    /// enabled. Not selected unless asked for: matching costs more than every other check.
    Duplicates,
    /// Last, on every other check's findings (to summarize or reclassify them).
    Review,
}

/// Everything about a check except its logic.
#[derive(Debug, Serialize)]
pub struct CheckMeta {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub family: Family,
    pub scope: Scope,
    pub severity: Severity,
    pub dimension: Dimension,
    /// Runs only when selected (`--extend-select`, the rule file's `extend-select`):
    /// a policy each org sets for itself, not a defect in every export.
    #[serde(skip)]
    pub opt_in: bool,
    /// Whether its findings carry fixes, and which kind (`crmaudit fix`).
    pub fix: FixKind,
    /// The downstream reports its findings distort (the gate's default exclusions).
    pub reports: &'static [Downstream],
    /// The check names no reports of its own: a finding on a field distorts the
    /// reports that read that field (the gate decides by the field's role), one on no
    /// field those of `reports` (its family's).
    pub reports_by_field: bool,
    #[serde(skip)]
    pub docs: Cow<'static, str>,
}

/// What a check's findings offer `crmaudit fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// No fix: the correction needs knowledge the export does not hold.
    None,
    /// Every fix is safe.
    Safe,
    /// Every fix is unsafe (applied with `--unsafe-fixes`).
    Unsafe,
    /// Safe where the correction is certain, unsafe where it is a judgement.
    SafeOrUnsafe,
}

impl FixKind {
    /// One sentence for the check's documentation page.
    pub fn describe(self) -> &'static str {
        match self {
            FixKind::None => "no fix",
            FixKind::Safe => "safe fix (`crmaudit fix` applies it)",
            FixKind::Unsafe => "unsafe fix (`crmaudit fix --unsafe-fixes` applies it)",
            FixKind::SafeOrUnsafe => {
                "safe fix where the correction is certain, else unsafe (`--unsafe-fixes`)"
            }
        }
    }
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

/// A check's options, read from `[checks.<name>]` of each rule-file layer in turn.
pub trait CheckOptions: Default + Send + Sync + 'static {
    /// Applies one layer's table. Keys not asked for are reported as unknown.
    fn apply(&mut self, table: &mut OptionTable<'_>);
}

/// No options: every key of `[checks.<name>]` is unknown.
impl CheckOptions for () {
    fn apply(&mut self, _table: &mut OptionTable<'_>) {}
}

/// A check: its metadata, options, per-input preparation and logic. Implement the method
/// of its scope; the others stay no-ops.
pub trait Check: Sync + Send + 'static {
    /// `[checks.<name>]` options; `()` when the check has none.
    type Options: CheckOptions;
    /// What the check builds once per input (columns resolved, sets built).
    type Prepared: Send + Sync + 'static;

    fn meta(&self) -> &CheckMeta;

    /// Whether the check measures time against the run's as-of date (its dataset
    /// stage then sees `DatasetContext::as_of`).
    fn time_relative(&self) -> bool {
        false
    }

    /// Prepares the check for one input, or `None` when it has nothing to check there
    /// (it then costs nothing in the scan).
    fn prepare(&self, cx: &PrepareContext<'_>, options: &Self::Options) -> Option<Self::Prepared>;

    /// Columns a dataset check needs kept from the scan.
    fn kept_columns(&self, _prepared: &Self::Prepared) -> Vec<usize> {
        Vec::new()
    }

    /// How many numbers [`Check::derive`] appends per record.
    fn derived_width(&self, _prepared: &Self::Prepared) -> usize {
        0
    }

    /// Numbers a dataset check derives from each record during the scan, where the work
    /// runs in parallel with reading: a key's hash, a parsed date. Appends exactly
    /// [`Check::derived_width`] values; the dataset stage sees them in record order.
    /// `scratch` is a reused buffer.
    fn derive(
        &self,
        _prepared: &Self::Prepared,
        _record: &RecordView<'_>,
        _scratch: &mut String,
        _out: &mut Vec<u64>,
    ) {
    }

    fn check_record(
        &self,
        _prepared: &Self::Prepared,
        _record: &RecordView<'_>,
        _sink: &mut FindingSink,
    ) {
    }

    /// `inputs` is aligned with `cx.tables`: each input with this check's state for it.
    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        _inputs: &[DatasetInput<'_, Self::Prepared>],
        _sink: &mut DatasetSink,
    ) {
    }

    fn check_duplicates(&self, _cx: &DuplicatesContext<'_>, _sink: &mut DatasetSink) {}

    /// Reviews the findings of every other check (which it may remove), adding its own.
    fn review(
        &self,
        _cx: &ReviewContext<'_>,
        _findings: &mut Vec<Finding>,
        _sink: &mut DatasetSink,
    ) {
    }
}

/// Type-erased options.
pub type AnyOptions = dyn Any + Send + Sync;

/// A check as the engine and the check set hold it: the same operations with options
/// and prepared state erased. Implemented for every [`Check`].
pub trait DynCheck: Sync + Send {
    fn meta(&self) -> &CheckMeta;
    fn time_relative(&self) -> bool;
    fn default_options(&self) -> Box<AnyOptions>;
    fn apply_options(&self, options: &mut AnyOptions, table: &mut OptionTable<'_>);
    fn prepare<'s>(
        &'s self,
        cx: &PrepareContext<'_>,
        options: &AnyOptions,
    ) -> Option<Box<dyn PreparedCheck + 's>>;
    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, AnyOptions>],
        sink: &mut DatasetSink,
    );
    fn check_duplicates(&self, cx: &DuplicatesContext<'_>, sink: &mut DatasetSink);
    fn review(&self, cx: &ReviewContext<'_>, findings: &mut Vec<Finding>, sink: &mut DatasetSink);
}

/// One input as a dataset check sees it: the table, the check's state for it (`None`
/// where it does not apply) and the numbers it derived from each record.
pub struct DatasetInput<'a, P: ?Sized> {
    pub table: &'a Table,
    pub prepared: Option<&'a P>,
    /// [`Check::derived_width`] values per record, record after record.
    pub derived: &'a [u64],
}

/// A check prepared for one input.
pub trait PreparedCheck: Send + Sync {
    fn kept_columns(&self) -> Vec<usize>;
    fn derived_width(&self) -> usize;
    fn derive(&self, record: &RecordView<'_>, scratch: &mut String, out: &mut Vec<u64>);
    fn check_record(&self, record: &RecordView<'_>, sink: &mut FindingSink);
    /// The prepared state, for the dataset stage.
    fn state(&self) -> &AnyOptions;
}

struct Bound<'s, C: Check> {
    check: &'s C,
    state: C::Prepared,
}

impl<C: Check> PreparedCheck for Bound<'_, C> {
    fn kept_columns(&self) -> Vec<usize> {
        self.check.kept_columns(&self.state)
    }

    fn derived_width(&self) -> usize {
        self.check.derived_width(&self.state)
    }

    #[inline]
    fn derive(&self, record: &RecordView<'_>, scratch: &mut String, out: &mut Vec<u64>) {
        self.check.derive(&self.state, record, scratch, out);
    }

    #[inline]
    fn check_record(&self, record: &RecordView<'_>, sink: &mut FindingSink) {
        self.check.check_record(&self.state, record, sink);
    }

    fn state(&self) -> &AnyOptions {
        &self.state
    }
}

impl<C: Check> DynCheck for C {
    fn meta(&self) -> &CheckMeta {
        Check::meta(self)
    }

    fn time_relative(&self) -> bool {
        Check::time_relative(self)
    }

    fn default_options(&self) -> Box<AnyOptions> {
        Box::new(C::Options::default())
    }

    fn apply_options(&self, options: &mut AnyOptions, table: &mut OptionTable<'_>) {
        if let Some(options) = options.downcast_mut::<C::Options>() {
            options.apply(table);
        }
    }

    fn prepare<'s>(
        &'s self,
        cx: &PrepareContext<'_>,
        options: &AnyOptions,
    ) -> Option<Box<dyn PreparedCheck + 's>> {
        let options = options.downcast_ref::<C::Options>()?;
        let state = Check::prepare(self, cx, options)?;
        Some(Box::new(Bound { check: self, state }))
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, AnyOptions>],
        sink: &mut DatasetSink,
    ) {
        let typed: Vec<DatasetInput<'_, C::Prepared>> = inputs
            .iter()
            .map(|i| DatasetInput {
                table: i.table,
                prepared: i.prepared.and_then(|p| p.downcast_ref::<C::Prepared>()),
                derived: i.derived,
            })
            .collect();
        Check::check_dataset(self, cx, &typed, sink);
    }

    fn check_duplicates(&self, cx: &DuplicatesContext<'_>, sink: &mut DatasetSink) {
        Check::check_duplicates(self, cx, sink);
    }

    fn review(&self, cx: &ReviewContext<'_>, findings: &mut Vec<Finding>, sink: &mut DatasetSink) {
        Check::review(self, cx, findings, sink);
    }
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
        dimension = $dimension:ident
        $(, opt_in = $opt_in:literal)?
        $(, fix = $fix:ident)?
        $(, reports = [$($report:ident),* $(,)?])? $(,)?
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            pub const META: $crate::checks::CheckMeta = $crate::checks::CheckMeta {
                code: ::std::borrow::Cow::Borrowed($code),
                name: ::std::borrow::Cow::Borrowed($cname),
                family: $crate::checks::Family::$family,
                scope: $crate::checks::Scope::$scope,
                severity: $crate::finding::Severity::$severity,
                dimension: $crate::finding::Dimension::$dimension,
                opt_in: false $(|| $opt_in)?,
                fix: $crate::checks::declare_check!(@fix $($fix)?),
                reports: $crate::checks::declare_check!(
                    @reports $family $([$($crate::finding::Downstream::$report),*])?
                ),
                reports_by_field: $crate::checks::declare_check!(
                    @by_field $family $([$($report),*])?
                ),
                docs: ::std::borrow::Cow::Borrowed(concat!($($doc, "\n"),*)),
            };
        }
    };
    (@fix) => { $crate::checks::FixKind::None };
    (@fix $fix:ident) => { $crate::checks::FixKind::$fix };
    (@reports $family:ident) => { $crate::checks::Family::$family.default_reports() };
    (@reports $family:ident [$($report:expr),*]) => { &[$($report),*] };
    (@by_field $family:ident) => { $crate::checks::Family::$family.judges_fields() };
    (@by_field $family:ident [$($report:ident),*]) => { false };
}
pub use crate::declare_check;

/// What a check sees while preparing for one input.
pub struct PrepareContext<'a> {
    pub checks: &'a CheckSet,
    /// Every input of the run with its first records, by index (for relations).
    pub inputs: &'a [(&'a InputProfile, &'a Batch)],
    pub profile: &'a InputProfile,
    /// The first records of the input, for checks that decide from the data.
    pub sample: &'a Batch,
    pub settings: &'a Settings,
    notices: RefCell<Vec<String>>,
}

impl<'a> PrepareContext<'a> {
    pub fn new(
        checks: &'a CheckSet,
        profile: &'a InputProfile,
        sample: &'a Batch,
        settings: &'a Settings,
        inputs: &'a [(&'a InputProfile, &'a Batch)],
    ) -> Self {
        PrepareContext {
            checks,
            inputs,
            profile,
            sample,
            settings,
            notices: RefCell::new(Vec::new()),
        }
    }

    /// Another check's options, for checks that split values between them.
    pub fn options_of<C: Check>(&self, check: &C) -> Option<&'a C::Options> {
        let (_, entry) = self.checks.find(&Check::meta(check).code)?;
        entry.options().downcast_ref::<C::Options>()
    }

    /// Whether a rule of the input's object type is one of the built-in defaults (not
    /// written or chosen by the user): its findings are soft.
    pub fn is_default(&self, rule: impl Fn(&ObjectRules) -> bool) -> bool {
        self.settings
            .default_rules(self.profile.object)
            .is_some_and(rule)
    }

    /// The `[objects.<object>]` rules of the input's object type.
    pub fn rules(&self) -> Option<&'a ObjectRules> {
        self.settings.object_rules(self.profile.object)
    }

    /// The non-blank sample values of a column.
    pub fn sample_values(&self, column: usize) -> impl Iterator<Item = &'a str> {
        sample_values(self.sample, column)
    }

    /// Tells the user something about how a rule applies to this input.
    pub fn note(&self, message: String) {
        self.notices.borrow_mut().push(message);
    }

    /// The column a rule-file field names. A role the input does not have is silently
    /// absent (roles are generic); a header name that is not a column is noted.
    pub fn resolve(&self, field: &FieldRef, what: &str) -> Option<usize> {
        match field {
            FieldRef::Role(role) => self.profile.columns.column(*role),
            FieldRef::Header(h) => {
                let key = header_key(h);
                let found = self
                    .profile
                    .header
                    .columns
                    .iter()
                    .position(|x| header_key(x) == key);
                if found.is_none() {
                    self.note(format!(
                        "{what} `{field}` is not a column of {}",
                        self.profile.name
                    ));
                }
                found
            }
        }
    }

    /// The column a required field is read from: its own, or, for a first or last name,
    /// a full-name column (`ФИО`, `Full Name`) that holds both. Nothing is noted.
    pub fn required_column(&self, field: &FieldRef) -> Option<usize> {
        match field {
            FieldRef::Role(role) => self.profile.columns.column(*role).or_else(|| {
                matches!(role, Role::FirstName | Role::LastName)
                    .then(|| self.profile.columns.column(Role::FullName))
                    .flatten()
            }),
            FieldRef::Header(h) => {
                let key = header_key(h);
                self.profile
                    .header
                    .columns
                    .iter()
                    .position(|x| header_key(x) == key)
            }
        }
    }

    /// The columns the rule file requires for the input's object type (blanking one
    /// of them is a judgement, not a safe fix).
    pub fn required_columns(&self) -> Vec<usize> {
        self.rules()
            .map(|r| {
                r.required
                    .iter()
                    .filter_map(|f| self.required_column(f))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn into_notices(self) -> Vec<String> {
        self.notices.into_inner()
    }
}

/// One record, decoded. Short (ragged) rows are padded with blanks to the header width.
pub struct RecordView<'a> {
    pub profile: &'a InputProfile,
    /// Field values, one per header column, trimmed.
    pub fields: &'a [&'a str],
    /// How many fields the row really had (empty ones past the header's last column
    /// not counted).
    pub field_count: usize,
    /// Columns whose bytes were not valid in the input's encoding (shown lossily).
    pub invalid_encoding: &'a [usize],
    /// Fields that had whitespace at an end, with their untrimmed values, by column.
    pub padded: &'a [(usize, &'a str)],
    /// The record's bytes as read (every field, delimiters aside), for checks that
    /// look for a byte anywhere in it before reading field by field.
    pub raw: &'a [u8],
    pub line: u64,
    /// How the record was read (a stray quote taken as text, …).
    pub flags: RecordFlags,
}

impl RecordView<'_> {
    /// The trimmed value of a column ("" when absent).
    #[inline]
    pub fn get(&self, column: usize) -> &str {
        self.fields.get(column).copied().unwrap_or("")
    }

    /// The header of a column.
    pub fn header(&self, column: usize) -> &str {
        self.profile.header_name(column)
    }
}

/// Collects the findings of records. One sink per worker is reused record after
/// record; the engine points it at the record and at the check before each call, and
/// the sink stamps the check's effective severity. `scratch` is a buffer checks may use
/// instead of allocating.
pub struct FindingSink {
    input: u32,
    record: u32,
    line: u64,
    check: CheckId,
    severity: Severity,
    pub(crate) findings: Vec<Finding>,
    pub scratch: String,
}

impl FindingSink {
    pub fn new(input: u32) -> Self {
        FindingSink {
            input,
            record: 0,
            line: 0,
            check: CheckId(0),
            severity: Severity::Warning,
            findings: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Points the sink at the next record.
    #[inline]
    pub fn start(&mut self, record: u32, line: u64) {
        self.record = record;
        self.line = line;
    }

    /// Points the sink at the next check.
    #[inline]
    pub fn set_check(&mut self, check: CheckId, severity: Severity) {
        self.check = check;
        self.severity = severity;
    }

    pub fn report(&mut self, column: Option<usize>, value: Option<&str>, message: String) {
        self.push(column, value, message, false);
    }

    /// A finding of a built-in default rule (see [`Finding::soft`]).
    pub fn report_soft(&mut self, column: Option<usize>, value: Option<&str>, message: String) {
        self.push(column, value, message, true);
    }

    /// [`FindingSink::report`] or [`FindingSink::report_soft`].
    pub fn report_with(
        &mut self,
        soft: bool,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        self.push(column, value, message, soft);
    }

    fn push(&mut self, column: Option<usize>, value: Option<&str>, message: String, soft: bool) {
        self.findings.push(Finding {
            check: self.check,
            severity: self.severity,
            input: self.input,
            record: self.record,
            line: self.line,
            column: column.and_then(|c| u32::try_from(c).ok()),
            value: value.map(display_value),
            message: message.into_boxed_str(),
            soft,
            shared: false,
            fixes: Box::default(),
        });
    }

    /// Attaches a fix of its own field to the finding just reported: `new` replaces the
    /// whole value (`""` blanks it). Ignored when that finding names no field. A fix
    /// never fills a blank: `crmaudit fix` applies none to a blank field.
    pub fn fix(&mut self, new: &str, applicability: Applicability) {
        if let Some(f) = self.findings.last_mut()
            && let Some(column) = f.column
        {
            attach(f, f.record, column, new, applicability);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

fn attach(f: &mut Finding, record: u32, column: u32, new: &str, applicability: Applicability) {
    let mut fixes = std::mem::take(&mut f.fixes).into_vec();
    fixes.push(Fix {
        record,
        column,
        new: new.into(),
        applicability,
    });
    f.fixes = fixes.into_boxed_slice();
}

/// What a dataset check can see besides its own prepared state.
pub struct DatasetContext<'a> {
    pub tables: &'a [Table],
    /// The run's as-of date, for time-relative checks (`None`: the export has no
    /// timestamps to date it by).
    pub as_of: Option<Date>,
}

/// What a reviewing check can see besides the findings.
pub struct ReviewContext<'a> {
    pub tables: &'a [Table],
    pub checks: &'a CheckSet,
}

/// What a duplicates check can see.
pub struct DuplicatesContext<'a> {
    pub tables: &'a [Table],
    pub duplicates: &'a Duplicates,
}

/// Collects dataset findings, which may name any record of any input.
pub struct DatasetSink {
    check: CheckId,
    severity: Severity,
    pub(crate) findings: Vec<Finding>,
}

impl DatasetSink {
    pub fn new(check: CheckId, severity: Severity) -> Self {
        DatasetSink {
            check,
            severity,
            findings: Vec::new(),
        }
    }

    pub fn report(
        &mut self,
        table: &Table,
        record: usize,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        let severity = self.severity;
        self.push(table, Some(record), column, value, message, false, severity);
    }

    /// A finding of a built-in default rule (see [`Finding::soft`]).
    pub fn report_soft(
        &mut self,
        table: &Table,
        record: usize,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        let severity = self.severity;
        self.push(table, Some(record), column, value, message, true, severity);
    }

    /// [`DatasetSink::report_soft`] past a check's second threshold: a warning becomes
    /// an error (any other severity, as a rule file set it, stays).
    pub fn report_soft_escalated(
        &mut self,
        table: &Table,
        record: usize,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
    ) {
        let severity = match self.severity {
            Severity::Warning => Severity::Error,
            other => other,
        };
        self.push(table, Some(record), column, value, message, true, severity);
    }

    /// One finding: about a record, or (`None`) about the input as a whole, located at
    /// its header line.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        table: &Table,
        record: Option<usize>,
        column: Option<usize>,
        value: Option<&str>,
        message: String,
        soft: bool,
        severity: Severity,
    ) {
        let (record, line) = match record {
            Some(r) => (u32::try_from(r).unwrap_or(u32::MAX - 1), table.lines[r]),
            None => (Finding::INPUT, table.header.line),
        };
        self.findings.push(Finding {
            check: self.check,
            severity,
            input: table.index,
            record,
            line,
            column: column.and_then(|c| u32::try_from(c).ok()),
            value: value.map(display_value),
            message: message.into_boxed_str(),
            soft,
            shared: false,
            fixes: Box::default(),
        });
    }

    /// Marks the finding just reported as about a value many records share (see
    /// [`Finding::shared`]).
    pub fn mark_shared(&mut self) {
        if let Some(f) = self.findings.last_mut() {
            f.shared = true;
        }
    }

    /// Attaches a fix of its own field to the finding just reported (see
    /// [`FindingSink::fix`]).
    pub fn fix(&mut self, new: &str, applicability: Applicability) {
        if let Some(f) = self.findings.last_mut()
            && let (Some(column), false) = (f.column, f.is_input_level())
        {
            attach(f, f.record, column, new, applicability);
        }
    }

    /// Attaches to the finding just reported (one about a whole column) a fix of one
    /// record's value in that column.
    pub fn fix_record(&mut self, record: usize, new: &str, applicability: Applicability) {
        if let Some(f) = self.findings.last_mut()
            && let (Some(column), Ok(record)) = (f.column, u32::try_from(record))
        {
            attach(f, record, column, new, applicability);
        }
    }

    /// An empty sink for the same check, to fill on another thread and [`join`] back.
    ///
    /// [`join`]: DatasetSink::join
    pub fn fork(&self) -> DatasetSink {
        DatasetSink::new(self.check, self.severity)
    }

    /// Appends the findings of a forked sink.
    pub fn join(&mut self, other: DatasetSink) {
        self.findings.extend(other.findings);
    }

    /// A finding about the input as a whole (located at its header line).
    pub fn report_input(&mut self, table: &Table, column: Option<usize>, message: String) {
        let severity = self.severity;
        self.push(table, None, column, None, message, false, severity);
    }

    /// [`DatasetSink::report_input`] as a notice ([`Severity::Info`]): a fact worth
    /// knowing that fails no gate, whatever the check's severity.
    pub fn report_input_notice(&mut self, table: &Table, column: Option<usize>, message: String) {
        self.push(table, None, column, None, message, false, Severity::Info);
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// What every check file imports.
pub mod prelude {
    pub use super::{
        Check, CheckMeta, CheckOptions, DatasetContext, DatasetInput, DatasetSink,
        DuplicatesContext, FindingSink, PrepareContext, RecordView, ReviewContext, declare_check,
    };
    pub use crate::config::OptionTable;
    pub use crate::finding::{Applicability, Finding};
}
