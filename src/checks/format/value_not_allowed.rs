use super::AllowedValueVariant;
use super::picklist::{self, Picklist, PicklistMatch};
use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Values of a picklist column (stage, lead status, industry, …) that are not among
    /// the allowed values and are not a near miss of one (near misses are
    /// `allowed-value-variant`).
    ///
    /// ## Why it matters
    /// Reports group by picklist values: a stage outside the sales process falls out of
    /// every funnel stage, and imports and API writes bypass the CRM's own picklist
    /// restriction.
    ///
    /// ## Example
    /// With `[objects.deal.allowed] stage = ["Prospecting", "Closed Won", "Closed Lost"]`:
    ///
    /// | StageName   | flagged                                  |
    /// |-------------|------------------------------------------|
    /// | `On hold`   | yes                                      |
    /// | `closed won`| no (reported as `allowed-value-variant`) |
    /// | `Closed Won`| no                                       |
    ///
    /// ## Options
    /// - `objects.<object>.allowed.<field>`: the list of allowed values.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct ValueNotAllowed;
    code = "FM002",
    name = "value-not-allowed",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

pub struct Prepared {
    picklists: Vec<Picklist>,
    /// `allowed-value-variant`'s `max-edits`: values that close to an allowed one are
    /// its findings, not this check's.
    max_edits: usize,
}

impl Check for ValueNotAllowed {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let picklists = picklist::resolve(cx);
        let max_edits = cx
            .options_of(&AllowedValueVariant)
            .map_or(1, |o| o.max_edits);
        (!picklists.is_empty()).then_some(Prepared {
            picklists,
            max_edits,
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
            if value.is_empty() || allowed.classify(value, p.max_edits) != PicklistMatch::NotAllowed
            {
                continue;
            }
            sink.report_with(
                *default,
                Some(*column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not an allowed value",
                    record.header(*column)
                ),
            );
        }
    }
}
