//! `crmaudit audit INPUT...` (load rules, scan, gate, report) and `crmaudit dedupe
//! INPUT...` (the same scan with duplicate detection only, reported as pairs and
//! clusters).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{AuditArgs, CheckArgs, DedupeArgs, InputArgs, Outcome, When};
use crate::cleanse;
use crate::config::{self, AsOf, Diagnostic, Settings};
use crate::engine::{self, InputOptions, RunConfig, RunOptions};
use crate::finding::Severity;
use crate::gate::{self, FailOn};
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::{self, InputSpec, ReadOptions, encoding_for_label};
use crate::report::{self, OUTPUT_NAMES, OutputFile, OutputFormat, OutputSet, RunReport};

pub fn run(args: &AuditArgs) -> Result<Outcome> {
    let (mut settings, diagnostics) = load_settings(&args.input)?;
    apply_checks(&mut settings, &args.checks)?;
    if args.allow_empty {
        // Before the --severity flags, which may still set it.
        settings.apply_cli_severity(&[("IN008".to_owned(), Severity::Info)]);
    }
    settings.apply_cli_severity(&parse_severity_flags(&args.severity)?);
    let config = RunConfig::compile_with(settings, diagnostics)?;
    let specs = input_specs(&args.input)?;
    let class_names = cleanse::split::class_names(&specs, &OUTPUT_NAMES);
    spare_inputs(&args.input, &class_names.concat())?;
    let report = scan(&args.input, &config, args.format, args.fail_on, false)?;
    tracing::info!("report built");
    if let Some(dir) = &args.input.out {
        let options = input_options(&args.input)?;
        let classes = |set: &OutputSet| -> Result<Vec<OutputFile>, report::Error> {
            let mut files = Vec::new();
            for (i, spec) in specs.iter().enumerate() {
                // Stdin was read once, by the audit: it has no class files.
                if matches!(spec.source, input::Source::Stdin) {
                    continue;
                }
                files.extend(set.write_many(&class_names[i], &|outs| {
                    cleanse::split::split(
                        spec,
                        &report.tables[i],
                        (&config, &options),
                        &report.trust.records[i],
                        &report.findings,
                        &config.checks,
                        &config.trust,
                        &report.run_id,
                        outs,
                    )
                    .map(|_| ())
                    .map_err(|e| report::Error::Io(std::io::Error::other(e.to_string())))
                })?);
            }
            Ok(files)
        };
        let written = report
            .write_dir(dir, &classes)
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
    let (mut settings, diagnostics) = load_settings(&args.input)?;
    // Only duplicate detection runs; its pairs and clusters are the report.
    settings.apply_cli_selection(Some(&[]), None, Some(&[]));
    let config = RunConfig::compile_with(settings, diagnostics)?;
    spare_inputs(&args.input, &[])?;
    let report = scan(&args.input, &config, args.format, FailOn::Never, true)?;
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

/// Refuses an `--out` folder where a report (or one of the `extra` files) would replace
/// an input or the rule file.
pub(super) fn spare_inputs(input: &InputArgs, extra: &[String]) -> Result<()> {
    let Some(dir) = &input.out else {
        return Ok(());
    };
    let mut files: Vec<std::path::PathBuf> = input
        .inputs
        .iter()
        .filter(|i| i.as_str() != "-")
        .map(std::path::PathBuf::from)
        .collect();
    files.extend(input.config.clone());
    crate::report::check_outputs_spare_inputs(dir, &files, extra)
        .with_context(|| format!("cannot write reports to `{}`", dir.display()))
}

/// Applies `--select`, `--extend-select`, `--ignore` and `--as-of` to the settings.
pub(super) fn apply_checks(settings: &mut Settings, args: &CheckArgs) -> Result<()> {
    settings.apply_cli_selection(
        args.select.as_deref(),
        args.extend_select.as_deref(),
        args.ignore.as_deref(),
    );
    if let Some(as_of) = &args.as_of {
        let parsed = AsOf::parse(as_of).with_context(|| {
            format!("--as-of must be a date like 2026-11-22, `export` or `today`, not `{as_of}`")
        })?;
        settings.apply_cli_as_of(parsed);
    }
    Ok(())
}

pub(super) fn load_settings(input: &InputArgs) -> Result<(Settings, Vec<Diagnostic>)> {
    let path = rule_file(input.config.as_deref(), input.isolated)?;
    Ok(Settings::load_partial(path.as_deref()))
}

/// The rule file a command uses: `-c FILE`, else `./crmaudit.toml` unless `--isolated`.
pub(super) fn rule_file(config: Option<&Path>, isolated: bool) -> Result<Option<PathBuf>> {
    Ok(match (config, isolated) {
        (Some(path), _) => {
            if !path.is_file() {
                bail!("rule file `{}` not found", path.display());
            }
            Some(path.to_path_buf())
        }
        (None, true) => None,
        (None, false) => config::default_rule_file(),
    })
}

fn scan(
    input: &InputArgs,
    config: &RunConfig,
    format: OutputFormat,
    fail_on: FailOn,
    dedupe: bool,
) -> Result<RunReport> {
    let inputs = input_specs(input)?;
    let options = RunOptions {
        threads: input.threads,
        progress: progress(input, format == OutputFormat::Human),
        input: input_options(input)?,
        dedupe,
    };
    let scan = engine::run(&inputs, config, &options)?;
    let mut report = RunReport::new(scan, config, &gate::Compare::new(fail_on));
    report.raw_csv = input.raw_csv;
    Ok(report)
}

/// Whether to show the progress bar (`auto`: on a terminal, with human output).
pub(super) fn progress(input: &InputArgs, human: bool) -> bool {
    match input.progress {
        When::Always => true,
        When::Never => false,
        When::Auto => human && std::io::stderr().is_terminal(),
    }
}

/// What the command line says about the inputs.
pub(super) fn input_options(input: &InputArgs) -> Result<InputOptions> {
    let object = match &input.object {
        Some(o) => Some(parse_object(o)?),
        None => None,
    };
    let columns = input
        .column
        .iter()
        .map(|spec| parse_column(spec))
        .collect::<Result<Vec<_>>>()?;
    Ok(InputOptions {
        object,
        id_column: input.id_column.clone(),
        labels_column: input.labels_column.clone(),
        columns,
        read: ReadOptions {
            delimiter: match &input.delimiter {
                Some(d) => Some(parse_delimiter(d)?),
                None => None,
            },
            encoding: match &input.encoding {
                Some(e) => {
                    Some(encoding_for_label(e).with_context(|| format!("unknown encoding `{e}`"))?)
                }
                None => None,
            },
            ..ReadOptions::default()
        },
    })
}

fn parse_object(o: &str) -> Result<ObjectType> {
    ObjectType::parse(o).with_context(|| {
        let known: Vec<&str> = ObjectType::ALL.iter().map(|o| o.as_str()).collect();
        format!("unknown object type `{o}` (known: {})", known.join(", "))
    })
}

/// `[OBJECT.]ROLE=HEADER`.
fn parse_column(spec: &str) -> Result<(Option<ObjectType>, Role, String)> {
    let (target, header) = spec
        .split_once('=')
        .with_context(|| format!("--column expects [OBJECT.]ROLE=HEADER, got `{spec}`"))?;
    let (object, role) = match target.split_once('.') {
        Some((o, r)) => (Some(parse_object(o)?), r),
        None => (None, target),
    };
    let role = Role::parse(role).with_context(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        let hint = config::closest(role.trim(), &names)
            .map(|r| format!("; did you mean `{r}`?"))
            .unwrap_or_default();
        format!("--column {spec}: unknown role `{role}`{hint} (`crmaudit init` lists them)")
    })?;
    let header = header.trim();
    if header.is_empty() {
        bail!("--column {spec}: the header is empty");
    }
    Ok((object, role, header.to_owned()))
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
    format.reporter(color(input)).emit(report, &mut out)?;
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

pub(super) fn parse_delimiter(d: &str) -> Result<u8> {
    match crate::input::chunk::CsvFormat::parse_delimiter(d) {
        Some(d) => Ok(d),
        None => bail!(
            "--delimiter must be one ASCII character that is not a quote or a line break, or `tab`; got `{}`",
            d.escape_debug()
        ),
    }
}

pub(super) fn input_specs(args: &InputArgs) -> Result<Vec<InputSpec>> {
    Ok(input::specs(&args.inputs, &args.table, &args.query)?)
}
