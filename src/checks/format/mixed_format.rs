use rustc_hash::FxHashMap;

use crate::checks::prelude::*;
use crate::checks::semantic::placeholder_date::is_placeholder_date;
use crate::input::columns::ValueKind;
use crate::locale::{Date, DateOrder, group_thousands, parse_bool, parse_date};

declare_check! {
    /// ## What it checks
    /// A date or a yes/no value written unlike nearly all the others of its column:
    /// `2024-01-05` in a column of `05.01.2024`, `1/5/2024` among `2024-01-05`, `Yes`
    /// in a column of `true`/`false`. It applies where at least nine in ten of the
    /// column's values (and at least 20) share one way of writing; dates with a time are
    /// left alone, as are columns without a clear convention.
    ///
    /// ## Why it matters
    /// A spreadsheet, a BI tool or an import reads a column with one format: the other
    /// spellings become text, blanks, or the wrong date (`03/04` is March or April
    /// depending on who reads it), and a filter on `true` misses the `Yes` records.
    ///
    /// ## Example
    /// In a `CloseDate` column of 500 `DD.MM.YYYY` dates:
    ///
    /// | CloseDate    | flagged |
    /// |--------------|---------|
    /// | `2024-01-05` | yes (→ `05.01.2024`) |
    /// | `5.1.2024`   | no (only the padding differs) |
    /// | `05.01.2024` | no      |
    ///
    /// ## Fix
    /// The same date or yes/no value in the column's own spelling: safe, except for a
    /// date that could be read another way (`03/04/2024`: day and month; `05.01.68`: the
    /// century), which is unsafe. A column whose dates use month names gets no fix (its
    /// language and abbreviations are not known); placeholder dates (`1970-01-01`,
    /// SM011's) are not counted.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct MixedFormat;
    code = "FM011",
    name = "mixed-format",
    family = Format,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
    fix = SafeOrUnsafe,
}

/// Share of a column's values its usual spelling must have.
const MIN_SHARE: f64 = 0.9;
/// Values a column needs before it has a convention.
const MIN_VALUES: usize = 20;
/// Set in every derived number that holds a reading (0: blank or unreadable).
const PRESENT: u64 = 1 << 63;

/// The date and yes/no columns of one input.
pub struct Prepared {
    columns: Vec<(usize, Kind)>,
    order: DateOrder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Boolean,
}

impl Check for MixedFormat {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let columns: Vec<(usize, Kind)> = cx
            .profile
            .columns
            .mapped()
            .filter_map(|(c, role)| match role.kind() {
                k if k.is_date() => Some((c, Kind::Date)),
                ValueKind::Boolean => Some((c, Kind::Boolean)),
                _ => None,
            })
            .collect();
        (!columns.is_empty()).then_some(Prepared {
            columns,
            order: cx.profile.locale.date_order,
        })
    }

    fn derived_width(&self, p: &Prepared) -> usize {
        p.columns.len()
    }

    /// Per column, how the value is written and what it says (see [`DateStyle::pack`]
    /// and [`Spelling::pack`]); 0 for a blank or unreadable value.
    fn derive(
        &self,
        p: &Prepared,
        record: &RecordView<'_>,
        _scratch: &mut String,
        out: &mut Vec<u64>,
    ) {
        for &(column, kind) in &p.columns {
            let value = record.get(column);
            out.push(match kind {
                Kind::Date => DateStyle::read(value, p.order).map_or(0, |(s, d)| s.pack(d)),
                Kind::Boolean => Spelling::read(value).map_or(0, Spelling::pack),
            });
        }
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            let width = p.columns.len();
            for (slot, &(column, kind)) in p.columns.iter().enumerate() {
                let values = input.derived.iter().skip(slot).step_by(width).copied();
                match kind {
                    Kind::Date => dates(table, column, values, sink),
                    Kind::Boolean => booleans(table, column, values, sink),
                }
            }
        }
    }
}

/// The family a value belongs to and the one most values of the column share, when
/// that one has [`MIN_SHARE`] of them.
fn usual<K: Copy + Eq + std::hash::Hash + Ord>(
    keys: impl Iterator<Item = K>,
) -> Option<(K, usize)> {
    let mut counts: FxHashMap<K, usize> = FxHashMap::default();
    let mut total = 0usize;
    for k in keys {
        *counts.entry(k).or_default() += 1;
        total += 1;
    }
    let mut counts: Vec<(K, usize)> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (key, n) = *counts.first()?;
    let mixed = counts.len() > 1;
    (mixed && total >= MIN_VALUES && n as f64 >= total as f64 * MIN_SHARE).then_some((key, n))
}

