//! Dates and datetimes as CRM exports write them.
//!
//! Accepted: ISO (`2026-11-22`, `2026-11-22T15:04:05.000+0000`, `2026-11-22 15:04`),
//! dotted day-first (`22.11.2026`), slashed and dashed in either order (`11/22/26 3:04 PM`,
//! `22/11/2026`), month names (`22 Nov 2026`, `Nov 22, 2026`, `22 ноября 2026`), compact
//! `20261122`, and epoch milliseconds or seconds (HubSpot). Two-digit years pivot at 70.
//! Time zones are read and dropped: checks compare calendar dates.

use serde::Serialize;

/// Which way round ambiguous `a/b/yyyy` dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month first (`11/22/2026`), the US convention.
    Mdy,
    /// Day first (`22/11/2026`), most of the world.
    Dmy,
}

impl DateOrder {
    pub fn parse(s: &str) -> Option<DateOrder> {
        match s.to_ascii_lowercase().as_str() {
            "mdy" | "us" | "month-first" => Some(DateOrder::Mdy),
            "dmy" | "eu" | "day-first" => Some(DateOrder::Dmy),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }
}

/// A calendar date, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses a date or datetime; `None` when the text is not a date this reader knows.
pub fn parse_date(text: &str, order: DateOrder) -> Option<Date> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    // Fast path for the commonest form, ISO `2026-11-22` with or without a time.
    if let Some(date) = parse_iso_prefix(s) {
        let rest = &s[10..];
        if rest.is_empty() || (matches!(rest.as_bytes()[0], b'T' | b' ') && is_time(&rest[1..])) {
            return Some(date);
        }
        // Anything else takes the general path below.
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_all_digits(s);
    }
    let (date_part, rest) = split_date_time(s);
    let date = parse_date_part(date_part, order)?;
    if !rest.is_empty() && !is_time(rest) {
        return None;
    }
    Some(date)
}

/// The date of a value starting with `YYYY-MM-DD` (`None` for any other shape, or an
/// impossible date).
fn parse_iso_prefix(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digit = |i: usize| -> Option<u32> {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let year = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
    let month = digit(5)? * 10 + digit(6)?;
    let day = digit(8)? * 10 + digit(9)?;
    ymd(i32::try_from(year).ok()?, month, day)
}

/// `20261122` (compact ISO), or epoch seconds / milliseconds.
fn parse_all_digits(s: &str) -> Option<Date> {
    match s.len() {
        8 => {
            let y: i32 = s[..4].parse().ok()?;
            let m: u32 = s[4..6].parse().ok()?;
            let d: u32 = s[6..].parse().ok()?;
            if (1000..=9999).contains(&y) {
                Date::from_ymd(y, m, d)
            } else {
                None
            }
        }
        // Epoch seconds between 2001-09 and 2286; milliseconds likewise.
        10 | 13 => {
            let n: i64 = s.parse().ok()?;
            let secs = if s.len() == 13 { n / 1000 } else { n };
            Some(Date(i32::try_from(secs.div_euclid(86_400)).ok()?))
        }
        _ => None,
    }
}

/// Splits `2026-11-22T15:04:05Z` or `11/22/26 3:04 PM` into date and time text.
fn split_date_time(s: &str) -> (&str, &str) {
    if let Some(i) = s.find('T')
        && i >= 8
        && s[..i].bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        return (&s[..i], &s[i + 1..]);
    }
    // Month-name dates contain spaces themselves: the time starts at the first token
    // containing a colon.
    match s.find(':') {
        Some(colon) => {
            let start = s[..colon].rfind([' ', ',']).map_or(0, |i| i + 1);
            if start == 0 {
                (s, "")
            } else {
                (s[..start].trim_end_matches([' ', ',']), s[start..].trim())
            }
        }
        None => (s, ""),
    }
}

/// `15:04`, `15:04:05.123`, `3:04 PM`, with an optional zone `Z`, `+0000`, `+01:00`, `UTC`.
fn is_time(s: &str) -> bool {
    let mut rest = s.trim();
    let mut parts = [0u32; 3];
    let mut count = 0;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 || count == 3 {
            return false;
        }
        parts[count] = rest[..digits].parse().unwrap_or(99);
        count += 1;
        rest = &rest[digits..];
        match rest.strip_prefix(':') {
            Some(r) => rest = r,
            None => break,
        }
    }
    if count < 2 || parts[1] > 59 || (count == 3 && parts[2] > 60) {
        return false;
    }
    if let Some(r) = rest.strip_prefix(['.', ',']) {
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &r[digits..];
    }
    let rest = rest.trim_start();
    let meridiem = rest
        .get(..2)
        .filter(|m| m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm"));
    let (twelve_hour, zone) = match meridiem {
        Some(_) => (true, rest[2..].trim_start()),
        None => (false, rest),
    };
    let hour_ok = if twelve_hour {
        (1..=12).contains(&parts[0])
    } else {
        parts[0] <= 24
    };
    hour_ok && is_zone(zone)
}

