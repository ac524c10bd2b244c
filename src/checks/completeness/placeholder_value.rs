use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use crate::checks::prelude::*;
use crate::config::closest;
use crate::input::columns::Role;
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
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct PlaceholderValue;
    code = "CP003",
    name = "placeholder-value",
    family = Completeness,
    scope = Record,
    severity = Warning,
    dimension = Completeness,
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

/// The placeholder lists folded, and the columns of one input they apply to.
pub struct Prepared {
    /// Columns checked, with the role whose extra list applies.
    columns: Vec<(usize, Role)>,
    values: HashSet<String>,
    by_role: BTreeMap<Role, HashSet<String>>,
    /// Longest listed placeholder, in bytes (plus slack for collapsed spaces).
    max_len: usize,
    /// For each lowercase first byte, a bit per byte length (< 64) of the listed
    /// placeholders starting with it: ASCII values of another shape cannot be listed,
    /// so they are not folded and looked up.
    shapes: Box<[u64; 256]>,
}

impl Check for PlaceholderValue {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let columns: Vec<(usize, Role)> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| {
                role.kind().is_typed_text()
                    && !matches!(role, Role::Description | Role::LossReason | Role::NextStep)
            })
            .collect();
        if columns.is_empty() {
            return None;
        }
        let fold_set = |values: &[String]| -> HashSet<String> {
            values.iter().map(|v| fold_spaces(v)).collect()
        };
        let values = fold_set(&options.values);
        let by_role: BTreeMap<Role, HashSet<String>> = options
            .by_role
            .iter()
            .map(|(r, v)| (*r, fold_set(v)))
            .collect();
        let all = || values.iter().chain(by_role.values().flatten());
        // Folding collapses spaces, so a stored value may be a little longer.
        let max_len = all().map(String::len).max().unwrap_or(0) + 8;
        let mut shapes = Box::new([0u64; 256]);
        for p in all() {
            match (p.as_bytes().first(), p.len()) {
                (Some(first), len) if len < 64 => shapes[usize::from(*first)] |= 1 << len,
                // A long entry: disable the shortcut for its first byte.
                (Some(first), _) => shapes[usize::from(*first)] = u64::MAX,
                (None, _) => {}
            }
        }
        Some(Prepared {
            columns,
            values,
            by_role,
            max_len,
            shapes,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &(column, role) in &p.columns {
            let value = record.get(column);
            if value.is_empty() {
                continue;
            }
            // Longer values, and ASCII values whose first letter and length match no
            // listed placeholder, cannot be listed: skip folding them.
            let shape_possible = !value.is_ascii()
                || value.len() >= 64
                || value.contains("  ")
                || p.shapes[usize::from(value.as_bytes()[0].to_ascii_lowercase())]
                    & (1 << value.len())
                    != 0;
            let listed = value.len() <= p.max_len && shape_possible && {
                let mut folded = std::mem::take(&mut sink.scratch);
                fold_spaces_into(value, &mut folded);
                let hit = p.values.contains(folded.as_str())
                    || p.by_role
                        .get(&role)
                        .is_some_and(|set| set.contains(folded.as_str()));
                sink.scratch = folded;
                hit
            };
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
        }
    }
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
