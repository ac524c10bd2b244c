//! The run: profile every input, prepare the enabled checks for each, scan the records
//! in parallel batches, then run the dataset checks, duplicate detection and the
//! duplicates checks, and sort every finding.
//!
//! Output is deterministic: batches are merged in read order whatever order the
//! workers finish them in, dataset checks each produce an ordered list, and the final
//! list is sorted by [`Finding::output_order`], so `--threads 1` and `--threads 8` give
//! the same bytes. This module does not render anything and decides nothing about
//! passing or failing; `gate` and `report` do.

mod scan;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::checks::semantic::DealFields;
use crate::checks::{
    AnyOptions, CheckSet, DatasetContext, DatasetInput, DatasetSink, DuplicatesContext,
    PrepareContext, PreparedCheck, ReviewContext, Scope,
};
use crate::config::{AsOf, ConfigError, Settings};
use crate::dedupe::{self, DuplicateSettings, Duplicates};
use crate::finding::{CheckId, Finding, Severity};
use crate::input::chunk::RecordFlags;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::profile::{ColumnHint, InputProfile, ProfileError, ProfileHints};
use crate::input::relations::{self, Sampled};
use crate::input::table::Table;
use crate::input::{self, Batch, InputSpec, Message, ReadOptions, Reader};

/// Most worker threads a run starts, whatever `--threads` asks for.
pub const MAX_THREADS: usize = 256;

/// The configuration of a run: the rule files and flags, the compiled check set, and
/// the duplicate-matching settings, validated together.
#[derive(Debug)]
pub struct RunConfig {
    pub settings: Settings,
    pub checks: CheckSet,
    pub duplicates: BTreeMap<ObjectType, DuplicateSettings>,
    /// `[score]` and the thresholds of `[gate]`.
    pub trust: crate::config::trust::TrustSettings,
    /// `[gate.dataset]` and `[[report]]`.
    pub gate: crate::config::gate::GateSettings,
}

impl RunConfig {
    /// Compiles settings (already loaded, with command-line flags applied). Every
    /// problem of the check set and the duplicate settings is reported together.
    pub fn compile(settings: Settings) -> Result<RunConfig, ConfigError> {
        RunConfig::compile_with(settings, Vec::new())
    }

    /// Like [`RunConfig::compile`], adding the problems found while loading.
    pub fn compile_with(
        settings: Settings,
        mut diagnostics: Vec<crate::config::Diagnostic>,
    ) -> Result<RunConfig, ConfigError> {
        let checks = CheckSet::compile_collecting(&settings, Vec::new(), &mut diagnostics);
        let duplicates = dedupe::settings::load(&settings, &mut diagnostics);
        let mut trust = crate::config::trust::load(&settings, &mut diagnostics);
        let by_field = |kind: Option<crate::finding::Downstream>| {
            (0..checks.entries().len())
                .map(|i| CheckId(u16::try_from(i).unwrap_or(u16::MAX)))
                .filter(|id| {
                    let m = checks.meta(*id);
                    m.reports_by_field && kind.is_none_or(|k| m.reports.contains(&k))
                })
                .collect()
        };
        let gate_checks = crate::config::gate::Checks {
            resolve: &|s| checks.resolve(s),
            distorting: &|kind| {
                (0..checks.entries().len())
                    .map(|i| CheckId(u16::try_from(i).unwrap_or(u16::MAX)))
                    .filter(|id| {
                        let m = checks.meta(*id);
                        !m.reports_by_field && m.reports.contains(&kind)
                    })
                    .collect()
            },
            by_field: &by_field,
        };
        let gate = crate::config::gate::load(&settings, &gate_checks, &mut trust, &mut diagnostics);
        if !diagnostics.is_empty() {
            return Err(ConfigError::sorted(diagnostics));
        }
        Ok(RunConfig {
            settings,
            checks,
            duplicates,
            trust,
            gate,
        })
    }

