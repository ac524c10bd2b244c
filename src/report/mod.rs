//! Reports: one [`RunReport`] built from the scan and the gate's verdict, and one
//! [`Reporter`] per format that views it. Writers never recompute what the scan or the
//! gate decided; they only select and format. Adding a format is one file here and one
//! arm in [`OutputFormat::reporter`].

mod duplicates;
mod files;
mod findings_csv;
mod fitness_csv;
pub mod history;
mod html;
mod human;
mod json;
mod jsonl;
mod junit;
mod markdown;
pub mod redact;
mod run_id;
mod sarif;
pub mod spreadsheet;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

pub use self::files::{
    FIX_NAMES, MANIFEST, OUTPUT_NAMES, OutputFile, OutputSet, check_outputs_spare_inputs,
    write_atomic,
};
use crate::config::Origin;
use crate::dedupe::Duplicates;
use crate::engine::{RunConfig, Scan};
use crate::finding::{Finding, Severity};
use crate::gate::baseline::Known;
use crate::gate::{self, Compare, Gate};
use crate::input::table::Table;

/// Version of the `report.json` schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write `{path}`: {source}")]
    File { path: String, source: io::Error },
    #[error(
        "`{path}` is an input of this run and a report would replace it (or remove it: the folder's previous run wrote it); write the reports to another folder with --out"
    )]
    ReplacesInput { path: String },
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

impl Error {
    /// True when the reader of our output went away (`crmaudit audit … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            Error::Io(e) | Error::File { source: e, .. } => Some(e.kind()),
            Error::Json(e) => e.io_error_kind(),
            Error::ReplacesInput { .. } => None,
            Error::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    }
}

/// An output format: one view of a [`RunReport`].
pub trait Reporter {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error>;
}

/// Stdout formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Markdown,
    /// One finding per line.
    Jsonl,
    Junit,
    Sarif,
    Html,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 7] = [
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Jsonl,
        OutputFormat::Junit,
        OutputFormat::Sarif,
        OutputFormat::Html,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Junit => "junit",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Html => "html",
        }
    }

    /// The writer of this format; `color` applies to formats for terminals.
    pub fn reporter(self, color: bool) -> Box<dyn Reporter> {
        match self {
            OutputFormat::Human => Box::new(human::Human { color }),
            OutputFormat::Json => Box::new(json::Json { pretty: true }),
            OutputFormat::Markdown => Box::new(markdown::Markdown),
            OutputFormat::Jsonl => Box::new(jsonl::Jsonl),
            OutputFormat::Junit => Box::new(junit::Junit),
            OutputFormat::Sarif => Box::new(sarif::Sarif),
            OutputFormat::Html => Box::new(html::Html),
        }
    }

    /// Whether the format is meant for people (colour, progress bar).
    pub fn is_human_readable(self) -> bool {
        matches!(self, OutputFormat::Human | OutputFormat::Markdown)
    }
}

/// A check as the report shows it: its metadata and how this run configured it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckInfo {
    pub code: String,
    pub name: String,
    pub dimension: &'static str,
    pub default_severity: Severity,
    pub severity: Severity,
    /// Where the severity was set (`default`, a rule-file position, `command line`).
    pub severity_source: Origin,
    pub enabled: bool,
    /// The first paragraph of its documentation.
    #[serde(skip)]
    pub summary: String,
    /// Its family's name (`semantic`, `email`, …).
    #[serde(skip)]
    pub family: &'static str,
}

/// What one input turned out to be.
#[derive(Debug, Serialize)]
pub struct InputSummary {
    pub name: String,
    pub object: &'static str,
    /// Why the object type was chosen.
    pub object_source: String,
    /// The Salesforce object its ids name (`OpportunityContactRole`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salesforce_object: Option<String>,
    pub format: &'static str,
    pub encoding: Option<String>,
    pub bom: bool,
    pub delimiter: Option<String>,
    pub date_order: &'static str,
    pub decimal: &'static str,
    pub records: usize,
    /// Lines of a CSV input's text: every one is the header's, a record's or blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    pub id_column: Option<String>,
    pub columns: Vec<ColumnSummary>,
    /// Columns found to hold another input's keys, described.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    pub role: Option<&'static str>,
}

