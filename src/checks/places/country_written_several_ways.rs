use std::collections::BTreeMap;

use super::{country_columns, distinct};
use crate::checks::prelude::*;
use crate::locale::group_thousands;
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
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct CountryWrittenSeveralWays;
    code = "PL002",
    name = "country-written-several-ways",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
}

/// A country's spellings in one column: folded spelling → (the spelling as first
/// written, records).
type Spellings<'a> = BTreeMap<String, (&'a str, usize)>;

/// Countries named in one finding; the rest are counted.
const SHOWN: usize = 3;

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
                // Country → folded spelling → (the spelling as most often written, records).
                let mut ways: BTreeMap<&str, (&str, Spellings<'_>)> = BTreeMap::new();
                for (value, records) in distinct(table, column) {
                    let Some((country, _)) = lookup(value) else {
                        continue;
                    };
                    let way = ways
                        .entry(country.alpha2)
                        .or_insert((country.name, BTreeMap::new()))
                        .1
                        .entry(fold_spaces(value))
                        .or_insert((value, 0));
                    way.1 += records.len();
                }
                let mut several: Vec<(usize, String)> = ways
                    .into_values()
                    .filter(|(_, spellings)| spellings.len() > 1)
                    .map(|(name, spellings)| {
                        let mut spellings: Vec<(&str, usize)> = spellings.into_values().collect();
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
                    continue;
                }
                several.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let more = several.len().saturating_sub(SHOWN);
                let listed: Vec<&str> = several.iter().take(SHOWN).map(|s| s.1.as_str()).collect();
                sink.report_input(
                    table,
                    Some(column),
                    format!(
                        "`{}` writes {} several ways: {}{}; a report by country splits each into as many rows",
                        table.header_name(column),
                        if several.len() == 1 {
                            "one country"
                        } else {
                            "countries"
                        },
                        listed.join("; "),
                        if more > 0 {
                            format!(" (and {more} more countries)")
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
    }
}
