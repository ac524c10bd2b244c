//! Scanning one input: batches from the reader thread are checked concurrently on the
//! worker pool, each batch by one task (its records in order), and merged back in read
//! order by the calling thread.
//!
//! Each task decodes a record once (one UTF-8 validation per record), runs the armed
//! record checks on it, and copies the kept columns and the id of the record into
//! per-batch arenas; the calling thread only appends those arenas and findings in batch
//! order. At most [`WINDOW`] batches are in flight, so memory stays bounded however
//! large the input.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use csv::ByteRecord;
use indicatif::ProgressBar;
use rayon::ThreadPool;

use super::{Armed, Error};
use crate::checks::{FindingSink, PreparedCheck, RecordView};
use crate::finding::Finding;
use crate::input::chunk::{Chunk, RecordFlags};
use crate::input::profile::InputProfile;
use crate::input::table::{StrColumn, Table};
use crate::input::{Batch, Message, Reader, Recycled};

/// Batches in flight per worker thread.
const WINDOW_PER_THREAD: usize = 3;

/// A unit of work: parsed records, or CSV text a worker parses.
enum Work {
    Records(Batch),
    Chunk(Chunk),
}

impl Work {
    fn first_line(&self) -> u64 {
        match self {
            Work::Records(b) => b.lines.first().copied().unwrap_or(0),
            Work::Chunk(c) => c.first_line,
        }
    }
}

/// What one batch produced, to be appended in order. Record ordinals in `findings` are
/// relative to the batch until it is merged.
struct BatchResult {
    findings: Vec<Finding>,
    lines: Vec<u64>,
    ids: StrColumn,
    kept: Vec<StrColumn>,
    derived: Vec<Vec<u64>>,
    filled: Vec<u64>,
    field_counts: Vec<u64>,
    digests: Vec<u32>,
}

/// What the scan of one input produced.
pub(super) struct Scanned {
    pub table: Table,
    pub findings: Vec<Finding>,
    /// Per deriving check, its numbers for every record.
    pub derived: Vec<Vec<u64>>,
}

/// Reads one input to the end, checking batches as they arrive.
/// One input ready to scan: its reader (with the first batch already taken), its
/// profile and what to run on each record.
pub(super) struct Plan<'p, 'c> {
    pub reader: Reader,
    pub first: Batch,
    pub profile: InputProfile,
    pub checks: &'p [Armed<'c>],
    pub derivers: &'p [&'p dyn PreparedCheck],
    pub kept: &'p [usize],
    /// Keep a digest of every field ([`Table::digests`]).
    pub digests: bool,
}

