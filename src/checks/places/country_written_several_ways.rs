use super::{Ways, country_columns, distinct};
use crate::checks::prelude::*;
use crate::normalize::country::lookup;
use crate::normalize::text::fold_spaces;

declare_check! {
    /// ## What it checks
    /// A country column that writes one country in several ways: `United States` on 63
    /// records, `USA` on 4 and `US` on 1. One finding for the column, naming each such
    /// country with its spellings and how many records use each. Case and spacing
    /// alone do not count as another way.
    ///
    /// ## Why it matters
    /// A report grouped by country shows the same country on several rows, each with
    /// part of its revenue, accounts or leads; a filter on one spelling misses the
    /// others.
    ///
    /// ## Example
    /// | BillingCountry | records | flagged |
    /// |----------------|--------:|---------|
    /// | `United States` | 63 | yes: one finding, `United States` (63), `USA` (4), `US` (1) |
    /// | `USA`           | 4  | |
    /// | `US`            | 1  | |
    /// | `Canada` / `canada` | 10 / 2 | no (only the case differs) |
    ///
    /// ## Fix
    /// Safe: each record that writes a country unlike most records of the column gets the
    /// column's most used spelling of it (`USA` → `United States` where most say `United
    /// States`). No fix where two spellings are used equally often, and none of a part
    /// of a country (`England`, `Scotland`: the United Kingdom loses what they say).
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct CountryWrittenSeveralWays;
    code = "PL002",
    name = "country-written-several-ways",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
    fix = Safe,
}

/// Names of a part of a country that country lists count as the country (`England`
/// for the United Kingdom): rewriting them would lose what they say.
const PARTS: [&str; 9] = [
    "england",
    "scotland",
    "wales",
    "northern ireland",
    "англия",
    "шотландия",
    "уэльс",
    "северная ирландия",
    "holland",
];

impl Check for CountryWrittenSeveralWays {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        country_columns(cx.profile)
    }

    fn kept_columns(&self, columns: &Vec<usize>) -> Vec<usize> {
        columns.clone()
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<usize>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(columns)) = (input.table, input.prepared) else {
                continue;
            };
            for &column in columns {
                let mut ways = Ways::new();
                for (value, records) in distinct(table, column) {
                    if let Some((country, _)) = lookup(value) {
                        ways.add(country.alpha2, country.name, value, &records);
                    }
                }
                if let Some(message) = ways.message(
                    table.header_name(column),
                    ("one country", "countries"),
                    "a report by country splits each into as many rows",
                ) {
                    ways.report(sink, table, column, message, &|v| {
                        PARTS.contains(&fold_spaces(v).as_str())
                    });
                }
            }
        }
    }
}
