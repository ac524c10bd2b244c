use std::sync::LazyLock;

use regex::Regex;

use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Phone numbers that stand in for "no number": a subscriber part of zeros
    /// (`+7 (000) 000-00-00`, `+79000000000`), a run of consecutive digits
    /// (`1234567890`, `(123) 456-7890`, `9876543210`), and North American numbers on
    /// the `555` area code or exchange (`555-214-7954`, `(636) 555-0123`), which film
    /// and demo data use because no subscriber has them. Numbers of one digit repeated
    /// (`000-000-0000`) are placeholder-value (CP003).
    ///
    /// ## Why it matters
    /// The record has no real number, but completeness counts it as filled; calls and
    /// SMS campaigns go nowhere, and duplicates matched on the phone pair strangers.
    ///
    /// ## Example
    /// | Phone               | flagged |
    /// |---------------------|---------|
    /// | `+7 (000) 000-00-00`| yes     |
    /// | `555-214-7954`      | yes     |
    /// | `(123) 456-7890`    | yes     |
    /// | `+7 495 555-12-34`  | no (Moscow, not North America) |
    /// | `+1 415 867 5309`   | no      |
    ///
    /// ## Fix
    /// Blank the field: unsafe (a fictional number is no number, but blanking it is a
    /// person's call where the CRM requires a phone).
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct PlaceholderPhone;
    code = "PH001",
    name = "placeholder-phone",
    family = Phone,
    scope = Record,
    severity = Warning,
    dimension = Validity,
    fix = Unsafe,
}

/// A North American number written as one (`(636) 555-0123`, `+1 555 214 7954`) whose
/// area code or exchange is `555`.
static NANP_555: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\+?1[\s.\-]?)?",
        r"(?:(?:\(555\)|555)[\s.\-]?[0-9]{3}|(?:\([2-9][0-9]{2}\)|[2-9][0-9]{2})?[\s.\-]?555)",
        r"[\s.\-]?[0-9]{4}$"
    ))
    .unwrap_or_else(|e| panic!("built-in regex: {e}"))
});

/// Why a phone value is a placeholder, if it is one.
pub fn placeholder(value: &str) -> Option<&'static str> {
    let mut buffer = [0u8; 24];
    let mut n = 0;
    for b in value.bytes().filter(u8::is_ascii_digit) {
        if n == buffer.len() {
            return None;
        }
        buffer[n] = b;
        n += 1;
    }
    let digits = &buffer[..n];
    if digits.len() < 7 {
        return None;
    }
    // One digit repeated is placeholder-value's (CP003).
    if digits.iter().all(|d| *d == digits[0]) {
        return None;
    }
    let ascending = b"01234567890";
    let descending = b"98765432109";
    if ascending.windows(digits.len().min(11)).any(|w| w == digits)
        || descending
            .windows(digits.len().min(11))
            .any(|w| w == digits)
    {
        return Some("a run of consecutive digits");
    }
    // The subscriber part after a country and area code: seven or more zeros.
    let tail_zeros = digits.iter().rev().take_while(|d| **d == b'0').count();
    if tail_zeros >= 7 || (tail_zeros >= 6 && digits.len() <= 11 && digits.len() - tail_zeros <= 4)
    {
        return Some("a number of zeros");
    }
    if digits.windows(3).any(|w| w == b"555") && NANP_555.is_match(value.trim()) {
        return Some(
            "a North American number with 555 as its area code or exchange, as films, samples and demos use (555-0100 to 0199 are formally reserved)",
        );
    }
    None
}

impl Check for PlaceholderPhone {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns = super::phone_columns(cx.profile);
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            let Some(why) = placeholder(value) else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is a placeholder number: {why}",
                    record.header(column)
                ),
            );
            sink.fix("", Applicability::Unsafe);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn placeholders() {
        for p in [
            "+7 (000) 000-00-00",
            "+79000000000",
            "1234567890",
            "(123) 456-7890",
            "555-214-7954",
            "(636) 555-0123",
            "+1 555 214 7954",
            "636-555-8611",
        ] {
            assert!(placeholder(p).is_some(), "{p}");
        }
        for p in [
            "+7 495 555-12-34",
            "+1 415 867 5309",
            "89161234567",
            "+7 (343) 200-00-46",
            "000-000-0000",
            "8 800 100-00-00",
            "12345",
        ] {
            assert!(placeholder(p).is_none(), "{p}");
        }
    }
}