fn is_zone(s: &str) -> bool {
    let named = |z: &str| {
        ["z", "utc", "gmt"]
            .iter()
            .any(|n| z.eq_ignore_ascii_case(n))
    };
    if s.is_empty() || named(s) {
        return true;
    }
    let s = match s.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("utc") || p.eq_ignore_ascii_case("gmt") => &s[3..],
        _ => s,
    };
    let Some(r) = s.strip_prefix(['+', '-']) else {
        // Named zones such as `PST` or `MSK`.
        return s.len() <= 5 && s.bytes().all(|b| b.is_ascii_alphabetic());
    };
    let digits = r.bytes().filter(|b| *b != b':').count();
    (1..=4).contains(&digits) && r.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

fn parse_date_part(s: &str, order: DateOrder) -> Option<Date> {
    if s.bytes().any(|b| b.is_ascii_alphabetic()) || !s.is_ascii() {
        return parse_month_name_date(s);
    }
    let sep = s.bytes().find(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let parts: Vec<&str> = s.split(sep as char).collect();
    let [a, b, c] = parts[..] else { return None };
    if [a, b, c]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if a.len() == 4 {
        return ymd(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    }
    if c.len() != 4 && c.len() != 2 {
        return None;
    }
    let year = expand_year(c)?;
    let (x, y): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    // Dots are day-first everywhere they are used; otherwise follow the order, unless
    // the values only make sense the other way round (`22/11` can only be day-first).
    let day_first = sep == b'.' || (order == DateOrder::Dmy && x <= 31) || x > 12;
    let (month, day) = if day_first && y <= 12 { (y, x) } else { (x, y) };
    ymd(year, month, day)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    if !(1000..=9999).contains(&year) {
        return None;
    }
    Date::from_ymd(year, month, day)
}

fn expand_year(s: &str) -> Option<i32> {
    let n: i32 = s.parse().ok()?;
    Some(match s.len() {
        2 if n < 70 => 2000 + n,
        2 => 1900 + n,
        _ => n,
    })
}

/// Month names as exports in the languages CRMs are used in write them: English,
/// German, French, Spanish, Portuguese, Italian, Dutch and Russian (nominative and
/// genitive). An abbreviation is any prefix of three letters or more that names one
/// month only (`Nov`, `mär`, `sept`, `дек`): `jui` is June or July in French, so it
/// names none.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january",
        "januar",
        "janvier",
        "enero",
        "janeiro",
        "gennaio",
        "januari",
        "январь",
        "января",
    ],
    &[
        "february",
        "februar",
        "février",
        "fevrier",
        "febrero",
        "fevereiro",
        "febbraio",
        "februari",
        "февраль",
        "февраля",
    ],
    &[
        "march",
        "märz",
        "maerz",
        "mars",
        "marzo",
        "março",
        "marco",
        "maart",
        "mrt",
        "март",
        "марта",
    ],
    &["april", "avril", "abril", "aprile", "апрель", "апреля"],
    &["may", "mai", "mayo", "maio", "maggio", "mei", "май", "мая"],
    &[
        "june", "juni", "juin", "junio", "junho", "giugno", "июнь", "июня",
    ],
    &[
        "july", "juli", "juillet", "julio", "julho", "luglio", "июль", "июля",
    ],
    &[
        "august",
        "août",
        "aout",
        "agosto",
        "augustus",
        "август",
        "августа",
    ],
    &[
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "settembre",
        "сентябрь",
        "сентября",
    ],
    &[
        "october",
        "oktober",
        "octobre",
        "octubre",
        "outubro",
        "ottobre",
        "октябрь",
        "октября",
    ],
    &[
        "november",
        "novembre",
        "noviembre",
        "novembro",
        "ноябрь",
        "ноября",
    ],
    &[
        "december",
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dezembro",
        "dicembre",
        "декабрь",
        "декабря",
    ],
];

/// Weekday names that may open a date (`Sunday, November 22, 2026`), full or as the
/// usual three-letter English abbreviation.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonnabend",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];

/// Words between the parts of a date: `22 de noviembre de 2026`, `22 ноября 2026 г.`,
/// `the 22nd of November`.
const DATE_PARTICLES: &[&str] = &["de", "del", "of", "the", "le", "г", "года", "feira"];

fn month_from_name(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    let mut found = None;
    for (i, names) in MONTH_NAMES.iter().enumerate() {
        if names.iter().any(|n| n.starts_with(lower.as_str())) {
            if found.is_some() {
                return None;
            }
            found = Some(i as u32 + 1);
        }
    }
    found
}

/// A day of the month, with an ordinal suffix if any (`22`, `22nd`, `1st`, `1er`, `22.`).
fn day_number(token: &str) -> Option<u32> {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let suffix = token[digits..].to_ascii_lowercase();
    if !matches!(
        suffix.as_str(),
        "" | "st" | "nd" | "rd" | "th" | "er" | "º" | "o"
    ) {
        return None;
    }
    token[..digits].parse().ok()
}

