//! The cleaned copy of one input: its header and records as the input holds them, as
//! CSV (UTF-8, as the reader decoded it), with the resolved edits applied. Every field
//! without an edit is written byte for byte as read (spaces, undecodable bytes and
//! all); a field is replaced whole, never re-spelled beyond its fix. Rows that do not
//! fit their header (more fields, or read past a stray quote) are written as read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use super::{Candidate, Change, Policy, Resolution, Tally, resolve};
use crate::engine::{self, InputOptions, RunConfig};
use crate::finding::CheckId;
use crate::input::chunk::RecordFlags;
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
    let format = CopyFormat::of(spec, table, delimiter);
    let mut w = format.writer(out).map_err(|e| write_error(e.into()))?;
    w.write_record(&table.header.columns).map_err(write_error)?;

    let mut done = Cleaned::default();
    let mut cursor = 0usize;
    let width = table.width();
    done.records = reread_copy(spec, table, run, |ordinal, record, line, flags| {
        let ordinal = u32::try_from(ordinal).unwrap_or(u32::MAX - 1);
        // This record's offered fixes, field by field.
        let start = cursor;
        while cursor < offered.len() && offered[cursor].fix.record == ordinal {
            cursor += 1;
        }
        let mut mine = &offered[start..cursor];
        // A row with more fields than the header, or read past a stray quote, may hold
        // its values in the wrong columns: nothing of it is fixed.
        if !mine.is_empty() && (record.len() > width || flags.stray_quote_line.is_some()) {
            skip(mine, tally);
            mine = &[];
        }
        if mine.is_empty() && !format.line_end(record) {
            return w.write_byte_record(record);
        }
        // Fields as read, byte for byte; fixed ones replaced.
        let mut fields = format.fields(record);
        let mut changed = false;
        for group in mine.chunk_by(|a, b| a.fix.column == b.fix.column) {
            let column = group[0].fix.column as usize;
            // Past a short row's end the field is blank, and a fix never fills one; a
            // field whose bytes are no text is left as it is.
            let Some(old) = fields.get(column).and_then(|f| std::str::from_utf8(f).ok()) else {
                skip(group, tally);
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
                    old: old.into(),
                    new: new.as_str().into(),
                    applicability,
                    checks,
                });
                fields[column] = Cow::Owned(new.into_bytes());
                changed = true;
            }
        }
        done.changed_records += usize::from(changed);
        w.write_record(fields.iter().map(|f| &**f))
    })?;
    w.flush().map_err(|e| write_error(e.into()))?;
    Ok(done)
}

/// Reads `spec` (audited as `table`) again record by record, as [`engine::reread`]
/// does, calling `each` with the record's ordinal until it fails to write; checks that
/// the input still holds the records the audit read. Returns how many it read.
pub fn reread_copy(
    spec: &InputSpec,
    table: &Table,
    (config, options): (&RunConfig, &InputOptions),
    mut each: impl FnMut(usize, &csv::ByteRecord, u64, RecordFlags) -> Result<(), csv::Error>,
) -> Result<usize, Error> {
    let mut count = Count::default();
    engine::reread(spec, config, options, |record, line, flags| {
        count.take(|ordinal| each(ordinal, record, line, flags))
    })?;
    accounted(spec, table, count)
}

