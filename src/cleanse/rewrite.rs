//! The cleaned copy of one input: its header and records as the input holds them, as
//! UTF-8 CSV, with the resolved edits applied. Records without an edit are written
//! byte for byte as the reader decoded them (spaces and all); a field is replaced
//! whole, never re-spelled beyond its fix.

use std::collections::BTreeMap;
use std::io::Write;

use super::{Candidate, Change, Policy, Resolution, Tally, resolve};
use crate::engine::{self, InputOptions, RunConfig};
use crate::finding::CheckId;
use crate::input::table::Table;
use crate::input::{InputSpec, Source, SqliteQuery};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Engine(#[from] engine::Error),
    #[error("`{input}`: cannot write its cleaned copy: {source}")]
    Write { input: String, source: csv::Error },
    #[error(
        "`{input}` changed while it was fixed: the audit read {scanned} records, the second reading {read}; nothing was written"
    )]
    Changed {
        input: String,
        scanned: usize,
        read: usize,
    },
}

/// What rewriting one input did.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub records: usize,
    /// Records with at least one changed field.
    pub changed_records: usize,
}

/// Writes the cleaned copy of `spec` (audited as `table`) to `out`, adding its changes
/// to `changes` and counting every offered fix in `tally`.
#[allow(clippy::too_many_arguments)]
pub fn rewrite(
    spec: &InputSpec,
    table: &Table,
    run: (&RunConfig, &InputOptions),
    offered: &[Candidate<'_>],
    policy: Policy,
    delimiter: u8,
    out: &mut dyn Write,
    changes: &mut Vec<Change>,
    tally: &mut BTreeMap<CheckId, Tally>,
) -> Result<Cleaned, Error> {
    let write_error = |source: csv::Error| Error::Write {
        input: spec.name.clone(),
        source,
    };
    if wants_bom(spec, table) {
        out.write_all("\u{FEFF}".as_bytes())
            .map_err(|e| write_error(e.into()))?;
    }
    let terminator = if crlf(spec) {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .flexible(true)
        .from_writer(out);
    w.write_record(&table.header.columns).map_err(write_error)?;

    let mut done = Cleaned::default();
    let mut cursor = 0usize;
    let mut failure: Option<csv::Error> = None;
    let mut fields: Vec<String> = Vec::new();
    let (config, options) = run;
    engine::reread(spec, config, options, |record, line| {
        let ordinal = done.records;
        done.records += 1;
        let Ok(ordinal) = u32::try_from(ordinal) else {
            return false;
        };
        // This record's offered fixes, field by field.
        let start = cursor;
        while cursor < offered.len() && offered[cursor].fix.record == ordinal {
            cursor += 1;
        }
        let mine = &offered[start..cursor];
        let valid = std::str::from_utf8(record.as_slice()).is_ok();
        // The `\r` of a CRLF line ending, which the reader leaves on the last field.
        let line_end = record
            .iter()
            .next_back()
            .is_some_and(|f| f.ends_with(b"\r"));
        if mine.is_empty() && valid && !line_end {
            if let Err(e) = w.write_byte_record(record) {
                failure = Some(e);
                return false;
            }
            return true;
        }
        fields.clear();
        fields.extend(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned()),
        );
        if line_end && let Some(last) = fields.last_mut() {
            last.pop();
        }
        let mut changed = false;
        for group in mine.chunk_by(|a, b| a.fix.column == b.fix.column) {
            let column = group[0].fix.column as usize;
            let Some(old) = fields.get(column) else {
                // Past a short row's end: the field is blank, and a fix never fills one.
                continue;
            };
            if let Resolution::Apply {
                new,
                applicability,
                checks,
            } = resolve(old, group, policy, tally)
            {
                changes.push(Change {
                    input: table.index,
                    record: ordinal,
                    line,
                    column: group[0].fix.column,
                    old: std::mem::replace(&mut fields[column], new.clone()).into(),
                    new: new.into(),
                    applicability,
                    checks,
                });
                changed = true;
            }
        }
        done.changed_records += usize::from(changed);
        if let Err(e) = w.write_record(&fields) {
            failure = Some(e);
            return false;
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(write_error(e));
    }
    w.flush().map_err(|e| write_error(e.into()))?;
    if done.records != table.len() {
        return Err(Error::Changed {
            input: spec.name.clone(),
            scanned: table.len(),
            read: done.records,
        });
    }
    Ok(done)
}

/// Whether the cleaned copy starts with a byte-order mark: when the input had one, and
/// when it was no UTF-8 text (a Windows-1251 or UTF-16 export, a spreadsheet), whose
/// users open files in Excel, which reads UTF-8 without a mark as their legacy code page.
fn wants_bom(spec: &InputSpec, table: &Table) -> bool {
    let header = &table.header;
    header.bom
        || matches!(spec.source, Source::Sheet { .. })
        || header
            .encoding
            .as_deref()
            .is_some_and(|e| !e.eq_ignore_ascii_case("utf-8"))
}

/// Whether a CSV input ends its lines with CRLF (its first line does): the cleaned
/// copy keeps its line endings.
fn crlf(spec: &InputSpec) -> bool {
    let Source::Csv(path) = &spec.source else {
        return false;
    };
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(64 * 1024);
    if std::io::Read::read_to_end(&mut std::io::Read::take(file, 64 * 1024), &mut head).is_err() {
        return false;
    }
    head.iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && head[i - 1] == b'\r')
}

/// The file name of each input's cleaned copy: the input's own name for a CSV file,
/// else its stem with the table, sheet or record type, as `.csv`. Unique among the
/// inputs and distinct from every other file `crmaudit fix` writes.
pub fn cleaned_names(specs: &[InputSpec], reserved: &[&str]) -> Vec<String> {
    let stem = |p: &std::path::Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut taken: Vec<String> = reserved.iter().map(|r| r.to_lowercase()).collect();
    let mut names = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let base = match &spec.source {
            Source::Csv(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Source::Stdin => "stdin.csv".to_owned(),
            Source::Sqlite { path, query } => match query {
                SqliteQuery::Table(t) => format!("{}-{t}.csv", stem(path)),
                SqliteQuery::Sql(_) => format!("{}-query{}.csv", stem(path), i + 1),
            },
            Source::Json { path, kind } => match kind {
                Some(k) => format!("{}-{k}.csv", stem(path)),
                None => format!("{}.csv", stem(path)),
            },
            Source::Sheet { path, sheet } => format!("{}-{sheet}.csv", stem(path)),
        };
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = base.trim_start_matches('.').to_owned();
        let base = if base.is_empty() {
            format!("input{}.csv", i + 1)
        } else {
            base
        };
        let (head, ext) = match base.rsplit_once('.') {
            Some((h, e)) if !h.is_empty() => (h.to_owned(), format!(".{e}")),
            _ => (base.clone(), String::new()),
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            name = format!("{head}-{n}{ext}");
            n += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}
