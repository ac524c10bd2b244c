//! States, provinces and regions (first-level subdivisions, ISO 3166-2) of the countries
//! `data/subdivisions.csv` holds: the US, Canada, Australia, Germany, India and Russia.
//! Values are matched on letters and digits only, case folded (`N.Y.`, `ny` and `NY` are
//! one value), against each subdivision's code, name and aliases.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::normalize::text::{fold_alnum, unique_near_miss};

/// One subdivision of the list.
#[derive(Debug)]
pub struct Subdivision {
    /// ISO 3166-1 alpha-2 of its country.
    pub country: &'static str,
    /// The ISO 3166-2 code after the country (`CA` for California).
    pub code: &'static str,
    pub name: &'static str,
}

struct Index {
    subdivisions: Vec<Subdivision>,
    /// (country, folded code, name or alias) → subdivision.
    by_value: HashMap<(&'static str, String), usize>,
    /// Folded names and aliases (no codes) → the subdivisions that carry them.
    by_name: HashMap<String, Vec<usize>>,
    /// Folded codes → the subdivisions (of any country) with that code.
    by_code: HashMap<String, Vec<usize>>,
    /// Every folded name and alias with its subdivision, for near misses.
    names: Vec<(String, usize)>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index {
        subdivisions: Vec::new(),
        by_value: HashMap::new(),
        by_name: HashMap::new(),
        by_code: HashMap::new(),
        names: Vec::new(),
    };
    // `country,code,name,aliases`: only the alias list (`|`-separated) may hold commas,
    // and then it is quoted as a whole.
    for line in include_str!("../../data/subdivisions.csv").lines().skip(1) {
        let mut fields = line.splitn(4, ',');
        let (Some(country), Some(code), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let aliases = fields.next().unwrap_or("");
        let aliases = aliases
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or(aliases);
        let i = index.subdivisions.len();
        index.subdivisions.push(Subdivision {
            country,
            code,
            name,
        });
        let folded_code = fold(code);
        index.by_value.insert((country, folded_code.clone()), i);
        index.by_code.entry(folded_code).or_default().push(i);
        for alias in std::iter::once(name).chain(aliases.split('|')) {
            let folded = fold(alias);
            if folded.is_empty() {
                continue;
            }
            // A short alias that is an uppercase code (`NWT`, `PQ`) counts as a code.
            let is_code = alias.len() <= 3 && alias.chars().all(|c| c.is_ascii_uppercase());
            index.by_value.entry((country, folded.clone())).or_insert(i);
            if !is_code {
                index.names.push((folded.clone(), i));
            }
            let list = if is_code {
                &mut index.by_code
            } else {
                &mut index.by_name
            };
            let entry = list.entry(folded).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
    }
    index
});

/// Letters and digits, lowercase, `ё` as `е`, German umlauts and `ß` as their
/// two-letter spellings (`Thüringen` and `Thueringen` are one value), and the Russian
/// city marker `г`/`г.`/`город` dropped (`Москва г`, `г. Москва`).
fn fold(value: &str) -> String {
    let words: Vec<&str> = value
        .split_whitespace()
        .filter(|w| !matches!(w.to_lowercase().as_str(), "г" | "г." | "город"))
        .collect();
    let mut out = String::with_capacity(value.len());
    for c in fold_alnum(&words.join(" ")).chars() {
        match c {
            'ё' => out.push('е'),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// Whether the list holds the subdivisions of a country (alpha-2).
pub fn covers(country: &str) -> bool {
    INDEX.subdivisions.iter().any(|s| s.country == country)
}

/// The subdivision of `country` a value names by its code, name or alias.
pub fn lookup(country: &str, value: &str) -> Option<&'static Subdivision> {
    let index = &*INDEX;
    let &i = index.by_value.get(&(country_key(country)?, fold(value)))?;
    Some(&index.subdivisions[i])
}

/// The list's `'static` spelling of a covered country code.
fn country_key(country: &str) -> Option<&'static str> {
    INDEX
        .subdivisions
        .iter()
        .find(|s| s.country == country)
        .map(|s| s.country)
}

/// The subdivisions of any country that a value names by name or alias (`Ontario`,
/// `Bavaria`), not by code.
pub fn named(value: &str) -> Vec<&'static Subdivision> {
    subdivisions(INDEX.by_name.get(&fold(value)))
}

/// The subdivisions of any country whose code (or code-like alias) a value is.
pub fn coded(value: &str) -> Vec<&'static Subdivision> {
    subdivisions(INDEX.by_code.get(&fold(value)))
}

fn subdivisions(found: Option<&Vec<usize>>) -> Vec<&'static Subdivision> {
    let index = &*INDEX;
    found
        .map(|list| list.iter().map(|&i| &index.subdivisions[i]).collect())
        .unwrap_or_default()
}

/// The one subdivision of `country` whose name or alias a value is one or two typing
/// mistakes from (`Califronia` → California), when exactly one is that close.
pub fn near_miss(country: &str, value: &str) -> Option<&'static Subdivision> {
    let folded = fold(value);
    let letters = folded.chars().count();
    if letters < 6 || folded.chars().any(|c| !c.is_alphabetic()) {
        return None;
    }
    let max = if letters < 10 { 1 } else { 2 };
    let index = &*INDEX;
    let candidates = index
        .names
        .iter()
        .filter(|(_, i)| index.subdivisions[*i].country == country)
        .map(|(name, i)| (name.as_str(), *i));
    unique_near_miss(&folded, max, candidates).map(|i| &index.subdivisions[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_aliases() {
        assert_eq!(lookup("US", "NY").map(|s| s.name), Some("New York"));
        assert_eq!(lookup("US", "n.y.").map(|s| s.code), Some("NY"));
        assert_eq!(lookup("US", "california").map(|s| s.code), Some("CA"));
        assert_eq!(lookup("US", "Calif.").map(|s| s.code), Some("CA"));
        assert_eq!(lookup("US", "Washington, D.C.").map(|s| s.code), Some("DC"));
        assert_eq!(lookup("CA", "Québec").map(|s| s.code), Some("QC"));
        assert_eq!(lookup("DE", "Bavaria").map(|s| s.code), Some("BY"));
        assert_eq!(lookup("RU", "Московская обл.").map(|s| s.code), Some("MOS"));
        assert!(lookup("US", "ON").is_none());
        assert_eq!(lookup("DE", "Thueringen").map(|s| s.code), Some("TH"));
        assert_eq!(
            lookup("DE", "Baden-Wuerttemberg").map(|s| s.code),
            Some("BW")
        );
        assert_eq!(lookup("RU", "Москва г").map(|s| s.code), Some("MOW"));
        assert_eq!(
            lookup("RU", "г. Санкт-Петербург").map(|s| s.code),
            Some("SPE")
        );
        assert!(lookup("JP", "TKY").is_none());
        assert!(covers("RU") && !covers("JP"));
    }

    #[test]
    fn other_countries_and_near_misses() {
        assert_eq!(named("Ontario")[0].country, "CA");
        assert!(coded("ON").iter().any(|s| s.country == "CA"));
        assert!(named("ON").is_empty());
        assert_eq!(near_miss("US", "Califronia").map(|s| s.code), Some("CA"));
        assert_eq!(near_miss("US", "Texsa").map(|s| s.code), None, "too short");
        assert!(near_miss("US", "Ontario").is_none());
    }
}