/// Counts over the whole run.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub records: usize,
    pub records_with_findings: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    /// Records per class (clean, review, quarantine).
    pub classes: BTreeMap<crate::trust::Class, usize>,
    /// The dataset's trust: mean score, per dimension, distribution, thresholds.
    pub trust: crate::trust::TrustSummary,
}

/// Findings of one check.
#[derive(Debug, Serialize)]
pub struct CodeSummary {
    pub name: String,
    pub severity: Severity,
    /// Where the severity was set.
    pub severity_source: Origin,
    pub dimension: &'static str,
    pub count: usize,
    /// Distinct records with at least one finding of this code.
    pub records: usize,
}

/// Everything a writer may show.
#[derive(Debug)]
pub struct RunReport {
    pub config: Vec<String>,
    /// Every check of the run, by [`crate::finding::CheckId`].
    pub checks: Vec<CheckInfo>,
    pub inputs: Vec<InputSummary>,
    pub summary: Summary,
    pub findings_by_code: BTreeMap<String, CodeSummary>,
    pub gate: Gate,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
    pub tables: Vec<Table>,
    pub duplicates: Option<Duplicates>,
    /// Write CSV cells as they are, formulas included (`--raw-csv`).
    pub raw_csv: bool,
    /// Start findings.csv and fitness.csv with a UTF-8 byte-order mark (`--bom`).
    pub bom: bool,
    /// Each record's score and class.
    pub trust: crate::trust::Trust,
    /// Digest of what the run decided, written in every output file.
    pub run_id: String,
    /// Per downstream report, which records may feed it.
    pub fitness: Vec<gate::fitness::ReportFitness>,
    /// Per finding, whether the baseline (or the last run) lacks it; `None` without
    /// either.
    pub new: Option<Vec<bool>>,
    /// Check codes, by check index.
    pub codes: Vec<String>,
    /// A baseline decided which findings are new (`--fail-on` counts only those).
    pub baselined: bool,
    /// Per finding, its fingerprint (when a baseline, a history or `--write-baseline`
    /// asked for them; else empty).
    pub fingerprints: Vec<u64>,
    /// This run against the last one of the history.
    pub history: Option<crate::history::Diff>,
    /// Trust score per run of the history (this dataset's, oldest first, this run
    /// last), labelled (`#3`, `now`).
    pub trend: Vec<(String, f64)>,
    /// The date time-relative checks measured against.
    pub as_of: Option<crate::locale::Date>,
}

