//! Phone numbers.
//!
//! Match keys: digits only, international prefixes dropped, compared on the last ten
//! digits (the national number for NANP and most of Europe), so `(415) 555-0100`,
//! `+1 415 555 0100` and `415.555.0100` are one key. Excel damage (`4.15555E+9`) and
//! placeholders (`000-000-0000`) give no key.
//!
//! Readings: whether a value is a number of a country's numbering plan, from
//! libphonenumber's metadata (country codes, national prefixes, possible lengths and
//! number ranges) as the `phonenumber` crate carries it, bundled as
//! `data/phone_plans.tsv` (`tests/phone_plans.rs` keeps it equal to the crate's). Each
//! country's ranges are compiled on its first number and matched directly: the crate
//! compiles every pattern of every country when it loads (a quarter of a second), and
//! its validator shares one mutex-held cache of 100 regexes between all countries,
//! which costs about 50 µs a number on NANP numbers (25 countries share `+1`) and
//! serialises the workers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexBuilder};

/// The comparison key of a phone number, or `None` when it has fewer than 7 digits or
/// is a run of one digit.
pub fn phone_key(value: &str) -> Option<String> {
    if value.contains(['e', 'E']) && value.contains('+') && value.contains('.') {
        return None;
    }
    let mut digits = String::with_capacity(16);
    for c in value.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if (c.is_alphabetic() || c == '#') && digits.len() >= 7 {
            // An extension: `x123`, `ext. 123`, `доб. 123`.
            break;
        }
    }
    if digits.len() < 7 {
        return None;
    }
    let first = digits.as_bytes()[0];
    if digits.bytes().all(|b| b == first) {
        return None;
    }
    if digits.len() > 10 {
        digits.drain(..digits.len() - 10);
    }
    Some(digits)
}

/// What a phone value is, read against a numbering plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// A number of this country (ISO 3166-1 alpha-2; `001` for non-geographic codes).
    Valid {
        region: &'static str,
        /// Whether it carried its country code (`+44 …`, `0044 …`).
        international: bool,
    },
    /// No number of the country it must belong to, and why.
    Invalid(String),
    /// Not read: no country to read it by, or not written as a number at all.
    Unread,
}

/// The longest value read; longer ones are no single number.
const MAX_LEN: usize = 64;

/// Reads a phone value: international when it starts with `+` or `00`, else as a
/// national number of `region` (alpha-2). Extensions (`x12`, `ext. 12`, `доб. 12`, `#12`)
/// are left out. Values holding other letters are [`Reading::Unread`].
pub fn read(value: &str, region: Option<&str>) -> Reading {
    read_parts(value, region, false).0
}

/// The number in E.164 form (`+14155550100`) when [`read`] finds it valid; `None` for
/// any other reading, and for a number with an extension (E.164 has no place for it).
pub fn e164(value: &str, region: Option<&str>) -> Option<String> {
    read_parts(value, region, true).1
}

