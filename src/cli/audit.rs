//! `crmaudit audit INPUT...`: load rules, scan, report, gate.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{AuditArgs, Outcome, When};
use crate::config::{self, Settings};
use crate::engine::plan::CliInputOptions;
use crate::engine::{self, RunOptions};
use crate::finding::Severity;
use crate::input::object::ObjectType;
use crate::input::{InputSpec, ReadOptions, Source, SqliteQuery, encoding_for_label};
use crate::report::{OutputFormat, RunReport};

pub fn run(args: &AuditArgs) -> Result<Outcome> {
    let rule_file = match (&args.config, args.isolated) {
        (Some(path), _) => {
            if !path.is_file() {
                bail!("rule file `{}` not found", path.display());
            }
            Some(path.clone())
        }
        (None, true) => None,
        (None, false) => config::default_rule_file(),
    };
    let mut settings = Settings::load(rule_file.as_deref())?;
    settings.apply_cli_selection(args.select.as_deref(), args.ignore.as_deref())?;
    let overrides = parse_severity_flags(&args.severity)?;
    settings.apply_cli_severity(&overrides)?;

    let inputs = input_specs(args)?;
    let options = RunOptions {
        threads: args.threads,
        progress: match args.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => args.format == OutputFormat::Human && std::io::stderr().is_terminal(),
        },
        cli_input: CliInputOptions {
            object: match &args.object {
                Some(o) => Some(ObjectType::parse(o).with_context(|| {
                    format!("unknown object type `{o}` (known: account, contact, lead, deal, task, user, generic)")
                })?),
                None => None,
            },
            id_column: args.id_column.clone(),
        },
        read: ReadOptions {
            delimiter: match &args.delimiter {
                Some(d) => Some(parse_delimiter(d)?),
                None => None,
            },
            encoding: match &args.encoding {
                Some(e) => Some(encoding_for_label(e).with_context(|| format!("unknown encoding `{e}`"))?),
                None => None,
            },
        },
    };

    let scan = engine::run(&inputs, &settings, &options)?;
    let report = RunReport::new(scan, &settings, args.fail_on);

    if let Some(dir) = &args.out {
        let written = report
            .write_dir(dir)
            .with_context(|| format!("cannot write reports to `{}`", dir.display()))?;
        tracing::info!(files = ?written, "reports written");
    }
    let color = match args.color {
        When::Always => true,
        When::Never => false,
        When::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    report.emit(args.format, color, &mut out)?;
    out.flush()?;
    Ok(if report.gate.passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
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
fn input_specs(args: &AuditArgs) -> Result<Vec<InputSpec>> {
    let mut specs = Vec::new();
    let mut used_sqlite = false;
    for input in &args.inputs {
        if input == "-" {
            specs.push(InputSpec {
                name: "-".to_owned(),
                source: Source::Stdin,
            });
            continue;
        }
        let path = PathBuf::from(input);
        if !path.exists() {
            bail!("cannot open `{input}`: no such file");
        }
        if path.is_dir() {
            bail!("`{input}` is a directory, not an export");
        }
        if is_sqlite(&path) {
            used_sqlite = true;
            if args.table.is_empty() && args.query.is_empty() {
                bail!(
                    "`{input}` is a SQLite database: name a table with --table NAME or rows with --query \"SELECT ...\""
                );
            }
            for table in &args.table {
                specs.push(InputSpec {
                    name: format!("{input}:{table}"),
                    source: Source::Sqlite {
                        path: path.clone(),
                        query: SqliteQuery::Table(table.clone()),
                    },
                });
            }
            for (i, query) in args.query.iter().enumerate() {
                specs.push(InputSpec {
                    name: if args.query.len() == 1 {
                        format!("{input}:query")
                    } else {
                        format!("{input}:query{}", i + 1)
                    },
                    source: Source::Sqlite {
                        path: path.clone(),
                        query: SqliteQuery::Sql(query.clone()),
                    },
                });
            }
        } else {
            specs.push(InputSpec {
                name: input.clone(),
                source: Source::Csv(path),
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