pub(super) fn scan_input(
    pool: &ThreadPool,
    plan: Plan<'_, '_>,
    progress: Option<&ProgressBar>,
) -> Result<Scanned, Error> {
    let Plan {
        reader,
        first,
        profile,
        checks,
        derivers,
        kept,
        digests,
    } = plan;
    let mut table = Table::new(profile, kept);
    let mut findings = Vec::new();
    let mut derived: Vec<Vec<u64>> = vec![Vec::new(); derivers.len()];
    let window = pool.current_num_threads().max(1) * WINDOW_PER_THREAD;
    let profile = &table.profile;
    let (tx, rx) = mpsc::channel::<(usize, Result<BatchResult, Error>)>();

    let mut merged: Vec<BatchResult> = Vec::new();
    let outcome: Result<(), Error> = pool.in_place_scope(|scope| {
        let mut pending: BTreeMap<usize, BatchResult> = BTreeMap::new();
        let (mut dispatched, mut received, mut records) = (0usize, 0usize, 0usize);
        let mut failure: Option<Error> = None;
        // Takes one finished batch and merges every batch that is next in order.
        let mut receive = |pending: &mut BTreeMap<usize, BatchResult>,
                           received: &mut usize,
                           records: &mut usize,
                           failure: &mut Option<Error>| {
            let Ok((i, result)) = rx.recv() else {
                return;
            };
            *received += 1;
            match result {
                Ok(r) => {
                    pending.insert(i, r);
                }
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
            while let Some(mut r) = pending.remove(&merged.len()) {
                if let Some(bar) = progress {
                    bar.inc(r.lines.len() as u64);
                }
                let rebase =
                    |record: u32| u32::try_from(*records + record as usize).unwrap_or(u32::MAX - 1);
                for f in &mut r.findings {
                    f.record = rebase(f.record);
                    for fix in &mut f.fixes {
                        fix.record = rebase(fix.record);
                    }
                }
                *records += r.lines.len();
                merged.push(r);
            }
        };
        let messages = reader.messages.iter().filter_map(|m| match m {
            Message::Batch(b) => Some(Ok(Work::Records(b))),
            Message::Chunk(c) => Some(Ok(Work::Chunk(c))),
            Message::Error(e) => Some(Err(Error::from(e))),
            Message::Header(_) => None,
        });
        for work in std::iter::once(Ok(Work::Records(first))).chain(messages) {
            if failure.is_some() {
                break;
            }
            let work = match work {
                Ok(Work::Records(b)) if b.is_empty() => continue,
                Ok(w) => w,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            while dispatched - received >= window {
                receive(&mut pending, &mut received, &mut records, &mut failure);
            }
            let i = dispatched;
            dispatched += 1;
            let tx = tx.clone();
            let recycle = reader.recycler();
            scope.spawn(move |_| {
                let first_line = work.first_line();
                let result = catch_unwind(AssertUnwindSafe(|| {
                    check_batch(profile, checks, derivers, kept, digests, &work)
                }))
                .map_err(|panic| Error::Internal {
                    input: profile.name.clone(),
                    first: first_line,
                    last: first_line,
                    message: panic_message(&*panic),
                })
                .and_then(|r| r);
                let _ = recycle.try_send(match work {
                    Work::Records(batch) => Recycled::Records(batch.records),
                    Work::Chunk(chunk) => Recycled::Bytes(chunk.bytes),
                });
                let _ = tx.send((i, result));
            });
        }
        while received < dispatched {
            receive(&mut pending, &mut received, &mut records, &mut failure);
        }
        failure.map_or(Ok(()), Err)
    });
    outcome?;

    for r in merged {
        table.lines.extend_from_slice(&r.lines);
        table.ids.append(&r.ids);
        for (column, values) in table.kept.values_mut().zip(&r.kept) {
            column.append(values);
        }
        for (all, batch) in derived.iter_mut().zip(&r.derived) {
            all.extend_from_slice(batch);
        }
        for (all, batch) in table.filled.iter_mut().zip(&r.filled) {
            *all += batch;
        }
        for (all, batch) in table.field_counts.iter_mut().zip(&r.field_counts) {
            *all += batch;
        }
        table.digests.extend_from_slice(&r.digests);
        findings.extend(r.findings);
    }
    // The reader has finished: the channel is closed.
    table.physical_lines = reader.physical_lines();
    Ok(Scanned {
        table,
        findings,
        derived,
    })
}

/// Checks one batch on one worker: decode each record once, run the checks, keep the
/// id and kept columns, derive the dataset checks' numbers.
fn check_batch(
    profile: &InputProfile,
    checks: &[Armed<'_>],
    derivers: &[&dyn PreparedCheck],
    kept_at: &[usize],
    digests: bool,
    work: &Work,
) -> Result<BatchResult, Error> {
    let mut state = BatchState {
        profile,
        checks,
        derivers,
        kept_at,
        sink: FindingSink::new(profile.index),
        lines: Vec::new(),
        ids: StrColumn::default(),
        kept: (0..kept_at.len()).map(|_| StrColumn::default()).collect(),
        derived: vec![Vec::new(); derivers.len()],
        filled: vec![0; profile.width()],
        field_counts: vec![0; profile.width() + 2],
        digests: digests.then(Vec::new),
        number: String::new(),
        fields: Vec::new(),
        padded: Vec::new(),
    };
    match work {
        Work::Records(batch) => {
            for (i, (record, &line)) in batch.records.iter().zip(&batch.lines).enumerate() {
                let flags = batch.flags.get(i).copied().unwrap_or_default();
                state.record(record, line, flags);
            }
        }
        Work::Chunk(chunk) => {
            let mut record = ByteRecord::new();
            let parsed = chunk.for_each_record(&mut record, |record, line, flags| {
                state.record(record, line, flags);
            });
            if let Some(message) = chunk.unaccounted(parsed) {
                return Err(Error::Input(crate::input::Error::Unaccounted {
                    path: profile.name.clone(),
                    message,
                }));
            }
        }
    }
    Ok(BatchResult {
        findings: state.sink.into_findings(),
        lines: state.lines,
        ids: state.ids,
        kept: state.kept,
        derived: state.derived,
        filled: state.filled,
        field_counts: state.field_counts,
        digests: state.digests.unwrap_or_default(),
    })
}

/// One worker's state while it checks a batch.
struct BatchState<'a, 'c> {
    profile: &'a InputProfile,
    checks: &'a [Armed<'c>],
    derivers: &'a [&'a dyn PreparedCheck],
    kept_at: &'a [usize],
    sink: FindingSink,
    lines: Vec<u64>,
    ids: StrColumn,
    kept: Vec<StrColumn>,
    derived: Vec<Vec<u64>>,
    /// Records with a value, per column.
    filled: Vec<u64>,
    /// Records per number of fields (the last slot: more than the header's).
    field_counts: Vec<u64>,
    /// When asked: a digest of each field of each record, `width` per record.
    digests: Option<Vec<u32>>,
    number: String,
    /// The allocation of the decoded fields, reused record after record.
    fields: Vec<&'static str>,
    /// The allocation of the untrimmed values of padded fields, reused likewise.
    padded: Vec<(usize, &'static str)>,
}

/// An empty vector on the allocation of `v`, for values of another lifetime (the
/// standard library collects in place when the element layout is the same).
fn recycle<'b>(mut v: Vec<&str>) -> Vec<&'b str> {
    v.clear();
    v.into_iter().map(|_| "").collect()
}

/// [`recycle`] for the padded fields.
fn recycle_pairs<'b>(mut v: Vec<(usize, &str)>) -> Vec<(usize, &'b str)> {
    v.clear();
    v.into_iter().map(|_| (0, "")).collect()
}

impl BatchState<'_, '_> {
    fn record(&mut self, record: &ByteRecord, line: u64, flags: RecordFlags) {
        let profile = self.profile;
        let width = profile.width();
        let ordinal = u32::try_from(self.lines.len()).unwrap_or(u32::MAX - 1);
        self.sink.start(ordinal, line);
        self.lines.push(line);
        let mut fields: Vec<&str> = recycle(std::mem::take(&mut self.fields));
        let mut padded: Vec<(usize, &str)> = recycle_pairs(std::mem::take(&mut self.padded));
        let invalid = decode_fields(record, width, &mut fields, &mut padded);
        let lossy: Vec<String>;
        let repaired: Vec<&str>;
        let shown: &[&str] = if invalid.is_empty() {
            &fields
        } else {
            // Rare: show undecodable bytes as U+FFFD.
            lossy = invalid
                .iter()
                .map(|&c| String::from_utf8_lossy(record.get(c).unwrap_or_default()).into_owned())
                .collect();
            let mut r = fields.clone();
            for (k, &c) in invalid.iter().enumerate() {
                r[c] = lossy[k].trim();
            }
            repaired = r;
            &repaired
        };
        // Empty fields past the header's last column (`a,b,c,,`: a trailing delimiter
        // the export adds to every row) are no fields.
        let mut field_count = record.len();
        while field_count > width
            && record
                .get(field_count - 1)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            field_count -= 1;
        }
        let view = RecordView {
            profile,
            fields: shown,
            field_count,
            invalid_encoding: &invalid,
            padded: &padded,
            raw: record.as_slice(),
            line,
            flags,
        };
        for armed in self.checks {
            self.sink.set_check(armed.id, armed.severity);
            armed.check.check_record(&view, &mut self.sink);
        }
        match profile.id_column {
            Some(c) => self.ids.push(view.get(c)),
            None => {
                self.number.clear();
                let _ = write!(self.number, "{line}");
                self.ids.push(&self.number);
            }
        }
        for (values, &column) in self.kept.iter_mut().zip(self.kept_at) {
            values.push(view.get(column));
        }
        let last = self.field_counts.len() - 1;
        self.field_counts[field_count.min(last)] += 1;
        for (n, field) in self.filled.iter_mut().zip(shown) {
            *n += u64::from(!field.is_empty());
        }
        if let Some(digests) = &mut self.digests {
            digests.extend(shown.iter().take(width).map(|f| field_digest(f)));
            // A short row's missing fields are blank.
            digests.extend((shown.len()..width).map(|_| field_digest("")));
        }
        for (out, deriver) in self.derived.iter_mut().zip(self.derivers) {
            deriver.derive(&view, &mut self.sink.scratch, out);
        }
        self.fields = recycle(fields);
        self.padded = recycle_pairs(padded);
    }
}