/// [`read`], with the E.164 form of a valid number when `want_e164`.
fn read_parts(value: &str, region: Option<&str>, want_e164: bool) -> (Reading, Option<String>) {
    let Some((digits, plus)) = number_part(value) else {
        return (Reading::Unread, None);
    };
    let form = |code: u16, national: &str| {
        (want_e164 && !has_extension(value)).then(|| format!("+{code}{national}"))
    };
    let (international, digits) = if plus {
        (true, digits.as_str())
    } else if let Some(rest) = digits.strip_prefix("00") {
        (true, rest)
    } else {
        (false, digits.as_str())
    };
    let plans = &*PLANS;
    if international {
        for len in 1..=3.min(digits.len()) {
            let Ok(code) = digits[..len].parse::<u16>() else {
                continue;
            };
            let Some(regions) = plans.by_code.get(&code) else {
                continue;
            };
            let national = &digits[len..];
            // `+44 (0)20 …`: the trunk prefix written after the country code.
            // The national significant number a plan reads: as written, or after the
            // trunk prefix.
            let fitting = |p: &Plan| -> Option<&str> {
                if p.fits(national) {
                    return Some(national);
                }
                p.national_prefix
                    .as_deref()
                    .and_then(|prefix| national.strip_prefix(prefix))
                    .filter(|rest| p.fits(rest))
            };
            return match regions.iter().find_map(|p| Some((*p, fitting(p)?))) {
                Some((plan, nsn)) => (
                    Reading::Valid {
                        region: plan.region,
                        international: true,
                    },
                    form(plan.code, nsn),
                ),
                None => (
                    Reading::Invalid(
                        too_short_or_long(regions, national, &format!(" after +{code}"))
                            .unwrap_or_else(|| unassigned(regions[0], national)),
                    ),
                    None,
                ),
            };
        }
        return (
            Reading::Invalid(format!(
                "`+{}` is no country code",
                &digits[..digits.len().min(3)]
            )),
            None,
        );
    }
    let Some(home) = region.and_then(|r| plans.by_region.get(r)) else {
        return (Reading::Unread, None);
    };
    let Some(regions) = plans.by_code.get(&home.code) else {
        return (Reading::Unread, None);
    };
    // A national number may be written with the trunk prefix (`0…`, `8…`, `1…`) or with
    // the country code but no `+` (`1 415 …`, `7 495 …`).
    let stripped = |prefix: Option<&str>| prefix.and_then(|p| digits.strip_prefix(p));
    let readings = [
        Some(digits),
        stripped(home.national_prefix.as_deref()),
        stripped(Some(home.code_digits.as_str())),
    ];
    let forms = || readings.iter().flatten().copied();
    // Numbers of the country itself first, then of those sharing its code (a Canadian
    // number on a US record is dialled the same way).
    let ordered =
        std::iter::once(*home).chain(regions.iter().copied().filter(|p| p.region != home.region));
    for plan in ordered {
        if let Some(nsn) = forms().find(|f| plan.fits(f)) {
            return (
                Reading::Valid {
                    region: plan.region,
                    international: false,
                },
                form(plan.code, nsn),
            );
        }
    }
    if let Some(elsewhere) = north_american(home, digits) {
        return (
            Reading::Invalid(format!(
                "not a number of {}, but it reads as a North American number ({}) written without `+1`: a wrong country, or a missing country code",
                home.region_name(),
                elsewhere.region_name()
            )),
            None,
        );
    }
    // The reason is the length when no way of reading the digits has a possible one,
    // told for the reading closest to one.
    let home_plans = std::slice::from_ref(home);
    let closest = forms()
        .min_by_key(|f| {
            home.lengths
                .iter()
                .map(|&l| (f.len() as i64 - i64::from(l)).abs())
                .min()
        })
        .unwrap_or_default();
    let length_wrong = forms().all(|f| too_short_or_long(home_plans, f, "").is_some());
    let why = length_wrong
        .then(|| too_short_or_long(home_plans, closest, ""))
        .flatten()
        .unwrap_or_else(|| {
            let possible = forms().find(|f| home.lengths.contains(&(f.len() as u16)));
            unassigned(home, possible.unwrap_or(closest))
        });
    (Reading::Invalid(why), None)
}

/// Whether a phone value carries an extension (`x12`, `ext. 12`, `доб. 12`, `#12`).
fn has_extension(value: &str) -> bool {
    value.chars().any(|c| c.is_alphabetic() || c == '#')
}

/// For a number that is none of a country outside North America: the North American
/// country it is a number of when read with `+1` (US-style numbers are often stored
/// without it).
fn north_american(home: &Plan, digits: &str) -> Option<&'static Plan> {
    if home.code == 1 {
        return None;
    }
    let national = match digits.len() {
        10 => digits,
        11 => digits.strip_prefix('1')?,
        _ => return None,
    };
    PLANS
        .by_code
        .get(&1)?
        .iter()
        .copied()
        .find(|p| p.fits(national))
}

/// Why a number of a possible length is none of the plan's. North American numbers
/// (`+1`) say which part is wrong: area codes and exchanges never start with 0 or 1.
fn unassigned(plan: &Plan, national: &str) -> String {
    let b = national.as_bytes();
    if plan.code == 1 && b.len() == 10 {
        if matches!(b[0], b'0' | b'1') {
            return format!(
                "the area code `{}` cannot exist: North American area codes never start with 0 or 1",
                &national[..3]
            );
        }
        if matches!(b[3], b'0' | b'1') {
            return format!(
                "the exchange `{}` (after area code {}) cannot exist: North American exchanges never start with 0 or 1",
                &national[3..6],
                &national[..3]
            );
        }
        return format!(
            "area code {} with exchange {} is not assigned in North America",
            &national[..3],
            &national[3..6]
        );
    }
    format!(
        "it is in no range {} assigns (area code or prefix)",
        plan.region_name()
    )
}

/// The country calling code of a country (alpha-2): 1 for the US, 44 for the UK.
pub fn calling_code(region: &str) -> Option<u16> {
    PLANS.by_region.get(region).map(|p| p.code)
}

