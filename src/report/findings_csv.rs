//! `findings.csv`: one row per finding, in output order.
//!
//! Columns: `record_id, object, code, name, severity, field, value, message, input, line`.

use std::io::Write;

use super::{Error, RunReport};

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
    for f in &report.findings {
        let (id, table) = report.record_of(f);
        let line = f.line.to_string();
        w.write_record([
            id,
            table.object.as_str(),
            &report.check(f).code,
            &report.check(f).name,
            f.severity.as_str(),
            report.field_of(f).unwrap_or(""),
            f.value.as_deref().unwrap_or(""),
            &f.message,
            &table.name,
            &line,
        ])?;
    }
    w.flush()?;
    Ok(())
}