/// A 32-bit digest of a field's value (FNV-1a): equal values, equal digests; a changed
/// value keeps its digest one time in four billion.
pub fn field_digest(value: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in value.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Fills `fields` with the record's values as trimmed text (blank past a short row's
/// end), `padded` with the untrimmed value of each field that had whitespace at an end,
/// and returns the columns whose bytes are not valid UTF-8 (left blank in `fields`).
fn decode_fields<'r>(
    record: &'r ByteRecord,
    width: usize,
    fields: &mut Vec<&'r str>,
    padded: &mut Vec<(usize, &'r str)>,
) -> Vec<usize> {
    fields.clear();
    padded.clear();

    // One validation for the whole record; a field boundary inside a character (only
    // possible around invalid bytes) falls back to validating each field.
    if let Ok(all) = std::str::from_utf8(record.as_slice()) {
        let mut ok = true;
        fields.extend((0..width).map(|i| match record.range(i) {
            Some(r) => all.get(r).map_or_else(
                || {
                    ok = false;
                    ""
                },
                |raw| trim_noting(padded, i, raw),
            ),
            // Past a short row's end.
            None => "",
        }));
        if ok {
            return Vec::new();
        }
        fields.clear();
    }
    padded.clear();
    let mut invalid = Vec::new();
    fields.extend(
        (0..width).map(|i| match record.get(i).map(std::str::from_utf8) {
            Some(Ok(s)) => trim_noting(padded, i, s),
            Some(Err(_)) => {
                invalid.push(i);
                ""
            }
            None => "",
        }),
    );
    invalid
}

/// `raw` trimmed; noted in `padded` when that removed anything but the `\r` a CRLF
/// line ending leaves on a record's last field.
#[inline]
fn trim_noting<'r>(padded: &mut Vec<(usize, &'r str)>, column: usize, raw: &'r str) -> &'r str {
    let trimmed = raw.trim();
    if trimmed.len() != raw.len() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if trimmed.len() != raw.len() {
            padded.push((column, raw));
        }
    }
    trimmed
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a check panicked".to_owned())
}
