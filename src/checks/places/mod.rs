//! Places: country values checked against ISO 3166-1 (codes, English and Russian names,
//! common aliases; `data/countries.csv`).

mod country_misspelled;
mod country_written_several_ways;

pub use country_misspelled::CountryMisspelled;
pub use country_written_several_ways::CountryWrittenSeveralWays;

use std::collections::BTreeMap;

use crate::checks::semantic::role_columns;
use crate::input::columns::Role;
use crate::input::profile::InputProfile;
use crate::input::table::Table;

/// The input's country columns (billing and shipping may both be), or `None`.
fn country_columns(profile: &InputProfile) -> Option<Vec<usize>> {
    let columns = role_columns(profile, Role::Country);
    (!columns.is_empty()).then_some(columns)
}

/// The distinct values of a kept column with their records, in value order.
fn distinct(table: &Table, column: usize) -> BTreeMap<&str, Vec<usize>> {
    let mut by_value: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    if let Some(values) = table.column(column) {
        for (record, value) in values.iter().enumerate() {
            if !value.is_empty() {
                by_value.entry(value).or_default().push(record);
            }
        }
    }
    by_value
}
