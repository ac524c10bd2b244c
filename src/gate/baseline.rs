//! Known findings: a finding's fingerprint, and the baseline file that lists the
//! findings a CI job accepts (`--baseline`), so that it fails on new findings only.
//!
//! A finding is known by its input's file name, its record id, its check code and its
//! field, not by its line or message: a record that moves in tomorrow's export, or a
//! value that changes, is the same finding. Findings about an input as a whole are
//! known by their code and field.
//!
//! `baseline.json` (written by `--write-baseline FILE`, edited by hand to drop what was
//! fixed):
//!
//! ```json
//! { "version": 1, "findings": [ { "input": "Contact.csv", "record_id": "003…",
//!   "code": "EM002", "field": "Email" } ] }
//! ```

use std::path::Path;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::input::table::Table;

/// How baselines and the history name each input of a run: its file name, or, when two inputs share
/// one (`a/contacts.csv`, `b/contacts.csv`), the path as given.
pub fn input_keys<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let names: Vec<&str> = names.into_iter().collect();
    let file = |n: &'a str| n.rsplit(['/', '\\']).next().unwrap_or(n);
    names
        .iter()
        .map(|n| {
            let shared = names.iter().filter(|m| file(m) == file(n)).count() > 1;
            if shared {
                (*n).to_owned()
            } else {
                file(n).to_owned()
            }
        })
        .collect()
}

/// One known finding as the baseline writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Known {
    pub input: String,
    pub record_id: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
}

impl Known {
    /// `keys`: [`input_keys`] of the run's inputs.
    pub fn of(f: &Finding, tables: &[Table], keys: &[String], code: &str) -> Known {
        let table = &tables[f.input as usize];
        let input_level = f.is_input_level();
        Known {
            input: keys[f.input as usize].clone(),
            record_id: if input_level {
                String::new()
            } else {
                table.id(f.record as usize).to_owned()
            },
            code: code.to_owned(),
            field: f
                .column
                .map(|c| table.header_name(c as usize).to_owned())
                .unwrap_or_default(),
        }
    }

    /// A stable 64-bit digest (FNV-1a over the length-prefixed parts).
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.input, &self.record_id, &self.code, &self.field] {
            for b in (part.len() as u64)
                .to_le_bytes()
                .iter()
                .chain(part.as_bytes())
            {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Known>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read baseline `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("baseline `{path}` is not a crmaudit baseline: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
}

/// Reads a baseline file into the fingerprints it lists.
pub fn read(path: &Path) -> Result<FxHashSet<u64>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })?;
    let file: File = serde_json::from_str(&text).map_err(|source| Error::Parse {
        path: path.display().to_string(),
        source,
    })?;
    Ok(file.findings.iter().map(Known::fingerprint).collect())
}

/// The baseline of a run's findings, sorted, one entry per distinct finding.
pub fn write(known: Vec<Known>, out: &mut dyn std::io::Write) -> Result<(), serde_json::Error> {
    let mut findings = known;
    findings.sort();
    findings.dedup();
    serde_json::to_writer_pretty(
        &mut *out,
        &File {
            version: 1,
            findings,
        },
    )?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}