    /// Loads a rule file (or the defaults) and compiles it, reporting every problem of
    /// every stage together.
    pub fn load(path: Option<&Path>) -> Result<RunConfig, ConfigError> {
        let (settings, diagnostics) = Settings::load_partial(path);
        RunConfig::compile_with(settings, diagnostics)
    }

    pub fn duplicate_settings(&self, object: ObjectType) -> DuplicateSettings {
        self.duplicates.get(&object).cloned().unwrap_or_default()
    }
}

/// What the command line says about inputs; it wins over the rule file.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    pub object: Option<ObjectType>,
    pub id_column: Option<String>,
    /// A column of true entity ids, for evaluating duplicate detection.
    pub labels_column: Option<String>,
    /// `--column [OBJECT.]ROLE=HEADER` mappings.
    pub columns: Vec<(Option<ObjectType>, Role, String)>,
    pub read: ReadOptions,
}

/// How a run is executed (not what it checks: that is [`RunConfig`]).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core. Capped at [`MAX_THREADS`].
    pub threads: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
    pub input: InputOptions,
    /// Run duplicate detection even if no duplicates check is enabled (`dedupe`).
    pub dedupe: bool,
    /// Keep a digest of every field of every record (`--history` compares them with
    /// the last run's to find fields an import overwrote).
    pub field_digests: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] input::Error),
    #[error(transparent)]
    Profile(#[from] ProfileError),
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

/// Everything the scan found, before the gate and the reports.
#[derive(Debug)]
pub struct Scan {
    pub tables: Vec<Table>,
    pub findings: Vec<Finding>,
    /// Duplicate detection, when it ran.
    pub duplicates: Option<Duplicates>,
    /// What the user should know about how rules applied, per input and for the run.
    pub notices: Vec<String>,
    /// Per input, the columns that say where a deal stands (deal inputs only): the
    /// gate's totals per report read them from the kept columns.
    pub deals: Vec<Option<DealFields>>,
    /// The date time-relative checks measured against, when any ran.
    pub as_of: Option<crate::locale::Date>,
}

/// A check prepared for one input, with the id and severity its findings get.
pub(crate) struct Armed<'c> {
    pub id: CheckId,
    pub severity: Severity,
    pub check: Box<dyn PreparedCheck + 'c>,
}

/// One input between profiling and scanning.
struct Profiled<'c> {
    reader: Reader,
    first: Batch,
    profile: InputProfile,
    record_checks: Vec<Armed<'c>>,
    /// Per check of the set: this input's prepared dataset state.
    dataset_checks: Vec<(CheckId, Box<dyn PreparedCheck + 'c>)>,
    kept: Vec<usize>,
}

