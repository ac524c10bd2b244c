//! `--format jsonl`: one finding per line, for log pipelines (Loki, Elasticsearch,
//! `jq -c`). Each line is the finding as `report.json` writes it, with the run's id;
//! nothing else is written (the summary is `report.json`'s).

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::{Error, Reporter, RunReport};

/// Findings serialized per chunk in parallel, then written in order.
const CHUNK: usize = 8192;

pub struct Jsonl;

#[derive(Serialize)]
struct Line<'a> {
    run_id: &'a str,
    #[serde(flatten)]
    finding: super::json::JsonFinding<'a>,
}

impl Reporter for Jsonl {
    fn emit(&self, report: &RunReport, out: &mut dyn Write) -> Result<(), Error> {
        let starts: Vec<usize> = (0..report.findings.len()).step_by(CHUNK).collect();
        let chunks: Vec<Result<Vec<u8>, serde_json::Error>> = starts
            .par_iter()
            .map(|&start| {
                let end = (start + CHUNK).min(report.findings.len());
                let mut buf = Vec::with_capacity((end - start) * 256);
                for i in start..end {
                    let line = Line {
                        run_id: &report.run_id,
                        finding: super::json::json_finding(report, i),
                    };
                    serde_json::to_writer(&mut buf, &line)?;
                    buf.push(b'\n');
                }
                Ok(buf)
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
        Ok(())
    }
}
