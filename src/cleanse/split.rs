//! `clean.csv`, `review.csv`, `quarantine.csv`: every record of an input in the file of
//! its class, with its columns as read (in order, byte for byte, UTF-8 as decoded) and
//! three more: `trust_score`, `reasons` (each finding's code, name and penalty) and
//! `run_id` (as in every output of the run). Each record is in exactly one of the
//! three; a record count that differs from the audit's stops the run. With several
//! inputs, each has its own three files, named after it.

use std::borrow::Cow;
use std::io::Write;

use super::rewrite::{CopyFormat, Error, reread_copy};
use crate::checks::CheckSet;
use crate::config::trust::TrustSettings;
use crate::engine::{InputOptions, RunConfig};
use crate::finding::Finding;
use crate::input::InputSpec;
use crate::input::table::Table;
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

/// Writes each record of `spec` (audited as `table`, scored as `scores`) to the writer
/// of its class (`outs` in [`Class::ALL`] order). `findings` are the run's, sorted.
/// Returns the records written per class.
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
    let write_error = |source: csv::Error| Error::Write {
        input: spec.name.clone(),
        source,
    };
    let format = CopyFormat::of(spec, table, CopyFormat::input_delimiter(table));
    let mut writers = Vec::with_capacity(3);
    for out in outs.iter_mut() {
        let mut w = format
            .writer(&mut **out)
            .map_err(|e| write_error(e.into()))?;
        let mut header: Vec<&str> = table.header.columns.iter().map(String::as_str).collect();
        header.extend(["trust_score", "reasons", "run_id"]);
        w.write_record(&header).map_err(write_error)?;
        writers.push(w);
    }
    // This input's record findings, in record order.
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.input == table.index && !f.is_input_level())
        .collect();
    let mut cursor = 0usize;
    let mut counts = [0usize; 3];
    reread_copy(spec, table, run, |ordinal, record, _line, _flags| {
        let start = cursor;
        while cursor < mine.len() && mine[cursor].record as usize == ordinal {
            cursor += 1;
        }
        let reasons: Vec<String> = mine[start..cursor]
            .iter()
            .map(|f| {
                let meta = checks.meta(f.check);
                format!(
                    "{} {} -{}",
                    meta.code,
                    meta.name,
                    settings.penalty(f.severity)
                )
            })
            .collect();
        let (score, class) = scores
            .get(ordinal)
            .copied()
            .unwrap_or((100.0, Class::Clean));
        let slot = Class::ALL.iter().position(|c| *c == class).unwrap_or(0);
        counts[slot] += 1;
        let score = crate::trust::tenths(score);
        let reasons = reasons.join("; ");
        let mut fields = format.fields(record);
        // A short row gets its blanks, so that the score stays in its column.
        while fields.len() < table.width() {
            fields.push(Cow::Borrowed(b""));
        }
        // After the header's columns: a row with more fields keeps them, past these.
        let extra = fields.split_off(table.width());
        fields.push(Cow::Borrowed(score.as_bytes()));
        fields.push(Cow::Borrowed(reasons.as_bytes()));
        fields.push(Cow::Borrowed(run_id.as_bytes()));
        fields.extend(extra);
        writers[slot].write_record(fields.iter().map(|f| &**f))
    })?;
    for w in &mut writers {
        w.flush().map_err(|e| write_error(e.into()))?;
    }
    Ok(counts)
}
