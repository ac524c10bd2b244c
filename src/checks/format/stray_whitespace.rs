use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::text::{is_invisible, is_line_break, is_odd_space, tidy};

declare_check! {
    /// ## What it checks
    /// Values with spaces, tabs or line breaks at either end (`"Acme "`), or holding
    /// characters that show as nothing or as a plain space and are not one: zero-width
    /// spaces, word joiners, a byte-order mark or soft hyphen inside the text, control
    /// characters, no-break spaces. Free-text columns (description, notes, next step,
    /// loss reason) and values that span lines are left alone: there, spacing is
    /// formatting. So is a space before a value a spreadsheet would run as a formula
    /// (` +7(342)2000000`): exporters add it to keep the value text.
    ///
    /// ## Why it matters
    /// `Acme ` and `Acme` are two companies to a pivot table, a VLOOKUP, a report
    /// grouped by value and a duplicate rule; an email with a zero-width space bounces.
    /// None of it shows on screen, so nobody fixes it by hand.
    ///
    /// ## Example
    /// | Company           | flagged |
    /// |-------------------|---------|
    /// | `Acme ` (a space at the end) | yes |
    /// | `Acme\u{200b}Corp` | yes    |
    /// | `Acme Corp`       | no      |
    /// | ` +7(342)2000000` | no (a spreadsheet guard) |
    ///
    /// ## Fix
    /// Safe: the value without the whitespace at its ends and without the invisible
    /// characters, no-break spaces made plain spaces.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct StrayWhitespace;
    code = "FM010",
    name = "stray-whitespace",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    fix = Safe,
}

/// Roles whose values are prose.
const FREE_TEXT: [Role; 3] = [Role::Description, Role::NextStep, Role::LossReason];

/// Columns checked: every column but the free-text ones.
pub struct Prepared {
    checked: Vec<bool>,
}

impl Prepared {
    fn checks(&self, column: usize) -> bool {
        self.checked.get(column).copied().unwrap_or(false)
    }
}

impl Check for StrayWhitespace {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let checked: Vec<bool> = (0..cx.profile.width())
            .map(|c| {
                cx.profile
                    .columns
                    .role(c)
                    .is_none_or(|r| !FREE_TEXT.contains(&r))
            })
            .collect();
        checked.contains(&true).then_some(Prepared { checked })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        // Edges first: whitespace the reader trimmed.
        for &(column, raw) in record.padded {
            if !p.checks(column) || raw.contains(is_line_break) || raw.trim().is_empty() {
                continue;
            }
            let value = record.get(column);
            let (mut start, end) = (
                raw.len() - raw.trim_start().len(),
                raw.len() - raw.trim_end().len(),
            );
            if start > 0 && raw.starts_with(' ') && value.starts_with(['+', '=', '-', '@']) {
                // ` +7(342)2000000`: the space exporters put before a value a spreadsheet
                // would take for a formula, so that it stays text. A convention.
                start = 0;
            }
            if start == 0 && end == 0 {
                continue;
            }
            let at = match (start > 0, end > 0) {
                (true, true) => "at both ends",
                (true, false) => "at its start",
                _ => "at its end",
            };
            let inside = if has_invisible(value) {
                " and invisible characters inside"
            } else {
                ""
            };
            sink.report(
                Some(column),
                Some(raw),
                format!(
                    "`{}` = `{raw}` has whitespace {at}{inside}: it groups and matches apart from `{}`",
                    record.header(column),
                    tidy(raw)
                ),
            );
            let fixed = if start == 0 {
                // Keep the exporter's leading space; only the end is tidied.
                format!(
                    "{}{}",
                    &raw[..raw.len() - raw.trim_start().len()],
                    tidy(raw)
                )
            } else {
                tidy(raw).into_owned()
            };
            sink.fix(&fixed, Applicability::Safe);
        }
        // Then invisible characters in values without padding, in records that may hold
        // one (a line break inside a quoted field is a control byte too).
        if !maybe_invisible(record.raw) {
            return;
        }
        for (column, value) in record.fields.iter().enumerate() {
            if value.is_empty() || !maybe_invisible(value.as_bytes()) || !p.checks(column) {
                continue;
            }
            if record.padded.iter().any(|(c, _)| *c == column) || value.contains(is_line_break) {
                continue;
            }
            let found: Vec<String> = value
                .chars()
                .filter(|c| is_invisible(*c) || is_odd_space(*c))
                .map(|c| format!("U+{:04X}", u32::from(c)))
                .collect();
            if found.is_empty() {
                continue;
            }
            let mut named = found.clone();
            named.dedup();
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{}` holds {} character{} that look{} like nothing or a plain space ({})",
                    record.header(column),
                    tidy(value),
                    found.len(),
                    if found.len() == 1 { "" } else { "s" },
                    if found.len() == 1 { "s" } else { "" },
                    named.join(", ")
                ),
            );
            sink.fix(&tidy(value), Applicability::Safe);
        }
    }
}

/// Whether a value holds an invisible character or an odd space.
fn has_invisible(value: &str) -> bool {
    maybe_invisible(value.as_bytes()) && value.chars().any(|c| is_invisible(c) || is_odd_space(c))
}

/// A fast byte test: control bytes, or the lead bytes of U+00A0/U+00AD (`C2`), of
/// U+2007–U+2060 (`E2`) and of U+FEFF (`EF`). False means no invisible character.
/// Sixteen bytes at a time without branching, which the compiler vectorizes.
#[inline]
fn maybe_invisible(bytes: &[u8]) -> bool {
    #[inline(always)]
    fn flag(b: u8) -> u8 {
        u8::from(b < 0x20)
            | u8::from(b == 0x7F)
            | u8::from(b == 0xC2)
            | u8::from(b == 0xE2)
            | u8::from(b == 0xEF)
    }
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(0, |any, &b| any | flag(b)) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| flag(b) != 0)
}
