//! The scan: read each input on its own thread, run the enabled record checks over
//! batches in parallel (order-preserving), keep what dataset checks need, then run the
//! dataset checks and sort every finding.
//!
//! Output is deterministic: per-batch results are collected in record order, dataset
//! checks each produce an ordered list, and the final list is sorted by
//! [`Finding::output_order`], so `--threads 1` and `--threads 8` give the same bytes.
//! This module does not render anything; `report` does.

pub mod plan;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use csv::ByteRecord;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use self::plan::{CliInputOptions, InputPlan, PlanError};
use crate::checks::registry::CHECKS;
use crate::checks::{
    Check, DatasetContext, DatasetSink, FindingSink, RecordContext, RecordView, Scope,
};
use crate::config::Settings;
use crate::dedupe::{self, Duplicates};
use crate::finding::Finding;
use crate::input::table::{StrColumn, Table};
use crate::input::{self, Batch, InputSpec, Message, ReadOptions};

/// How a run is executed (not what it checks: that is [`Settings`]).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
    pub cli_input: CliInputOptions,
    /// Reader settings from the command line; the rule file's `[input.*]` fill gaps.
    pub read: ReadOptions,
    /// Skip the per-record `DU002`/`DU003` findings of duplicate detection (the
    /// `dedupe` command reports pairs and clusters instead).
    pub no_duplicate_findings: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] input::Error),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("`{input}`: the reader stopped before reading a header")]
    NoHeader { input: String },
    #[error("internal error while checking `{input}` lines {first}..={last}: {message}")]
    Internal {
        input: String,
        first: u64,
        last: u64,
        message: String,
    },
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
}

/// Everything the scan found, before scoring and rendering.
#[derive(Debug)]
pub struct Scan {
    pub tables: Vec<Table>,
    pub plans: Vec<InputPlan>,
    pub findings: Vec<Finding>,
    /// Duplicate detection, when one of its codes was enabled.
    pub duplicates: Option<Duplicates>,
}

/// Scans `inputs` with `settings`.
pub fn run(inputs: &[InputSpec], settings: &Settings, options: &RunOptions) -> Result<Scan, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("check-{i}"))
        .build()
        .map_err(|source| Error::Threads {
            threads: options.threads,
            source,
        })?;
    pool.install(|| run_in_pool(inputs, settings, options))
}

fn run_in_pool(
    inputs: &[InputSpec],
    settings: &Settings,
    options: &RunOptions,
) -> Result<Scan, Error> {
    let enabled = |scope: Scope| -> Vec<&'static dyn Check> {
        CHECKS
            .iter()
            .enumerate()
            .filter(|(i, c)| settings.enabled[*i] && c.meta().scope == scope)
            .map(|(_, c)| *c)
            .collect()
    };
    let record_checks = enabled(Scope::Record);
    let dataset_checks = enabled(Scope::Dataset);
    let duplicate_codes = enabled(Scope::Duplicates);
    let mut options = options.clone();
    options.cli_input.dedupe = !duplicate_codes.is_empty();
    let options = &options;

    let progress = options.progress.then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {human_pos} records ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });

    let mut tables = Vec::with_capacity(inputs.len());
    let mut plans = Vec::with_capacity(inputs.len());
    let mut findings = Vec::new();
    for (index, spec) in inputs.iter().enumerate() {
        if let Some(bar) = &progress {
            bar.set_message(spec.name.clone());
        }
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let (table, plan) = scan_input(
            index,
            spec,
            settings,
            options,
            &record_checks,
            &mut findings,
            progress.as_ref(),
        )?;
        tracing::info!(input = %spec.name, object = %plan.object, records = table.len(), "scanned");
        tables.push(table);
        plans.push(plan);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }

    let ctx = DatasetContext {
        tables: &tables,
        plans: &plans,
        settings,
    };
    let dataset_findings: Vec<Vec<Finding>> = dataset_checks
        .par_iter()
        .map(|check| {
            let mut sink = DatasetSink::default();
            check.check_dataset(&ctx, &mut sink);
            sink.findings
        })
        .collect();
    findings.extend(dataset_findings.into_iter().flatten());

    let duplicates = (!duplicate_codes.is_empty()).then(|| {
        let dups = dedupe::run(&tables, &plans, |o| settings.duplicate_settings(o));
        let on = |code: &str| {
            !options.no_duplicate_findings && duplicate_codes.iter().any(|c| c.meta().code == code)
        };
        findings.extend(dedupe::findings(&dups, &tables, on("DU002"), on("DU003")));
        dups
    });

    for finding in &mut findings {
        if let Some(severity) = settings.severity_of(finding.check.code) {
            finding.severity = severity;
        }
    }
    findings.par_sort_by(Finding::output_order);
    Ok(Scan {
        tables,
        plans,
        findings,
        duplicates,
    })
}

