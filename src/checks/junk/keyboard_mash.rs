use super::name_columns;
use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Names typed by running a finger along the keyboard: five or more letters in a
    /// row of a QWERTY or ЙЦУКЕН keyboard, either way (`asdfgh`, `qwerty`, `Фывапр`,
    /// `йцукен`, `lkjhg`), in first, last, full or company name columns.
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

/// Whether a word holds a run of [`MIN_RUN`] neighbouring keys of one row.
pub fn is_mash(word: &str) -> bool {
    let letters: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    if letters.len() < MIN_RUN {
        return false;
    }
    ROWS.iter().any(|row| {
        let keys: Vec<char> = row.chars().collect();
        let position = |c: char| keys.iter().position(|k| *k == c);
        let mut run = 1;
        let mut direction = 0i32;
        for pair in letters.windows(2) {
            let step = match (position(pair[0]), position(pair[1])) {
                (Some(a), Some(b)) => b as i32 - a as i32,
                _ => 0,
            };
            if (step == 1 || step == -1) && (direction == 0 || step == direction) {
                run += 1;
                direction = step;
            } else if step == 1 || step == -1 {
                run = 2;
                direction = step;
            } else {
                run = 1;
                direction = 0;
            }
            if run >= MIN_RUN {
                return true;
            }
        }
        false
    })
}

impl Check for KeyboardMash {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns = name_columns(cx);
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            if !value.split(|c: char| !c.is_alphabetic()).any(is_mash) {
                continue;
            }
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is keys typed in a row, not a name (form spam or a test)",
                    record.header(column)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_mash;

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
