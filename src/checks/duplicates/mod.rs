//! Duplicate checks. Exact key duplicates run here as a dataset check; fuzzy matching
//! is its own pipeline stage (`dedupe`), whose findings carry the codes declared here.

mod duplicate_cluster_member;
mod duplicate_key_value;
mod possible_duplicate_pair;

pub use duplicate_cluster_member::DuplicateClusterMember;
pub use duplicate_key_value::DuplicateKeyValue;
pub use possible_duplicate_pair::PossibleDuplicatePair;
