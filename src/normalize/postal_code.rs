//! Postal codes: each country's format as a regular expression (`data/postal_codes.csv`,
//! Google's address metadata), matched against the whole value, case folded, after
//! trimming.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexBuilder};

/// Countries whose postal codes begin with zeros in whole regions (New England, Paris
/// suburbs, Rome, Helsinki, Mexico City), where a spreadsheet that reads the code as a
/// number drops them.
const LEADING_ZEROS: &[&str] = &[
    "US", "PR", "VI", "GU", "DE", "FR", "IT", "ES", "FI", "MX", "MY", "TH", "DZ", "UA", "EE",
];

/// A country's postal-code format.
pub struct Format {
    /// The pattern, anchored, compiled on the country's first code.
    pattern: String,
    regex: OnceLock<Option<Regex>>,
    leading_zeros: bool,
    /// A valid code, for messages.
    pub example: String,
}

static FORMATS: LazyLock<HashMap<String, Format>> = LazyLock::new(|| {
    let mut formats = HashMap::new();
    let mut reader =
        csv::Reader::from_reader(include_str!("../../data/postal_codes.csv").as_bytes());
    // The list is checked by `data/scripts`: every regex fits its examples.
    for record in reader.records().flatten() {
        let (Some(country), Some(pattern), Some(examples)) =
            (record.get(0), record.get(1), record.get(2))
        else {
            continue;
        };
        let example = examples.split('|').next().unwrap_or_default().to_owned();
        let leading_zeros = LEADING_ZEROS.contains(&country);
        formats.insert(
            country.to_owned(),
            Format {
                pattern: format!("^(?:{pattern})$"),
                regex: OnceLock::new(),
                leading_zeros,
                example,
            },
        );
    }
    formats
});

/// The postal-code format of a country (alpha-2), when it has one.
pub fn format(country: &str) -> Option<&'static Format> {
    FORMATS.get(country)
}

impl Format {
    /// Whether a value is a postal code of this format.
    pub fn fits(&self, value: &str) -> bool {
        let regex = self.regex.get_or_init(|| {
            RegexBuilder::new(&self.pattern)
                .case_insensitive(true)
                .build()
                .ok()
        });
        // A pattern that does not compile says nothing against a code.
        let Some(regex) = regex else {
            return true;
        };
        let value = value.trim();
        // Also as written with a country prefix (`LT-04340`, `D-80331`, `CH-8001`).
        let unprefixed = value
            .split_once(['-', ' '])
            .filter(|(p, _)| {
                (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
            })
            .map(|(_, rest)| rest);
        regex.is_match(value) || unprefixed.is_some_and(|rest| regex.is_match(rest))
    }

    /// For an all-digit value too short for the format: the code with the leading
    /// zeros a spreadsheet dropped (`2134` → `02134`), when that fits.
    pub fn with_lost_zeros(&self, value: &str) -> Option<String> {
        let value = value.trim();
        if !self.leading_zeros || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (1..=2)
            .map(|zeros| format!("{}{value}", "0".repeat(zeros)))
            .find(|padded| self.fits(padded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let us = format("US").unwrap();
        assert!(us.fits("95014") && us.fits("22162-1010") && us.fits(" 02134 "));
        assert!(!us.fits("9501") && !us.fits("ABCDE"));
        assert_eq!(us.with_lost_zeros("2134").as_deref(), Some("02134"));
        assert_eq!(us.with_lost_zeros("501").as_deref(), Some("00501"));
        assert_eq!(us.with_lost_zeros("95014x"), None);
        let ca = format("CA").unwrap();
        assert!(ca.fits("K1A 0B1") && ca.fits("k1a0b1"));
        let gb = format("GB").unwrap();
        assert!(gb.fits("EC1Y 8SY") && gb.fits("ec1y8sy") && !gb.fits("12345"));
        assert!(format("RU").unwrap().fits("103375"));
        assert_eq!(format("RU").unwrap().with_lost_zeros("10337"), None);
        assert!(format("ZZ").is_none());
        assert!(format("LT").unwrap().fits("LT-04340") && format("DE").unwrap().fits("D-80331"));
        assert!(!format("DE").unwrap().fits("ABC-1234"));
    }
}
