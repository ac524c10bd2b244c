//! Copies of the inputs: cleansing (`crmaudit fix`: the fixes checks attached to their
//! findings, resolved into at most one edit per field and applied to a copy of each
//! input), and the records of each input split by trust class (`split`, for `audit
//! --out`).
//!
//! The audit runs first, exactly as `crmaudit audit` would; then each input is read
//! again from its start ([`crate::engine::reread`]) and written out record by record,
//! with the edits of each record applied. The inputs are never modified. What changed
//! is a list of [`Change`]s (`changes.csv`), what was offered and not applied a
//! [`Tally`] per check.
//!
//! One field may receive fixes from several checks. They are resolved with the old
//! value in hand ([`resolve`]): a fix never fills a blank; fixes that agree are one
//! edit; a fix that only tidies the value (edge spaces, invisible characters) gives way
//! to one that also corrects it (checks read fields trimmed, so their fixes already
//! hold the tidied value); two corrections that disagree are a conflict, and neither is
//! applied. Fixing the cleaned copy again changes nothing.

pub mod rewrite;
pub mod split;
pub mod update;
pub mod view;

use std::collections::BTreeMap;

pub use self::rewrite::{Cleaned, cleaned_names, rewrite};
pub use self::update::UpdateShape;
use crate::finding::{Applicability, CheckId, Finding, Fix};
use crate::normalize::text::tidy;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl Policy {
    fn allows(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::Suggestion => false,
        }
    }
}

/// One fix a check offered, with the check.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub check: CheckId,
    pub fix: &'a Fix,
}

/// Every fix of a run's findings, per input, ordered by record, column and check.
pub fn candidates(findings: &[Finding], inputs: usize) -> Vec<Vec<Candidate<'_>>> {
    let mut per_input: Vec<Vec<Candidate<'_>>> = vec![Vec::new(); inputs];
    for f in findings {
        let Some(list) = per_input.get_mut(f.input as usize) else {
            continue;
        };
        list.extend(f.fixes.iter().map(|fix| Candidate {
            check: f.check,
            fix,
        }));
    }
    for list in &mut per_input {
        list.sort_by(|a, b| {
            (a.fix.record, a.fix.column, a.check, &a.fix.new).cmp(&(
                b.fix.record,
                b.fix.column,
                b.check,
                &b.fix.new,
            ))
        });
    }
    per_input
}

/// What happened to the fixes of one field.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The field becomes `new`, by these checks' fixes.
    Apply {
        new: String,
        applicability: Applicability,
        checks: Vec<CheckId>,
    },
    /// Nothing to apply (blank field, fixes not allowed, or the value is already right).
    Keep,
    /// Corrections that disagree: none applied.
    Conflict,
}

