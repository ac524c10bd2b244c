use rustc_hash::FxHashSet as HashSet;

use crate::checks::prelude::*;
use crate::config::Condition;
use crate::locale::parse_bool;
use crate::normalize::text::fold_spaces;

declare_check! {
    /// ## What it checks
    /// Fields that are required only when another field has a certain value, and are
    /// blank: `Amount` once a deal is past its first stage, `Company` on a converted lead.
    ///
    /// ## Why it matters
    /// Pipeline value is the sum of amounts: a qualified deal without an amount is
    /// pipeline that reports cannot see. Stage-dependent requirements are the most common
    /// CRM validation rule and the one imports bypass most.
    ///
    /// ## Example
    /// With `{ field = "amount", when = "stage", not-in = ["Prospecting", "Closed Lost"] }`:
    ///
    /// | StageName     | Amount | flagged |
    /// |---------------|--------|---------|
    /// | `Negotiation` | ``     | yes     |
    /// | `Prospecting` | ``     | no      |
    /// | ``            | ``     | no (no stage: nothing to condition on) |
    ///
    /// ## Options
    /// - `objects.<object>.required-when`: entries with `field`, `when` and one of `in`,
    ///   `not-in` (values compared ignoring case and spacing), `present = true`,
    ///   `is-true = true`.
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct ConditionallyRequiredBlank;
    code = "CP002",
    name = "conditionally-required-blank",
    family = Completeness,
    scope = Record,
    severity = Warning,
    dimension = Completeness,
}

/// A conditional requirement with its columns resolved and values folded.
pub struct Requirement {
    field: usize,
    when: usize,
    condition: Condition,
    /// The folded values of `In` / `NotIn`.
    values: HashSet<String>,
    /// A built-in default rule.
    default: bool,
}

impl Check for ConditionallyRequiredBlank {
    type Options = ();
    type Prepared = Vec<Requirement>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<Requirement>> {
        let requirements: Vec<Requirement> = cx
            .rules()?
            .required_when
            .iter()
            .filter_map(|r| {
                let field = cx.resolve(&r.field, "conditionally required field")?;
                let when = cx.resolve(&r.when, "condition field")?;
                let values = match &r.condition {
                    Condition::In(v) | Condition::NotIn(v) => {
                        v.iter().map(|s| fold_spaces(s)).collect()
                    }
                    _ => HashSet::default(),
                };
                Some(Requirement {
                    field,
                    when,
                    condition: r.condition.clone(),
                    values,
                    default: cx.is_default(|d| d.required_when.contains(r)),
                })
            })
            .collect();
        (!requirements.is_empty()).then_some(requirements)
    }

    fn check_record(
        &self,
        requirements: &Vec<Requirement>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for rule in requirements {
            if !record.get(rule.field).is_empty() {
                continue;
            }
            let when = record.get(rule.when);
            // A blank condition field never triggers: that is `required-field-blank`'s job.
            if when.is_empty() {
                continue;
            }
            let applies = match rule.condition {
                Condition::In(_) => rule.values.contains(&fold_spaces(when)),
                Condition::NotIn(_) => !rule.values.contains(&fold_spaces(when)),
                Condition::Present => true,
                Condition::IsTrue => parse_bool(when) == Some(true),
            };
            if !applies {
                continue;
            }
            sink.report_with(
                rule.default,
                Some(rule.field),
                None,
                format!(
                    "`{}` is blank but required when `{}` is `{when}`",
                    record.header(rule.field),
                    record.header(rule.when)
                ),
            );
        }
    }
}
