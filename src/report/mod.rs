//! Reports: one [`RunReport`] built from the scan, and one writer per format that views
//! it. Writers never recompute what the scan decided; they only select and format.

mod duplicates;
mod files;
mod findings_csv;
mod human;
mod json;
mod markdown;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

pub use self::files::write_atomic;
use crate::config::Settings;
use crate::dedupe::Duplicates;
use crate::engine::Scan;
use crate::finding::{Finding, Severity};
use crate::input::table::Table;

/// Version of the `report.json` schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write `{path}`: {source}")]
    File { path: String, source: io::Error },
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
            Error::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    }
}

/// Which findings make the run fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

/// Stdout formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Markdown,
}

/// What one input turned out to be.
#[derive(Debug, Serialize)]
pub struct InputSummary {
    pub name: String,
    pub object: &'static str,
    /// Why the object type was chosen.
    pub object_source: &'static str,
    pub format: &'static str,
    pub encoding: Option<String>,
    pub bom: bool,
    pub delimiter: Option<String>,
    pub date_order: &'static str,
    pub decimal: &'static str,
    pub records: usize,
    pub id_column: Option<String>,
    pub columns: Vec<ColumnSummary>,
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
}

/// Findings of one check.
#[derive(Debug, Serialize)]
pub struct CodeSummary {
    pub name: &'static str,
    pub severity: Severity,
    pub dimension: &'static str,
    pub count: usize,
    /// Distinct records with at least one finding of this code.
    pub records: usize,
}

#[derive(Debug, Serialize)]
pub struct Gate {
    pub fail_on: FailOn,
    pub passed: bool,
}

/// Everything a writer may show.
#[derive(Debug)]
pub struct RunReport {
    pub config: Vec<String>,
    pub inputs: Vec<InputSummary>,
    pub summary: Summary,
    pub findings_by_code: BTreeMap<&'static str, CodeSummary>,
    pub gate: Gate,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
    pub tables: Vec<Table>,
    pub duplicates: Option<Duplicates>,
}

impl RunReport {
    pub fn new(scan: Scan, settings: &Settings, fail_on: FailOn) -> RunReport {
        let Scan {
            tables,
            plans,
            findings,
            duplicates,
        } = scan;
        let inputs = tables
            .iter()
            .map(|t| InputSummary {
                name: t.name.clone(),
                object: t.object.as_str(),
                object_source: t.object_source,
                format: t.header.format,
                encoding: t.header.encoding.clone(),
                bom: t.header.bom,
                delimiter: t.header.delimiter.clone(),
                date_order: t.locale.date_order.as_str(),
                decimal: t.locale.decimal.as_str(),
                records: t.len(),
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
            })
            .collect();

        let mut by_severity: BTreeMap<Severity, usize> =
            Severity::ALL.iter().map(|s| (*s, 0)).collect();
        let mut findings_by_code: BTreeMap<&'static str, CodeSummary> = BTreeMap::new();
        let mut last_record_by_code: BTreeMap<&'static str, (u32, u32)> = BTreeMap::new();
        let mut records_with_findings = 0;
        let mut last_record = None;
        for f in &findings {
            *by_severity.entry(f.severity).or_default() += 1;
            let entry = findings_by_code
                .entry(f.check.code)
                .or_insert_with(|| CodeSummary {
                    name: f.check.name,
                    severity: f.severity,
                    dimension: f.check.dimension.as_str(),
                    count: 0,
                    records: 0,
                });
            entry.count += 1;
            let key = (f.input, f.record);
            // Findings are sorted by record, so a record's findings are adjacent.
            if last_record_by_code.get(f.check.code) != Some(&key) {
                entry.records += 1;
                last_record_by_code.insert(f.check.code, key);
            }
            if last_record != Some(key) {
                records_with_findings += 1;
                last_record = Some(key);
            }
        }
        let passed = match fail_on {
            FailOn::Never => true,
            FailOn::Error => by_severity[&Severity::Error] == 0,
            FailOn::Warning => {
                by_severity[&Severity::Error] == 0 && by_severity[&Severity::Warning] == 0
            }
        };
        let warnings = plans
            .iter()
            .flat_map(|p| p.warnings.iter().cloned())
            .collect();
        RunReport {
            config: settings.sources.clone(),
            inputs,
            summary: Summary {
                records: tables.iter().map(Table::len).sum(),
                records_with_findings,
                findings: findings.len(),
                by_severity,
            },
            findings_by_code,
            gate: Gate { fail_on, passed },
            warnings,
            findings,
            tables,
            duplicates,
        }
    }

