use crate::checks::prelude::*;
use crate::normalize::text::fold_spaces_into;

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

impl Check for PlaceholderValue {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let plan = ctx.plan;
        for &(column, role) in &plan.placeholder_columns {
            let value = record.get(column);
            if value.is_empty() {
                continue;
            }
            // Longer values, and ASCII values whose first letter and length match no
            // listed placeholder, cannot be listed: skip folding them.
            let shape_possible = !value.is_ascii()
                || value.len() >= 64
                || value.contains("  ")
                || plan.placeholder_shapes[usize::from(value.as_bytes()[0].to_ascii_lowercase())]
                    & (1 << value.len())
                    != 0;
            let listed = value.len() <= plan.placeholder_max_len && shape_possible && {
                let mut folded = std::mem::take(&mut sink.scratch);
                fold_spaces_into(value, &mut folded);
                let hit = plan.placeholders.contains(folded.as_str())
                    || role
                        .and_then(|r| plan.placeholders_by_role.get(&r))
                        .is_some_and(|set| set.contains(folded.as_str()));
                sink.scratch = folded;
                hit
            };
            if !listed && !is_filler(value) {
                continue;
            }
            sink.report(
                &Self::META,
                Some(column),
                Some(value),
                format!(
                    "`{}` holds the placeholder `{value}`",
                    plan.header_name(column)
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
