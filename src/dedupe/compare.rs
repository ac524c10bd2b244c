//! Field comparisons: each field has ordered agreement levels, from `null` (a side is
//! missing: no evidence either way) through `different` up to `exact`. The levels are
//! the evidence a pair's score is built from, and they are what `pairs.csv` shows.

use strsim::{jaro_winkler, levenshtein, osa_distance};

use super::features::{Features, Field};
use crate::normalize::name::{nickname_match, phonetic};

/// Level 0 of every field: one side is blank.
pub const NULL: u8 = 0;
/// Level 1 of every field: both present, not similar.
pub const DIFFERENT: u8 = 1;

/// The names of a field's levels, index = level.
pub fn level_names(field: Field) -> &'static [&'static str] {
    match field {
        Field::FirstName => &["null", "different", "initial", "jaro-winkler>=0.85", "nickname or jaro-winkler>=0.92", "exact"],
        Field::LastName => &["null", "different", "phonetic", "jaro-winkler>=0.88", "jaro-winkler>=0.94", "exact"],
        Field::Email => &["null", "different", "same user name", "jaro-winkler>=0.92", "exact"],
        Field::Company => &["null", "different", "jaro-winkler>=0.88", "jaro-winkler>=0.95", "exact"],
        Field::Street | Field::Address2 | Field::City => &["null", "different", "similar", "exact"],
        Field::Postcode | Field::NationalId => &["null", "different", "one or two edits", "exact"],
        Field::BirthDate => &["null", "different", "same year", "one edit or day/month swapped", "exact"],
        Field::Phone | Field::Domain | Field::StreetNumber | Field::State => &["null", "different", "exact"],
    }
}

/// Whether exact agreement on this field is weighted by how common the value is.
pub fn frequency_adjusted(field: Field) -> bool {
    matches!(field, Field::FirstName | Field::LastName | Field::City | Field::Company | Field::Street)
}

/// Compares records `a` and `b`, writing one level per field into `out`. Returns true
/// when first and last names agree better crosswise (`Smith John` vs `John Smyth`): the
/// names are then compared crosswise.
pub fn compare(f: &Features, a: usize, b: usize, out: &mut [u8]) -> bool {
    let mut swapped = false;
    let (first, last) = (f.slot(Field::FirstName), f.slot(Field::LastName));
    if let (Some(fs), Some(ls)) = (first, last) {
        let (fa, la, fb, lb) = (f.value(fs, a), f.value(ls, a), f.value(fs, b), f.value(ls, b));
        if !fa.is_empty() && !la.is_empty() && !fb.is_empty() && !lb.is_empty() {
            let straight = name_similarity(fa, fb) + name_similarity(la, lb);
            let crossed = name_similarity(fa, lb) + name_similarity(la, fb);
            swapped = crossed >= 1.8 && crossed > straight + 0.3;
        }
        if swapped {
            out[fs] = name_level(Field::FirstName, fa, lb, None);
            out[ls] = name_level(Field::LastName, la, fb, None);
        }
    }
    for (slot, field) in f.fields.iter().enumerate() {
        if swapped && matches!(field, Field::FirstName | Field::LastName) {
            continue;
        }
        let (x, y) = (f.value(slot, a), f.value(slot, b));
        out[slot] = if x.is_empty() || y.is_empty() { NULL } else { level(*field, x, y, f, a, b) };
    }
    swapped
}

/// Jaro-Winkler of two name keys, ignoring spaces a typo put inside a name.
fn name_similarity(x: &str, y: &str) -> f64 {
    if x.contains(' ') || y.contains(' ') {
        jaro_winkler(&x.replace(' ', ""), &y.replace(' ', ""))
    } else {
        jaro_winkler(x, y)
    }
}

/// Levels of first and last names. `canonical` holds the records' canonical first names.
fn name_level(field: Field, x: &str, y: &str, canonical: Option<(&str, &str)>) -> u8 {
    if x.is_empty() || y.is_empty() {
        return NULL;
    }
    if x == y {
        return 5;
    }
    let jw = name_similarity(x, y);
    if field == Field::FirstName {
        if nickname_match(x, y) || canonical.is_some_and(|(p, q)| p == q) || jw >= 0.92 {
            4
        } else if jw >= 0.85 {
            3
        } else if (x.len() == 1 || y.len() == 1) && x.as_bytes()[0] == y.as_bytes()[0] {
            2
        } else {
            DIFFERENT
        }
    } else if jw >= 0.94 {
        4
    } else if jw >= 0.88 {
        3
    } else if phonetic(x) == phonetic(y) {
        2
    } else {
        DIFFERENT
    }
}

fn level(field: Field, x: &str, y: &str, f: &Features, a: usize, b: usize) -> u8 {
    match field {
        Field::FirstName => name_level(field, x, y, Some((f.first_canonical.get(a), f.first_canonical.get(b)))),
        Field::LastName => {
            if x == y {
                return 5;
            }
            let jw = name_similarity(x, y);
            if jw >= 0.94 {
                4
            } else if jw >= 0.88 {
                3
            } else if !f.last_phonetic.get(a).is_empty() && f.last_phonetic.get(a) == f.last_phonetic.get(b) {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Email => {
            if x == y {
                4
            } else if jaro_winkler(x, y) >= 0.92 {
                3
            } else if x.split('@').next() == y.split('@').next() {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Company => {
            if x == y {
                return 4;
            }
            let jw = jaro_winkler(x, y);
            if jw >= 0.95 {
                3
            } else if jw >= 0.88 {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Street | Field::Address2 | Field::City => {
            if x == y {
                3
            } else if jaro_winkler(x, y) >= 0.88 || token_overlap(x, y) >= 0.5 {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Postcode | Field::NationalId => {
            if x == y {
                3
            } else if osa_distance(x, y) <= 2 && x.len().min(y.len()) >= 4 {
                2
            } else {
                DIFFERENT
            }
        }
        Field::BirthDate => {
            if x == y {
                4
            } else if levenshtein(x, y) <= 1 || day_month_swapped(x, y) {
                3
            } else if x.get(..4) == y.get(..4) {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Phone => {
            if x.split('|').any(|p| y.split('|').any(|q| p == q)) {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Domain | Field::StreetNumber | Field::State => {
            if x == y {
                2
            } else {
                DIFFERENT
            }
        }
    }
}

/// Share of the smaller token set found in the other.
fn token_overlap(x: &str, y: &str) -> f64 {
    let (a, b): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
    let (small, large) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|t| large.contains(t)).count() as f64 / small.len() as f64
}

/// `19800312` vs `19801203`.
fn day_month_swapped(x: &str, y: &str) -> bool {
    x.len() == 8 && y.len() == 8 && x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6]
}
