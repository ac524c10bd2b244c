//! Places: country values checked against ISO 3166-1 (codes, English and Russian names,
//! common aliases; `data/countries.csv`), states and regions against the subdivisions of
//! their record's country (`data/subdivisions.csv`), postal codes against the country's
//! format (`data/postal_codes.csv`).

mod country_misspelled;
mod country_written_several_ways;
mod postal_code_invalid;
mod state_not_in_country;
mod state_written_several_ways;

pub use country_misspelled::CountryMisspelled;
pub use country_written_several_ways::CountryWrittenSeveralWays;
pub use postal_code_invalid::PostalCodeInvalid;
pub use state_not_in_country::StateNotInCountry;
pub use state_written_several_ways::StateWrittenSeveralWays;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::locale::group_thousands;
use crate::normalize::text::fold_spaces;

use crate::checks::semantic::role_columns;
use crate::checks::{DatasetInput, DatasetSink};
use crate::input::columns::{Role, header_key};
use crate::input::profile::InputProfile;
use crate::input::table::Table;
use crate::normalize::country::{self, Country};

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

/// Each column of `role` (state, postal code) with the country column of the same
/// address: `MailingState` goes with `MailingCountry`, `BillingPostalCode` with
/// `BillingCountry`. When an input has one such column and one country column they
/// pair whatever their names. Columns without a country are left out: without the
/// country nothing can be said of them.
fn with_country(profile: &InputProfile, role: Role) -> Option<Vec<(usize, usize)>> {
    let countries = role_columns(profile, Role::Country);
    let columns = role_columns(profile, role);
    let prefix =
        |column: usize| address_prefix(&header_key(&profile.header.columns[column])).to_owned();
    let pairs: Vec<(usize, usize)> = if let ([column], [country]) = (&columns[..], &countries[..]) {
        vec![(*column, *country)]
    } else {
        columns
            .iter()
            .filter_map(|&column| {
                let wanted = prefix(column);
                let country = countries.iter().find(|&&c| prefix(c) == wanted)?;
                Some((column, *country))
            })
            .collect()
    };
    (!pairs.is_empty()).then_some(pairs)
}

/// The columns of address pairs, both sides, for `kept_columns`.
fn both_columns(pairs: &[(usize, usize)]) -> Vec<usize> {
    pairs.iter().flat_map(|&(a, b)| [a, b]).collect()
}

/// The part of a folded address header before what it holds: `mailing` of
/// `mailingstate`, `billing` of `billingpostalcode`, `` of `country`.
fn address_prefix(key: &str) -> &str {
    const PARTS: &[&str] = &[
        "stateprovince",
        "stateregion",
        "countryregion",
        "postalcode",
        "postcode",
        "zipcode",
        "province",
        "country",
        "region",
        "state",
        "zip",
    ];
    PARTS
        .iter()
        .find_map(|part| key.strip_suffix(part))
        .unwrap_or(key)
}

