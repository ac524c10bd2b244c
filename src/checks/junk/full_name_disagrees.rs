use super::person_columns;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::name::{name_key, same_given_name};
use crate::normalize::text::fold_alnum;

declare_check! {
    /// ## What it checks
    /// A contact's or lead's full name (`Name`, `Full Name`, `ФИО`) that does not hold its
    /// first and last names: every word of the last name must be a word of the full name,
    /// and so must the first name, its initial or a nickname of it (`Bob` for `Robert`),
    /// in any order (`Иванов Иван Петрович`
    /// holds `Иван` and `Иванов`). Case, accents aside, punctuation and a salutation do
    /// not count. Records with a blank first, last or full name are left alone.
    ///
    /// ## Why it matters
    /// The full name is what lists, emails and duplicate reviews show; when it was
    /// written once and the name fields edited later (or the other way round), people
    /// are greeted and merged by the wrong name.
    ///
    /// ## Example
    /// | FirstName | LastName | Name | flagged |
    /// |-----------|----------|------|---------|
    /// | `Ann` | `Lee` | `Ann Smith` | yes |
    /// | `Ann` | `Lee` | `Mrs. Ann B. Lee` | no |
    /// | `Ann` | `Lee` | `A. Lee` | no |
    /// | `Иван` | `Иванов` | `Иванов Иван Петрович` | no |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct FullNameDisagrees;
    code = "JK005",
    name = "full-name-disagrees",
    family = Junk,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Outreach],
}

pub struct Prepared {
    first: usize,
    last: usize,
    full: usize,
}

impl Check for FullNameDisagrees {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let columns = person_columns(cx)?;
        Some(Prepared {
            first: columns.column(Role::FirstName)?,
            last: columns.column(Role::LastName)?,
            full: columns.column(Role::FullName)?,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        let (first, last, full) = (record.get(p.first), record.get(p.last), record.get(p.full));
        if first.trim().is_empty() || last.trim().is_empty() || full.trim().is_empty() {
            return;
        }
        // Compared without spaces first (`Mary-Ann` in `MARY ANN`, `山田` in `山田太郎`),
        // then word by word for initials and nicknames.
        let squashed = |v: &str| words(v).concat();
        let whole = squashed(full);
        let within = |v: &str| {
            let part = squashed(v);
            !part.is_empty() && whole.contains(&part)
        };
        let in_full = words(full);
        let holds = |w: &String| in_full.contains(w);
        let last_ok = within(last) || words(last).iter().all(holds);
        let first_ok = within(first)
            || words(first)
                .iter()
                .all(|w| in_full.iter().any(|f| same_given_name(f, w)));
        if last_ok && first_ok {
            return;
        }
        let missing: Vec<String> = [(first_ok, p.first, first), (last_ok, p.last, last)]
            .iter()
            .filter(|(ok, _, _)| !ok)
            .map(|(_, column, value)| format!("`{}` = `{}`", record.header(*column), value.trim()))
            .collect();
        sink.report(
            Some(p.full),
            Some(full),
            format!(
                "`{}` = `{}` does not hold {}: likely one of them was edited without the other",
                record.header(p.full),
                full.trim(),
                missing.join(" or ")
            ),
        );
    }
}

/// The words of a name as compared: ASCII-folded (`José` is `jose`; other scripts
/// transliterated, so `山田太郎` is four words), lowercase, honorifics dropped.
/// A value that is only an honorific-like word (`G`, `Dr`) stays that word.
fn words(value: &str) -> Vec<String> {
    let words: Vec<String> = name_key(value)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        let raw = fold_alnum(value);
        return if raw.is_empty() {
            Vec::new()
        } else {
            vec![raw]
        };
    }
    words
}