/// Scans `inputs` with `config`.
pub fn run(inputs: &[InputSpec], config: &RunConfig, options: &RunOptions) -> Result<Scan, Error> {
    let threads = if options.threads == 0 {
        0
    } else {
        options.threads.min(MAX_THREADS)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("check-{i}"))
        .build()
        .map_err(|source| Error::Threads { threads, source })?;

    let checks = &config.checks;
    let dedupe = options.dedupe || checks.enabled(Scope::Duplicates).next().is_some();
    let mut notices = Vec::new();

    // Profile and relate every input, then prepare each input's checks.
    let opened = open_all(inputs, config, &options.input)?;
    let mut kept_for_relations: Vec<Vec<usize>> = vec![Vec::new(); opened.len()];
    for (_, _, profile) in &opened {
        for r in &profile.relations {
            if let Some(c) = r.target_column {
                kept_for_relations[r.target as usize].push(c);
            }
        }
    }
    let samples: Vec<(&InputProfile, &Batch)> = opened.iter().map(|(_, b, p)| (p, b)).collect();
    let mut prepared = Vec::with_capacity(opened.len());
    let mut deals = Vec::with_capacity(opened.len());
    // Whether any input has a time-relative check to run.
    let mut dated = false;
    for (index, (_, first, profile)) in opened.iter().enumerate() {
        let cx = PrepareContext::new(checks, profile, first, &config.settings, &samples);
        let mut record_checks = Vec::new();
        let mut dataset_checks = Vec::new();
        for (id, entry) in checks.entries().iter().enumerate() {
            if !entry.enabled {
                continue;
            }
            let id = CheckId(u16::try_from(id).unwrap_or(u16::MAX));
            let scope = entry.meta().scope;
            let Some(check) = entry.check().prepare(&cx, entry.options()) else {
                continue;
            };
            match scope {
                Scope::Record => record_checks.push(Armed {
                    id,
                    severity: entry.severity,
                    check,
                }),
                Scope::Dataset => dataset_checks.push((id, check)),
                Scope::Duplicates | Scope::Review => {}
            }
        }
        let mut kept: Vec<usize> = dataset_checks
            .iter()
            .flat_map(|(_, p)| p.kept_columns())
            .chain(kept_for_relations[index].iter().copied())
            .collect();
        // What the gate reads: where deals stand and their amounts (the totals per
        // report), deleted flags, and the references it follows (a deal of a test
        // account).
        let deal = DealFields::new(profile, first);
        kept.extend(profile.columns.column(Role::IsDeleted));
        kept.extend(profile.columns.column(Role::Currency));
        if let Some(d) = &deal {
            kept.extend(d.columns());
            kept.extend(profile.columns.column(Role::Amount));
        }
        kept.extend(
            profile
                .relations
                .iter()
                .filter(|r| {
                    let target = opened[r.target as usize].2.object;
                    config.gate.rolls_up(profile.object, target)
                })
                .map(|r| r.column),
        );
        deals.push(deal);
        // The timestamps that date the export, from the inputs time-relative checks read.
        let reads_time = dataset_checks
            .iter()
            .any(|(id, _)| checks.get(*id).check().time_relative());
        dated |= reads_time;
        if reads_time {
            kept.extend(
                EXPORT_TIMESTAMPS
                    .iter()
                    .filter_map(|r| profile.columns.column(*r)),
            );
        }
        if dedupe {
            kept.extend(
                dedupe::features::needed_roles(profile.object)
                    .into_iter()
                    .filter_map(|r| profile.columns.column(r)),
            );
            kept.extend(profile.labels_column);
        }
        kept.sort_unstable();
        kept.dedup();
        prepared.push((record_checks, dataset_checks, kept, cx.into_notices()));
    }
    drop(samples);
    if config.settings.as_of_origin != crate::config::Origin::Default && !dated {
        notices.push(format!(
            "as-of is set ({}) but no enabled time-relative check applies to these inputs: it has no effect",
            config.settings.as_of_origin
        ));
    }
    let mut profiled = Vec::with_capacity(opened.len());
    for ((reader, first, mut profile), (record_checks, dataset_checks, kept, mut notes)) in
        opened.into_iter().zip(prepared)
    {
        profile.notices.append(&mut notes);
        for notice in &profile.notices {
            tracing::warn!("{notice}");
        }
        profiled.push(Profiled {
            reader,
            first,
            profile,
            record_checks,
            dataset_checks,
            kept,
        });
    }

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
    let mut findings = Vec::new();
    // Per input: each dataset check's state and derived numbers.
    let mut dataset_states = Vec::with_capacity(inputs.len());
    for p in profiled {
        if let Some(bar) = &progress {
            bar.set_message(p.profile.name.clone());
        }
        let derivers: Vec<&dyn PreparedCheck> = p
            .dataset_checks
            .iter()
            .map(|(_, c)| c.as_ref())
            .filter(|c| c.derived_width() > 0)
            .collect();
        let plan = scan::Plan {
            reader: p.reader,
            first: p.first,
            profile: p.profile,
            checks: &p.record_checks,
            derivers: &derivers,
            kept: &p.kept,
            digests: options.field_digests,
        };
        let scanned = scan::scan_input(&pool, plan, progress.as_ref())?;
        let table = scanned.table;
        tracing::info!(input = %table.name, object = %table.object, records = table.len(), "scanned");
        notices.extend(table.notices.iter().cloned());
        findings.extend(scanned.findings);
        tables.push(table);
        let mut derived = scanned.derived.into_iter();
        let states: Vec<(CheckId, Box<dyn PreparedCheck + '_>, Vec<u64>)> = p
            .dataset_checks
            .into_iter()
            .map(|(id, c)| {
                let numbers = if c.derived_width() > 0 {
                    derived.next().unwrap_or_default()
                } else {
                    Vec::new()
                };
                (id, c, numbers)
            })
            .collect();
        dataset_states.push(states);
    }
    // The bar stays up while duplicates are matched, which can take longer than the
    // scan.
    if let Some(bar) = &progress {
        if dedupe {
            let records: usize = tables.iter().map(Table::len).sum();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(format!(
                "matching duplicates among {} records",
                crate::locale::group_thousands(records)
            ));
        } else {
            bar.finish_and_clear();
        }
    }

    let as_of = match config.settings.as_of {
        AsOf::Export if dated => export_date(&tables),
        other => as_of_date(other),
    };
    if dated {
        match as_of {
            Some(d) => notices.push(format!(
                "time-relative checks measure against {d} ({})",
                match config.settings.as_of {
                    AsOf::Export => "as-of = export: the newest timestamp in the inputs",
                    AsOf::Today => "as-of = today",
                    AsOf::Date(_) => "as-of set",
                }
            )),
            None => notices.push(
                "no created or modified timestamps in the inputs to date the export: time-relative checks did not run; set --as-of DATE".to_owned(),
            ),
        }
    }
    pool.install(|| {
        let cx = DatasetContext {
            tables: &tables,
            as_of,
        };
        // Each dataset check with every input and its state there.
        let dataset: Vec<(CheckId, Vec<DatasetInput<'_, AnyOptions>>)> = checks
            .enabled(Scope::Dataset)
            .map(|(id, _)| {
                let inputs = tables
                    .iter()
                    .zip(&dataset_states)
                    .map(|(table, per_input)| {
                        let state = per_input.iter().find(|(c, _, _)| *c == id);
                        DatasetInput {
                            table,
                            prepared: state.map(|(_, p, _)| p.state()),
                            derived: state.map_or(&[][..], |(_, _, d)| d.as_slice()),
                        }
                    })
                    .collect();
                (id, inputs)
            })
            .collect();
        let dataset_findings: Vec<Vec<Finding>> = dataset
            .par_iter()
            .map(|(id, states)| {
                let entry = checks.get(*id);
                let clock = std::time::Instant::now();
                let mut sink = DatasetSink::new(*id, entry.severity);
                entry.check().check_dataset(&cx, states, &mut sink);
                tracing::debug!(
                    check = %entry.meta().code,
                    seconds = clock.elapsed().as_secs_f64(),
                    "dataset check"
                );
                sink.into_findings()
            })
            .collect();
        findings.extend(dataset_findings.into_iter().flatten());
        tracing::info!(findings = findings.len(), "dataset checks done");

        let duplicates = dedupe.then(|| {
            let dups = dedupe::run(&tables, |o| config.duplicate_settings(o));
            if let Some(bar) = &progress {
                bar.finish_and_clear();
            }
            let cx = DuplicatesContext {
                tables: &tables,
                duplicates: &dups,
            };
            for (id, entry) in checks.enabled(Scope::Duplicates) {
                let mut sink = DatasetSink::new(id, entry.severity);
                entry.check().check_duplicates(&cx, &mut sink);
                findings.extend(sink.into_findings());
            }
            dups
        });

        findings.par_sort_by(Finding::output_order);
        let cx = ReviewContext {
            tables: &tables,
            checks,
        };
        for (id, entry) in checks.enabled(Scope::Review) {
            let mut sink = DatasetSink::new(id, entry.severity);
            entry.check().review(&cx, &mut findings, &mut sink);
            findings.extend(sink.into_findings());
            findings.par_sort_by(Finding::output_order);
        }
        tracing::info!(findings = findings.len(), "findings sorted");
        Ok(Scan {
            tables,
            findings,
            duplicates,
            notices,
            deals,
            as_of,
        })
    })
}

/// Opens every input (header and first records), profiles it, and relates the inputs
/// (inferred relations, then the rule file's `references`).
fn open_all(
    inputs: &[InputSpec],
    config: &RunConfig,
    options: &InputOptions,
) -> Result<Vec<(Reader, Batch, InputProfile)>, Error> {
    let mut opened = Vec::with_capacity(inputs.len());
    for (index, spec) in inputs.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let (reader, header, first) = open(spec, &config.settings, options)?;
        let hints = hints(spec, &config.settings, options);
        let mut profile = InputProfile::build(index, spec, header, &first, &hints)?;
        learn_stages(&mut profile, &first, &config.settings);
        opened.push((reader, first, profile));
    }
    let mut relations = {
        let sampled: Vec<Sampled<'_>> = opened
            .iter()
            .map(|(_, first, profile)| Sampled {
                profile,
                sample: first,
                complete: first.complete,
            })
            .collect();
        relations::infer(&sampled)
    };
    // The rule file's relations replace what was inferred for their columns.
    for (i, spec) in inputs.iter().enumerate() {
        let Some(file) = settings_of(&config.settings, spec) else {
            continue;
        };
        for (header, target) in &file.references {
            let profiles: Vec<&InputProfile> = opened.iter().map(|(_, _, p)| p).collect();
            match configured_relation(i, header, target, inputs, &profiles) {
                Ok(relation) => {
                    relations[i].retain(|r| r.column != relation.column);
                    relations[i].push(relation);
                }
                Err(problem) => opened[i].2.notices.push(format!(
                    "`{header}` = \"{}\" ({}): {problem}",
                    target.file, target.origin
                )),
            }
        }
    }
    for (relations, (_, _, profile)) in relations.into_iter().zip(opened.iter_mut()) {
        profile.relations = relations;
    }
    for (_, _, profile) in &opened {
        for r in &profile.relations {
            let line = r.describe(profile, &opened[r.target as usize].2);
            tracing::info!(input = %profile.name, "relation {line}");
        }
    }
    Ok(opened)
}

/// The rule file's `[input."…"]` section of an input: by `file:table` for a SQLite
/// table, else by file name or stem.
fn settings_of<'s>(
    settings: &'s Settings,
    spec: &InputSpec,
) -> Option<&'s crate::config::InputSettings> {
    spec.settings_keys().iter().find_map(|k| settings.input(k))
}