impl RunReport {
    pub fn new(scan: Scan, config: &RunConfig, compare: &Compare) -> RunReport {
        let trust =
            crate::trust::assess(&scan.findings, &scan.tables, &config.checks, &config.trust);
        let Scan {
            tables,
            findings,
            duplicates,
            notices,
            deals,
            as_of,
        } = scan;
        let codes: Vec<String> = config
            .checks
            .entries()
            .iter()
            .map(|e| e.meta().code.to_string())
            .collect();
        // New findings: not in the baseline, else not in the last run.
        let known = compare
            .baseline
            .as_ref()
            .or(compare.last.as_ref().map(|l| &l.fingerprints));
        let keys = crate::gate::baseline::input_keys(tables.iter().map(|t| t.name.as_str()));
        let fingerprints: Vec<u64> = if known.is_some() || compare.fingerprints {
            findings
                .par_iter()
                .map(|f| Known::of(f, &tables, &keys, &codes[f.check.index()]).fingerprint())
                .collect()
        } else {
            Vec::new()
        };
        let new: Option<Vec<bool>> =
            known.map(|k| fingerprints.iter().map(|h| !k.contains(h)).collect());
        let by_severity = gate::count_by_severity(&findings);
        let gate = match (&compare.baseline, &new) {
            (Some(_), Some(new)) => {
                let fresh = findings
                    .iter()
                    .zip(new)
                    .filter(|(_, n)| **n)
                    .map(|(f, _)| f);
                gate::decide(&gate::count_by_severity(fresh), compare.fail_on)
            }
            _ => gate::decide(&by_severity, compare.fail_on),
        };
        let prior = gate::Prior {
            score: compare.last.as_ref().map(|l| l.score),
            new_findings: new.as_ref().map(|n| n.iter().filter(|x| **x).count()),
        };
        let conditions = gate::dataset::evaluate(
            &config.gate.dataset,
            &tables,
            &findings,
            &config.checks,
            &trust.summary,
            &prior,
        );
        let gate = gate.with_conditions(conditions);
        let identity: Vec<bool> = config
            .checks
            .entries()
            .iter()
            .map(|e| !e.meta().family.judges_fields())
            .collect();
        let fitness = gate::fitness::assess(
            &config.gate.reports,
            &gate::fitness::Inputs {
                findings: &findings,
                tables: &tables,
                classes: &trust.records,
                deals: &deals,
                codes: &codes,
                identity: &identity,
            },
        );
        let checks: Vec<CheckInfo> = config
            .checks
            .entries()
            .iter()
            .map(|e| {
                let m = e.meta();
                CheckInfo {
                    code: m.code.to_string(),
                    name: m.name.to_string(),
                    dimension: m.dimension.as_str(),
                    default_severity: m.severity,
                    severity: e.severity,
                    severity_source: e.severity_source.clone(),
                    enabled: e.enabled,
                    summary: m.summary(),
                    family: m.family.as_str(),
                }
            })
            .collect();
        let inputs: Vec<InputSummary> = tables
            .iter()
            .map(|t| InputSummary {
                name: t.name.clone(),
                object: t.object.as_str(),
                object_source: t.object_source.clone(),
                salesforce_object: t.sf_object.clone(),
                format: t.header.format,
                encoding: t.header.encoding.clone(),
                bom: t.header.bom,
                delimiter: t.header.delimiter.clone(),
                date_order: t.locale.date_order.as_str(),
                decimal: t.locale.decimal.as_str(),
                records: t.len(),
                lines: t.physical_lines,
                id_column: t.id_column.map(|c| t.header_name(c).to_owned()),
                columns: t
                    .header
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, name)| ColumnSummary {
                        name: name.clone(),
                        role: t.columns.role(i).map(|r| r.as_str()),
                    })
                    .collect(),
                relations: t
                    .relations
                    .iter()
                    .map(|r| r.describe(&t.profile, &tables[r.target as usize].profile))
                    .collect(),
            })
            .collect();

        let mut findings_by_code: BTreeMap<String, CodeSummary> = BTreeMap::new();
        let mut last_record_by_check: BTreeMap<u16, (u32, u32)> = BTreeMap::new();
        let mut records_with_findings = 0;
        let mut last_record = None;
        for f in &findings {
            let info = &checks[f.check.index()];
            let entry = findings_by_code
                .entry(info.code.clone())
                .or_insert_with(|| CodeSummary {
                    name: info.name.clone(),
                    severity: f.severity,
                    severity_source: info.severity_source.clone(),
                    dimension: info.dimension,
                    count: 0,
                    records: 0,
                });
            entry.count += 1;
            let key = (f.input, f.record);
            // Findings are sorted by record, so a record's findings are adjacent.
            if last_record_by_check.get(&f.check.0) != Some(&key) {
                entry.records += 1;
                last_record_by_check.insert(f.check.0, key);
            }
            // A finding about an input as a whole (IN004, IN008, a column that never
            // joins) is no record with a finding.
            if last_record != Some(key) && !f.is_input_level() {
                records_with_findings += 1;
                last_record = Some(key);
            }
        }
        let run_id = run_id::run_id(
            &config.settings.sources,
            &inputs,
            &checks,
            &findings,
            duplicates.as_ref(),
            &gate,
        );
        RunReport {
            run_id,
            config: config.settings.sources.clone(),
            checks,
            inputs,
            summary: Summary {
                records: tables.iter().map(Table::len).sum(),
                records_with_findings,
                findings: findings.len(),
                by_severity,
                classes: trust.summary.classes.clone(),
                trust: trust.summary.clone(),
            },
            findings_by_code,
            gate,
            warnings: notices,
            findings,
            tables,
            duplicates,
            raw_csv: false,
            bom: false,
            trust,
            fitness,
            new,
            codes,
            baselined: compare.baseline.is_some(),
            fingerprints,
            history: None,
            trend: Vec::new(),
            as_of,
        }
    }

    /// The check of a finding.
    pub fn check(&self, f: &Finding) -> &CheckInfo {
        &self.checks[f.check.index()]
    }

    /// The record id, input name and object of a finding.
    pub fn record_of(&self, f: &Finding) -> (&str, &Table) {
        let table = &self.tables[f.input as usize];
        if f.is_input_level() {
            return ("", table);
        }
        (table.id(f.record as usize), table)
    }

    /// Whether a finding is new since the baseline or the last run (`None` without
    /// either).
    /// `index` is the finding's position in [`RunReport::findings`].
    pub fn is_new(&self, index: usize) -> Option<bool> {
        self.new.as_ref()?.get(index).copied()
    }

    /// Whether the gate counts a finding against `--fail-on`: at or above its severity
    /// and, with a baseline, new.
    pub fn fails_gate(&self, index: usize) -> bool {
        let f = &self.findings[index];
        let severe = match self.gate.fail_on {
            crate::gate::FailOn::Error => f.severity >= Severity::Error,
            crate::gate::FailOn::Warning => f.severity >= Severity::Warning,
            crate::gate::FailOn::Never => false,
        };
        severe && (!self.baselined || self.is_new(index) != Some(false))
    }

    /// The header of the finding's column, if it has one.
    pub fn field_of(&self, f: &Finding) -> Option<&str> {
        f.column
            .map(|c| self.tables[f.input as usize].header_name(c as usize))
    }

    /// Writes `report.json`, `findings.csv` and `summary.md` (and the duplicate CSVs when
    /// duplicates were sought) into `dir`, made visible together with their manifest.
    /// `extra` writes more files into the same set (the class files, which read the
    /// inputs again).
    pub fn write_dir(
        &self,
        dir: &Path,
        extra: &(dyn Fn(&OutputSet) -> Result<Vec<OutputFile>, Error> + Sync),
    ) -> Result<Vec<String>, Error> {
        let mut set = OutputSet::new(dir, &self.run_id)?;
        // The class files read the inputs again, on one thread: beside the reports.
        let (extra_files, (json, rest)) = rayon::join(
            || extra(&set),
            || {
                // The JSON report is the largest: written beside the others.
                rayon::join(
                    || {
                        set.write("report.json", &|w| {
                            json::Json { pretty: false }.emit(self, w)
                        })
                    },
                    || -> Result<_, Error> {
                        let mut files = vec![
                            set.write("findings.csv", &|w| findings_csv::write(self, w))?,
                            set.write("summary.md", &|w| markdown::Markdown.emit(self, w))?,
                            set.write("fitness.csv", &|w| fitness_csv::write(self, w))?,
                            set.write("report.html", &|w| html::Html.emit(self, w))?,
                        ];
                        files.extend(self.write_duplicate_csvs(&set)?);
                        Ok(files)
                    },
                )
            },
        );
        for file in extra_files? {
            set.add(file);
        }
        set.add(json?);
        for file in rest? {
            set.add(file);
        }
        set.commit()
    }

    /// `crmaudit dedupe --out DIR`: `report.json`, `pairs.csv`, `clusters.csv`,
    /// written in parallel and made visible together with their manifest.
    pub fn write_duplicates_dir(&self, dir: &Path) -> Result<(), Error> {
        let mut set = OutputSet::new(dir, &self.run_id)?;
        let (json, csvs) = rayon::join(
            || {
                set.write("report.json", &|w| {
                    json::Json { pretty: false }.emit(self, w)
                })
            },
            || self.write_duplicate_csvs(&set),
        );
        set.add(json?);
        for file in csvs? {
            set.add(file);
        }
        set.commit().map(drop)
    }

    fn write_duplicate_csvs(&self, set: &OutputSet) -> Result<Vec<files::OutputFile>, Error> {
        let Some(dups) = &self.duplicates else {
            return Ok(Vec::new());
        };
        let (pairs, clusters) = rayon::join(
            || set.write("pairs.csv", &|w| duplicates::write_pairs(self, dups, w)),
            || {
                set.write("clusters.csv", &|w| {
                    duplicates::write_clusters(self, dups, w)
                })
            },
        );
        Ok(vec![pairs?, clusters?])
    }

    /// `crmaudit dedupe` on stdout: the duplicates summary, or the JSON / Markdown report.
    pub fn emit_duplicates(
        &self,
        format: OutputFormat,
        color: bool,
        out: &mut dyn Write,
    ) -> Result<(), Error> {
        match (format, &self.duplicates) {
            (OutputFormat::Human, Some(dups)) if !dups.groups.is_empty() => {
                duplicates::write_human(dups, out)
            }
            (OutputFormat::Human, _) => {
                writeln!(
                    out,
                    "No input with contacts, leads, accounts or names to compare."
                )?;
                Ok(())
            }
            (format, _) => format.reporter(color).emit(self, out),
        }
    }
}
