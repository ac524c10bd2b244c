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

    // What the gate compares with: a baseline, the last run of the history.
    let mut compare = gate::Compare::new(args.fail_on);
    if let Some(path) = &args.baseline {
        compare.baseline = Some(gate::baseline::read(path)?);
    }
    let mut history = match &args.history {
        Some(path) => {
            refuse_input_as_history(path, &args.input)?;
            Some(crate::history::History::open(path)?)
        }
        None => None,
    };
    let dataset = crate::history::dataset_key(specs.iter().map(|s| s.name.as_str()));
    let previous = match &history {
        Some(h) => h.last(&dataset)?,
        None => None,
    };
    compare.last = previous.as_ref().map(|p| gate::LastRun {
        run: p.run,
        score: p.score,
        fingerprints: p.fingerprints.clone(),
    });
    compare.fingerprints = history.is_some() || args.write_baseline.is_some();

    let mut report = scan(
        &args.input,
        &config,
        args.format,
        &compare,
        ScanKind::Audit {
            digests: history.is_some(),
        },
    )?;
    if let Some(previous) = &previous {
        let with_codes: Vec<(u64, &str)> = report
            .fingerprints
            .iter()
            .zip(&report.findings)
            .map(|(fp, f)| (*fp, report.codes[f.check.index()].as_str()))
            .collect();
        let diff = crate::history::diff(
            previous,
            &report.tables,
            &report.trust.records,
            &with_codes,
            report.summary.trust.score,
        );
        report.history = Some(diff);
    }
    if let Some(h) = &history {
        // The last 30 runs of this dataset, then this one.
        let mut runs: Vec<(String, f64)> = h
            .runs()?
            .into_iter()
            .filter(|r| r.dataset == dataset)
            .take(30)
            .map(|r| (format!("#{}", r.run), r.score))
            .collect();
        runs.reverse();
        runs.push(("now".to_owned(), report.summary.trust.score));
        report.trend = runs;
    }
    tracing::info!("report built");
    if let Some(path) = &args.write_baseline {
        let keys = gate::baseline::input_keys(report.tables.iter().map(|t| t.name.as_str()));
        let known: Vec<gate::baseline::Known> = report
            .findings
            .iter()
            .map(|f| {
                gate::baseline::Known::of(f, &report.tables, &keys, &report.codes[f.check.index()])
            })
            .collect();
        report::write_atomic(path, &|w| {
            gate::baseline::write(known.clone(), w).map_err(report::Error::Json)
        })
        .with_context(|| format!("cannot write baseline `{}`", path.display()))?;
    }
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
        if !args.input.quiet {
            eprintln!(
                "wrote {} files to {}: {}",
                written.len(),
                dir.display(),
                written.join(", ")
            );
        }
    }
    if let Some(h) = &mut history {
        let run = h.record(&snapshot(&report, &config, &specs, dataset))?;
        tracing::info!(run, "run recorded in the history");
        if !args.input.quiet {
            eprintln!(
                "recorded as run {run} in {}",
                args.history.as_deref().unwrap_or(Path::new("")).display()
            );
        }
    }
    if !args.input.quiet {
        emit(&report, args.format, &args.input)?;
    }
    Ok(if report.gate.passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}

/// Refuses a `--history` file that is one of the inputs (a SQLite export).
fn refuse_input_as_history(path: &Path, input: &InputArgs) -> Result<()> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let Some(history) = canonical(path) else {
        return Ok(());
    };
    for i in input.inputs.iter().filter(|i| i.as_str() != "-") {
        let file = i.split_once(':').map_or(i.as_str(), |(f, _)| f);
        if canonical(Path::new(i)).or_else(|| canonical(Path::new(file))) == Some(history.clone()) {
            bail!(
                "--history `{}` is an input of this run: name another file",
                path.display()
            );
        }
    }
    Ok(())
}