/// Whether a value is written as a phone number (digits, separators, an extension),
/// whatever its country: the shape [`read`] needs before it reads.
pub fn written_as_number(value: &str) -> bool {
    number_part(value).is_some()
}

/// The digits of a value written as a phone number, and whether it starts with `+`;
/// `None` when it holds letters other than an extension's, or no digits.
fn number_part(value: &str) -> Option<(String, bool)> {
    if value.len() > MAX_LEN {
        return None;
    }
    let trimmed = value.trim();
    let number = extension_start(trimmed).map_or(trimmed, |at| &trimmed[..at]);
    let mut digits = String::with_capacity(16);
    for c in number.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' | '\u{2011}' | '\u{2013}' => {}
            '+' if digits.is_empty() => {}
            _ => return None,
        }
    }
    let plus = number.trim_start_matches(['(', ' ']).starts_with('+');
    (!digits.is_empty()).then_some((digits, plus))
}

/// Where an extension starts: `x`, `ext`, `extension`, `#`, `доб` after the number.
/// Markers are found on the value itself (ASCII case folded, `доб` in its three usual
/// cases), so every offset is a character boundary of the value.
fn extension_start(value: &str) -> Option<usize> {
    if !value
        .bytes()
        .any(|b| b.is_ascii_alphabetic() || b == b'#' || b >= 0x80)
    {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    let ascii = ["ext", "x", "#"].iter().filter_map(|m| lower.find(m));
    let russian = ["доб", "Доб", "ДОБ"].iter().filter_map(|m| value.find(m));
    ascii
        .chain(russian)
        .filter(|&at| value.is_char_boundary(at))
        .filter(|&at| value[..at].bytes().filter(u8::is_ascii_digit).count() >= 4)
        .filter(|&at| {
            let after = value[at..].trim_start_matches(|c: char| {
                c.is_alphabetic() || c == '#' || c == '.' || c == ':' || c == ' '
            });
            !after.is_empty() && after.bytes().all(|b| b.is_ascii_digit())
        })
        .min()
}

/// `too short: 7 digits, where numbers of United States have 10`, when the length
/// alone is wrong for every plan. `after` names what the digits follow (`+44`), if
/// anything.
fn too_short_or_long(plans: &[&Plan], national: &str, after: &str) -> Option<String> {
    let n = national.len() as u16;
    let mut lengths: Vec<u16> = plans
        .iter()
        .flat_map(|p| p.lengths.iter().copied())
        .collect();
    lengths.sort_unstable();
    lengths.dedup();
    let (&min, &max) = (lengths.first()?, lengths.last()?);
    if lengths.contains(&n) {
        return None;
    }
    let have = match &lengths[..] {
        [one] => one.to_string(),
        [init @ .., last] if lengths.len() <= 8 => {
            let init: Vec<String> = init.iter().map(u16::to_string).collect();
            format!("{} or {last}", init.join(", "))
        }
        _ => format!("{min} to {max}"),
    };
    let name = plans[0].region_name();
    Some(if n < min {
        format!("too short: {n} digits{after}, where numbers of {name} have {have}")
    } else if n > max {
        format!("too long: {n} digits{after}, where numbers of {name} have {have}")
    } else {
        format!("{n} digits{after}, a length no number of {name} has ({have})")
    })
}

/// One country's numbering plan.
struct Plan {
    region: &'static str,
    code: u16,
    /// The code as written (`44`).
    code_digits: String,
    national_prefix: Option<String>,
    /// Possible lengths of national significant numbers (empty: not known).
    lengths: Vec<u16>,
    /// The number ranges of every number type, compiled on first use.
    pattern: &'static str,
    ranges: OnceLock<Option<Regex>>,
}

impl Plan {
    fn fits(&self, national: &str) -> bool {
        if !self.lengths.is_empty() && !self.lengths.contains(&(national.len() as u16)) {
            return false;
        }
        let ranges = self.ranges.get_or_init(|| {
            RegexBuilder::new(&format!("^(?:{})$", self.pattern))
                .build()
                .ok()
        });
        // A range that does not compile says nothing against a number.
        ranges.as_ref().is_none_or(|r| r.is_match(national))
    }

    fn region_name(&self) -> &'static str {
        crate::normalize::country::lookup(self.region).map_or(self.region, |(c, _)| c.name)
    }
}

struct Plans {
    by_region: HashMap<&'static str, &'static Plan>,
    /// Plans sharing a country code, the code's main country first.
    by_code: BTreeMap<u16, Vec<&'static Plan>>,
}

