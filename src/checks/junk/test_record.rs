use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::checks::prelude::*;
use crate::input::columns::Role;

declare_check! {
    /// ## What it checks
    /// Test and fake records: a person named like a placeholder (`Test Test`,
    /// `Тест Тестов`, `John Doe`, `Mickey Mouse`, `First Last`; the bundled list of
    /// fake names), or a person, company or deal name with the word `test`, `testing`,
    /// `тест` or `тестовый` in it (`Eric's Test`, `Тестовый клиент 1`).
    ///
    /// ## Why it matters
    /// Test data left in production is counted in every report (**pipeline**,
    /// **conversion**, contact counts) and mailed by campaigns.
    ///
    /// ## Example
    /// | name                 | flagged |
    /// |----------------------|---------|
    /// | `Тест Тестов`        | yes     |
    /// | `Тестовый клиент 1`  | yes     |
    /// | `Blue Test`          | yes     |
    /// | `Contest Systems`    | no      |
    /// | `Testa Foods`        | no      |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct TestRecord;
    code = "JK002",
    name = "test-record",
    family = Junk,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

static FAKE_NAMES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/placeholder_person_names.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
});

/// First words of the fake names.
static FAKE_FIRST_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    FAKE_NAMES
        .iter()
        .filter_map(|n| n.split_whitespace().next())
        .collect()
});

/// Words that mark a test record wherever they stand in a name.
const TEST_WORDS: &[&str] = &[
    "test",
    "testing",
    "тест",
    "тестовый",
    "тестовая",
    "тестовое",
];

pub struct Prepared {
    /// Columns read word by word.
    names: Vec<usize>,
    first: Option<usize>,
    last: Option<usize>,
    full: Option<usize>,
}

/// Whether a whole name (any case and spacing) is on the list of fake names.
fn listed_fake(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    FAKE_NAMES.contains(words.join(" ").as_str())
}

/// Whether a first and last name make a placeholder person name, or one is a test word.
pub(super) fn fake_name(first: &str, last: &str) -> bool {
    listed_fake(&format!("{first} {last}"))
        || [first, last]
            .iter()
            .any(|v| TEST_WORDS.contains(&v.trim().to_lowercase().as_str()))
}

impl Check for TestRecord {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let columns = &cx.profile.columns;
        let p = Prepared {
            names: super::name_columns(cx),
            first: columns.column(Role::FirstName),
            last: columns.column(Role::LastName),
            full: columns.column(Role::FullName),
        };
        (!p.names.is_empty()).then_some(p)
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        // Most records name no fake person: only a name starting with the first word of
        // one (`john`, `тест`, `mickey`) is looked up whole.
        let first_word = |v: &str| -> bool {
            let w = v.split_whitespace().next().unwrap_or_default();
            !w.is_empty() && FAKE_FIRST_WORDS.contains(w.to_lowercase().as_str())
        };
        let candidate = match (p.first, p.full) {
            (_, Some(full)) if !record.get(full).is_empty() => first_word(record.get(full)),
            (Some(f), _) => first_word(record.get(f)),
            _ => false,
        };
        // The person's whole name, from one column or two.
        let whole = match (p.first, p.last, p.full) {
            _ if !candidate => None,
            (_, _, Some(full)) if !record.get(full).is_empty() => {
                Some((full, record.get(full).to_lowercase()))
            }
            (Some(f), Some(l), _) => Some((
                l,
                format!("{} {}", record.get(f), record.get(l))
                    .trim()
                    .to_lowercase(),
            )),
            _ => None,
        };
        if let Some((column, name)) = whole
            && listed_fake(&name)
            && name.contains(' ')
        {
            sink.report_soft(
                Some(column),
                Some(record.get(column)),
                format!("`{name}` is a placeholder person name: a test or fake record"),
            );
            return;
        }
        for &column in &p.names {
            let value = record.get(column);
            // Cheap test first: no `test`/`тест` in any case, no test word.
            let maybe = value
                .as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"test"))
                || value.contains("ест")
                || value.contains("ЕСТ");
            if !maybe {
                continue;
            }
            let hit = value
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .find(|w| TEST_WORDS.contains(&w.as_str()));
            // A whole value of `test` is placeholder-value (CP003).
            if hit.is_none() || value.eq_ignore_ascii_case("test") || value.to_lowercase() == "тест"
            {
                continue;
            }
            // Soft: an export whose every record is test data (a demo database) is one
            // notice, not a finding per record.
            sink.report_soft(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` names a test record",
                    record.header(column)
                ),
            );
            return;
        }
    }
}
