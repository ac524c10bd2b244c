//! `findings.csv`: one row per finding, in output order.
//!
//! Columns: `record_id, object, code, name, severity, field, value, message, input, line`.

use std::io::Write;

use rayon::prelude::*;

use super::{Error, RunReport};

/// Rows rendered per chunk, in parallel, then written in order.
const CHUNK: usize = 8192;

pub fn write(report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
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
                w.write_record([
                    id,
                    table.object.as_str(),
                    &check.code,
                    &check.name,
                    f.severity.as_str(),
                    report.field_of(f).unwrap_or(""),
                    f.value.as_deref().unwrap_or(""),
                    &f.message,
                    &table.name,
                    &line,
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