/// Reports each distinct (value, country) of the prepared address columns for which
/// `why(header, value, country)` has a message, on every record holding it; records
/// whose country names none are left out.
fn report_with_country(
    inputs: &[DatasetInput<'_, Vec<(usize, usize)>>],
    sink: &mut DatasetSink,
    why: impl Fn(&str, &str, &'static Country) -> Option<String>,
) {
    for input in inputs {
        let (table, Some(pairs)) = (input.table, input.prepared) else {
            continue;
        };
        for &(column, country_column) in pairs {
            let header = table.header_name(column);
            for ((value, country), records) in distinct_with_country(table, column, country_column)
            {
                let Some((country, _)) = country::lookup(country) else {
                    continue;
                };
                let Some(message) = why(header, value, country) else {
                    continue;
                };
                for &record in &records {
                    sink.report(table, record, Some(column), Some(value), message.clone());
                }
            }
        }
    }
}

/// The distinct (value, country value) pairs of two kept columns, with their records, in
/// value order; blank values and blank countries are left out. Gathered in a hash map:
/// a postal-code column has as many values as records.
fn distinct_with_country(
    table: &Table,
    column: usize,
    country: usize,
) -> Vec<((&str, &str), Vec<usize>)> {
    let mut by_value: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    if let (Some(values), Some(countries)) = (table.column(column), table.column(country)) {
        for (record, (value, country)) in values.iter().zip(countries.iter()).enumerate() {
            if !value.trim().is_empty() && !country.trim().is_empty() {
                by_value.entry((value, country)).or_default().push(record);
            }
        }
    }
    let mut pairs: Vec<((&str, &str), Vec<usize>)> = by_value.into_iter().collect();
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// How one column writes each of the things it names (countries, states): thing →
/// its name and, per folded spelling (case and spacing aside), the spelling as first
/// seen and its records.
#[derive(Default)]
struct Ways<'a> {
    things: BTreeMap<String, (&'a str, Spellings<'a>)>,
}

/// Folded spelling → (the spelling as first seen, its records).
type Spellings<'a> = BTreeMap<String, (&'a str, Vec<usize>)>;

/// Things named in one finding; the rest are counted.
const SHOWN: usize = 3;

impl<'a> Ways<'a> {
    fn new() -> Self {
        Ways::default()
    }

    /// `records` write `thing` (named `name`) as `value`.
    fn add(&mut self, thing: &str, name: &'a str, value: &'a str, records: &[usize]) {
        let way = self
            .things
            .entry(thing.to_owned())
            .or_insert((name, BTreeMap::new()))
            .1
            .entry(fold_spaces(value))
            .or_insert((value, Vec::new()));
        way.1.extend_from_slice(records);
    }

    /// Reports `message` about `column` with a safe fix for every record that writes a
    /// thing unlike most of the column's records do: to the exact spelling most of that
    /// thing's records use (none when two tie: which one the column uses is then a
    /// choice). `partial` spellings name part of the thing (`England` for the United
    /// Kingdom): they are neither rewritten nor a target.
    fn report(
        &self,
        sink: &mut DatasetSink,
        table: &Table,
        column: usize,
        message: String,
        partial: &dyn Fn(&str) -> bool,
    ) {
        sink.report_input(table, Some(column), message);
        let Some(values) = table.column(column) else {
            return;
        };
        let mut fixes: Vec<(usize, &str)> = Vec::new();
        for (_, spellings) in self.things.values() {
            if spellings.len() < 2 {
                continue;
            }
            let records: Vec<usize> = spellings
                .values()
                .flat_map(|(_, r)| r.iter().copied())
                .collect();
            let mut exact: BTreeMap<&str, usize> = BTreeMap::new();
            for &r in &records {
                *exact.entry(values.get(r)).or_default() += 1;
            }
            let mut by_count: Vec<(&str, usize)> = exact.into_iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let [(most, top), rest @ ..] = by_count.as_slice() else {
                continue;
            };
            if partial(most) || rest.first().is_some_and(|(_, n)| n == top) {
                continue;
            }
            fixes.extend(
                records
                    .iter()
                    .map(|&r| (r, values.get(r)))
                    .filter(|(_, v)| v != most && !partial(v))
                    .map(|(r, _)| (r, *most)),
            );
        }
        fixes.sort_unstable();
        for (record, new) in fixes {
            sink.fix_record(record, new, crate::finding::Applicability::Safe);
        }
    }

    /// The finding for a column that writes things several ways: the most written
    /// first, each with its spellings by count. `what` is the singular and plural of
    /// the things; `why` what it does to a report.
    fn message(&self, header: &str, what: (&str, &str), why: &str) -> Option<String> {
        let mut several: Vec<(usize, String)> = self
            .things
            .values()
            .filter(|(_, spellings)| spellings.len() > 1)
            .map(|(name, spellings)| {
                let mut spellings: Vec<(&str, usize)> =
                    spellings.values().map(|(v, r)| (*v, r.len())).collect();
                spellings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                let total = spellings.iter().map(|s| s.1).sum::<usize>();
                let shown: Vec<String> = spellings
                    .iter()
                    .map(|(v, n)| format!("`{v}` ({})", group_thousands(*n)))
                    .collect();
                (total, format!("{name} as {}", shown.join(", ")))
            })
            .collect();
        if several.is_empty() {
            return None;
        }
        several.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let more = several.len().saturating_sub(SHOWN);
        let listed: Vec<&str> = several.iter().take(SHOWN).map(|s| s.1.as_str()).collect();
        Some(format!(
            "`{header}` writes {} several ways: {}{}; {why}",
            if several.len() == 1 { what.0 } else { what.1 },
            listed.join("; "),
            if more > 0 {
                format!(" (and {more} more {})", what.1)
            } else {
                String::new()
            }
        ))
    }
}