/// Profiles the inputs without scanning them (for `crmaudit init`), related to each
/// other, with the notices of the enabled checks' preparation.
pub fn profile_inputs(
    inputs: &[InputSpec],
    config: &RunConfig,
    options: &InputOptions,
) -> Result<Vec<InputProfile>, Error> {
    let opened = open_all(inputs, config, options)?;
    let samples: Vec<(&InputProfile, &Batch)> = opened.iter().map(|(_, b, p)| (p, b)).collect();
    let mut notes = Vec::with_capacity(opened.len());
    for (_, first, profile) in &opened {
        let cx = PrepareContext::new(&config.checks, profile, first, &config.settings, &samples);
        for entry in config.checks.entries().iter().filter(|e| e.enabled) {
            let _ = entry.check().prepare(&cx, entry.options());
        }
        notes.push(cx.into_notices());
    }
    drop(samples);
    Ok(opened
        .into_iter()
        .zip(notes)
        .map(|((_, _, mut profile), mut notes)| {
            profile.notices.append(&mut notes);
            profile
        })
        .collect())
}

/// Profiles one input without scanning it: its profile, with the notices of the
/// enabled checks' preparation.
pub fn profile(
    spec: &InputSpec,
    config: &RunConfig,
    options: &InputOptions,
) -> Result<InputProfile, Error> {
    let (_reader, header, first) = open(spec, &config.settings, options)?;
    let hints = hints(spec, &config.settings, options);
    let mut profile = InputProfile::build(0, spec, header, &first, &hints)?;
    learn_stages(&mut profile, &first, &config.settings);
    let samples = [(&profile, &first)];
    let cx = PrepareContext::new(&config.checks, &profile, &first, &config.settings, &samples);
    for entry in config.checks.entries().iter().filter(|e| e.enabled) {
        let _ = entry.check().prepare(&cx, entry.options());
    }
    let mut notices = cx.into_notices();
    profile.notices.append(&mut notices);
    Ok(profile)
}