/// `22 Nov 2026`, `22-Nov-2026`, `Nov 22, 2026`, `November 22 2026`, `22 ноября 2026 г.`,
/// `Sunday, November 22, 2026`, `22. März 2026`, `22 de noviembre de 2026`.
fn parse_month_name_date(s: &str) -> Option<Date> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '/' | '.'))
        .filter(|t| !t.is_empty())
        .filter(|t| {
            let lower = t.to_lowercase();
            !DATE_PARTICLES.contains(&lower.as_str())
        })
        .collect();
    let tokens = match tokens[..] {
        [w, a, b, c] if WEEKDAYS.contains(&w.to_lowercase().as_str()) => vec![a, b, c],
        _ => tokens,
    };
    let [a, b, c] = tokens[..] else { return None };
    let year = |t: &str| (t.len() == 4).then(|| t.parse::<i32>().ok()).flatten();
    if let Some(month) = month_from_name(a) {
        return ymd(year(c)?, month, day_number(b)?);
    }
    if let Some(month) = month_from_name(b) {
        let y = if c.len() == 2 {
            expand_year(c)?
        } else {
            year(c)?
        };
        return ymd(y, month, day_number(a)?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, order: DateOrder) -> Option<String> {
        parse_date(s, order).map(|d| d.to_string())
    }

    #[test]
    fn iso_and_api_formats() {
        let m = DateOrder::Mdy;
        assert_eq!(d("2026-11-22", m).as_deref(), Some("2026-11-22"));
        assert_eq!(
            d("2024-01-22T16:14:25.000+0000", m).as_deref(),
            Some("2024-01-22")
        );
        assert_eq!(d("2026-11-22 15:04", m).as_deref(), Some("2026-11-22"));
        assert_eq!(d("2026-11-22T15:04:05Z", m).as_deref(), Some("2026-11-22"));
        assert_eq!(d("20261122", m).as_deref(), Some("2026-11-22"));
        assert_eq!(d("1763769600000", m).as_deref(), Some("2025-11-22"));
    }

    #[test]
    fn locale_formats() {
        assert_eq!(
            d("22.11.2026", DateOrder::Mdy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            d("11/22/26 3:04 PM", DateOrder::Mdy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(d("02/03/24", DateOrder::Mdy).as_deref(), Some("2024-02-03"));
        assert_eq!(d("02/03/24", DateOrder::Dmy).as_deref(), Some("2024-03-02"));
        assert_eq!(
            d("22/11/2026", DateOrder::Mdy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            d("22.11.2026 15:04:05", DateOrder::Dmy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            d("Nov 22, 2026", DateOrder::Mdy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            d("22-Nov-2026", DateOrder::Mdy).as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            d("22 ноября 2026 г.", DateOrder::Dmy).as_deref(),
            Some("2026-11-22")
        );
    }

    #[test]
    fn month_names_in_other_languages() {
        for s in [
            "Sunday, November 22, 2026",
            "Sun, Nov 22, 2026",
            "November 22nd, 2026",
            "22. November 2026",
            "22 de noviembre de 2026",
            "22 novembre 2026",
            "22 de novembro de 2026",
            "22 november 2026",
            "22 нояб. 2026",
            "Sonntag, 22. November 2026",
            "domingo, 22 de noviembre de 2026",
            "22-nov-26",
        ] {
            assert_eq!(d(s, DateOrder::Mdy).as_deref(), Some("2026-11-22"), "{s}");
        }
        assert_eq!(
            d("22. März 2026", DateOrder::Mdy).as_deref(),
            Some("2026-03-22")
        );
        assert_eq!(
            d("1er août 2026", DateOrder::Dmy).as_deref(),
            Some("2026-08-01")
        );
        assert_eq!(
            d("3 mrt 2026", DateOrder::Dmy).as_deref(),
            Some("2026-03-03")
        );
        // `jui` is juin or juillet: no month.
        assert_eq!(d("22 jui 2026", DateOrder::Dmy), None);
    }

    #[test]
    fn every_month_name_names_one_month() {
        for (i, names) in MONTH_NAMES.iter().enumerate() {
            for name in *names {
                assert_eq!(month_from_name(name), Some(i as u32 + 1), "{name}");
            }
        }
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "2026-02-30",
            "13/13/2026",
            "soon",
            "next week",
            "2026-11",
            "0000-00-00",
            "11/22/2026 25 PM",
            "2026-01-05 25:99",
            "11/22/26 13:04 PM",
            "12345",
        ] {
            assert_eq!(parse_date(s, DateOrder::Mdy), None, "{s}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 10_957, 20_000, 700_000] {
            let (y, m, dd) = Date(days).ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(Date(days)));
        }
    }
}
