//! `crmaudit audit INPUT...` (load rules, scan, report, gate) and `crmaudit dedupe
//! INPUT...` (the same scan with only the duplicate codes, reported as a merge plan).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{AuditArgs, DedupeArgs, InputArgs, Outcome, When};
use crate::config::{self, Settings};
use crate::engine::plan::CliInputOptions;
use crate::engine::{self, RunOptions};
use crate::finding::Severity;
use crate::input::object::ObjectType;
use crate::input::{InputSpec, ReadOptions, Source, SqliteQuery, encoding_for_label};
use crate::report::{FailOn, OutputFormat, RunReport};

pub fn run(args: &AuditArgs) -> Result<Outcome> {
    let mut settings = load_settings(&args.input)?;
    settings.apply_cli_selection_with(
        args.select.as_deref(),
        args.extend_select.as_deref(),
        args.ignore.as_deref(),
    )?;
    let overrides = parse_severity_flags(&args.severity)?;
    settings.apply_cli_severity(&overrides)?;
    let report = scan(&args.input, &settings, args.format, args.fail_on, false)?;
    if let Some(dir) = &args.input.out {
        let written = report
            .write_dir(dir)
            .with_context(|| format!("cannot write reports to `{}`", dir.display()))?;
        tracing::info!(files = ?written, "reports written");
    }
    emit(&report, args.format, &args.input)?;
    Ok(if report.gate.passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}

pub fn dedupe(args: &DedupeArgs) -> Result<Outcome> {
    let mut settings = load_settings(&args.input)?;
    settings.apply_cli_selection(Some(&["DU002".to_owned(), "DU003".to_owned()]), Some(&[]))?;
    let report = scan(&args.input, &settings, args.format, FailOn::Never, true)?;
    if let Some(dir) = &args.input.out {
        report
            .write_duplicates_dir(dir)
            .with_context(|| format!("cannot write reports to `{}`", dir.display()))?;
    }
    let color = color(&args.input);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    report.emit_duplicates(args.format, color, &mut out)?;
    out.flush()?;
    Ok(Outcome::Passed)
}

fn load_settings(input: &InputArgs) -> Result<Settings> {
    let rule_file = match (&input.config, input.isolated) {
        (Some(path), _) => {
            if !path.is_file() {
                bail!("rule file `{}` not found", path.display());
            }
            Some(path.clone())
        }
        (None, true) => None,
        (None, false) => config::default_rule_file(),
    };
    Ok(Settings::load(rule_file.as_deref())?)
}

fn scan(
    input: &InputArgs,
    settings: &Settings,
    format: OutputFormat,
    fail_on: FailOn,
    no_duplicate_findings: bool,
) -> Result<RunReport> {
    let inputs = input_specs(input)?;
    let options = RunOptions {
        threads: input.threads,
        progress: match input.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => format == OutputFormat::Human && std::io::stderr().is_terminal(),
        },
        cli_input: CliInputOptions {
            object: match &input.object {
                Some(o) => Some(ObjectType::parse(o).with_context(|| {
                    format!("unknown object type `{o}` (known: account, contact, lead, deal, task, user, generic)")
                })?),
                None => None,
            },
            id_column: input.id_column.clone(),
            dedupe: false,
            labels_column: input.labels_column.clone(),
        },
        read: ReadOptions {
            delimiter: match &input.delimiter {
                Some(d) => Some(parse_delimiter(d)?),
                None => None,
            },
            encoding: match &input.encoding {
                Some(e) => Some(encoding_for_label(e).with_context(|| format!("unknown encoding `{e}`"))?),
                None => None,
            },
        },
        no_duplicate_findings,
    };
    let scan = engine::run(&inputs, settings, &options)?;
    Ok(RunReport::new(scan, settings, fail_on))
}

fn color(input: &InputArgs) -> bool {
    match input.color {
        When::Always => true,
        When::Never => false,
        When::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn emit(report: &RunReport, format: OutputFormat, input: &InputArgs) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    report.emit(format, color(input), &mut out)?;
    out.flush()?;
    Ok(())
}

fn parse_severity_flags(flags: &[String]) -> Result<Vec<(String, Severity)>> {
    flags
        .iter()
        .map(|flag| {
            let (code, level) = flag
                .split_once('=')
                .with_context(|| format!("--severity expects CODE=LEVEL, got `{flag}`"))?;
            let severity = Severity::parse(level).with_context(|| {
                format!("--severity {flag}: level must be error, warning or info")
            })?;
            Ok((code.trim().to_owned(), severity))
        })
        .collect()
}

fn parse_delimiter(d: &str) -> Result<u8> {
    match d {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if d.len() == 1 && d.is_ascii() && d != "\"" => Ok(d.as_bytes()[0]),
        _ => bail!("--delimiter must be one ASCII character or `tab`, got `{d}`"),
    }
}

/// Turns the positional inputs into specs: CSV files, stdin, or one spec per SQLite
/// `--table` / `--query`.
fn input_specs(args: &InputArgs) -> Result<Vec<InputSpec>> {
    let mut specs = Vec::new();
    let mut used_sqlite = false;
    for name in &args.inputs {
        if name == "-" {
            specs.push(InputSpec {
                name: "-".to_owned(),
                source: Source::Stdin,
            });
            continue;
        }
        let path = PathBuf::from(name);
        if !path.exists() {
            bail!("cannot open `{name}`: no such file");
        }
        if path.is_dir() {
            bail!("`{name}` is a directory, not an export");
        }
        if !is_sqlite(&path) {
            specs.push(InputSpec {
                name: name.clone(),
                source: Source::Csv(path),
            });
            continue;
        }
        used_sqlite = true;
        if args.table.is_empty() && args.query.is_empty() {
            bail!(
                "`{name}` is a SQLite database: name a table with --table NAME or rows with --query \"SELECT ...\""
            );
        }
        for table in &args.table {
            specs.push(InputSpec {
                name: format!("{name}:{table}"),
                source: Source::Sqlite {
                    path: path.clone(),
                    query: SqliteQuery::Table(table.clone()),
                },
            });
        }
        for (i, query) in args.query.iter().enumerate() {
            specs.push(InputSpec {
                name: if args.query.len() == 1 {
                    format!("{name}:query")
                } else {
                    format!("{name}:query{}", i + 1)
                },
                source: Source::Sqlite {
                    path: path.clone(),
                    query: SqliteQuery::Sql(query.clone()),
                },
            });
        }
    }
    if !used_sqlite && (!args.table.is_empty() || !args.query.is_empty()) {
        bail!("--table and --query apply to SQLite inputs, and none was given");
    }
    Ok(specs)
}

/// SQLite databases start with a fixed 16-byte magic string.
pub(super) fn is_sqlite(path: &Path) -> bool {
    let mut magic = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"SQLite format 3\0")
}
