use std::collections::BTreeMap;

use crate::checks::prelude::*;
use crate::input::table::Table;
use crate::locale::group_thousands;

declare_check! {
    /// ## What it checks
    /// An input with no records at all (a header and nothing else, or an empty file,
    /// table or sheet), or one in which most rows are ragged (`IN001`: a different
    /// number of fields than the header): the file is not a table of the header's
    /// columns. One finding for the input. An empty file of a full export (an object
    /// such as `EmailMessage` the org has no rows of, beside inputs that do hold
    /// records) is a notice, not an error; an empty account, contact, lead or deal
    /// input is always an error.
    ///
    /// ## Why it matters
    /// A gate must not pass what it did not read. An empty nightly export, a file that
    /// is not an export at all (random bytes that happen to decode, a log, a newline
    /// read as the delimiter) or an export broken in every row would otherwise audit
    /// as "no findings" and feed an empty or garbled report. When an empty export is
    /// expected (a filter that may match nothing), pass `--allow-empty`: the finding is
    /// then a notice and the gate passes.
    ///
    /// ## Example
    /// | input                              | flagged |
    /// |------------------------------------|---------|
    /// | `Id,LastName,Email` and no rows    | yes     |
    /// | 3 of 4 rows with 7 fields, header 3 | yes    |
    /// | 1 of 4 rows ragged                 | no (IN001 flags the row) |
    /// | 8 of 14 rows with the first 3 of 9 fields, the others whole | no: a notice (a grouped report) |
    ///
    /// ## Trust impact
    /// Counts against `completeness`; an error, so the gate fails.
    pub struct UnusableInput;
    code = "IN008",
    name = "unusable-input",
    family = Input,
    scope = Review,
    severity = Error,
    dimension = Completeness,
}

/// When every row without the header's fields has the same number `k` of them, at
/// least two and fewer than the header's, and no row has more: the rows of a grouped
/// report whose trailing columns are empty. A wrong delimiter gives one field per row;
/// rows broken by line breaks or shifted by delimiters give lengths of every kind.
fn prefix_rows(table: &Table) -> Option<usize> {
    let width = table.width();
    let counts = &table.field_counts;
    // More fields than the header (the last slot), or rows of several short lengths.
    if counts.get(width + 1).copied().unwrap_or(0) > 0 {
        return None;
    }
    let mut short = (0..width).filter(|k| counts[*k] > 0);
    let k = short.next()?;
    (short.next().is_none() && k >= 2).then_some(k)
}

impl Check for UnusableInput {
    type Options = ();
    type Prepared = ();

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, _cx: &PrepareContext<'_>, _options: &()) -> Option<()> {
        None
    }

    fn review(&self, cx: &ReviewContext<'_>, findings: &mut Vec<Finding>, sink: &mut DatasetSink) {
        let ragged_check = cx.checks.find("IN001").map(|(id, _)| id);
        let mut ragged: BTreeMap<u32, usize> = BTreeMap::new();
        for f in findings.iter() {
            if Some(f.check) == ragged_check && !f.is_input_level() {
                *ragged.entry(f.input).or_default() += 1;
            }
        }
        let any_records = cx.tables.iter().any(|t| !t.is_empty());
        for table in cx.tables {
            let records = table.len();
            if records == 0 {
                if any_records && !table.object.is_entity() {
                    // One file of a full export (an org with no EmailMessage rows): valid
                    // output, worth knowing, not a failure.
                    sink.report_input_notice(
                        table,
                        None,
                        "no records: this object is empty in the export (the other inputs hold the records audited)".to_owned(),
                    );
                } else {
                    sink.report_input(
                        table,
                        None,
                        "no records: the input holds a header and nothing else (an empty export?), so nothing was audited; pass --allow-empty if an empty export is expected".to_owned(),
                    );
                }
                continue;
            }
            let bad = ragged.get(&table.index).copied().unwrap_or(0);
            if bad * 2 > records
                && let Some(k) = prefix_rows(table)
            {
                // A report that groups records (accounts with their contacts): the rows
                // of a parent without children stop after its own columns, in place.
                sink.report_input_notice(
                    table,
                    None,
                    format!(
                        "{} of {} rows have only the header's first {k} fields, in place (a report that groups records, such as accounts without contacts): read with the other fields blank",
                        group_thousands(bad),
                        group_thousands(records),
                    ),
                );
            } else if bad * 2 > records {
                sink.report_input(
                    table,
                    None,
                    format!(
                        "{} of {} rows do not have the header's {} fields: most of the input cannot be read as its header's columns (another delimiter, a file that is not an export, or rows written short or split); check the file, or pass --allow-empty to audit it anyway",
                        group_thousands(bad),
                        group_thousands(records),
                        table.width(),
                    ),
                );
            }
        }
    }
}