/// [`reread_copy`] for copies of whole records: records of delimited text without
/// quotes come as text ([`crate::input::chunk::Copied::Text`]).
pub fn reread_text_copy(
    spec: &InputSpec,
    table: &Table,
    (config, options): (&RunConfig, &InputOptions),
    mut each: impl FnMut(usize, crate::input::chunk::Copied<'_>) -> Result<(), csv::Error>,
) -> Result<usize, Error> {
    let mut count = Count::default();
    engine::reread_copies(spec, config, options, |copied| {
        count.take(|ordinal| each(ordinal, copied))
    })?;
    accounted(spec, table, count)
}

/// Records handed to a writer in a second reading, and the writer's first error.
#[derive(Default)]
struct Count {
    read: usize,
    failure: Option<csv::Error>,
}

impl Count {
    /// Numbers the next record and writes it; false (stop) once the writer failed.
    fn take(&mut self, write: impl FnOnce(usize) -> Result<(), csv::Error>) -> bool {
        let ordinal = self.read;
        self.read += 1;
        match write(ordinal) {
            Ok(()) => true,
            Err(e) => {
                self.failure = Some(e);
                false
            }
        }
    }
}

/// The outcome of a second reading: the writer's error, else a record count that
/// differs from the audit's (the input changed), else the count.
fn accounted(spec: &InputSpec, table: &Table, count: Count) -> Result<usize, Error> {
    let Count { read, failure } = count;
    if let Some(source) = failure {
        return Err(Error::Write {
            input: spec.name.clone(),
            source,
        });
    }
    if read != table.len() {
        return Err(Error::Changed {
            input: spec.name.clone(),
            scanned: table.len(),
            read,
        });
    }
    Ok(read)
}

/// How a copy of an input is written: its delimiter, its line ending, and whether it
/// starts with a byte-order mark. Shared by the cleaned copies and the class files.
#[derive(Debug, Clone, Copy)]
pub struct CopyFormat {
    pub delimiter: u8,
    pub bom: bool,
    pub crlf: bool,
}

impl CopyFormat {
    pub fn of(spec: &InputSpec, table: &Table, delimiter: u8) -> CopyFormat {
        CopyFormat {
            delimiter,
            bom: wants_bom(spec, table),
            crlf: crlf(spec),
        }
    }

    /// The input's own delimiter (`,` for inputs that are no CSV).
    pub fn input_delimiter(table: &Table) -> u8 {
        table
            .header
            .delimiter
            .as_deref()
            .and_then(|d| d.bytes().next())
            .unwrap_or(b',')
    }

    /// A CSV writer on `out`, after the byte-order mark when there is one.
    pub fn writer(self, out: &mut dyn Write) -> std::io::Result<csv::Writer<&mut dyn Write>> {
        if self.bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        let terminator = if self.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        Ok(csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(terminator)
            .flexible(true)
            .from_writer(out))
    }

    /// Whether a record ends with the `\r` of a CRLF line ending, which the CSV reader
    /// leaves on the last field.
    pub fn line_end(self, record: &csv::ByteRecord) -> bool {
        self.crlf
            && record
                .iter()
                .next_back()
                .is_some_and(|f| f.ends_with(b"\r"))
    }

    /// A record's fields as read, byte for byte, without a line ending's `\r`.
    pub fn fields(self, record: &csv::ByteRecord) -> Vec<Cow<'_, [u8]>> {
        let mut fields: Vec<Cow<'_, [u8]>> = record.iter().map(Cow::Borrowed).collect();
        if self.line_end(record)
            && let Some(Cow::Borrowed(last)) = fields.last_mut()
        {
            *last = &last[..last.len() - 1];
        }
        fields
    }
}

/// Counts fixes that cannot apply: their record does not fit its header, or their field
/// is no valid text.
fn skip(offered: &[Candidate<'_>], tally: &mut BTreeMap<CheckId, Tally>) {
    for c in offered {
        let t = tally.entry(c.check).or_default();
        t.offered += 1;
        t.misaligned += 1;
    }
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

/// Whether a CSV input ends its lines with CRLF (most line breaks of its first 64 KiB
/// do): the cleaned copy keeps its line endings. Old-Mac files ending lines with a bare
/// CR get LF.
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
    let breaks = head.iter().filter(|&&b| b == b'\n').count();
    let crlf = head.windows(2).filter(|w| w == b"\r\n").count();
    breaks > 0 && crlf * 2 > breaks
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
        names.push(unique_name(&base, &mut taken));
    }
    names
}

/// `base`, or `base` with `-2`, `-3`, … before its extension, whichever is not in
/// `taken` (compared ignoring case, as Windows and macOS do); the name is then taken.
pub fn unique_name(base: &str, taken: &mut Vec<String>) -> String {
    let (head, ext) = match base.rsplit_once('.') {
        Some((h, e)) if !h.is_empty() => (h.to_owned(), format!(".{e}")),
        _ => (base.to_owned(), String::new()),
    };
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{head}-{n}{ext}");
        n += 1;
    }
    taken.push(name.to_lowercase());
    name
}
