//! `findings.csv`: one row per finding, in output order.
//!
//! Columns: `record_id, object, code, name, severity, field, value, message, input, line,
//! run_id` (the run's id, the same on every row and in every output file of the run).
//! Cells from the input that a spreadsheet would run as a formula are written with a
//! leading `'` (see [`super::spreadsheet`]).

use std::io::Write;

use rayon::prelude::*;

use super::spreadsheet::cell;
use super::{Error, RunReport};

/// Rows rendered per chunk, in parallel, then written in order.
const CHUNK: usize = 8192;

pub fn write(report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
    if report.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "record_id",
        "object",
        "code",
        "name",
        "severity",
        "field",
        "value",
        "message",
        "input",
        "line",
        "run_id",
    ])?;
    w.flush()?;
    let out = w.into_inner().map_err(|e| Error::Io(e.into_error()))?;
    let chunks: Vec<Result<Vec<u8>, Error>> = report
        .findings
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut w = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 200));
            for f in chunk {
                let (id, table) = report.record_of(f);
                let check = report.check(f);
                let line = f.line.to_string();
                // Values come from the input: a cell may be a formula.
                let safe = |v: &'_ str| cell(v, report.raw_csv).into_owned();
                w.write_record([
                    safe(id).as_str(),
                    table.object.as_str(),
                    &check.code,
                    &check.name,
                    f.severity.as_str(),
                    &safe(report.field_of(f).unwrap_or("")),
                    &safe(f.value.as_deref().unwrap_or("")),
                    &safe(&f.message),
                    &safe(&table.name),
                    &line,
                    &report.run_id,
                ])?;
            }
            w.into_inner().map_err(|e| Error::Io(e.into_error()))
        })
        .collect();
    for chunk in chunks {
        out.write_all(&chunk?)?;
    }
    Ok(())
}
