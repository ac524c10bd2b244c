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
        Field::FirstName => &[
            "null",
            "different",
            "initial",
            "jaro-winkler>=0.85",
            "nickname or jaro-winkler>=0.92",
            "exact",
        ],
        Field::LastName => &[
            "null",
            "different",
            "phonetic",
            "jaro-winkler>=0.88",
            "jaro-winkler>=0.94",
            "exact",
        ],
        Field::Email => &[
            "null",
            "different",
            "similar user name",
            "same user name",
            "exact",
        ],
        Field::Workplace => &[
            "null",
            "different",
            "same city",
            "same address",
            "same company",
            "same company and address",
        ],
        Field::Company => &[
            "null",
            "different",
            "jaro-winkler>=0.88",
            "jaro-winkler>=0.95",
            "exact",
        ],
        Field::Street | Field::Address2 | Field::City => &["null", "different", "similar", "exact"],
        Field::Postcode | Field::NationalId => &["null", "different", "one or two edits", "exact"],
        Field::BirthDate => &[
            "null",
            "different",
            "same year",
            "one edit or day/month swapped",
            "exact",
        ],
        Field::Phone => &["null", "different", "same personal number"],
        Field::Domain | Field::StreetNumber | Field::State => &["null", "different", "exact"],
    }
}

/// Fixed `m` probabilities of the identity fields, by level (null first).
///
/// These anchor the model: the fields that say *who* a record is keep these `m` values
/// while expectation-maximisation fits everything else. Without an anchor, EM is free
/// to take the biggest coherent group of candidate pairs as "matches", and in CRM data
/// that is colleagues (same company, address and switchboard, different names), not
/// duplicates. The values say: a duplicate has the exact same name most of the time,
/// a nickname, initial or typo sometimes, a different name rarely.
pub fn anchored_m(field: Field, object_is_organisation: bool) -> Option<&'static [f64]> {
    match field {
        Field::FirstName if !object_is_organisation => Some(&[0.0, 0.03, 0.02, 0.05, 0.15, 0.75]),
        Field::LastName if !object_is_organisation => Some(&[0.0, 0.03, 0.02, 0.05, 0.10, 0.80]),
        Field::Company if object_is_organisation => Some(&[0.0, 0.05, 0.10, 0.15, 0.70]),
        _ => None,
    }
}

/// Whether exact agreement on this field is weighted by how common the value is.
pub fn frequency_adjusted(field: Field) -> bool {
    matches!(
        field,
        Field::FirstName
            | Field::LastName
            | Field::City
            | Field::Company
            | Field::Street
            | Field::Phone
    )
}

/// Compares records `a` and `b`, writing one level per compared field into `out`.
/// Returns true when first and last names agree better crosswise (`Smith John` vs
/// `John Smyth`): the names are then compared crosswise.
pub fn compare(f: &Features, a: usize, b: usize, out: &mut [u8]) -> bool {
    let (fa, la, fb, lb) = (
        f.base(Field::FirstName, a),
        f.base(Field::LastName, a),
        f.base(Field::FirstName, b),
        f.base(Field::LastName, b),
    );
    let mut swapped = false;
    // Crosswise agreement needs a first letter in common crosswise; most pairs have none.
    let initial = |x: &str, y: &str| x.as_bytes().first() == y.as_bytes().first();
    if !fa.is_empty()
        && !la.is_empty()
        && !fb.is_empty()
        && !lb.is_empty()
        && (fa != fb || la != lb)
        && (initial(fa, lb) || initial(la, fb))
    {
        let given = |x: &str, y: &str| {
            if nickname_match(x, y) {
                1.0
            } else {
                name_similarity(x, y)
            }
        };
        let straight = given(fa, fb) + name_similarity(la, lb);
        let crossed = given(fa, lb) + given(la, fb);
        swapped = crossed >= 1.8 && crossed > straight + 0.3;
    }
    for (slot, field) in f.compared.iter().enumerate() {
        out[slot] = match field {
            Field::FirstName if swapped => name_level(Field::FirstName, fa, lb, None),
            Field::LastName if swapped => name_level(Field::LastName, la, fb, None),
            Field::Workplace => workplace_level(f, a, b),
            _ => {
                let (x, y) = (f.base(*field, a), f.base(*field, b));
                if x.is_empty() || y.is_empty() {
                    NULL
                } else {
                    level(*field, x, y, f, a, b)
                }
            }
        };
    }
    swapped
}

