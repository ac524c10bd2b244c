use super::picklist::{self, Nearness, Picklist, PicklistMatch};
use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Picklist values that differ from an allowed value only by case, spacing,
    /// punctuation or a typo (`GTXPro` for `GTX Pro`, `technolgy` for `technology`,
    /// `closed won` for `Closed Won`). The message names the allowed value meant.
    ///
    /// ## Why it matters
    /// Variants split one group into several in every report (`Technology` and
    /// `technolgy` become two industries), and they are safe to fix automatically once
    /// reviewed, unlike values that are simply not allowed.
    ///
    /// ## Example
    /// With `[objects.account.allowed] industry = ["Technology", "Retail"]`:
    ///
    /// | Industry     | flagged                                |
    /// |--------------|----------------------------------------|
    /// | `technolgy`  | yes (→ `Technology`)                   |
    /// | `RETAIL `    | yes (→ `Retail`)                       |
    /// | `Mining`     | no (reported as `value-not-allowed`)   |
    /// | `Retail`     | no                                     |
    ///
    /// ## Options
    /// - `checks.allowed-value-variant.max-edits` (default 1, 0 turns typo matching off;
    ///   values shorter than 4 letters only match by case, spacing and punctuation).
    ///
    /// ## Fix
    /// The allowed value meant. Safe when only case, spacing or punctuation differ (and
    /// no other allowed value has the same letters); unsafe for a typo; a suggestion
    /// only when the typo is as near to two allowed values.
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct AllowedValueVariant;
    code = "FM003",
    name = "allowed-value-variant",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    fix = SafeOrUnsafe,
}

/// `[checks.allowed-value-variant]`.
#[derive(Debug)]
pub struct Options {
    /// Edits (insert, delete, substitute, transpose) allowed for a near-miss value.
    pub max_edits: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_edits: 1 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(n) = table.integer("max-edits", 0..=3) {
            self.max_edits = n as usize;
        }
    }
}

pub struct Prepared {
    picklists: Vec<Picklist>,
    max_edits: usize,
}

impl Check for AllowedValueVariant {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let picklists = picklist::resolve(cx);
        (!picklists.is_empty()).then_some(Prepared {
            picklists,
            max_edits: options.max_edits,
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        for Picklist {
            column,
            allowed,
            default,
        } in &p.picklists
        {
            let value = record.get(*column);
            if value.is_empty() {
                continue;
            }
            let PicklistMatch::Variant(i, nearness) = allowed.classify(value, p.max_edits) else {
                continue;
            };
            sink.report_with(
                *default,
                Some(*column),
                Some(value),
                format!(
                    "`{}` = `{value}` looks like the allowed value `{}`",
                    record.header(*column),
                    allowed.values[i]
                ),
            );
            let applicability = match nearness {
                Nearness::Spelling => Applicability::Safe,
                Nearness::Typo => Applicability::Unsafe,
                Nearness::SharedSpelling | Nearness::TiedTypo => Applicability::Suggestion,
            };
            sink.fix(allowed.values[i].trim(), applicability);
        }
    }
}