static PLANS: LazyLock<Plans> = LazyLock::new(|| {
    let mut by_region = HashMap::new();
    let mut by_code: BTreeMap<u16, Vec<&'static Plan>> = BTreeMap::new();
    let mut mains = Vec::new();
    // `region, code, national_prefix, main, lengths, pattern`, tab-separated; checked
    // against the `phonenumber` crate by `tests/phone_plans.rs`.
    for line in include_str!("../../data/phone_plans.tsv").lines().skip(1) {
        let mut fields = line.split('\t');
        let (Some(region), Some(code), Some(prefix), Some(main), Some(lengths), Some(pattern)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            continue;
        };
        let Ok(code) = code.parse::<u16>() else {
            continue;
        };
        let plan: &'static Plan = Box::leak(Box::new(Plan {
            region,
            code,
            code_digits: code.to_string(),
            national_prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
            lengths: lengths.split(',').filter_map(|l| l.parse().ok()).collect(),
            pattern,
            ranges: OnceLock::new(),
        }));
        by_region.insert(region, plan);
        by_code.entry(code).or_default().push(plan);
        if main == "1" {
            mains.push(region);
        }
    }
    for plans in by_code.values_mut() {
        plans.sort_by_key(|p| (!mains.contains(&p.region), p.region));
    }
    Plans { by_region, by_code }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_share_a_key() {
        let k = phone_key("(415) 555-0100");
        assert_eq!(k.as_deref(), Some("4155550100"));
        assert_eq!(phone_key("+1 415 555 0100"), k);
        assert_eq!(phone_key("415.555.0100 x12"), k);
        assert_eq!(phone_key("8 (495) 123-45-67"), phone_key("+7 495 1234567"));
        assert_eq!(phone_key("000-000-0000"), None);
        assert_eq!(phone_key("12345"), None);
    }

    fn valid(region: &'static str, international: bool) -> Reading {
        Reading::Valid {
            region,
            international,
        }
    }

    #[test]
    fn e164_forms() {
        let e = |v: &str, r: Option<&str>| e164(v, r);
        assert_eq!(
            e("(415) 555-0100", Some("US")).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            e("8 (495) 123-45-67", Some("RU")).as_deref(),
            Some("+74951234567")
        );
        assert_eq!(
            e("020 7946 0000", Some("GB")).as_deref(),
            Some("+442079460000")
        );
        assert_eq!(
            e("+44 (0)20 7946 0000", None).as_deref(),
            Some("+442079460000")
        );
        assert_eq!(
            e("(416) 555-0100", Some("US")).as_deref(),
            Some("+14165550100")
        );
        assert_eq!(e("415.555.0100 x12", Some("US")), None);
        assert_eq!(e("(415) 555-0100", None), None);
        assert_eq!(e("555-1234", Some("US")), None);
    }

    #[test]
    fn readings() {
        assert_eq!(read("(415) 555-0100", Some("US")), valid("US", false));
        assert_eq!(read("+1 415 555 0100", None), valid("US", true));
        assert_eq!(
            read("1-415-555-0100 ext. 12", Some("US")),
            valid("US", false)
        );
        assert_eq!(read("(416) 555-0100", Some("US")), valid("CA", false));
        assert_eq!(read("8 (495) 123-45-67", Some("RU")), valid("RU", false));
        assert_eq!(read("+7 495 123-45-67", Some("US")), valid("RU", true));
        assert_eq!(read("020 7946 0000", Some("GB")), valid("GB", false));
        assert_eq!(read("0044 20 7946 0000", None), valid("GB", true));
        assert_eq!(read("+44 (0)20 7946 0000", None), valid("GB", true));
        assert_eq!(read("+800 1234 5678", None), valid("001", true));
        assert_eq!(read("İİxΩΩ", Some("US")), Reading::Unread);
        assert_eq!(read("415 555 0100 İİxK", Some("US")), Reading::Unread);
        assert!(
            matches!(read("555-1234", Some("US")), Reading::Invalid(m) if m.contains("too short"))
        );
        assert!(matches!(
            read("020 7946 0000", Some("US")),
            Reading::Invalid(_)
        ));
        assert!(
            matches!(read("+999 1234", None), Reading::Invalid(m) if m.contains("country code"))
        );
        assert_eq!(read("(415) 555-0100", None), Reading::Unread);
        assert_eq!(read("call the office", Some("US")), Reading::Unread);
        assert_eq!(
            read("8lPv4wLTKrJkp24M5lvnaQ==", Some("US")),
            Reading::Unread
        );
    }
}
