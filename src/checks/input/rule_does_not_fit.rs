use std::collections::BTreeMap;

use crate::checks::prelude::*;
use crate::locale::group_thousands;

declare_check! {
    /// ## What it checks
    /// Built-in default rules that fire on nearly every record of a column (90% or more
    /// of an input of 20 records or more): a required field the export does not use, a
    /// vendor picklist the org replaced, a date column in a format of its own. Such a
    /// rule does not fit the export, so its findings are folded into this one notice
    /// per input and column, with the count and the way to enforce the rule anyway.
    /// Rules you set yourself (in your rule file or with flags) are never folded.
    ///
    /// ## Why it matters
    /// Thousands of identical findings bury the real ones and teach the reader to
    /// ignore the report; "close date is blank on every open deal" is one fact about
    /// how the CRM is used, not thousands of defects.
    ///
    /// ## Example
    /// | input      | default rule             | records | reported |
    /// |------------|--------------------------|---------|----------|
    /// | deals.csv  | `amount` required        | blank on 44 of 44 | one IN004 notice |
    /// | deals.csv  | `amount` required        | blank on 3 of 44  | three CP002 findings |
    ///
    /// Turn this check off (`--ignore IN004`) to see every finding.
    ///
    /// ## Trust impact
    /// None: a notice about the rules, not about any record.
    pub struct RuleDoesNotFit;
    code = "IN004",
    name = "rule-does-not-fit",
    family = Input,
    scope = Review,
    severity = Info,
    dimension = Consistency,
}

/// Inputs below this size keep their findings: too few records to tell a convention.
const MIN_RECORDS: usize = 20;

/// Soft findings are grouped by input, check and column.
type Group = (u32, u16, Option<u32>);

/// A group's distinct records, the last record seen and the first message.
#[derive(Default)]
struct Tally {
    records: usize,
    last: Option<u32>,
    example: String,
}

impl Check for RuleDoesNotFit {
    type Options = ();
    type Prepared = ();

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, _cx: &PrepareContext<'_>, _options: &()) -> Option<()> {
        None
    }

    fn review(&self, cx: &ReviewContext<'_>, findings: &mut Vec<Finding>, sink: &mut DatasetSink) {
        // Soft findings per input, check and column, with distinct records and an example.
        let mut groups: BTreeMap<Group, Tally> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.soft) {
            let tally = groups.entry((f.input, f.check.0, f.column)).or_default();
            if tally.last != Some(f.record) {
                tally.records += 1;
                tally.last = Some(f.record);
            }
            if tally.example.is_empty() {
                tally.example = f.message.to_string();
            }
        }
        let folded: Vec<Group> = groups
            .iter()
            .filter(|((input, _, _), tally)| {
                let total = cx.tables[*input as usize].len();
                total >= MIN_RECORDS && tally.records * 10 >= total * 9
            })
            .map(|(key, _)| *key)
            .collect();
        if folded.is_empty() {
            return;
        }
        findings.retain(|f| !(f.soft && folded.contains(&(f.input, f.check.0, f.column))));
        for key in folded {
            let Tally {
                records, example, ..
            } = &groups[&key];
            let (input, check, column) = key;
            let table = &cx.tables[input as usize];
            let meta = cx.checks.meta(crate::finding::CheckId(check));
            let field = column.map_or(String::new(), |c| {
                format!(" on `{}`", table.header_name(c as usize))
            });
            sink.report_input(
                table,
                column.map(|c| c as usize),
                format!(
                    "{} ({}){field} fires on {} of {} records, e.g. {example}: so many that it is reported once for the input instead of per record. Either these records share one real problem (test data, a broken load) or it is this CRM's convention; set the rule in your rule file to report it per record or to turn it off.",
                    meta.code,
                    meta.name,
                    group_thousands(*records),
                    group_thousands(table.len())
                ),
            );
        }
    }
}
