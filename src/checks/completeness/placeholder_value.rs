use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use crate::checks::prelude::*;
use crate::config::closest;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::normalize::text::{fold_spaces, fold_spaces_into};

declare_check! {
    /// ## What it checks
    /// Values that stand in for a missing value: `n/a`, `-`, `unknown`, `none`, `test`,
    /// `???`, `0000`, `TBD`, and per role `noemail@example.com`, `000-000-0000`, … in
    /// typed text columns (names, email, phone, company, address, picklists). Runs of one
    /// punctuation character (`---`, `...`) and of one digit (`0000000`) count too.
    ///
    /// ## Why it matters
    /// A placeholder passes "required" rules and completeness metrics while carrying no
    /// information; it also creates false duplicates (every `unknown@unknown.com` matches).
    ///
    /// ## Example
    /// | column    | value           | flagged |
    /// |-----------|-----------------|---------|
    /// | `Company` | `N/A`           | yes     |
    /// | `Email`   | `none@none.com` | yes     |
    /// | `Phone`   | `000-000-0000`  | yes     |
    /// | `Company` | `Nana Foods`    | no      |
    /// | `Amount`  | `0`             | no (numbers are not checked) |
    ///
    /// ## Options
    /// - `checks.placeholder-value.values` / `extend-values`: values for every column.
    /// - `checks.placeholder-value.by-role.<role>`: extra values for one role.
    ///
    /// ## Fix
    /// Blank the field: safe (a placeholder says there is no value); unsafe for a single
    /// character (`x` may be a picklist's mark), for a word in a person's name (`Nil`,
    /// `Na` are given names too) and where the rule file requires the field. No fix for fields every CRM requires (a name, a lead's company, a stage,
    /// close date, subject or status: the import would refuse the blank), and none for `test`,
    /// `demo`, `sample` and the like, which mark a test record to delete, not a value to
    /// clear.
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct PlaceholderValue;
    code = "CP003",
    name = "placeholder-value",
    family = Completeness,
    scope = Record,
    severity = Warning,
    dimension = Completeness,
    fix = SafeOrUnsafe,
}

/// `[checks.placeholder-value]`.
#[derive(Debug, Default)]
pub struct Options {
    /// Values treated as placeholders in every text column (compared folded).
    values: Vec<String>,
    /// Placeholders per role, on top of `values`.
    by_role: BTreeMap<Role, Vec<String>>,
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(values) = table.strings("values") {
            self.values = values;
        }
        if let Some(values) = table.strings("extend-values") {
            self.values.extend(values);
        }
        for (name, at, values) in table.string_lists("by-role").unwrap_or_default() {
            match Role::parse(&name) {
                Some(role) => {
                    self.by_role.insert(role, values);
                }
                None => {
                    let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                    let hint = closest(&name, &names)
                        .map(|r| format!("; did you mean `{r}`?"))
                        .unwrap_or_default();
                    table.error_at(
                        at,
                        format!("unknown column role `{name}`{hint} (`crmaudit init` lists them)"),
                    );
                }
            }
        }
    }
}

/// The placeholders one column is compared with: the general list and its role's.
struct Matcher {
    values: HashSet<String>,
    /// Longest listed placeholder, in bytes (plus slack for collapsed spaces).
    max_len: usize,
    /// For each lowercase first byte, a bit per byte length (< 64) of the listed
    /// placeholders starting with it: an ASCII value without runs of spaces keeps its
    /// length when folded, so one of another shape cannot be listed and is not folded.
    shapes: Box<[u64; 256]>,
}

impl Matcher {
    fn new<'a>(values: impl Iterator<Item = &'a String>) -> Matcher {
        let folded: Vec<String> = values.map(|v| fold_spaces(v)).collect();
        let max_len = folded.iter().map(String::len).max().unwrap_or(0) + 8;
        let mut shapes = Box::new([0u64; 256]);
        for p in &folded {
            match (p.as_bytes().first(), p.len()) {
                (Some(first), len) if len < 64 => shapes[usize::from(*first)] |= 1 << len,
                // A long entry: disable the shortcut for its first byte.
                (Some(first), _) => shapes[usize::from(*first)] = u64::MAX,
                (None, _) => {}
            }
        }
        Matcher {
            values: folded.into_iter().collect(),
            max_len,
            shapes,
        }
    }

    /// Whether a value, or the value inside brackets (`[not provided]`, `(none)`,
    /// `<unknown>`: vendors bracket their placeholders), is listed.
    fn is_listed(&self, value: &str, scratch: &mut String) -> bool {
        if let Some(inner) = bracketed(value) {
            return self.is_listed_plain(inner, scratch);
        }
        self.is_listed_plain(value, scratch)
    }

    fn is_listed_plain(&self, value: &str, scratch: &mut String) -> bool {
        let bytes = value.as_bytes();
        if bytes.len() > self.max_len {
            return false;
        }
        let mut plain = true;
        let mut last_space = false;
        for &b in bytes {
            let space = b.is_ascii_whitespace();
            if b >= 0x80 || (space && last_space) {
                plain = false;
                break;
            }
            last_space = space;
        }
        if plain
            && (bytes.len() >= 64
                || self.shapes[usize::from(bytes[0].to_ascii_lowercase())] & (1 << bytes.len())
                    == 0)
        {
            return false;
        }
        fold_spaces_into(value, scratch);
        self.values.contains(scratch.as_str())
    }
}

