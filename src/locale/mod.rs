//! Locale-aware reading of values: dates, numbers and booleans (DESIGN.md §3).
//!
//! Parsing never rewrites stored values; checks call these functions to decide whether a
//! value can be read, and later stages use the parsed value for comparisons.
//! [`Locale`] holds one input's conventions, detected from a sample of its values or set
//! in the rule file.

mod boolean;
mod date;
mod number;

pub use boolean::parse_bool;
pub use date::{Date, DateOrder, parse_date};
pub use number::{DecimalSeparator, group_thousands, parse_number};

use serde::Serialize;

/// The value conventions of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Locale {
    pub date_order: DateOrder,
    pub decimal: DecimalSeparator,
}

impl Default for Locale {
    fn default() -> Self {
        Locale {
            date_order: DateOrder::Mdy,
            decimal: DecimalSeparator::Point,
        }
    }
}

impl Locale {
    /// Guesses conventions from sample values of date and number columns.
    ///
    /// Day-first when any slashed date has a first part above 12 (or dotted dates are
    /// used); month-first when any has a second part above 12; otherwise the delimiter
    /// decides: `;`-separated files come from locales that write `22/11` and `1,5`.
    pub fn detect<'a>(
        dates: impl Iterator<Item = &'a str>,
        numbers: impl Iterator<Item = &'a str>,
        delimiter: u8,
    ) -> Locale {
        let european_default = delimiter == b';';
        let (mut day_first, mut month_first) = (0usize, 0usize);
        for value in dates {
            let head: &str = value.trim().split([' ', 'T']).next().unwrap_or("");
            if head.contains('.')
                && head.len() <= 10
                && !head.starts_with(|c: char| c.is_ascii_digit() && head.find('.') == Some(4))
            {
                day_first += 1;
                continue;
            }
            let parts: Vec<&str> = head.split('/').collect();
            if let [a, b, _] = parts[..] {
                let (a, b) = (a.parse::<u32>().unwrap_or(0), b.parse::<u32>().unwrap_or(0));
                if a > 12 && b <= 12 {
                    day_first += 1;
                } else if b > 12 && a <= 12 {
                    month_first += 1;
                }
            }
        }
        let date_order =
            if day_first > month_first || (day_first == month_first && european_default) {
                DateOrder::Dmy
            } else {
                DateOrder::Mdy
            };
        let (mut comma_decimal, mut point_decimal) = (0usize, 0usize);
        for value in numbers {
            let v = value.trim();
            let last_comma = v.rfind(',');
            let last_point = v.rfind('.');
            match (last_comma, last_point) {
                (Some(c), Some(p)) if c > p => comma_decimal += 1,
                (Some(_), Some(_)) => point_decimal += 1,
                (Some(c), None) if v.len() - c - 1 != 3 => comma_decimal += 1,
                (None, Some(p)) if v.len() - p - 1 != 3 => point_decimal += 1,
                _ => {}
            }
        }
        let decimal = if comma_decimal > point_decimal
            || (comma_decimal == point_decimal && european_default)
        {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        };
        Locale {
            date_order,
            decimal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_day_first_and_comma_decimals() {
        let l = Locale::detect(
            ["22/11/2026", "01/02/2026"].into_iter(),
            ["1 234,50"].into_iter(),
            b',',
        );
        assert_eq!(l.date_order, DateOrder::Dmy);
        assert_eq!(l.decimal, DecimalSeparator::Comma);
        let l = Locale::detect(["11/22/2026"].into_iter(), ["1,234.50"].into_iter(), b';');
        assert_eq!(l.date_order, DateOrder::Mdy);
        assert_eq!(l.decimal, DecimalSeparator::Point);
        let l = Locale::detect(std::iter::empty(), std::iter::empty(), b';');
        assert_eq!(
            l,
            Locale {
                date_order: DateOrder::Dmy,
                decimal: DecimalSeparator::Comma
            }
        );
    }
}