fn dates(
    table: &crate::input::table::Table,
    column: usize,
    values: impl Iterator<Item = u64> + Clone,
    sink: &mut DatasetSink,
) {
    let read = values.map(DateStyle::unpack);
    let Some((family, n)) = usual(read.clone().flatten().map(|(s, _)| s.family())) else {
        return;
    };
    // The padding most of the usual values have, for the fixes.
    let padded = read
        .clone()
        .flatten()
        .filter(|(s, _)| s.family() == family)
        .filter(|(s, _)| s.padded)
        .count()
        * 2
        >= n;
    let target = DateStyle { padded, ..family };
    let header = table.header_name(column);
    for (record, reading) in read.enumerate() {
        let Some((style, date)) = reading else {
            continue;
        };
        if style.family() == family {
            continue;
        }
        let written = style.write(date);
        let shown = written.as_deref().unwrap_or("a month name");
        sink.report(
            table,
            record,
            Some(column),
            written.as_deref(),
            format!(
                "`{header}` = `{shown}` is written {} unlike the column's other {} dates ({}): a spreadsheet or an import reading the column one way reads it wrong",
                style.describe(),
                group_thousands(n),
                target.describe()
            ),
        );
        if let Some(new) = target.write(date) {
            let applicability = if style.ambiguous(date) {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            sink.fix(&new, applicability);
        }
    }
}

fn booleans(
    table: &crate::input::table::Table,
    column: usize,
    values: impl Iterator<Item = u64> + Clone,
    sink: &mut DatasetSink,
) {
    let read = values.map(Spelling::unpack);
    let Some((family, n)) = usual(read.clone().flatten().map(Spelling::family)) else {
        return;
    };
    let header = table.header_name(column);
    for (record, spelling) in read.enumerate() {
        let Some(spelling) = spelling else {
            continue;
        };
        if spelling.family() == family {
            continue;
        }
        let written = spelling.write();
        let target = Spelling {
            truth: spelling.truth,
            ..family
        };
        sink.report(
            table,
            record,
            Some(column),
            Some(&written),
            format!(
                "`{header}` = `{written}` is written unlike the column's other {} values (`{}`/`{}`): a filter on one spelling misses it",
                group_thousands(n),
                Spelling { truth: true, ..family }.write(),
                Spelling { truth: false, ..family }.write(),
            ),
        );
        let new = target.write();
        if !new.is_empty() {
            sink.fix(&new, Applicability::Safe);
        }
    }
}

/// How a date-only value is written. `Numeric` dates are three numbers with one
/// separator; the others are kept as a kind only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct DateStyle {
    kind: DateKind,
    /// `-`, `/` or `.` (numeric dates).
    sep: u8,
    year_first: bool,
    two_digit_year: bool,
    day_first: bool,
    /// Day and month with two digits (`05.01.2024`, not `5.1.2024`).
    padded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum DateKind {
    Numeric,
    /// `20240105`.
    Compact,
    MonthName,
}

impl DateStyle {
    /// The style and date of a date-only value; `None` for blanks, non-dates, dates with
    /// a time, and epoch numbers.
    fn read(value: &str, order: DateOrder) -> Option<(DateStyle, Date)> {
        // Dates with a time are not compared: tell them before parsing.
        if value.is_empty() || value.bytes().any(|b| b == b':') {
            return None;
        }
        let date = parse_date(value, order)?;
        // `1970-01-01` stands for no date (SM011's): it says nothing of the convention.
        if is_placeholder_date(date) {
            return None;
        }
        let plain = DateStyle {
            kind: DateKind::Numeric,
            sep: 0,
            year_first: false,
            two_digit_year: false,
            day_first: false,
            padded: false,
        };
        if value.bytes().all(|b| b.is_ascii_digit()) {
            return (value.len() == 8).then_some((
                DateStyle {
                    kind: DateKind::Compact,
                    ..plain
                },
                date,
            ));
        }
        if value.bytes().any(|b| b.is_ascii_alphabetic()) || !value.is_ascii() {
            let kind = DateKind::MonthName;
            return Some((DateStyle { kind, ..plain }, date));
        }
        let sep = value.bytes().find(|b| matches!(b, b'-' | b'/' | b'.'))?;
        let parts: Vec<&str> = value.split(char::from(sep)).collect();
        let [a, b, c] = parts[..] else { return None };
        let (_, month, day) = date.ymd();
        let year_first = a.len() == 4;
        let (day_part, month_part) = if year_first {
            (c, b)
        } else if a.parse::<u32>().ok() == Some(day) && b.parse::<u32>().ok() == Some(month) {
            (a, b)
        } else {
            (b, a)
        };
        Some((
            DateStyle {
                kind: DateKind::Numeric,
                sep,
                year_first,
                two_digit_year: !year_first && c.len() == 2,
                day_first: !year_first && day_part == a && month != day,
                padded: day_part.len() == 2 && month_part.len() == 2,
            },
            date,
        ))
        .map(|(mut s, d)| {
            // `05/05/2024` reads the same either way round: its order is the locale's.
            if !year_first && month == day {
                s.day_first = order == DateOrder::Dmy || sep == b'.';
            }
            (s, d)
        })
    }

    /// Everything but the padding: what tells two conventions apart.
    fn family(self) -> DateStyle {
        DateStyle {
            padded: true,
            ..self
        }
    }

    /// Whether the date of this value is a reading among others: day and month could be
    /// swapped, or its year has two digits.
    fn ambiguous(self, date: Date) -> bool {
        let (_, month, day) = date.ymd();
        let swappable = !self.year_first && self.sep != b'.' && day <= 12 && month != day;
        // `05.01.68`: the century is a guess; `24-01-05` may be year first.
        self.kind == DateKind::Numeric && (swappable || self.two_digit_year)
    }

    /// The date written in this style (`None` for month names: which language and
    /// abbreviation is not known).
    fn write(self, date: Date) -> Option<String> {
        let (year, month, day) = date.ymd();
        match self.kind {
            DateKind::MonthName => None,
            DateKind::Compact => Some(format!("{year:04}{month:02}{day:02}")),
            DateKind::Numeric => {
                let sep = char::from(self.sep);
                let num = |n: u32| {
                    if self.padded {
                        format!("{n:02}")
                    } else {
                        n.to_string()
                    }
                };
                let year_text = if self.two_digit_year {
                    format!("{:02}", year.rem_euclid(100))
                } else {
                    format!("{year:04}")
                };
                Some(if self.year_first {
                    format!("{year_text}{sep}{}{sep}{}", num(month), num(day))
                } else if self.day_first {
                    format!("{}{sep}{}{sep}{year_text}", num(day), num(month))
                } else {
                    format!("{}{sep}{}{sep}{year_text}", num(month), num(day))
                })
            }
        }
    }

    /// `as YYYY-MM-DD`, for messages.
    fn describe(self) -> String {
        match self.kind {
            DateKind::MonthName => "with a month name".to_owned(),
            DateKind::Compact => "as `YYYYMMDD`".to_owned(),
            DateKind::Numeric => {
                let sep = char::from(self.sep);
                let (d, m) = if self.padded {
                    ("DD", "MM")
                } else {
                    ("D", "M")
                };
                let y = if self.two_digit_year { "YY" } else { "YYYY" };
                let text = if self.year_first {
                    format!("{y}{sep}{m}{sep}{d}")
                } else if self.day_first {
                    format!("{d}{sep}{m}{sep}{y}")
                } else {
                    format!("{m}{sep}{d}{sep}{y}")
                };
                format!("as `{text}`")
            }
        }
    }

    /// Packs the style and date into one derived number.
    fn pack(self, date: Date) -> u64 {
        let kind = match self.kind {
            DateKind::Numeric => 0u64,
            DateKind::Compact => 1,
            DateKind::MonthName => 2,
        };
        let bits = kind
            | u64::from(self.sep) << 2
            | u64::from(self.year_first) << 10
            | u64::from(self.two_digit_year) << 11
            | u64::from(self.day_first) << 12
            | u64::from(self.padded) << 13;
        PRESENT | bits << 32 | u64::from(date.0 as u32)
    }

    fn unpack(n: u64) -> Option<(DateStyle, Date)> {
        if n & PRESENT == 0 {
            return None;
        }
        let bits = (n >> 32) & 0x7FFF_FFFF;
        let kind = match bits & 3 {
            0 => DateKind::Numeric,
            1 => DateKind::Compact,
            _ => DateKind::MonthName,
        };
        let style = DateStyle {
            kind,
            sep: ((bits >> 2) & 0xFF) as u8,
            year_first: bits & 1 << 10 != 0,
            two_digit_year: bits & 1 << 11 != 0,
            day_first: bits & 1 << 12 != 0,
            padded: bits & 1 << 13 != 0,
        };
        Some((style, Date(n as u32 as i32)))
    }
}

/// The yes/no words exports use, as pairs: index 2k is true, 2k+1 false.
const WORDS: [&str; 20] = [
    "true",
    "false",
    "t",
    "f",
    "yes",
    "no",
    "y",
    "n",
    "1",
    "0",
    "on",
    "off",
    "checked",
    "unchecked",
    "да",
    "нет",
    "д",
    "н",
    "истина",
    "ложь",
];

/// How a yes/no value is written: which pair of words, in which case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Spelling {
    /// Index of the pair in [`WORDS`].
    pair: u8,
    case: Case,
    truth: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Case {
    Lower,
    Upper,
    Title,
}

impl Spelling {
    fn read(value: &str) -> Option<Spelling> {
        let truth = parse_bool(value)?;
        let lower = value.to_lowercase();
        let index = WORDS.iter().position(|w| *w == lower)?;
        let case = if value == lower {
            Case::Lower
        } else if value == value.to_uppercase() {
            Case::Upper
        } else if value == title(&lower) {
            Case::Title
        } else {
            return None;
        };
        // Digits have no case: one spelling.
        let case = if lower.bytes().all(|b| b.is_ascii_digit()) {
            Case::Lower
        } else {
            case
        };
        Some(Spelling {
            pair: (index / 2) as u8,
            case,
            truth,
        })
    }

    fn family(self) -> Spelling {
        Spelling {
            truth: true,
            ..self
        }
    }

    fn write(self) -> String {
        let word = WORDS[usize::from(self.pair) * 2 + usize::from(!self.truth)];
        match self.case {
            Case::Lower => word.to_owned(),
            Case::Upper => word.to_uppercase(),
            Case::Title => title(word),
        }
    }

    fn pack(self) -> u64 {
        let case = match self.case {
            Case::Lower => 0u64,
            Case::Upper => 1,
            Case::Title => 2,
        };
        PRESENT | u64::from(self.pair) << 8 | case << 4 | u64::from(self.truth)
    }

    fn unpack(n: u64) -> Option<Spelling> {
        if n & PRESENT == 0 {
            return None;
        }
        Some(Spelling {
            pair: ((n >> 8) & 0xFF) as u8,
            case: match (n >> 4) & 3 {
                0 => Case::Lower,
                1 => Case::Upper,
                _ => Case::Title,
            },
            truth: n & 1 != 0,
        })
    }
}

/// `Yes` from `yes`.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_and_written_in_their_style() {
        let (iso, d) = DateStyle::read("2024-01-05", DateOrder::Dmy).unwrap();
        let (dotted, _) = DateStyle::read("05.01.2024", DateOrder::Dmy).unwrap();
        assert_eq!(dotted.write(d).as_deref(), Some("05.01.2024"));
        assert_eq!(iso.write(d).as_deref(), Some("2024-01-05"));
        let (us, d2) = DateStyle::read("1/5/2024", DateOrder::Mdy).unwrap();
        assert_eq!(d2, d);
        assert_eq!(us.write(d).as_deref(), Some("1/5/2024"));
        assert!(us.ambiguous(d));
        assert!(!dotted.ambiguous(d));
        let (short, _) = DateStyle::read("5.1.2024", DateOrder::Dmy).unwrap();
        assert_eq!(short.family(), dotted.family());
        let (s, d3) = DateStyle::read("22/11/26", DateOrder::Dmy).unwrap();
        assert_eq!(s.write(d3).as_deref(), Some("22/11/26"));
        assert_eq!(DateStyle::unpack(s.pack(d3)), Some((s, d3)));
        assert!(DateStyle::read("2024-01-05T10:00:00Z", DateOrder::Dmy).is_none());
    }

    #[test]
    fn yes_no_spellings_round_trip() {
        for v in ["true", "FALSE", "Yes", "no", "1", "Да", "НЕТ"] {
            let s = Spelling::read(v).unwrap();
            assert_eq!(s.write(), v);
            assert_eq!(Spelling::unpack(s.pack()), Some(s));
        }
        assert!(Spelling::read("yEs").is_none());
    }
}
