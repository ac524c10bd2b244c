use super::describe;
use crate::checks::prelude::*;
use crate::dedupe::evidence;

declare_check! {
    /// ## What it checks
    /// Pairs of records that may be the same person or company: their match probability
    /// (Fellegi–Sunter, fitted to the data) is between the review and match thresholds.
    /// Reported on the later record of the pair, naming the other, the probability and
    /// the fields that agreed. Emitted by duplicate detection (`crmaudit dedupe`).
    ///
    /// ## Why it matters
    /// These are the pairs a steward must decide: merging them blindly risks joining two
    /// people, leaving them risks double counting one. `pairs.csv` lists each with the
    /// level and weight of every compared field.
    ///
    /// ## Example
    /// | record | name        | email              | flagged |
    /// |--------|-------------|--------------------|---------|
    /// | 1      | Jon Smith   | jsmith@acme.com    |         |
    /// | 2      | John Smyth  | (blank)            | yes, p = 0.7 (with 1) |
    ///
    /// ## Options
    /// - `duplicates.<object>.threshold`: `{ match = 0.9, review = 0.5 }`.
    /// - `duplicates.<object>.block`: blocking rules, e.g. `[["email"], ["last_name", "postcode"]]`.
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct PossibleDuplicatePair;
    code = "DU002",
    name = "possible-duplicate-pair",
    family = Duplicates,
    scope = Duplicates,
    severity = Info,
    dimension = Uniqueness,
}

impl Check for PossibleDuplicatePair {
    type Options = ();
    type Prepared = ();

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, _cx: &PrepareContext<'_>, _options: &()) -> Option<()> {
        None
    }

    fn check_duplicates(&self, cx: &DuplicatesContext<'_>, sink: &mut DatasetSink) {
        for g in &cx.duplicates.groups {
            for p in g.pairs.iter().filter(|p| !p.is_match) {
                let r = g.record(p.b);
                sink.report(
                    &cx.tables[r.input as usize],
                    r.record as usize,
                    None,
                    None,
                    format!(
                        "possible duplicate of {} (p = {:.2}): {}",
                        describe(cx.tables, g, p.a, r),
                        p.probability,
                        evidence(g, p)
                    ),
                );
            }
        }
    }
}
