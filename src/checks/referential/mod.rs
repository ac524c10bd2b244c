//! Referential checks: values that point at records of another input.

mod reference_blank;
mod reference_not_found;

pub use reference_blank::ReferenceBlank;
pub use reference_not_found::ReferenceNotFound;

use rustc_hash::FxHashSet as HashSet;

use crate::input::object::ObjectType;
use crate::input::table::Table;
use crate::normalize::salesforce_id::join_key;

/// Ids of all inputs of `object` that have an id column, or `None` when the run has no
/// such input (the reference cannot be checked).
pub(crate) fn ids_of(tables: &[Table], object: ObjectType) -> Option<(HashSet<&str>, Vec<&str>)> {
    let targets: Vec<&Table> = tables
        .iter()
        .filter(|t| t.object == object && t.id_column.is_some())
        .collect();
    if targets.is_empty() {
        return None;
    }
    let ids = targets
        .iter()
        .flat_map(|t| t.ids.iter().map(join_key))
        .collect();
    Some((ids, targets.iter().map(|t| t.name.as_str()).collect()))
}
