//! Run history (`--history audit.db`): each run's rule-file hash, input fingerprints,
//! summary, counts per code and, per record, its key, score, class, the fingerprint of
//! its findings and a digest of each field. The next run over the same inputs (the
//! same file names) compares itself with the last one: trends, records that moved
//! class, findings new since then, fields whose values changed on an unusual share of
//! records, records that disappeared.
//!
//! The database is SQLite (`rusqlite`); a run is written in one transaction, so a
//! killed run leaves the history as it was. The wall-clock time of a run is kept in the
//! history only, never in a report (reports stay byte-identical).

mod diff;
mod store;

pub use self::diff::{ChangedField, Diff, Moved, diff};
pub use self::store::{
    Error, History, InputPrint, Previous, PreviousInput, RecordRow, RunDetail, RunRow, Snapshot,
};

pub use crate::gate::baseline::input_keys;

/// What runs are compared by: the inputs' keys, sorted.
pub fn dataset_key<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut keys = input_keys(names);
    keys.sort();
    keys.join("\n")
}

/// Share of the records present in both runs whose field must have changed for the
/// change to be unusual (an import or automation overwrote it).
pub const UNUSUAL_CHANGE_SHARE: f64 = 0.2;
/// Fewest changed records for a change to be unusual.
pub const UNUSUAL_CHANGE_MIN: usize = 10;
