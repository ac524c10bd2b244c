//! `clean.csv`, `review.csv`, `quarantine.csv`: every record of an input in the file of
//! its class, with its columns as read (in order, byte for byte, UTF-8 as decoded) and
//! three more: `trust_score`, `reasons` (each finding's code, name and penalty) and
//! `run_id` (as in every output of the run). Each record is in exactly one of the
//! three; a record count that differs from the audit's stops the run. With several
//! inputs, each has its own three files, named after it.

use std::io::Write;

use super::rewrite::{CopyFormat, Error, reread_text_copy};
use crate::checks::CheckSet;
use crate::config::trust::TrustSettings;
use crate::engine::{InputOptions, RunConfig};
use crate::finding::{Finding, Severity};
use crate::input::InputSpec;
use crate::input::chunk::Copied;
use crate::input::table::Table;
use crate::report::spreadsheet::{push_field, push_record};
use crate::trust::Class;

/// The three file names of each input: `clean.csv`, … for a run of one input, else
/// `<input>.clean.csv`, … after each input's own (unique) name.
pub fn class_names(specs: &[InputSpec], reserved: &[&str]) -> Vec<[String; 3]> {
    let stems = super::cleaned_names(specs, reserved);
    let mut taken: Vec<String> = reserved
        .iter()
        .copied()
        .chain(stems.iter().map(String::as_str))
        .map(str::to_lowercase)
        .collect();
    stems
        .iter()
        .map(|name| {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            Class::ALL.map(|c| {
                let base = if specs.len() == 1 {
                    format!("{}.csv", c.as_str())
                } else {
                    format!("{stem}.{}.csv", c.as_str())
                };
                // `x.csv` and `x.tsv` share a stem: the second's files get `-2`.
                super::rewrite::unique_name(&base, &mut taken)
            })
        })
        .collect()
}

/// Bytes gathered per class file before they are handed to its writer.
const FLUSH_AT: usize = 256 * 1024;

/// Writes each record of `spec` (audited as `table`, scored as `scores`) to the writer
/// of its class (`outs` in [`Class::ALL`] order). `findings` are the run's, sorted.
/// Returns the records written per class.
///
/// A record read from delimited text with one field per column and no quote or carriage
/// return in it is copied as it stands in the input, the three columns appended: the
/// same bytes as writing it field by field, without parsing it. Any other (quoted
/// fields, a row of another length, one read past a stray quote, a spreadsheet or
/// database row) is written field by field, quoted where it needs to be.
#[allow(clippy::too_many_arguments)]
pub fn split(
    spec: &InputSpec,
    table: &Table,
    run: (&RunConfig, &InputOptions),
    scores: &[(f32, Class)],
    findings: &[Finding],
    checks: &CheckSet,
    settings: &TrustSettings,
    run_id: &str,
    outs: &mut [&mut dyn Write],
) -> Result<[usize; 3], Error> {
    let write_error = |source: std::io::Error| Error::Write {
        input: spec.name.clone(),
        source: source.into(),
    };
    let format = CopyFormat::of(spec, table, CopyFormat::input_delimiter(table));
    let delimiter = format.delimiter;
    let terminator: &[u8] = if format.crlf { b"\r\n" } else { b"\n" };
    let mut bufs: [Vec<u8>; 3] = Default::default();
    for buf in &mut bufs {
        if format.bom {
            buf.extend_from_slice("\u{FEFF}".as_bytes());
        }
        let header = table.header.columns.iter().map(|c| c.as_bytes()).chain([
            "trust_score".as_bytes(),
            b"reasons",
            b"run_id",
        ]);
        push_record(buf, header, delimiter, terminator);
    }
    // This input's record findings, in record order.
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.input == table.index && !f.is_input_level())
        .collect();
    // Each reason as written (`CP001 required-field-blank -40`), by check and severity.
    let texts: Vec<[String; 3]> = checks
        .entries()
        .iter()
        .map(|e| {
            let m = e.meta();
            [Severity::Info, Severity::Warning, Severity::Error]
                .map(|s| format!("{} {} -{}", m.code, m.name, settings.penalty(s)))
        })
        .collect();
    let reason_of = |f: &Finding| -> &String {
        let s = match f.severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        };
        &texts[f.check.index()][s]
    };
    let mut cursor = 0usize;
    let mut counts = [0usize; 3];
    let mut failed: Option<std::io::Error> = None;
    // Each record's reasons and score, in buffers reused from record to record.
    let mut reasons = String::new();
    let mut score_text = String::new();
    reread_text_copy(spec, table, run, |ordinal, copied| {
        let start = cursor;
        while cursor < mine.len() && mine[cursor].record as usize == ordinal {
            cursor += 1;
        }
        reasons.clear();
        for (k, f) in mine[start..cursor].iter().enumerate() {
            if k > 0 {
                reasons.push_str("; ");
            }
            reasons.push_str(reason_of(f));
        }
        let (score, class) = scores
            .get(ordinal)
            .copied()
            .unwrap_or((100.0, Class::Clean));
        let slot = Class::ALL.iter().position(|c| *c == class).unwrap_or(0);
        counts[slot] += 1;
        score_text.clear();
        crate::trust::push_tenths(&mut score_text, score);
        let buf = &mut bufs[slot];
        let extras = [score_text.as_bytes(), reasons.as_bytes(), run_id.as_bytes()];
        match copied {
            // One field per column, no quotes: the text is what field-by-field writing
            // would give.
            Copied::Text { raw, fields } if fields == table.width() => {
                buf.extend_from_slice(trim_line_end(raw));
                for extra in extras {
                    buf.push(delimiter);
                    push_field(buf, extra, delimiter);
                }
                buf.extend_from_slice(terminator);
            }
            Copied::Text { raw, .. } => {
                let fields: Vec<&[u8]> = trim_line_end(raw).split(|b| *b == delimiter).collect();
                write_fields(buf, fields, extras, table.width(), delimiter, terminator);
            }
            Copied::Record(record) => {
                let owned = format.fields(record);
                let fields: Vec<&[u8]> = owned.iter().map(|f| &**f).collect();
                write_fields(buf, fields, extras, table.width(), delimiter, terminator);
            }
        }
        if buf.len() >= FLUSH_AT {
            if let Err(e) = outs[slot].write_all(buf) {
                failed = Some(e);
            }
            buf.clear();
        }
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(write_error(e));
    }
    for (out, buf) in outs.iter_mut().zip(&bufs) {
        out.write_all(buf).map_err(write_error)?;
        out.flush().map_err(write_error)?;
    }
    Ok(counts)
}

/// A record's text without its line ending.
fn trim_line_end(mut text: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = text {
        text = rest;
    }
    text
}

/// Writes a record field by field: its columns (blank ones added to a short row), the
/// three class columns, then any fields past the header's.
fn write_fields<'a>(
    buf: &mut Vec<u8>,
    mut fields: Vec<&'a [u8]>,
    extras: [&'a [u8]; 3],
    width: usize,
    delimiter: u8,
    terminator: &[u8],
) {
    while fields.len() < width {
        fields.push(b"");
    }
    let beyond = fields.split_off(width);
    fields.extend(extras);
    fields.extend(beyond);
    push_record(buf, fields.into_iter(), delimiter, terminator);
}
