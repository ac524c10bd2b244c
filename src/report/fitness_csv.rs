//! `fitness.csv`: every record of the run, with its class and, per downstream report,
//! whether it may feed it.
//!
//! Columns: `input` (the file name, or the path when two inputs share one), `record_id,
//! line, class, trust_score`, then one column per report
//! (`pipeline`, `forecast`, …): `fit`, `out: <reasons>` (`out: SM003; SM013`,
//! `out: roll-up: Account.csv`, `out: deleted`, `out: state unknown`), or blank when the
//! report does not read the record (another object, a deal of another state); last,
//! `run_id`. Filter a report's column on `fit` for the ids it may use.

use std::io::Write;

use rayon::prelude::*;

use super::spreadsheet::{cell, field_text, push_field};
use super::{Error, RunReport};
use crate::gate::fitness;

/// Rows rendered per chunk, in parallel, then written in order.
const CHUNK: usize = 16384;
/// Chunks rendered at a time: their buffers are reused for the next ones.
const WINDOW: usize = 8;

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
    // Each report's cell for each of its reason lists, as written, once.
    let cells: Vec<Vec<Vec<u8>>> = report
        .fitness
        .iter()
        .map(|f| {
            f.sets
                .iter()
                .map(|set| {
                    if set.is_empty() {
                        field_text("fit")
                    } else {
                        let names: Vec<String> = set
                            .iter()
                            .map(|x| fitness::reason_name(*x, &report.codes, &report.tables))
                            .collect();
                        field_text(&format!("out: {}", names.join("; ")))
                    }
                })
                .collect()
        })
        .collect();
    let run_id = field_text(&report.run_id);
    // Inputs by file name (their paths when two share one), as baselines name them.
    let keys = crate::gate::baseline::input_keys(report.tables.iter().map(|t| t.name.as_str()));
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); WINDOW];
    for (i, table) in report.tables.iter().enumerate() {
        let input = field_text(&cell(&keys[i], report.raw_csv));
        let starts: Vec<usize> = (0..table.len()).step_by(CHUNK).collect();
        for window in starts.chunks(WINDOW) {
            buffers
                .par_iter_mut()
                .zip(window)
                .for_each(|(buf, &start)| {
                    buf.clear();
                    let end = (start + CHUNK).min(table.len());
                    let mut score_text = String::new();
                    for r in start..end {
                        let (score, class) = report.trust.records[i][r];
                        buf.extend_from_slice(&input);
                        buf.push(b',');
                        push_field(buf, cell(table.id(r), report.raw_csv).as_bytes(), b',');
                        buf.push(b',');
                        let _ = write!(buf, "{}", table.lines[r]);
                        buf.push(b',');
                        buf.extend_from_slice(class.as_str().as_bytes());
                        buf.push(b',');
                        score_text.clear();
                        crate::trust::push_tenths(&mut score_text, score);
                        buf.extend_from_slice(score_text.as_bytes());
                        for (f, cells) in report.fitness.iter().zip(&cells) {
                            buf.push(b',');
                            let shown = f
                                .verdicts
                                .get(i)
                                .and_then(Option::as_ref)
                                .and_then(|v| v.get(r))
                                .and_then(|set| cells.get(*set as usize));
                            if let Some(shown) = shown {
                                buf.extend_from_slice(shown);
                            }
                        }
                        buf.push(b',');
                        buf.extend_from_slice(&run_id);
                        buf.push(b'\n');
                    }
                });
            for buf in &buffers[..window.len()] {
                out.write_all(buf)?;
            }
        }
    }
    Ok(())
}
