//! `crmaudit fix INPUT... --out DIR`: audit, then write a cleaned copy of each input,
//! `changes.csv`, `fix-summary.md` and, with `--update-file`, the update files a CRM
//! imports; `--diff` prints the changes instead and writes nothing.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result, bail};

use super::audit::{
    apply_checks, input_options, input_specs, load_settings, progress, spare_inputs,
};
use super::{FixArgs, Outcome};
use crate::checks::{FixKind, Scope};
use crate::cleanse::rewrite::CopyFormat;
use crate::cleanse::view::{self, InputSummary};
use crate::cleanse::{self, Change, Policy, Tally, UpdateShape};
use crate::config::{Origin, Selector};
use crate::engine::{self, RunConfig, RunOptions};
use crate::finding::CheckId;
use crate::input::Source;
use crate::report::{FIX_NAMES, OutputSet};

pub fn run(args: &FixArgs) -> Result<Outcome> {
    let dir = match (&args.input.out, args.diff) {
        (Some(dir), _) => Some(dir.clone()),
        (None, true) => None,
        (None, false) => bail!(
            "`crmaudit fix` writes the cleaned copies into a folder: give --out DIR (or --diff to see the changes without writing anything)"
        ),
    };
    let (mut settings, diagnostics) = load_settings(&args.input)?;
    apply_checks(&mut settings, &args.checks)?;
    // Checks that offer no fix cost time and memory and change nothing here; the review
    // checks stay (they may fold findings, fixes and all, into one notice).
    for entry in crate::checks::CheckSet::builtin().entries() {
        let meta = entry.meta();
        if meta.fix == FixKind::None && meta.scope != Scope::Review {
            settings.selection.ignore.push(Selector {
                text: meta.code.to_string(),
                origin: Origin::Default,
            });
        }
    }
    let config = RunConfig::compile_with(settings, diagnostics)?;
    let specs = input_specs(&args.input)?;
    if specs.iter().any(|s| matches!(s.source, Source::Stdin)) {
        bail!(
            "`crmaudit fix` reads each input twice (to audit it, then to write its cleaned copy): stdin cannot be read again; save it to a file first"
        );
    }
    let names = cleanse::cleaned_names(&specs, &FIX_NAMES);
    // Update files are named after their cleaned copy, never as another file of the run.
    let mut taken: Vec<String> = names
        .iter()
        .map(String::as_str)
        .chain(FIX_NAMES)
        .map(str::to_lowercase)
        .collect();
    let updates: Vec<String> = match args.update_file {
        Some(shape) => names
            .iter()
            .map(|n| cleanse::rewrite::unique_name(&update_name(n, shape.into()), &mut taken))
            .collect(),
        None => Vec::new(),
    };
    if dir.is_some() {
        let mut written = names.clone();
        written.extend(updates.iter().cloned());
        spare_inputs(&args.input, &written)?;
    }
    let input = input_options(&args.input)?;
    let options = RunOptions {
        threads: args.input.threads,
        progress: progress(&args.input, true),
        input: input.clone(),
        dedupe: false,
        field_digests: false,
    };
    let scan = engine::run(&specs, &config, &options)?;
    let offered = cleanse::candidates(&scan.findings, specs.len());
    let policy = Policy {
        unsafe_fixes: args.unsafe_fixes,
    };
    let delimiter = match &args.out_delimiter {
        Some(d) => Some(super::audit::parse_delimiter(d)?),
        None => None,
    };

    let tally: RefCell<BTreeMap<CheckId, Tally>> = RefCell::new(BTreeMap::new());
    let changes: RefCell<Vec<Change>> = RefCell::new(Vec::new());
    let mut summaries = Vec::with_capacity(specs.len());
    let mut set = match &dir {
        Some(d) => Some(
            OutputSet::new(d, "")
                .with_context(|| format!("cannot write into `{}`", d.display()))?,
        ),
        None => None,
    };
    for (i, spec) in specs.iter().enumerate() {
        let table = &scan.tables[i];
        let delimiter = delimiter.unwrap_or_else(|| CopyFormat::input_delimiter(table));
        let outcome: RefCell<Option<Result<cleanse::Cleaned, cleanse::rewrite::Error>>> =
            RefCell::new(None);
        let write = |out: &mut dyn Write| -> Result<(), crate::report::Error> {
            let result = cleanse::rewrite(
                spec,
                table,
                (&config, &input),
                &offered[i],
                policy,
                delimiter,
                out,
                &mut changes.borrow_mut(),
                &mut tally.borrow_mut(),
            );
            let failed = result.is_err();
            *outcome.borrow_mut() = Some(result);
            if failed {
                return Err(std::io::Error::other("the cleaned copy was not written").into());
            }
            Ok(())
        };
        let staged = match &set {
            Some(set) => Some(set.write(&names[i], &write)),
            None => {
                // A failure is in `outcome`, with its cause.
                let _ = write(&mut std::io::sink());
                None
            }
        };
        let cleaned = match outcome.into_inner() {
            Some(result) => result?,
            None => match staged {
                Some(Err(e)) => return Err(e.into()),
                _ => bail!("`{}`: its cleaned copy was not written", spec.name),
            },
        };
        // Named by file only: the summary is the same whichever folder it is in.
        let path = match (staged, &mut set) {
            (Some(file), Some(set)) => {
                set.add(file?);
                Some(names[i].clone())
            }
            _ => None,
        };
        summaries.push(InputSummary {
            name: spec.name.clone(),
            records: cleaned.records,
            changed_records: cleaned.changed_records,
            cleaned: path,
        });
    }
    let tally = tally.into_inner();
    let changes = changes.into_inner();
    let checks = &config.checks;

    if args.diff {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        view::diff(&changes, &scan.tables, checks, &mut out)?;
        out.flush()?;
    }
    let summary = view::summary(checks, &tally, &changes, &summaries, args.unsafe_fixes);
    let Some(mut set) = set else {
        eprint!("{summary}");
        return Ok(if changes.is_empty() {
            Outcome::Passed
        } else {
            Outcome::Failed
        });
    };
    let mut change_bytes = Vec::new();
    view::write_changes(
        &changes,
        &scan.tables,
        checks,
        args.input.raw_csv,
        &mut change_bytes,
    )?;
    set.set_run_id(&hex16(&change_bytes));
    set.add(set.write("changes.csv", &|w| Ok(w.write_all(&change_bytes)?))?);
    set.add(set.write("fix-summary.md", &|w| Ok(w.write_all(summary.as_bytes())?))?);
    let mut notes = Vec::new();
    if let Some(shape) = args.update_file {
        let shape: UpdateShape = shape.into();
        for (i, table) in scan.tables.iter().enumerate() {
            // Changes are in input order: this input's are one run of them.
            let start = changes.partition_point(|c| (c.input as usize) < i);
            let end = changes.partition_point(|c| (c.input as usize) <= i);
            let mine = &changes[start..end];
            if mine.is_empty() {
                continue;
            }
            if table.id_column.is_none() {
                notes.push(format!(
                    "`{}` has no id column to match records by: no update file (name it with --id-column)",
                    table.name
                ));
                continue;
            }
            let stats = RefCell::new(None);
            let file = set.write(&updates[i], &|w| {
                let written = cleanse::update::write(shape, table, mine, w)
                    .unwrap_or_else(|| Ok(Default::default()))?;
                *stats.borrow_mut() = Some(written);
                Ok(())
            })?;
            set.add(file);
            if let Some(stats) = stats.into_inner()
                && stats.left_out > 0
            {
                notes.push(format!(
                    "`{}`: {} {} a field {} not in the HubSpot update file (a HubSpot import leaves a property alone when its cell is blank): clear {} in HubSpot; changes.csv lists {}",
                    table.name,
                    stats.left_out,
                    if stats.left_out == 1 { "fix that blanks" } else { "fixes that blank" },
                    if stats.left_out == 1 { "is" } else { "are" },
                    if stats.left_out == 1 { "it" } else { "them" },
                    if stats.left_out == 1 { "it" } else { "them" },
                ));
            }
        }
    }
    let written = set.commit()?;
    if !args.diff {
        print!("{summary}");
    }
    for note in &notes {
        println!("note: {note}");
    }
    println!("wrote:");
    for path in &written {
        println!("  {path}");
    }
    Ok(Outcome::Passed)
}

/// `contacts.csv` → `contacts.salesforce-update.csv`.
fn update_name(cleaned: &str, shape: UpdateShape) -> String {
    let stem = cleaned.strip_suffix(".csv").unwrap_or(cleaned);
    format!("{stem}.{}-update.csv", shape.as_str())
}

/// The run id of a fix run: the first 16 hex digits of its change log's BLAKE3 digest.
fn hex16(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_owned()
}
