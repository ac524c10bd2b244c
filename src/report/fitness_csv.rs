//! `fitness.csv`: every record of the run, with its class and, per downstream report,
//! whether it may feed it.
//!
//! Columns: `input` (the file name, or the path when two inputs share one), `record_id,
//! line, class, trust_score`, then one column per report
//! (`pipeline`, `forecast`, …): `fit`, `out: <reasons>` (`out: SM003; SM013`,
//! `out: roll-up: Account.csv`, `out: deleted`, `out: state unknown`), or blank when the
//! report does not read the record (another object, a deal of another state); last,
//! `run_id`. Filter a report's column on `fit` for the ids it may use.

use std::fmt::Write as _;
use std::io::Write;

use rayon::prelude::*;

use super::spreadsheet::cell;
use super::{Error, RunReport};
use crate::gate::fitness;

/// Rows rendered per chunk, in parallel, then written in order.
const CHUNK: usize = 16384;

pub fn write(report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
    if report.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["input", "record_id", "line", "class", "trust_score"];
    header.extend(report.fitness.iter().map(|r| r.name.as_str()));
    header.push("run_id");
    w.write_record(&header)?;
    w.flush()?;
    let out = w.into_inner().map_err(|e| Error::Io(e.into_error()))?;
    // Each report's cell for each of its reason lists, written once.
    let cells: Vec<Vec<String>> = report
        .fitness
        .iter()
        .map(|f| {
            f.sets
                .iter()
                .map(|set| {
                    if set.is_empty() {
                        "fit".to_owned()
                    } else {
                        let names: Vec<String> = set
                            .iter()
                            .map(|x| fitness::reason_name(*x, &report.codes, &report.tables))
                            .collect();
                        format!("out: {}", names.join("; "))
                    }
                })
                .collect()
        })
        .collect();
    // Inputs by file name (their paths when two share one), as baselines name them.
    let keys = crate::gate::baseline::input_keys(report.tables.iter().map(|t| t.name.as_str()));
    for (i, table) in report.tables.iter().enumerate() {
        let input = cell(&keys[i], report.raw_csv);
        let starts: Vec<usize> = (0..table.len()).step_by(CHUNK).collect();
        let chunks: Vec<Result<Vec<u8>, Error>> = starts
            .par_iter()
            .map(|&start| {
                let end = (start + CHUNK).min(table.len());
                let mut w = csv::Writer::from_writer(Vec::with_capacity((end - start) * 80));
                let mut number = String::new();
                for r in start..end {
                    let (score, class) = report.trust.records[i][r];
                    w.write_field(input.as_bytes())?;
                    w.write_field(cell(table.id(r), report.raw_csv).as_bytes())?;
                    number.clear();
                    let _ = write!(number, "{}", table.lines[r]);
                    w.write_field(number.as_bytes())?;
                    w.write_field(class.as_str())?;
                    w.write_field(crate::trust::tenths(score).as_bytes())?;
                    for (f, cells) in report.fitness.iter().zip(&cells) {
                        let shown = f
                            .verdicts
                            .get(i)
                            .and_then(Option::as_ref)
                            .and_then(|v| v.get(r))
                            .and_then(|set| cells.get(*set as usize))
                            .map_or("", String::as_str);
                        w.write_field(shown)?;
                    }
                    w.write_field(report.run_id.as_bytes())?;
                    w.write_record(None::<&[u8]>)?;
                }
                w.into_inner().map_err(|e| Error::Io(e.into_error()))
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
    }
    Ok(())
}
