//! Duplicate checks. Exact key duplicates run here as a dataset check; fuzzy matching
//! is its own pipeline stage (`dedupe`), whose findings carry the codes declared here.

mod duplicate_cluster_member;
mod duplicate_key_value;
mod duplicate_record;
mod possible_duplicate_pair;

pub use duplicate_cluster_member::DuplicateClusterMember;
pub use duplicate_key_value::DuplicateKeyValue;
pub use duplicate_record::DuplicateRecord;
pub use possible_duplicate_pair::PossibleDuplicatePair;

use crate::dedupe::Group;
use crate::dedupe::features::RecordRef;
use crate::input::table::Table;

/// Names another record of a duplicate group relative to the one a finding is about:
/// its id and line, with the input when it is another one.
fn describe(tables: &[Table], group: &Group, index: u32, from: RecordRef) -> String {
    let r = group.record(index);
    let t = &tables[r.input as usize];
    if r.input == from.input {
        format!(
            "{} (line {})",
            t.id(r.record as usize),
            t.lines[r.record as usize]
        )
    } else {
        format!(
            "{} ({}:{})",
            t.id(r.record as usize),
            t.name,
            t.lines[r.record as usize]
        )
    }
}
