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
use crate::checks::{FindingSink, RecordView};
use crate::finding::Finding;
use crate::input::profile::InputProfile;
use crate::input::table::{StrColumn, Table};
use crate::input::{Batch, Message, Reader};

/// Batches in flight per worker thread.
const WINDOW_PER_THREAD: usize = 3;

/// What one batch produced, to be appended in order.
struct BatchResult {
    findings: Vec<Finding>,
    lines: Vec<u64>,
    ids: StrColumn,
    kept: Vec<StrColumn>,
}

/// Reads one input to the end, checking batches as they arrive.
pub(super) fn scan_input(
    pool: &ThreadPool,
    reader: Reader,
    first: Batch,
    profile: InputProfile,
    checks: &[Armed<'_>],
    kept: &[usize],
    progress: Option<&ProgressBar>,
) -> Result<(Table, Vec<Finding>), Error> {
    let mut table = Table::new(profile, kept);
    let mut findings = Vec::new();
    let window = pool.current_num_threads().max(1) * WINDOW_PER_THREAD;
    let profile = &table.profile;
    let (tx, rx) = mpsc::channel::<(usize, Result<BatchResult, Error>)>();

    let mut merged: Vec<BatchResult> = Vec::new();
    let outcome: Result<(), Error> = pool.in_place_scope(|scope| {
        let mut pending: BTreeMap<usize, BatchResult> = BTreeMap::new();
        let (mut dispatched, mut received, mut base) = (0usize, 0usize, 0usize);
        let mut failure: Option<Error> = None;
        // Takes one finished batch and merges every batch that is next in order.
        let mut receive = |pending: &mut BTreeMap<usize, BatchResult>,
                           received: &mut usize,
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
            while let Some(r) = pending.remove(&merged.len()) {
                if let Some(bar) = progress {
                    bar.inc(r.lines.len() as u64);
                }
                merged.push(r);
            }
        };
        let messages = reader.messages.iter().filter_map(|m| match m {
            Message::Batch(b) => Some(Ok(b)),
            Message::Error(e) => Some(Err(Error::from(e))),
            Message::Header(_) => None,
        });
        for batch in std::iter::once(Ok(first)).chain(messages) {
            if failure.is_some() {
                break;
            }
            let batch = match batch {
                Ok(b) if b.is_empty() => continue,
                Ok(b) => b,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            while dispatched - received >= window {
                receive(&mut pending, &mut received, &mut failure);
            }
            let (i, start) = (dispatched, base);
            base += batch.len();
            dispatched += 1;
            let tx = tx.clone();
            let recycle = reader.recycler();
            scope.spawn(move |_| {
                let (first_line, last_line) = (
                    batch.lines.first().copied().unwrap_or(0),
                    batch.lines.last().copied().unwrap_or(0),
                );
                let result = catch_unwind(AssertUnwindSafe(|| {
                    check_batch(profile, checks, kept, &batch, start)
                }))
                .map_err(|panic| Error::Internal {
                    input: profile.name.clone(),
                    first: first_line,
                    last: last_line,
                    message: panic_message(&*panic),
                });
                let _ = recycle.try_send(batch.records);
                let _ = tx.send((i, result));
            });
        }
        while received < dispatched {
            receive(&mut pending, &mut received, &mut failure);
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
        findings.extend(r.findings);
    }
    Ok((table, findings))
}

/// Checks one batch on one worker: decode each record once, run the checks, keep the
/// id and kept columns.
fn check_batch(
    profile: &InputProfile,
    checks: &[Armed<'_>],
    kept_at: &[usize],
    batch: &Batch,
    base: usize,
) -> BatchResult {
    let width = profile.width();
    let mut sink = FindingSink::new(profile.index);
    let mut fields: Vec<&str> = Vec::with_capacity(width);
    let mut ids = StrColumn::default();
    let mut kept: Vec<StrColumn> = (0..kept_at.len()).map(|_| StrColumn::default()).collect();
    let mut number = String::new();
    for (i, (record, &line)) in batch.records.iter().zip(&batch.lines).enumerate() {
        sink.start(u32::try_from(base + i).unwrap_or(u32::MAX - 1), line);
        let invalid = decode_fields(record, width, &mut fields);
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
                r[c] = &lossy[k];
            }
            repaired = r;
            &repaired
        };
        let view = RecordView {
            profile,
            fields: shown,
            field_count: record.len(),
            invalid_encoding: &invalid,
            line,
        };
        for armed in checks {
            sink.set_check(armed.id, armed.severity);
            armed.check.check_record(&view, &mut sink);
        }
        match profile.id_column {
            Some(c) => ids.push(view.get(c)),
            None => {
                number.clear();
                let _ = write!(number, "{line}");
                ids.push(&number);
            }
        }
        for (values, &column) in kept.iter_mut().zip(kept_at) {
            values.push(view.get(column));
        }
    }
    BatchResult {
        findings: sink.into_findings(),
        lines: batch.lines.clone(),
        ids,
        kept,
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
    if let Ok(all) = std::str::from_utf8(record.as_slice()) {
        let mut ok = true;
        fields.extend((0..width).map(|i| match record.range(i) {
            Some(r) => all.get(r).unwrap_or_else(|| {
                ok = false;
                ""
            }),
            // Past a short row's end.
            None => "",
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

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a check panicked".to_owned())
}
