//! Person-name match keys: transliteration (Cyrillic, accents) with `deunicode`,
//! honorifics and generational suffixes dropped, nicknames (`Bob` ~ `Robert`) from the
//! bundled Apache-2.0 nickname list, and a Double Metaphone phonetic code.

use std::sync::LazyLock;

use rphonetic::{DoubleMetaphone, Encoder};
use rustc_hash::FxHashMap;

const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "rev", "hon", "jr", "sr", "ii",
    "iii", "iv", "phd", "md", "esq", "gospodin", "g", "gzha",
];

/// `  Dr. José  NÚÑEZ Jr ` → `jose nunez`: ASCII, lowercase, letters and single spaces.
pub fn name_key(value: &str) -> String {
    let ascii = if value.is_ascii() {
        value.to_owned()
    } else {
        deunicode::deunicode(value)
    };
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphabetic() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(['\'', '-']))
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_ascii_lowercase().replace(['\'', '-'], "");
        if HONORIFICS.contains(&lower.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&lower);
    }
    out
}

/// Full given names for each name or nickname, from `data/nicknames.csv`.
static NICKNAMES: LazyLock<FxHashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for line in include_str!("../../data/nicknames.csv").lines().skip(1) {
        let mut parts = line.split(',');
        let (Some(full), Some(_), Some(nick)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        for (name, canonical) in [(full, full), (nick, full)] {
            let entry = map.entry(name.trim().to_owned()).or_default();
            if !entry.iter().any(|c| c == canonical) {
                entry.push(canonical.trim().to_owned());
            }
        }
    }
    // Each entry is ordered on its own: the map's order does not matter.
    map.iter_mut().for_each(|(name, list)| {
        list.sort();
        // A full name is its own canonical form, even if it is also someone's nickname.
        if let Some(i) = list.iter().position(|c| c == name) {
            let own = list.remove(i);
            list.insert(0, own);
        }
    });
    map
});

/// The canonical full name of a given name (`bob` → `robert`), or the key itself.
/// A name maps to the longest full name it is a nickname of, when that is longer than
/// the name itself (`robert` stays `robert` although `bert` lists it as a nickname);
/// ties go to the alphabetically first.
pub fn canonical_first(key: &str) -> &str {
    let first = key.split(' ').next().unwrap_or(key);
    NICKNAMES
        .get(first)
        .and_then(|fulls| {
            fulls
                .iter()
                .filter(|f| f.len() > first.len())
                .min_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)))
        })
        .map_or(first, String::as_str)
}

/// Whether two given-name keys are the same name through a nickname (`bill` ~ `william`,
/// `liz` ~ `beth`, both short for `elizabeth`).
pub fn nickname_match(a: &str, b: &str) -> bool {
    let (Some(x), Some(y)) = (NICKNAMES.get(a), NICKNAMES.get(b)) else {
        return false;
    };
    x.iter().any(|n| y.contains(n))
}

/// Whether two given-name keys name one person's given name: equal, the same first
/// word (`mary ann` and `mary`), a nickname (`bob` and `robert`), or an initial of it
/// (`j` and `john`).
pub fn same_given_name(a: &str, b: &str) -> bool {
    let first_word = |n: &str| n.split(' ').next().unwrap_or_default().to_owned();
    let initial = |i: &str, of: &str| i.chars().count() == 1 && of.starts_with(i);
    a == b
        || first_word(a) == first_word(b)
        || nickname_match(a, b)
        || initial(a, b)
        || initial(b, a)
}

/// Double Metaphone primary code of a name key (`smith`, `smyth` → `SM0`).
pub fn phonetic(key: &str) -> String {
    static ENCODER: LazyLock<DoubleMetaphone> = LazyLock::new(DoubleMetaphone::default);
    if key.is_empty() {
        return String::new();
    }
    ENCODER.encode(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_transliterate_and_drop_titles() {
        assert_eq!(name_key("  Dr. José  NÚÑEZ Jr "), "jose nunez");
        assert_eq!(name_key("O'Brien"), "obrien");
        assert_eq!(name_key("Иван"), "ivan");
    }

    #[test]
    fn nicknames_and_phonetics() {
        assert_eq!(canonical_first("bob"), "robert");
        assert_eq!(canonical_first("robert"), "robert");
        assert!(nickname_match("bill", "william"));
        assert!(nickname_match("peggy", "margaret"));
        assert!(!nickname_match("ann", "robert"));
        assert_eq!(phonetic("smith"), phonetic("smyth"));
    }
}
