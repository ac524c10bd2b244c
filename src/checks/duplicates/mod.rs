//! Duplicate checks. Exact key duplicates run here as a dataset check; fuzzy matching
//! is its own pipeline stage (`dedupe`).

mod duplicate_key_value;

pub use duplicate_key_value::DuplicateKeyValue;
