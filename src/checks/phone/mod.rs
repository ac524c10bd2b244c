//! Phone checks (`PH`): numbers that cannot be someone's line, or not of the record's
//! country.

mod invalid_phone;
mod phone_country_mismatch;
mod phone_not_e164;
mod placeholder_phone;

pub use invalid_phone::InvalidPhone;
pub use phone_country_mismatch::PhoneCountryMismatch;
pub use phone_not_e164::PhoneNotE164;
pub use placeholder_phone::PlaceholderPhone;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::checks::semantic::role_columns;
use crate::checks::{DatasetInput, DatasetSink};
use crate::input::columns::{Role, ValueKind};
use crate::input::profile::InputProfile;
use crate::input::table::Table;
use crate::normalize::country;
use crate::normalize::phone::written_as_number;

/// The input's phone columns (phone, mobile, …).
fn phone_columns(profile: &InputProfile) -> Vec<usize> {
    profile
        .columns
        .mapped()
        .filter(|(_, r)| r.kind() == ValueKind::Phone)
        .map(|(c, _)| c)
        .collect()
}

/// What the checks that read numbers against a plan (PH002, PH004) prepare: the columns,
/// and the country of records without one (PH002's `default-region`).
pub struct PlanReading {
    columns: PhoneColumns,
    default_region: Option<&'static str>,
}

impl PlanReading {
    fn prepare(profile: &InputProfile, default_region: Option<&'static str>) -> Option<Self> {
        Some(PlanReading {
            columns: PhoneColumns::prepare(profile)?,
            default_region,
        })
    }

    fn kept(&self) -> Vec<usize> {
        self.columns.kept()
    }

    /// [`PhoneColumns::each_number`] over every input prepared for the check, with the
    /// table passed to `f`.
    fn each_number_in<F>(inputs: &[DatasetInput<'_, PlanReading>], sink: &mut DatasetSink, f: F)
    where
        F: Fn(&Table, usize, usize, &str, &dyn Fn() -> Option<&'static str>, &mut DatasetSink)
            + Sync,
    {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            p.columns.each_number(
                table,
                p.default_region,
                sink,
                |record, column, value, region, sink| f(table, record, column, value, region, sink),
            );
        }
    }
}

/// What the phone checks read: the phone columns worth reading and the country columns
/// (the record's first country, in column order, is the number's home).
pub struct PhoneColumns {
    phones: Vec<usize>,
    countries: Vec<usize>,
}

impl PhoneColumns {
    fn prepare(profile: &InputProfile) -> Option<PhoneColumns> {
        let phones = phone_columns(profile);
        (!phones.is_empty()).then(|| PhoneColumns {
            phones,
            countries: role_columns(profile, Role::Country),
        })
    }

    fn kept(&self) -> Vec<usize> {
        self.phones.iter().chain(&self.countries).copied().collect()
    }

    /// The phone columns of a table that hold phone numbers: a column most of whose
    /// values are not written as a number (hashed, masked, free text) is left out.
    fn readable(&self, table: &Table) -> Vec<usize> {
        self.phones
            .iter()
            .copied()
            .filter(|&c| {
                let Some(values) = table.column(c) else {
                    return false;
                };
                let (mut filled, mut numbers) = (0usize, 0usize);
                for value in values.iter().filter(|v| !v.trim().is_empty()).take(1000) {
                    filled += 1;
                    if written_as_number(value) {
                        numbers += 1;
                    }
                }
                numbers * 2 > filled
            })
            .collect()
    }

    /// Calls `f(record, column, value, region)` for every filled phone value of the
    /// readable columns, split over the workers; `region()` is the record's country,
    /// else `default_region`.
    fn each_number<F>(
        &self,
        table: &Table,
        default_region: Option<&'static str>,
        sink: &mut DatasetSink,
        f: F,
    ) where
        F: Fn(usize, usize, &str, &dyn Fn() -> Option<&'static str>, &mut DatasetSink) + Sync,
    {
        let phones = self.readable(table);
        if phones.is_empty() {
            return;
        }
        let countries = self.countries(table);
        let found = (0..table.len())
            .into_par_iter()
            .fold(
                || sink.fork(),
                |mut sink, record| {
                    // Read only for the values that need it (most numbers carry no `+`).
                    let region = || self.region(table, record, &countries).or(default_region);
                    for &column in &phones {
                        let Some(values) = table.column(column) else {
                            continue;
                        };
                        let value = values.get(record);
                        if !value.trim().is_empty() {
                            f(record, column, value, &region, &mut sink);
                        }
                    }
                    sink
                },
            )
            .reduce(
                || sink.fork(),
                |mut a, b| {
                    a.join(b);
                    a
                },
            );
        sink.join(found);
    }

    /// The record's country (alpha-2), from its first country column that names one.
    fn region(&self, table: &Table, record: usize, countries: &Countries) -> Option<&'static str> {
        self.countries.iter().find_map(|&c| {
            let value = table.column(c)?.get(record);
            *countries.get(value)?
        })
    }

    /// The countries the country columns' distinct values name, read once per value.
    fn countries(&self, table: &Table) -> Countries {
        let mut named = Countries::default();
        for &c in &self.countries {
            let Some(values) = table.column(c) else {
                continue;
            };
            for value in values.iter() {
                if !named.contains_key(value) {
                    named.insert(
                        value.into(),
                        country::lookup(value).map(|(country, _)| country.alpha2),
                    );
                }
            }
        }
        named
    }
}

/// Country values → the country (alpha-2) they name. The map owns its keys: keys
/// pointing into a large export's memory would miss the cache on every compare.
type Countries = FxHashMap<Box<str>, Option<&'static str>>;

/// Whether another check already reports the value: placeholders (PH001) and one
/// digit repeated (CP003).
pub(super) fn placeholder_like(value: &str) -> bool {
    let mut digits = value.bytes().filter(u8::is_ascii_digit);
    let first = digits.next();
    placeholder_phone::placeholder(value).is_some() || first.is_some_and(|f| digits.all(|d| d == f))
}