/// The text inside one pair of brackets around a whole value.
fn bracketed(value: &str) -> Option<&str> {
    let value = value.trim();
    let (open, close) = match value.as_bytes().first()? {
        b'[' => ('[', ']'),
        b'(' => ('(', ')'),
        b'<' => ('<', '>'),
        b'{' => ('{', '}'),
        _ => return None,
    };
    let inner = value.strip_prefix(open)?.strip_suffix(close)?;
    (!inner.is_empty() && !inner.contains([open, close])).then_some(inner)
}

/// The matcher of each checked column of one input.
pub struct Prepared {
    /// Columns checked, with the index of their matcher.
    columns: Vec<(usize, usize)>,
    matchers: Vec<Matcher>,
    /// Columns the rule file requires: blanking them is a judgement.
    required: Vec<usize>,
    /// Columns of roles every CRM requires: blanking them is no fix.
    crm_required: Vec<usize>,
    /// Person-name columns: a placeholder word there may be a real name.
    person_names: Vec<usize>,
}

impl Check for PlaceholderValue {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let roles: Vec<(usize, Role)> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| {
                role.kind().is_typed_text()
                    && !matches!(role, Role::Description | Role::LossReason | Role::NextStep)
            })
            .collect();
        if roles.is_empty() {
            return None;
        }
        // One matcher per distinct role list.
        let mut matchers = Vec::new();
        let mut matcher_of: BTreeMap<Option<Role>, usize> = BTreeMap::new();
        let mut columns = Vec::with_capacity(roles.len());
        for (column, role) in roles {
            let key = options.by_role.contains_key(&role).then_some(role);
            let index = *matcher_of.entry(key).or_insert_with(|| {
                let extra = key.and_then(|r| options.by_role.get(&r));
                matchers.push(Matcher::new(
                    options.values.iter().chain(extra.into_iter().flatten()),
                ));
                matchers.len() - 1
            });
            columns.push((column, index));
        }
        let required = cx.required_columns();
        let crm_required = columns
            .iter()
            .map(|&(c, _)| c)
            .filter(|&c| {
                cx.profile.columns.role(c).is_some_and(|r| {
                    CRM_REQUIRED.contains(&r)
                        || (r == Role::Company && cx.profile.object == ObjectType::Lead)
                })
            })
            .collect();
        let person_names = columns
            .iter()
            .map(|&(c, _)| c)
            .filter(|&c| {
                matches!(
                    cx.profile.columns.role(c),
                    Some(Role::FirstName | Role::MiddleName | Role::LastName | Role::FullName)
                )
            })
            .collect();
        Some(Prepared {
            columns,
            matchers,
            required,
            crm_required,
            person_names,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &(column, matcher) in &p.columns {
            let value = record.get(column);
            if value.is_empty() {
                continue;
            }
            let listed = p.matchers[matcher].is_listed(value, &mut sink.scratch);
            if !listed && !is_filler(value) {
                continue;
            }
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` holds the placeholder `{value}`",
                    record.header(column)
                ),
            );
            if let Some(applicability) = blanking(p, column, value) {
                sink.fix("", applicability);
            }
        }
    }
}

/// Roles whose field CRMs require: blanking it fails the update. A lead's company too.
const CRM_REQUIRED: [Role; 8] = [
    Role::Name,
    Role::LastName,
    Role::FullName,
    Role::Stage,
    Role::CloseDate,
    Role::Subject,
    Role::Status,
    Role::CaseStatus,
];

/// Words that mark a test record rather than stand for a missing value.
const TEST_WORDS: [&str; 8] = [
    "test",
    "testing",
    "demo",
    "sample",
    "dummy",
    "тест",
    "тестовый",
    "пример",
];

/// How safe blanking a placeholder is; `None` when it is no fix at all.
fn blanking(p: &Prepared, column: usize, value: &str) -> Option<Applicability> {
    let lower = value.trim().to_lowercase();
    if p.crm_required.contains(&column) || TEST_WORDS.contains(&lower.as_str()) {
        return None;
    }
    let single =
        value.trim().chars().count() == 1 && value.trim().chars().all(char::is_alphanumeric);
    // `Nil`, `Na`, `Null` are placeholders, and given names too (Catalan, Chinese).
    let word_in_name =
        p.person_names.contains(&column) && value.trim().chars().all(char::is_alphabetic);
    Some(if single || word_in_name || p.required.contains(&column) {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    })
}

/// A run of one punctuation character (`---`, `???`, `.`) or of one digit three or more
/// times (`0000`), ignoring spaces and phone punctuation.
fn is_filler(value: &str) -> bool {
    let mut chars = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')' | '+' | '-'));
    let Some(first) = chars.next() else {
        // Only dashes, brackets or pluses.
        return true;
    };
    let mut count = 1;
    for c in chars {
        if c != first {
            return false;
        }
        count += 1;
    }
    if first.is_ascii_digit() {
        count >= 3
    } else {
        !first.is_alphanumeric()
    }
}

#[cfg(test)]
mod tests {
    use super::is_filler;

    #[test]
    fn fillers() {
        for f in [
            "---",
            "???",
            ".",
            "0000",
            "000-000-0000",
            "(000) 000-0000",
            "-",
        ] {
            assert!(is_filler(f), "{f}");
        }
        for v in ["00", "a", "ann", "1234", "+1 415 555 0100", "x.y"] {
            assert!(!is_filler(v), "{v}");
        }
    }
}