/// Resolves the fixes offered for one field whose value is `old`, counting each
/// offered fix in `tally`.
pub fn resolve(
    old: &str,
    offered: &[Candidate<'_>],
    policy: Policy,
    tally: &mut BTreeMap<CheckId, Tally>,
) -> Resolution {
    let resolution = decide(old, offered, policy);
    for c in offered {
        let t = tally.entry(c.check).or_default();
        t.offered += 1;
        match &resolution {
            Resolution::Apply { checks, .. } if checks.contains(&c.check) => t.applied += 1,
            // Not applied: say why.
            _ => match c.fix.applicability {
                a if policy.allows(a) => {
                    t.conflicts += usize::from(resolution == Resolution::Conflict);
                }
                Applicability::Unsafe => t.unsafe_skipped += 1,
                _ => t.suggestions += 1,
            },
        }
    }
    resolution
}

fn decide(old: &str, offered: &[Candidate<'_>], policy: Policy) -> Resolution {
    // A fix never fills a blank.
    if old.trim().is_empty() {
        return Resolution::Keep;
    }
    let allowed: Vec<&Candidate<'_>> = offered
        .iter()
        .filter(|c| policy.allows(c.fix.applicability))
        .collect();
    if allowed.is_empty() {
        return Resolution::Keep;
    }
    let tidied = tidy(old);
    let corrections: Vec<&&Candidate<'_>> =
        allowed.iter().filter(|c| *c.fix.new != *tidied).collect();
    let new = match corrections.first() {
        None => tidied.into_owned(),
        Some(first) if corrections.iter().all(|c| c.fix.new == first.fix.new) => {
            // A tidying fix beside it: its work is in the correction, or done on it now.
            if corrections.len() < allowed.len() {
                tidy(&first.fix.new).into_owned()
            } else {
                first.fix.new.to_string()
            }
        }
        Some(_) => return Resolution::Conflict,
    };
    if new == old {
        return Resolution::Keep;
    }
    let applicability = allowed
        .iter()
        .map(|c| c.fix.applicability)
        .max()
        .unwrap_or(Applicability::Safe);
    // Every check whose fix this is, the ones not allowed to apply alone included (an
    // unsafe fix that agrees with a safe one).
    let mut checks: Vec<CheckId> = offered
        .iter()
        .filter(|c| *c.fix.new == *new || tidy(&c.fix.new) == new)
        .chain(allowed.iter().copied())
        .map(|c| c.check)
        .collect();
    checks.sort_unstable();
    checks.dedup();
    Resolution::Apply {
        new,
        applicability,
        checks,
    }
}

/// The fixes of one check in a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Fixes its findings offered.
    pub offered: usize,
    /// Fields changed by its fixes (alone or with another check's that agreed).
    pub applied: usize,
    /// Unsafe fixes not applied (no `--unsafe-fixes`).
    pub unsafe_skipped: usize,
    /// Suggestions, never applied.
    pub suggestions: usize,
    /// Fixes that disagreed with another check's on the same field.
    pub conflicts: usize,
    /// Fixes on a row that does not fit its header (its values may be in the wrong
    /// columns) or of a field that is no valid text: not applied.
    pub misaligned: usize,
}

/// One field changed in a cleaned copy.
#[derive(Debug, Clone)]
pub struct Change {
    pub input: u32,
    pub record: u32,
    pub line: u64,
    pub column: u32,
    pub old: Box<str>,
    pub new: Box<str>,
    pub applicability: Applicability,
    pub checks: Vec<CheckId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(new: &str, applicability: Applicability) -> Fix {
        Fix {
            record: 0,
            column: 0,
            new: new.into(),
            applicability,
        }
    }

    fn run(old: &str, fixes: &[(u16, &Fix)], policy: Policy) -> Resolution {
        let offered: Vec<Candidate<'_>> = fixes
            .iter()
            .map(|(c, f)| Candidate {
                check: CheckId(*c),
                fix: f,
            })
            .collect();
        resolve(old, &offered, policy, &mut BTreeMap::new())
    }

    #[test]
    fn a_tidying_fix_gives_way_to_a_correction() {
        let trim = fix("Closed won", Applicability::Safe);
        let case = fix("Closed Won", Applicability::Safe);
        assert_eq!(
            run(" Closed won ", &[(1, &trim), (2, &case)], Policy::default()),
            Resolution::Apply {
                new: "Closed Won".into(),
                applicability: Applicability::Safe,
                checks: vec![CheckId(1), CheckId(2)],
            }
        );
    }

    #[test]
    fn disagreeing_corrections_are_a_conflict() {
        let a = fix("Finance", Applicability::Safe);
        let b = fix("Financial", Applicability::Safe);
        assert_eq!(
            run("Finanace", &[(1, &a), (2, &b)], Policy::default()),
            Resolution::Conflict
        );
    }

    #[test]
    fn unsafe_fixes_wait_for_the_flag_and_blanks_stay_blank() {
        let typo = fix("ann@gmail.com", Applicability::Unsafe);
        let policy = Policy { unsafe_fixes: true };
        assert_eq!(
            run("ann@gmial.com", &[(1, &typo)], Policy::default()),
            Resolution::Keep
        );
        assert!(matches!(
            run("ann@gmial.com", &[(1, &typo)], policy),
            Resolution::Apply {
                applicability: Applicability::Unsafe,
                ..
            }
        ));
        assert_eq!(run("  ", &[(1, &typo)], policy), Resolution::Keep);
        let suggestion = fix("x", Applicability::Suggestion);
        assert_eq!(run("y", &[(1, &suggestion)], policy), Resolution::Keep);
    }

    #[test]
    fn a_fix_to_the_same_value_changes_nothing() {
        let same = fix("Acme", Applicability::Safe);
        assert_eq!(
            run("Acme", &[(1, &same)], Policy::default()),
            Resolution::Keep
        );
    }
}
