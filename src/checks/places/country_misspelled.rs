use std::collections::BTreeMap;

use super::{country_columns, distinct};
use crate::checks::prelude::*;
use crate::normalize::country::{lookup, near_miss, not_a_country};

declare_check! {
    /// ## What it checks
    /// Country values that are no country: one or two typing mistakes from exactly one
    /// country's name or alias (`Philipines` → `Philippines`, `Untied States`), or a
    /// withdrawn code (`SU`, `YU`, `DD`). Values far from every name (a country in a
    /// language the list does not hold, a region) are left alone: a guess would be a
    /// false alarm.
    ///
    /// ## Why it matters
    /// Every **revenue by country**, territory and tax report splits a misspelled
    /// country off its real one, and address validation and shipping fail on it.
    ///
    /// ## Example
    /// | Country          | flagged |
    /// |------------------|---------|
    /// | `Philipines`     | yes, did you mean `Philippines` |
    /// | `SU`             | yes, the Soviet Union code |
    /// | `Philippines`, `PH`, `PHL`, `Филиппины` | no |
    /// | `Deutschland`    | no (an alias of Germany) |
    ///
    /// ## Fix
    /// Unsafe: the country meant, spelled as the column most often spells it (else its
    /// English name). A withdrawn code has no fix: what it stands for today is a judgement.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct CountryMisspelled;
    code = "PL001",
    name = "country-misspelled",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Validity,
    fix = Unsafe,
}

impl Check for CountryMisspelled {
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
                let header = table.header_name(column);
                let values = distinct(table, column);
                // Each country's most used spelling in the column.
                let mut usual: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
                for (value, records) in &values {
                    if let Some((country, _)) = lookup(value) {
                        let best = usual.entry(country.alpha2).or_insert((value, 0));
                        if records.len() > best.1 {
                            *best = (value, records.len());
                        }
                    }
                }
                for (value, records) in &values {
                    if lookup(value).is_some() {
                        continue;
                    }
                    let (message, fix) = if let Some(name) = not_a_country(value) {
                        let message = format!(
                            "`{header}` = `{value}` is no ISO 3166 country: it is the code of {name}, which is withdrawn or reserved"
                        );
                        (message, None)
                    } else if let Some(country) = near_miss(value) {
                        let message = format!(
                            "`{header}` = `{value}` is no country: did you mean `{}` ({})?",
                            country.name, country.alpha2
                        );
                        let spelled = usual.get(country.alpha2).map_or(country.name, |u| u.0);
                        (message, Some(spelled))
                    } else {
                        continue;
                    };
                    for &record in records {
                        sink.report(table, record, Some(column), Some(value), message.clone());
                        if let Some(fix) = fix {
                            sink.fix(fix, Applicability::Unsafe);
                        }
                    }
                }
            }
        }
    }
}