    /// The record id, input name and object of a finding.
    pub fn record_of(&self, f: &Finding) -> (&str, &Table) {
        let table = &self.tables[f.input as usize];
        (table.id(f.record as usize), table)
    }

    /// The header of the finding's column, if it has one.
    pub fn field_of(&self, f: &Finding) -> Option<&str> {
        f.column
            .map(|c| self.tables[f.input as usize].header_name(c as usize))
    }

    /// Writes the report to stdout in `format`.
    pub fn emit(
        &self,
        format: OutputFormat,
        color: bool,
        out: &mut dyn Write,
    ) -> Result<(), Error> {
        match format {
            OutputFormat::Human => human::write(self, color, out),
            OutputFormat::Json => json::write(self, out),
            OutputFormat::Markdown => markdown::write(self, out),
        }
    }

    /// Writes `report.json`, `findings.csv` and `summary.md` into `dir`, each atomically.
    pub fn write_dir(&self, dir: &Path) -> Result<Vec<String>, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::File {
            path: dir.display().to_string(),
            source,
        })?;
        let mut written = Vec::new();
        let mut file = |name: &str,
                        write: &dyn Fn(&mut dyn Write) -> Result<(), Error>|
         -> Result<(), Error> {
            let path = dir.join(name);
            write_atomic(&path, write)?;
            written.push(path.display().to_string());
            Ok(())
        };
        file("report.json", &|w| json::write_compact(self, w))?;
        file("findings.csv", &|w| findings_csv::write(self, w))?;
        file("summary.md", &|w| markdown::write(self, w))?;
        if self.duplicates.is_some() {
            self.write_duplicate_csvs(dir)?;
            written.push(dir.join("pairs.csv").display().to_string());
            written.push(dir.join("clusters.csv").display().to_string());
        }
        Ok(written)
    }

    /// `crmaudit dedupe --out DIR`: `report.json`, `pairs.csv`, `clusters.csv`,
    /// written in parallel.
    pub fn write_duplicates_dir(&self, dir: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::File {
            path: dir.display().to_string(),
            source,
        })?;
        let (json, csvs) = rayon::join(
            || write_atomic(&dir.join("report.json"), &|w| json::write_compact(self, w)),
            || self.write_duplicate_csvs(dir),
        );
        json.and(csvs)
    }

    fn write_duplicate_csvs(&self, dir: &Path) -> Result<(), Error> {
        let Some(dups) = &self.duplicates else {
            return Ok(());
        };
        let (pairs, clusters) = rayon::join(
            || {
                write_atomic(&dir.join("pairs.csv"), &|w| {
                    duplicates::write_pairs(self, dups, w)
                })
            },
            || {
                write_atomic(&dir.join("clusters.csv"), &|w| {
                    duplicates::write_clusters(self, dups, w)
                })
            },
        );
        pairs.and(clusters)
    }

    /// `crmaudit dedupe` on stdout: the duplicates summary, or the JSON / Markdown report.
    pub fn emit_duplicates(
        &self,
        format: OutputFormat,
        _color: bool,
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
            (OutputFormat::Json, _) => json::write(self, out),
            (OutputFormat::Markdown, _) => markdown::write(self, out),
        }
    }
}