/// Employer and address together: one piece of evidence, strongest first.
fn workplace_level(f: &Features, a: usize, b: usize) -> u8 {
    if !f.has(Field::Workplace, a) || !f.has(Field::Workplace, b) {
        return NULL;
    }
    let same = |field: Field, fuzzy: bool| {
        let (x, y) = (f.base(field, a), f.base(field, b));
        !x.is_empty() && !y.is_empty() && (x == y || (fuzzy && jaro_winkler(x, y) >= 0.9))
    };
    let company = same(Field::Company, true);
    let switchboard = {
        let (x, y) = (f.base(Field::Phone, a), f.base(Field::Phone, b));
        x.split('|')
            .any(|p| !p.is_empty() && f.is_shared_phone(p) && y.split('|').any(|q| q == p))
    };
    let address = same(Field::Street, true) || same(Field::Postcode, false) || switchboard;
    match (company, address) {
        (true, true) => 5,
        (true, false) => 4,
        (false, true) => 3,
        _ if same(Field::City, false) || same(Field::State, false) => 2,
        _ => DIFFERENT,
    }
}

/// Jaro-Winkler of two name keys, ignoring spaces a typo put inside a name.
fn name_similarity(x: &str, y: &str) -> f64 {
    if x.contains(' ') || y.contains(' ') {
        jaro_winkler(&x.replace(' ', ""), &y.replace(' ', ""))
    } else {
        jaro_winkler(x, y)
    }
}

/// Levels of first and last names. `keys` holds the records' precomputed keys when
/// the names are compared straight: canonical first names, or last-name phonetic codes
/// (crosswise comparisons compute the phonetic codes here).
fn name_level(field: Field, x: &str, y: &str, keys: Option<(&str, &str)>) -> u8 {
    if x.is_empty() || y.is_empty() {
        return NULL;
    }
    if x == y {
        return 5;
    }
    let jw = name_similarity(x, y);
    if field == Field::FirstName {
        if nickname_match(x, y) || keys.is_some_and(|(p, q)| p == q) || jw >= 0.92 {
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
    } else if match keys {
        Some((p, q)) => !p.is_empty() && p == q,
        None => phonetic(x) == phonetic(y),
    } {
        2
    } else {
        DIFFERENT
    }
}

fn level(field: Field, x: &str, y: &str, f: &Features, a: usize, b: usize) -> u8 {
    match field {
        Field::FirstName => name_level(
            field,
            x,
            y,
            Some((f.first_canonical(a), f.first_canonical(b))),
        ),
        Field::LastName => name_level(field, x, y, Some((f.last_phonetic(a), f.last_phonetic(b)))),
        Field::Email => {
            let (ux, uy) = (
                x.split('@').next().unwrap_or(x),
                y.split('@').next().unwrap_or(y),
            );
            if x == y {
                4
            } else if name_derived(ux, f, a) && name_derived(uy, f, b) {
                // `mei.martin@` and `mei_martin@` agree because the names do: the names
                // already count that evidence.
                DIFFERENT
            } else if ux == uy {
                3
            } else if jaro_winkler(ux, uy) >= 0.92 {
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
            // Only personal numbers are evidence of identity; a shared switchboard is
            // workplace evidence.
            let (px, py) = (personal_numbers(x, f), personal_numbers(y, f));
            if px.is_empty() || py.is_empty() {
                NULL
            } else if px.iter().any(|p| py.contains(p)) {
                2
            } else {
                DIFFERENT
            }
        }
        Field::Domain | Field::StreetNumber | Field::State | Field::Workplace => {
            if x == y {
                2
            } else {
                DIFFERENT
            }
        }
    }
}

/// Whether an email user name is built from the record's own names (`jsmith`,
/// `john.smith2`), so that its agreement with another says nothing the names do not.
fn name_derived(user: &str, f: &Features, record: usize) -> bool {
    let contains = |name: &str| {
        if name.len() < 3 {
            return false;
        }
        if user.contains(name) {
            return true;
        }
        // `o'brien` / `obrien`, `mary-jo` / `maryjo`: compare letters only.
        let letters: String = user.chars().filter(char::is_ascii_alphabetic).collect();
        letters.contains(&name.replace(' ', ""))
    };
    contains(f.base(Field::LastName, record)) || contains(f.base(Field::FirstName, record))
}

/// The numbers of a phone value that are not shared switchboards.
fn personal_numbers<'v>(value: &'v str, f: &Features) -> Vec<&'v str> {
    value
        .split('|')
        .filter(|p| !p.is_empty() && !f.is_shared_phone(p))
        .collect()
}

/// Share of the smaller token set found in the other.
fn token_overlap(x: &str, y: &str) -> f64 {
    let (a, b): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
    let (small, large) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|t| large.contains(t)).count() as f64 / small.len() as f64
}

/// `19800312` vs `19801203`.
fn day_month_swapped(x: &str, y: &str) -> bool {
    let (x, y) = (x.as_bytes(), y.as_bytes());
    x.len() == 8 && y.len() == 8 && x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6]
}
