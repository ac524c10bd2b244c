use std::sync::LazyLock;

use super::name_columns;
use crate::checks::prelude::*;
use crate::input::columns::Role;

declare_check! {
    /// ## What it checks
    /// Names typed by running a finger along the keyboard: five or more letters in a
    /// row of a QWERTY or ЙЦУКЕН keyboard, either way (`asdfgh`, `qwerty`, `Фывапр`,
    /// `йцукен`, `lkjhg`), or one key held down: the same letter four or more times in a
    /// row (`Aaaaaa`, `Zzzzz`; no name triples a letter more than that; people's names
    /// only, as `AAAA Plumbing` lists first on purpose), in first, last, full or company
    /// name columns.
    ///
    /// ## Why it matters
    /// Form spam and test typing: the record is no person or company, yet it counts in
    /// lead, **conversion** and contact reports, and sales may call it.
    ///
    /// ## Example
    /// | FirstName | flagged |
    /// |-----------|---------|
    /// | `Фывапр`  | yes     |
    /// | `asdfgh`  | yes     |
    /// | `Aaaaaa`  | yes (one key held down) |
    /// | `Wertheim`| no (only four keys in a row) |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct KeyboardMash;
    code = "JK001",
    name = "keyboard-mash",
    family = Junk,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

/// Letter rows of the QWERTY and ЙЦУКЕН layouts.
const ROWS: [&str; 6] = [
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
];

/// Keys in a row, either way, that make a mash.
const MIN_RUN: usize = 5;

/// Row and position of every key: ASCII letters by byte, Cyrillic by offset from `а`.
/// A key's row and position in it.
type Key = Option<(u8, i8)>;

static KEYS: LazyLock<([Key; 128], [Key; 96])> = LazyLock::new(|| {
    let mut ascii = [None; 128];
    let mut cyrillic = [None; 96];
    for (row, keys) in ROWS.iter().enumerate() {
        for (i, c) in keys.chars().enumerate() {
            let at = Some((row as u8, i as i8));
            match c {
                'a'..='z' => ascii[c as usize] = at,
                _ => {
                    if let Some(slot) = (c as usize)
                        .checked_sub(0x430)
                        .and_then(|o| cyrillic.get_mut(o))
                    {
                        *slot = at;
                    }
                }
            }
        }
    }
    (ascii, cyrillic)
});

/// The row and position of a lowercase letter on either layout.
fn key(c: char) -> Option<(u8, i8)> {
    let (ascii, cyrillic) = &*KEYS;
    match c as usize {
        n if n < 128 => ascii[n],
        n => n
            .checked_sub(0x430)
            .and_then(|o| cyrillic.get(o).copied().flatten()),
    }
}

/// Whether a word holds a run of [`MIN_RUN`] neighbouring keys of one row.
pub fn is_mash(word: &str) -> bool {
    if word.chars().nth(MIN_RUN - 1).is_none() {
        return false;
    }
    let mut previous: Option<(u8, i8)> = None;
    let mut run = 1;
    let mut direction = 0;
    let letters: &mut dyn Iterator<Item = char> = if word.is_ascii() {
        &mut word.bytes().map(|b| char::from(b.to_ascii_lowercase()))
    } else {
        &mut word.chars().flat_map(char::to_lowercase)
    };
    for c in letters {
        let here = key(c);
        let step = match (previous, here) {
            (Some((r1, a)), Some((r2, b))) if r1 == r2 => b - a,
            _ => 0,
        };
        if step == 1 || step == -1 {
            run = if direction == step { run + 1 } else { 2 };
            direction = step;
        } else {
            run = 1;
            direction = 0;
        }
        if run >= MIN_RUN {
            return true;
        }
        previous = here;
    }
    false
}

/// Letters a held-down key repeats before a word is no name.
const HELD: usize = 4;

/// Whether a word repeats one letter `HELD` times or more in a row, case folded.
pub fn held_key(word: &str) -> bool {
    let mut run = 0;
    let mut previous = None;
    for c in word.chars().flat_map(char::to_lowercase) {
        run = if Some(c) == previous { run + 1 } else { 1 };
        if run >= HELD {
            return true;
        }
        previous = Some(c);
    }
    false
}

impl Check for KeyboardMash {
    type Options = ();
    /// Name columns, each with whether it names a person (a held key is looked for in
    /// people's names only: `AAAA Plumbing` lists first in a directory on purpose).
    type Prepared = Vec<(usize, bool)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, bool)>> {
        let columns: Vec<(usize, bool)> = name_columns(cx)
            .into_iter()
            .map(|c| {
                let role = cx.profile.columns.role(c);
                let person = matches!(
                    role,
                    Some(Role::FirstName | Role::LastName | Role::FullName)
                );
                (c, person)
            })
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(
        &self,
        columns: &Vec<(usize, bool)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &(column, person) in columns {
            let value = record.get(column);
            let words = || value.split(|c: char| !c.is_alphabetic());
            let what = if words().any(is_mash) {
                "keys typed in a row"
            } else if person && words().any(held_key) {
                "one key held down"
            } else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is {what}, not a name (form spam or a test)",
                    record.header(column)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{held_key, is_mash};

    #[test]
    fn held_keys() {
        for h in ["Aaaaaa", "zzzz", "Ooooo", "Ыыыы"] {
            assert!(held_key(h), "{h}");
        }
        for w in ["Aaron", "Gallo", "Bookkeeper", "Hawaii", "Laaa"] {
            assert!(!held_key(w), "{w}");
        }
    }

    #[test]
    fn mashes() {
        for m in ["asdfgh", "Фывапр", "йцукен", "qwerty", "lkjhg", "zxcvb"] {
            assert!(is_mash(m), "{m}");
        }
        for w in [
            "Wertheim",
            "Степанов",
            "Poiret",
            "Asdrubal",
            "Ivanova",
            "Tyuiop",
        ] {
            assert_eq!(is_mash(w), w == "Tyuiop", "{w}");
        }
    }
}
