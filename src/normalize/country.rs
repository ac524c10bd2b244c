//! Countries: ISO 3166-1 codes, English and Russian names and common aliases
//! (`data/countries.csv`, CLDR), and the withdrawn or reserved codes that are not a
//! country (`data/countries_historic.csv`). Values are matched after folding case and
//! spaces, so `united  STATES` is `United States`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::normalize::text::{fold_spaces, unique_near_miss};

/// How a value writes its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Form {
    /// `US`
    Alpha2,
    /// `USA`
    Alpha3,
    /// `United States`, `Соединенные Штаты`, `U.S.A.`
    Name,
}

/// One country of the list.
#[derive(Debug)]
pub struct Country {
    pub alpha2: &'static str,
    pub name: &'static str,
}

struct Index {
    countries: Vec<Country>,
    /// Folded value → (index into `countries`, form).
    by_value: HashMap<String, (usize, Form)>,
    /// Folded names and aliases with their country, for near misses.
    names: Vec<(String, usize)>,
    /// Folded withdrawn or reserved codes and names that are no ISO country.
    not_countries: HashMap<String, &'static str>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index {
        countries: Vec::new(),
        by_value: HashMap::new(),
        names: Vec::new(),
        not_countries: HashMap::new(),
    };
    for line in include_str!("../../data/countries.csv").lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [alpha2, alpha3, _numeric, name_en, name_ru, aliases] = fields[..] else {
            continue;
        };
        let i = index.countries.len();
        index.countries.push(Country {
            alpha2,
            name: name_en,
        });
        index
            .by_value
            .insert(fold_spaces(alpha2), (i, Form::Alpha2));
        index
            .by_value
            .insert(fold_spaces(alpha3), (i, Form::Alpha3));
        for name in [name_en, name_ru]
            .into_iter()
            .chain(aliases.split('|'))
            .filter(|n| !n.is_empty())
        {
            let folded = fold_spaces(name);
            index
                .by_value
                .entry(folded.clone())
                .or_insert((i, Form::Name));
            index.names.push((folded, i));
        }
    }
    for line in include_str!("../../data/countries_historic.csv")
        .lines()
        .skip(1)
    {
        // `alpha2,name,replaced_by,kind`; names may hold commas only in the last fields.
        let mut fields = line.splitn(2, ',');
        let (Some(code), Some(rest)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = rest.rsplitn(3, ',').nth(2).unwrap_or(rest);
        let code = fold_spaces(code);
        // A reserved code in common use for one country (`UK` for GB) is that country.
        if !index.by_value.contains_key(&code) {
            index.not_countries.insert(code, name);
        }
    }
    index
});

/// The country a value names, and how it writes it.
pub fn lookup(value: &str) -> Option<(&'static Country, Form)> {
    let index = &*INDEX;
    let (i, form) = *index.by_value.get(&fold_spaces(value))?;
    Some((&index.countries[i], form))
}

/// For a withdrawn or reserved code that is no ISO 3166-1 country (`SU`, `YU`): what it
/// stood for.
pub fn not_a_country(value: &str) -> Option<&'static str> {
    INDEX.not_countries.get(&fold_spaces(value)).copied()
}

/// The country name a value that is none is one or two typing mistakes from
/// (`Philipines` → `Philippines`), when exactly one country is that close.
pub fn near_miss(value: &str) -> Option<&'static Country> {
    let folded = fold_spaces(value);
    let letters = folded.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4 || folded.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let max = if letters <= 7 { 1 } else { 2 };
    let index = &*INDEX;
    let candidates = index
        .names
        .iter()
        .filter(|(name, _)| name.chars().count() >= 4)
        .map(|(name, i)| (name.as_str(), *i));
    unique_near_miss(&folded, max, candidates).map(|i| &index.countries[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_aliases() {
        assert_eq!(
            lookup("US").map(|(c, f)| (c.alpha2, f)),
            Some(("US", Form::Alpha2))
        );
        assert_eq!(
            lookup("usa").map(|(c, f)| (c.alpha2, f)),
            Some(("US", Form::Alpha3))
        );
        assert_eq!(
            lookup(" United  States ").map(|(c, _)| c.alpha2),
            Some("US")
        );
        assert_eq!(lookup("Россия").map(|(c, _)| c.alpha2), Some("RU"));
        assert_eq!(lookup("Deutschland").map(|(c, _)| c.alpha2), Some("DE"));
        assert_eq!(lookup("UK").map(|(c, _)| c.alpha2), Some("GB"));
        assert!(lookup("Atlantis").is_none());
        assert!(not_a_country("SU").is_some());
        assert!(not_a_country("UK").is_none());
    }

    #[test]
    fn near_misses_are_unique_and_close() {
        assert_eq!(near_miss("Philipines").map(|c| c.alpha2), Some("PH"));
        assert_eq!(near_miss("Untied States").map(|c| c.alpha2), Some("US"));
        assert_eq!(near_miss("Germnay").map(|c| c.alpha2), Some("DE"));
        // Far from every name (another language, a city): not guessed.
        assert!(near_miss("Springfield").is_none());
        assert!(near_miss("Oz").is_none());
        assert!(near_miss("12345").is_none());
    }
}
