//! The run id: one short digest of what a run decided, written in every output file so
//! that files of different runs can be told apart (and a manifest checked against them).
//!
//! It is derived from the run's content, not drawn at random, so reports stay
//! byte-identical for the same inputs and rules: two runs with the same id produced the
//! same findings, and their files are interchangeable.

use super::{CheckInfo, InputSummary};
use crate::dedupe::Duplicates;
use crate::finding::Finding;
use crate::gate::Gate;

/// Hex characters kept of the BLAKE3 digest.
const LEN: usize = 16;

pub fn run_id(
    config: &[String],
    inputs: &[InputSummary],
    checks: &[CheckInfo],
    findings: &[Finding],
    duplicates: Option<&Duplicates>,
    gate: &Gate,
) -> String {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    for source in config {
        field(source.as_bytes());
    }
    for input in inputs {
        field(input.name.as_bytes());
        field(input.object.as_bytes());
        field(&(input.records as u64).to_le_bytes());
    }
    // The selection and severities: a run that looked for less is another run.
    for check in checks.iter().filter(|c| c.enabled) {
        field(check.code.as_bytes());
        field(check.severity.as_str().as_bytes());
    }
    if let Some(dups) = duplicates {
        field(b"duplicates");
        for group in &dups.groups {
            field(&(group.pairs.len() as u64).to_le_bytes());
            field(&(group.clusters.len() as u64).to_le_bytes());
            for pair in &group.pairs {
                field(&pair.a.to_le_bytes());
                field(&pair.b.to_le_bytes());
                field(&pair.weight.to_bits().to_le_bytes());
            }
        }
    }
    for f in findings {
        let check = &checks[f.check.index()];
        field(check.code.as_bytes());
        field(f.severity.as_str().as_bytes());
        field(&f.input.to_le_bytes());
        field(&f.record.to_le_bytes());
        field(&f.line.to_le_bytes());
        field(&f.column.map_or(u64::MAX, u64::from).to_le_bytes());
        field(f.value.as_deref().unwrap_or("").as_bytes());
        field(f.message.as_bytes());
    }
    field(&[u8::from(gate.passed)]);
    let mut id = h.finalize().to_hex().to_string();
    id.truncate(LEN);
    id
}
