use super::{Ways, both_columns, distinct_with_country, with_country};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::country;
use crate::normalize::subdivision;

declare_check! {
    /// ## What it checks
    /// A state or region column that writes one state in several ways: `CA` on 30
    /// records and `California` on 2, `Московская обл.` beside `Московская область`.
    /// One finding for the column, naming each such state with its spellings and how
    /// many records use each. States are read with the country of the same address, for
    /// the countries `data/subdivisions.csv` holds; case and spacing alone do not count
    /// as another way.
    ///
    /// ## Why it matters
    /// A report or territory rule grouped by state shows the same state on several rows,
    /// each with part of its pipeline and accounts; a filter on one spelling misses the
    /// others.
    ///
    /// ## Example
    /// | BillingState | BillingCountry | records | flagged |
    /// |--------------|----------------|--------:|---------|
    /// | `CA`         | `US`           | 30 | yes: one finding, California as `CA` (30), `California` (2) |
    /// | `California` | `US`           | 2  | |
    /// | `NY` / `ny`  | `US`           | 5 / 1 | no (only the case differs) |
    ///
    /// ## Fix
    /// Safe: each record that writes a state unlike most records of the column gets the
    /// column's most used spelling of it (`California` → `CA` where most say `CA`). No fix
    /// where two spellings are used equally often.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct StateWrittenSeveralWays;
    code = "PL005",
    name = "state-written-several-ways",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
    fix = Safe,
}

impl Check for StateWrittenSeveralWays {
    type Options = ();
    type Prepared = Vec<(usize, usize)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, usize)>> {
        with_country(cx.profile, Role::State)
    }

    fn kept_columns(&self, pairs: &Vec<(usize, usize)>) -> Vec<usize> {
        both_columns(pairs)
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<(usize, usize)>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(pairs)) = (input.table, input.prepared) else {
                continue;
            };
            for &(column, country_column) in pairs {
                let mut ways = Ways::new();
                for ((value, country), records) in
                    distinct_with_country(table, column, country_column)
                {
                    let Some((country, _)) = country::lookup(country) else {
                        continue;
                    };
                    if let Some(state) = subdivision::lookup(country.alpha2, value) {
                        let key = format!("{}-{}", state.country, state.code);
                        ways.add(&key, state.name, value, &records);
                    }
                }
                if let Some(message) = ways.message(
                    table.header_name(column),
                    ("one state", "states"),
                    "a report by state splits each into as many rows",
                ) {
                    ways.report(sink, table, column, message, &|_| false);
                }
            }
        }
    }
}
