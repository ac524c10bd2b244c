use super::{both_columns, report_with_country, with_country};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::country::{self, Form};
use crate::normalize::subdivision::{self, Subdivision};

declare_check! {
    /// ## What it checks
    /// A state, province or region that is none of its record's country, for the
    /// countries whose subdivisions crmaudit knows (the US, Canada, Australia, Germany,
    /// India and Russia; `data/subdivisions.csv`): a postal code or other digits in the
    /// state field, a country name, a two-letter code that is no state of that country,
    /// another country's state (`Ontario` on a US address), or a name one or two typing
    /// mistakes from one of the country's states (`Califronia`). A value of one repeated
    /// character (`XX`) is a placeholder, which CP003 reports. The state is read with
    /// the country of the same address (`MailingState` with `MailingCountry`). Values
    /// the list does not know and that look like none of these (a county, an
    /// abbreviation it lacks) are left alone, as are records of other countries and
    /// records without a country.
    ///
    /// ## Why it matters
    /// **Territory** and regional reports, tax and shipping rules and address
    /// verification key on the state: a wrong one puts the record in no territory or
    /// the wrong one.
    ///
    /// ## Example
    /// | MailingState | MailingCountry | flagged |
    /// |--------------|----------------|---------|
    /// | `55555-1502` | `United States` | yes, digits |
    /// | `ON`         | `US`            | yes, Ontario is in Canada |
    /// | `Califronia` | `USA`           | yes, did you mean `California` (CA) |
    /// | `CA`, `Calif.`, `california` | `US` | no |
    /// | `TKY`        | `Japan`         | no (Japan is not on the list) |
    /// | `Georgia`    | `US`            | no (a US state as well as a country) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct StateNotInCountry;
    code = "PL003",
    name = "state-not-in-country",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Validity,
}

impl Check for StateNotInCountry {
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
        report_with_country(inputs, sink, |header, value, country| {
            let why = why_not(country.alpha2, value)?;
            Some(format!(
                "`{header}` = `{}` is not a state or region of {}: {why}",
                value.trim(),
                country.name
            ))
        });
    }
}

/// Why a state value is none of the country's, when that is certain.
fn why_not(country: &str, value: &str) -> Option<String> {
    if !subdivision::covers(country) || subdivision::lookup(country, value).is_some() {
        return None;
    }
    let value = value.trim();
    let mut chars = value.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        // `XX`, `--`: a placeholder, which CP003 reports as such.
        return None;
    }
    if value.chars().any(|c| c.is_ascii_digit()) {
        return Some(
            if value.chars().filter(|c| c.is_ascii_digit()).count() >= 4 {
                "it holds digits, likely a postal code".to_owned()
            } else {
                "it holds digits".to_owned()
            },
        );
    }
    if let Some(other) = first_elsewhere(subdivision::named(value), country) {
        return Some(format!("it is in {}", country_name(other)));
    }
    if let Some((named, Form::Name | Form::Alpha3)) = country::lookup(value) {
        return Some(if named.alpha2 == country {
            "it is the country itself".to_owned()
        } else {
            "it is a country".to_owned()
        });
    }
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    // Two-letter codes are how the US, Canada, Australia, Germany and India write their
    // states; Russian regions are not written as ISO codes, so a code says nothing there.
    if letters == 2 && value.chars().all(|c| c.is_ascii_alphabetic()) && country != "RU" {
        let elsewhere = first_elsewhere(subdivision::coded(value), country);
        return Some(match elsewhere {
            Some(other) => format!(
                "none has the code `{value}`, which is {} in {}",
                other.name,
                country_name(other)
            ),
            None => format!("none has the code `{value}`"),
        });
    }
    subdivision::near_miss(country, value)
        .map(|meant| format!("did you mean `{}` ({})?", meant.name, meant.code))
}

/// The first subdivision of another country in a list.
fn first_elsewhere(list: Vec<&'static Subdivision>, country: &str) -> Option<&'static Subdivision> {
    list.into_iter().find(|s| s.country != country)
}

/// The name of a subdivision's country.
fn country_name(subdivision: &Subdivision) -> &'static str {
    country::lookup(subdivision.country).map_or(subdivision.country, |(c, _)| c.name)
}