/// The run as the history records it.
fn snapshot<'a>(
    report: &'a RunReport,
    config: &RunConfig,
    specs: &[InputSpec],
    dataset: String,
) -> crate::history::Snapshot<'a> {
    let mut rules = blake3::Hasher::new();
    for source in &config.settings.sources {
        rules.update(source.as_bytes());
        if let Ok(bytes) = std::fs::read(source) {
            rules.update(&bytes);
        }
    }
    let keys = crate::history::input_keys(report.tables.iter().map(|t| t.name.as_str()));
    let inputs = report
        .tables
        .iter()
        .zip(specs)
        .zip(keys)
        .map(|((t, spec), name)| crate::history::InputPrint {
            name,
            bytes: match &spec.source {
                input::Source::Csv(p)
                | input::Source::Sqlite { path: p, .. }
                | input::Source::Json { path: p, .. }
                | input::Source::Sheet { path: p, .. } => {
                    std::fs::metadata(p).ok().map(|m| m.len())
                }
                input::Source::Stdin => None,
            },
            records: t.len(),
            columns: t.header.columns.clone(),
        })
        .collect();
    // Each record's findings fingerprint: the sum of its findings' (order-free).
    let mut per_record: Vec<Vec<u64>> = report.tables.iter().map(|t| vec![0; t.len()]).collect();
    for (f, fp) in report.findings.iter().zip(&report.fingerprints) {
        if let Some(slot) = per_record
            .get_mut(f.input as usize)
            .and_then(|r| r.get_mut(f.record as usize))
        {
            *slot = slot.wrapping_add(*fp);
        }
    }
    let rows = report
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let width = t.width();
            (0..t.len())
                .map(|r| {
                    let (score, class) = report.trust.records[i][r];
                    crate::history::RecordRow {
                        record_id: t.id(r),
                        score,
                        class,
                        findings: per_record[i][r],
                        digests: t.digests.get(r * width..(r + 1) * width).unwrap_or(&[]),
                    }
                })
                .collect()
        })
        .collect();
    let summary = serde_json::json!({
        "summary": &report.summary,
        "gate": &report.gate,
        "fitness": &report.fitness,
    });
    crate::history::Snapshot {
        dataset,
        run_id: &report.run_id,
        recorded_at: now_utc(),
        rules_hash: rules.finalize().to_hex().to_string(),
        inputs,
        summary: summary.to_string(),
        score: report.summary.trust.score,
        records: report.summary.records,
        findings: report.summary.findings,
        passed: report.gate.passed,
        codes: report
            .findings_by_code
            .iter()
            .map(|(code, c)| (code.clone(), c.count, c.records))
            .collect(),
        fingerprints: report.fingerprints.clone(),
        rows,
    }
}

/// The wall-clock time, UTC, as `2026-12-03T16:45:00Z` (kept in the history only).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = crate::locale::Date(i32::try_from(secs / 86_400).unwrap_or(i32::MAX));
    let t = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

pub fn dedupe(args: &DedupeArgs) -> Result<Outcome> {
    let (mut settings, diagnostics) = load_settings(&args.input)?;
    // Only duplicate detection runs; its pairs and clusters are the report.
    settings.apply_cli_selection(Some(&[]), None, Some(&[]));
    let config = RunConfig::compile_with(settings, diagnostics)?;
    spare_inputs(&args.input, &[])?;
    let report = scan(
        &args.input,
        &config,
        args.format,
        &gate::Compare::new(FailOn::Never),
        ScanKind::Dedupe,
    )?;
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

/// What a scan is for.
enum ScanKind {
    /// `audit`; `digests` keeps a digest of every field for the history.
    Audit {
        digests: bool,
    },
    Dedupe,
}

fn scan(
    input: &InputArgs,
    config: &RunConfig,
    format: OutputFormat,
    compare: &gate::Compare,
    kind: ScanKind,
) -> Result<RunReport> {
    let inputs = input_specs(input)?;
    let options = RunOptions {
        threads: input.threads,
        progress: !input.quiet && progress(input, format == OutputFormat::Human),
        input: input_options(input)?,
        dedupe: matches!(kind, ScanKind::Dedupe),
        field_digests: matches!(kind, ScanKind::Audit { digests: true }),
    };
    let scan = engine::run(&inputs, config, &options)?;
    let mut report = RunReport::new(scan, config, compare);
    report.raw_csv = input.raw_csv;
    report.bom = input.bom;
    if input.redact {
        report::redact::redact(&mut report);
    }
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
