//! Numbers, money and percentages as CRM exports write them.
//!
//! `1234.56`, `1,234.56`, `1 234,56` (with a space, NBSP or narrow NBSP), `1.234,56`,
//! `1'234.56`, `$1,234`, `1 234 ₽`, `EUR 99`, `(1,234.00)` (accounting negative),
//! `45%`, `4.47E+11` (Bulk API). A single `,` or `.` followed by exactly three digits is
//! ambiguous (`1,234`); the column's [`DecimalSeparator`] decides.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DecimalSeparator {
    #[serde(rename = ".")]
    Point,
    #[serde(rename = ",")]
    Comma,
}

impl DecimalSeparator {
    pub fn parse(s: &str) -> Option<DecimalSeparator> {
        match s {
            "." | "point" => Some(DecimalSeparator::Point),
            "," | "comma" => Some(DecimalSeparator::Comma),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DecimalSeparator::Point => ".",
            DecimalSeparator::Comma => ",",
        }
    }
}

const CURRENCY_WORDS: &[&str] = &[
    "usd", "eur", "gbp", "rub", "rur", "uah", "kzt", "byn", "cny", "jpy", "chf", "cad", "aud",
    "inr", "руб", "р", "грн", "тг",
];

/// Parses a number; `None` when the text is not one.
/// A count for people: `1234567` → `1,234,567`.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn parse_number(text: &str, decimal: DecimalSeparator) -> Option<f64> {
    let mut s = text.trim();
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    // Keep digits, signs, separators and exponent; drop currency and grouping marks.
    let mut cleaned = String::with_capacity(s.len());
    let lower = s.to_lowercase();
    let mut rest = lower.as_str();
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+') {
            cleaned.push(c);
            rest = &rest[c.len_utf8()..];
        } else if c == 'e' && !cleaned.is_empty() && !cleaned.contains('e') {
            // `4.47E+11`; an `e` must follow digits, else it is a word like `eur`.
            if rest[1..].starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
                cleaned.push('e');
                rest = &rest[1..];
            } else {
                rest = strip_word(rest)?;
            }
        } else if c.is_whitespace()
            || matches!(
                c,
                '\'' | '’' | '%' | '$' | '€' | '£' | '₽' | '¥' | '₴' | '₸' | '\u{202f}' | '\u{a0}'
            )
        {
            rest = &rest[c.len_utf8()..];
        } else if c.is_alphabetic() {
            rest = strip_word(rest)?;
        } else {
            return None;
        }
    }
    if let Some(unsigned) = cleaned.strip_prefix('-') {
        negative = !negative;
        cleaned = unsigned.to_owned();
    } else if let Some(unsigned) = cleaned.strip_prefix('+') {
        cleaned = unsigned.to_owned();
    }
    if cleaned.is_empty()
        || !cleaned.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let normalized = normalize_separators(&cleaned, decimal)?;
    let value: f64 = normalized.parse().ok()?;
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// Drops a currency word (`usd`, `руб`) from the front of `rest`, or fails.
fn strip_word(rest: &str) -> Option<&str> {
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    CURRENCY_WORDS
        .contains(&&rest[..end])
        .then(|| rest[end..].trim_start_matches('.'))
}

fn normalize_separators(s: &str, decimal: DecimalSeparator) -> Option<String> {
    let (mantissa, exponent) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    if mantissa.contains(['-', '+']) || exponent[exponent.len().min(1)..].contains(['.', ',']) {
        return None;
    }
    let commas = mantissa.matches(',').count();
    let points = mantissa.matches('.').count();
    let decimal_char = match (commas, points) {
        (0, 0) => None,
        (_, 0) if commas > 1 => None, // 1,234,567
        (0, _) if points > 1 => {
            // 1.234.567 (grouping by points) — only valid as grouping.
            return grouped(mantissa, '.').then(|| mantissa.replace('.', "") + exponent);
        }
        (1, 0) | (0, 1) => {
            let sep = if commas == 1 { ',' } else { '.' };
            let after = mantissa.len() - mantissa.find(sep).unwrap_or(0) - 1;
            if after == 3 && mantissa.find(sep) != Some(0) {
                // Ambiguous `1,234`: the column's convention decides.
                let is_decimal = match decimal {
                    DecimalSeparator::Point => sep == '.',
                    DecimalSeparator::Comma => sep == ',',
                };
                if is_decimal { Some(sep) } else { None }
            } else {
                Some(sep)
            }
        }
        _ => {
            // Both present: the last one is the decimal separator.
            let last_comma = mantissa.rfind(',');
            let last_point = mantissa.rfind('.');
            if last_comma > last_point {
                Some(',')
            } else {
                Some('.')
            }
        }
    };
    let (int_part, frac_part) = match decimal_char {
        Some(d) => {
            let i = mantissa.rfind(d)?;
            (&mantissa[..i], &mantissa[i + 1..])
        }
        None => (mantissa, ""),
    };
    let group = if decimal_char == Some(',') { '.' } else { ',' };
    if frac_part.contains([',', '.']) || (int_part.contains(group) && !grouped(int_part, group)) {
        return None;
    }
    if int_part.contains(if group == ',' { '.' } else { ',' }) {
        return None;
    }
    let mut out = int_part.replace(group, "");
    if out.is_empty() {
        out.push('0');
    }
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    out.push_str(exponent);
    Some(out)
}

/// True when `s` is digits grouped by `sep` in threes: `1,234,567`.
fn grouped(s: &str, sep: char) -> bool {
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: DecimalSeparator = DecimalSeparator::Point;
    const C: DecimalSeparator = DecimalSeparator::Comma;

    #[test]
    fn reads_locale_numbers() {
        assert_eq!(parse_number("1234.56", P), Some(1234.56));
        assert_eq!(parse_number("1,234.56", P), Some(1234.56));
        assert_eq!(parse_number("1 234,56", C), Some(1234.56));
        assert_eq!(parse_number("1\u{a0}234,56", P), Some(1234.56));
        assert_eq!(parse_number("1.234,56", P), Some(1234.56));
        assert_eq!(parse_number("1'234.5", P), Some(1234.5));
        assert_eq!(parse_number("$1,234", P), Some(1234.0));
        assert_eq!(parse_number("1,234", C), Some(1.234));
        assert_eq!(parse_number("1 234 ₽", C), Some(1234.0));
        assert_eq!(parse_number("EUR 99", P), Some(99.0));
        assert_eq!(parse_number("15 000 руб.", C), Some(15000.0));
        assert_eq!(parse_number("(1,234.00)", P), Some(-1234.0));
        assert_eq!(parse_number("-12.5", P), Some(-12.5));
        assert_eq!(parse_number("45%", P), Some(45.0));
        assert_eq!(parse_number("4.47E+11", P), Some(4.47e11));
        assert_eq!(parse_number("0,5", P), Some(0.5));
        assert_eq!(parse_number(".5", P), Some(0.5));
    }

    #[test]
    fn rejects_non_numbers() {
        for s in [
            "abc",
            "12abc",
            "1,23,4",
            "1.2.3",
            "--5",
            "n/a",
            "1-2",
            "TBD",
            "12.5.2026",
        ] {
            assert_eq!(parse_number(s, P), None, "{s}");
        }
    }
}