/// Reads one input to the end, checking each batch as it arrives.
fn scan_input(
    index: u32,
    spec: &InputSpec,
    settings: &Settings,
    options: &RunOptions,
    record_checks: &[&'static dyn Check],
    findings: &mut Vec<Finding>,
    progress: Option<&ProgressBar>,
) -> Result<(Table, InputPlan), Error> {
    let file_settings = settings
        .input(&spec.file_name())
        .cloned()
        .unwrap_or_default();
    let read = ReadOptions {
        delimiter: options.read.delimiter.or(file_settings.delimiter),
        encoding: options.read.encoding.or(file_settings.encoding),
    };
    let reader = input::spawn_reader(spec, &read);
    let rx = &reader.messages;
    let header = match rx.recv() {
        Ok(Message::Header(h)) => h,
        Ok(Message::Error(e)) => return Err(e.into()),
        Ok(Message::Batch(_)) | Err(_) => {
            return Err(Error::NoHeader {
                input: spec.name.clone(),
            });
        }
    };
    let first = match rx.recv() {
        Ok(Message::Batch(b)) => b,
        Ok(Message::Error(e)) => return Err(e.into()),
        Ok(Message::Header(_)) | Err(_) => Batch::default(),
    };
    let plan = InputPlan::build(index, spec, header, &first, settings, &options.cli_input)?;
    for warning in &plan.warnings {
        tracing::warn!("{warning}");
    }
    let mut table = Table {
        index,
        name: spec.name.clone(),
        object: plan.object,
        object_source: plan.object_source,
        header: plan.header.clone(),
        columns: plan.columns.clone(),
        locale: plan.locale,
        id_column: plan.id_column,
        lines: Vec::new(),
        ids: StrColumn::default(),
        kept: plan
            .kept
            .iter()
            .map(|c| (*c, StrColumn::default()))
            .collect(),
    };
    let ctx = RecordContext {
        plan: &plan,
        settings,
    };

    let mut process = |batch: Batch, table: &mut Table| -> Result<(), Error> {
        let base = table.len();
        let checked = catch_unwind(AssertUnwindSafe(|| {
            check_batch(&ctx, record_checks, &batch, base)
        }));
        let batch_findings = checked.map_err(|panic| Error::Internal {
            input: spec.name.clone(),
            first: batch.lines.first().copied().unwrap_or(0),
            last: batch.lines.last().copied().unwrap_or(0),
            message: panic_message(&*panic),
        })?;
        findings.extend(batch_findings);
        keep(table, &batch);
        if let Some(bar) = progress {
            bar.inc(batch.len() as u64);
        }
        reader.recycle(batch.records);
        Ok(())
    };
    process(first, &mut table)?;
    for message in rx.iter() {
        match message {
            Message::Batch(batch) => process(batch, &mut table)?,
            Message::Error(e) => return Err(e.into()),
            Message::Header(_) => {}
        }
    }
    Ok((table, plan))
}

/// Runs the record checks over one batch in parallel; findings come back in record order.
fn check_batch(
    ctx: &RecordContext<'_>,
    checks: &[&'static dyn Check],
    batch: &Batch,
    base: usize,
) -> Vec<Finding> {
    let width = ctx.plan.header.columns.len();
    let per_record: Vec<Vec<Finding>> = batch
        .records
        .par_iter()
        .zip(batch.lines.par_iter())
        .enumerate()
        .with_min_len(256)
        .map_init(
            // Per-thread buffers, reused for every record of the batch.
            || {
                (
                    Vec::with_capacity(width),
                    FindingSink::new(ctx.plan.index, 0, 0),
                )
            },
            |(fields, sink), (i, (record, &line))| {
                sink.start(u32::try_from(base + i).unwrap_or(u32::MAX), line);
                check_record(ctx, checks, record, line, width, fields, sink);
                sink.take()
            },
        )
        .collect();
    per_record.into_iter().flatten().collect()
}

fn check_record<'r>(
    ctx: &RecordContext<'_>,
    checks: &[&'static dyn Check],
    record: &'r ByteRecord,
    line: u64,
    width: usize,
    fields: &mut Vec<&'r str>,
    sink: &mut FindingSink,
) {
    let invalid = decode_fields(record, width, fields);
    // Rare: show undecodable bytes as U+FFFD.
    let lossy: Vec<String> = invalid
        .iter()
        .map(|&i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned())
        .collect();
    let repaired: Vec<&str>;
    let shown: &[&str] = if invalid.is_empty() {
        fields
    } else {
        let mut r = fields.clone();
        for (k, &i) in invalid.iter().enumerate() {
            r[i] = &lossy[k];
        }
        repaired = r;
        &repaired
    };
    let view = RecordView {
        fields: shown,
        field_count: record.len(),
        invalid_encoding: &invalid,
        line,
    };
    for check in checks {
        check.check_record(ctx, &view, sink);
    }
}

/// Fills `fields` with the record's values as text (blank past a short row's end) and
/// returns the columns whose bytes are not valid UTF-8 (left blank in `fields`).
fn decode_fields<'r>(
    record: &'r ByteRecord,
    width: usize,
    fields: &mut Vec<&'r str>,
) -> Vec<usize> {
    fields.clear();
    // One validation for the whole record; a field boundary inside a character (only
    // possible around invalid bytes) falls back to validating each field.
    if let Ok(all) = std::str::from_utf8(record.as_slice())
        && record.len() >= width
    {
        let mut ok = true;
        fields.extend((0..width).map(|i| {
            record.range(i).and_then(|r| all.get(r)).unwrap_or_else(|| {
                ok = false;
                ""
            })
        }));
        if ok {
            return Vec::new();
        }
        fields.clear();
    }
    let mut invalid = Vec::new();
    fields.extend(
        (0..width).map(|i| match record.get(i).map(std::str::from_utf8) {
            Some(Ok(s)) => s,
            Some(Err(_)) => {
                invalid.push(i);
                ""
            }
            None => "",
        }),
    );
    invalid
}

/// Appends the kept columns and id of each record of `batch` to `table`.
fn keep(table: &mut Table, batch: &Batch) {
    fn text(record: &ByteRecord, column: usize) -> Cow<'_, str> {
        let bytes = record.get(column).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s.trim()),
            Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).trim().to_owned()),
        }
    }
    let mut number = String::new();
    for (record, &line) in batch.records.iter().zip(&batch.lines) {
        table.lines.push(line);
        match table.id_column {
            Some(c) => table.ids.push(&text(record, c)),
            None => {
                number.clear();
                let _ = write!(number, "{line}");
                table.ids.push(&number);
            }
        }
        for (&column, values) in &mut table.kept {
            values.push(&text(record, column));
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a check panicked".to_owned())
}