/// A relation the rule file sets: `[input."<file>".references] <column> = "<file>[:<key>]"`.
fn configured_relation(
    source: usize,
    header: &str,
    target: &crate::config::ReferenceTarget,
    specs: &[InputSpec],
    profiles: &[&InputProfile],
) -> Result<relations::Relation, String> {
    let find = |p: &InputProfile, name: &str| -> Option<usize> {
        let key = crate::input::columns::header_key(name);
        p.header.columns.iter().position(|h| h == name).or_else(|| {
            p.header
                .columns
                .iter()
                .position(|h| crate::input::columns::header_key(h) == key)
        })
    };
    let column = find(profiles[source], header)
        .ok_or_else(|| format!("no column `{header}` in {}", profiles[source].name))?;
    let stem = |s: &str| {
        std::path::Path::new(s)
            .file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let index = specs
        .iter()
        .position(|s| {
            s.file_name() == target.file
                || s.name == target.file
                || stem(&s.file_name()) == target.file
        })
        .ok_or_else(|| format!("no input `{}` in this run", target.file))?;
    let target_profile = profiles[index];
    let target_column = match &target.column {
        Some(name) => Some(
            find(target_profile, name)
                .ok_or_else(|| format!("no column `{name}` in {}", target_profile.name))?,
        ),
        None if target_profile.id_column.is_some() => None,
        None => {
            return Err(format!(
                "{} has no id column; name its key column",
                target_profile.name
            ));
        }
    };
    Ok(relations::Relation {
        column,
        target: target_profile.index,
        target_column,
        kind: relations::kind_of(target_profile.object, target_column),
        matched: 0,
        distinct: 0,
        source: format!("set at {}", target.origin),
    })
}

/// Starts an input's reader and takes its header and first batch.
fn open(
    spec: &InputSpec,
    settings: &Settings,
    options: &InputOptions,
) -> Result<(Reader, input::Header, Batch), Error> {
    let file = settings_of(settings, spec);
    let read = ReadOptions {
        delimiter: options.read.delimiter.or(file.and_then(|f| f.delimiter)),
        encoding: options.read.encoding.or(file.and_then(|f| f.encoding)),
        max_quoted_lines: file
            .and_then(|f| f.max_quoted_lines)
            .unwrap_or(options.read.max_quoted_lines),
    };
    let reader = input::spawn_reader(spec, &read);
    let header = match reader.messages.recv() {
        Ok(Message::Header(h)) => h,
        Ok(Message::Error(e)) => return Err(e.into()),
        Ok(Message::Batch(_) | Message::Chunk(_)) | Err(_) => {
            return Err(Error::NoHeader {
                input: spec.name.clone(),
            });
        }
    };
    let first = match reader.messages.recv() {
        Ok(Message::Batch(b)) => b,
        Ok(Message::Error(e)) => return Err(e.into()),
        Ok(Message::Chunk(chunk)) => {
            // Not sent first by any reader; parse it here if one ever does.
            let mut batch = Batch::default();
            chunk.for_each_record(&mut csv::ByteRecord::new(), |r, line, flags| {
                batch.records.push(r.clone());
                batch.lines.push(line);
                batch.flags.push(flags);
            });
            batch
        }
        Ok(Message::Header(_)) | Err(_) => Batch::default(),
    };
    Ok((reader, header, first))
}

/// What a second reading hands over: a batch of parsed records, or a chunk of text.
enum Piece<'a> {
    Batch(&'a Batch),
    Chunk(&'a input::chunk::Chunk),
}

/// Reads an input again from its start, as the scan read it (the same reader
/// settings), handing each batch and chunk to `piece` in order until it returns false.
fn reread_pieces(
    spec: &InputSpec,
    config: &RunConfig,
    options: &InputOptions,
    mut piece: impl FnMut(Piece<'_>) -> Result<bool, Error>,
) -> Result<input::Header, Error> {
    let (reader, header, first) = open(spec, &config.settings, options)?;
    if !piece(Piece::Batch(&first))? {
        return Ok(header);
    }
    for message in reader.messages.iter() {
        let go = match message {
            Message::Batch(batch) => piece(Piece::Batch(&batch))?,
            Message::Chunk(chunk) => piece(Piece::Chunk(&chunk))?,
            Message::Error(e) => return Err(e.into()),
            Message::Header(_) => true,
        };
        if !go {
            break;
        }
    }
    Ok(header)
}

/// A chunk whose records did not add up to its rows: a reader defect, reported.
fn chunk_accounted(
    spec: &InputSpec,
    chunk: &input::chunk::Chunk,
    parsed: usize,
) -> Result<(), Error> {
    match chunk.unaccounted(parsed) {
        Some(message) => Err(Error::Input(input::Error::Unaccounted {
            path: spec.name.clone(),
            message,
        })),
        None => Ok(()),
    }
}

/// Reads an input again from its start, as the scan read it (the same reader settings),
/// and calls `each` with every record (and how it was read) in the scan's order, so the
/// n-th call is the record the scan numbered n; `each` returns false to stop. Returns
/// the header. For `crmaudit fix`, which writes the records back out.
pub fn reread(
    spec: &InputSpec,
    config: &RunConfig,
    options: &InputOptions,
    mut each: impl FnMut(&csv::ByteRecord, u64, RecordFlags) -> bool,
) -> Result<input::Header, Error> {
    let mut go = true;
    let mut scratch = csv::ByteRecord::new();
    reread_pieces(spec, config, options, |piece| {
        match piece {
            Piece::Batch(batch) => {
                for (i, (record, &line)) in batch.records.iter().zip(&batch.lines).enumerate() {
                    let flags = batch.flags.get(i).copied().unwrap_or_default();
                    if go {
                        go = each(record, line, flags);
                    }
                }
            }
            Piece::Chunk(chunk) => {
                let parsed = chunk.for_each_record(&mut scratch, |record, line, flags| {
                    if go {
                        go = each(record, line, flags);
                    }
                });
                chunk_accounted(spec, chunk, parsed)?;
            }
        }
        Ok(go)
    })
}

/// [`reread`] for writers that copy records whole (the class files): records of
/// delimited text without quotes come as text, unparsed.
pub fn reread_copies(
    spec: &InputSpec,
    config: &RunConfig,
    options: &InputOptions,
    mut each: impl FnMut(input::chunk::Copied<'_>) -> bool,
) -> Result<input::Header, Error> {
    use input::chunk::Copied;
    let mut go = true;
    let mut scratch = csv::ByteRecord::new();
    reread_pieces(spec, config, options, |piece| {
        match piece {
            Piece::Batch(batch) => {
                for record in &batch.records {
                    if go {
                        go = each(Copied::Record(record));
                    }
                }
            }
            Piece::Chunk(chunk) => {
                let parsed = chunk.for_each_copy(&mut scratch, |copied| {
                    if go {
                        go = each(copied);
                    }
                });
                chunk_accounted(spec, chunk, parsed)?;
            }
        }
        Ok(go)
    })
}

/// The profile hints of one input: the command line, then the rule file.
fn hints(spec: &InputSpec, settings: &Settings, options: &InputOptions) -> ProfileHints {
    let file = settings
        .input(&spec.file_name())
        .cloned()
        .unwrap_or_default();
    let object = options
        .object
        .map(|o| (o, "command line"))
        .or(file.object.map(|o| (o, "rule file")));
    let mut columns: BTreeMap<ObjectType, BTreeMap<Role, ColumnHint>> = settings
        .columns
        .iter()
        .map(|(object, roles)| {
            let roles = roles
                .iter()
                .map(|(role, o)| {
                    (
                        *role,
                        ColumnHint {
                            headers: o.headers.clone(),
                            origin: o.origin.to_string(),
                        },
                    )
                })
                .collect();
            (*object, roles)
        })
        .collect();
    for (object, role, header) in &options.columns {
        let objects: Vec<ObjectType> = match object {
            Some(o) => vec![*o],
            None => ObjectType::ALL.to_vec(),
        };
        for o in objects {
            columns.entry(o).or_default().insert(
                *role,
                ColumnHint {
                    headers: vec![header.clone()],
                    origin: "--column".to_owned(),
                },
            );
        }
    }
    ProfileHints {
        object,
        id_column: options.id_column.clone().or(file.id_column),
        labels_column: options.labels_column.clone(),
        columns,
        date_order: file.date_order,
        decimal: file.decimal,
    }
}

/// The stage map of a deal input: the rule files' pipelines, corrected by the input's
/// own closed/won flags and probabilities.
fn learn_stages(profile: &mut InputProfile, sample: &Batch, settings: &crate::config::Settings) {
    use crate::checks::semantic::{DealFields, Fields};
    use crate::stage::{Observation, StageMap};
    let Some(deal) = DealFields::new(profile, sample) else {
        return;
    };
    let mut map = StageMap::new(&settings.pipelines());
    if let Some(stage) = deal.stage {
        struct Row<'a>(&'a csv::ByteRecord);
        impl Fields for Row<'_> {
            fn field(&self, column: usize) -> &str {
                self.0
                    .get(column)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map_or("", str::trim)
            }
        }
        let rows: Vec<Row<'_>> = sample.records.iter().map(Row).collect();
        map.learn(rows.iter().map(|r| Observation {
            stage: r.field(stage),
            closed: deal.closed_flag(r),
            won: deal.is_won.and_then(|f| f.read(r)),
            probability: deal.probability(r),
        }));
    }
    for note in &map.notes {
        profile.notices.push(format!("{}: {note}", profile.name));
    }
    profile.stages = map;
}

/// The as-of date when it does not depend on the data.
fn as_of_date(as_of: AsOf) -> Option<crate::locale::Date> {
    match as_of {
        AsOf::Date(d) => Some(d),
        AsOf::Today => Some(today()),
        AsOf::Export => None,
    }
}

/// The wall-clock date (UTC).
fn today() -> crate::locale::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::locale::Date(i32::try_from(secs / 86_400).unwrap_or(i32::MAX))
}

/// Roles whose newest value dates an export: when the records were last written.
const EXPORT_TIMESTAMPS: [Role; 3] = [Role::ModifiedAt, Role::CreatedAt, Role::LastActivityAt];

/// The newest system timestamp of the inputs that time-relative checks read (`as-of =
/// "export"`; their timestamp columns were kept), ignoring dates after
/// the wall clock (a typo in one record must not move every time-relative rule).
fn export_date(tables: &[Table]) -> Option<crate::locale::Date> {
    let limit = today();
    tables
        .iter()
        .flat_map(|t| {
            EXPORT_TIMESTAMPS.iter().filter_map(move |role| {
                let (_, values) = t.role_column(*role)?;
                // Millions of dates on a large input: parsed on every worker.
                (0..values.len())
                    .into_par_iter()
                    .filter_map(|i| crate::locale::parse_date(values.get(i), t.locale.date_order))
                    .filter(|d| *d <= limit)
                    .max()
            })
        })
        .max()
}

#[cfg(test)]
mod tests;
