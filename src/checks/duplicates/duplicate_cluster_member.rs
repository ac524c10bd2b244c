use rustc_hash::FxHashMap;

use super::describe;
use crate::checks::prelude::*;
use crate::dedupe::{ScoredPair, evidence};

declare_check! {
    /// ## What it checks
    /// Records that duplicate another: members of a duplicate cluster other than its
    /// suggested surviving record (the most complete member). Clusters join pairs whose
    /// match probability reaches the match threshold, strongest first, and never join
    /// two groups when any pair between them was compared and scored as different, so a
    /// weak chain cannot merge two families. The finding names the survivor, the
    /// cluster, the probability of the record's strongest link and what agreed.
    /// Emitted by duplicate detection (`crmaudit dedupe`).
    ///
    /// ## Why it matters
    /// Duplicates double-count people, pipeline and revenue, and split a customer's
    /// history across records. Reports should count only survivors; `clusters.csv` is
    /// the merge plan for stewards.
    ///
    /// ## Example
    /// | record | name          | email             | flagged |
    /// |--------|---------------|-------------------|---------|
    /// | 1      | Robert Lee    | rlee@acme.com     | no (survivor) |
    /// | 2      | Bob Lee       | rlee@acme.com     | yes     |
    /// | 3      | Lee Robert    | RLEE@ACME.COM     | yes     |
    ///
    /// ## Options
    /// - `duplicates.<object>.threshold`, `duplicates.<object>.max-cluster-size`,
    ///   `duplicates.<object>.block`, `duplicates.<object>.max-block-size`.
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct DuplicateClusterMember;
    code = "DU003",
    name = "duplicate-cluster-member",
    family = Duplicates,
    scope = Duplicates,
    severity = Warning,
    dimension = Uniqueness,
}

impl Check for DuplicateClusterMember {
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
            // Each member's strongest link inside its cluster.
            let mut best: FxHashMap<u32, &ScoredPair> = FxHashMap::default();
            for p in g.pairs.iter().filter(|p| p.cluster.is_some()) {
                for m in [p.a, p.b] {
                    let e = best.entry(m).or_insert(p);
                    if p.weight > e.weight {
                        *e = p;
                    }
                }
            }
            for c in &g.clusters {
                for &m in c.members.iter().filter(|m| **m != c.survivor) {
                    let r = g.record(m);
                    let link = best.get(&m).map_or(String::new(), |p| {
                        let other = if p.a == m { p.b } else { p.a };
                        format!(
                            "; strongest link {} (p = {:.3}): {}",
                            describe(cx.tables, g, other, r),
                            p.probability,
                            evidence(g, p)
                        )
                    });
                    sink.report(
                        &cx.tables[r.input as usize],
                        r.record as usize,
                        None,
                        None,
                        format!(
                            "duplicate of {} in cluster {}-{} of {} records{link}",
                            describe(cx.tables, g, c.survivor, r),
                            g.object().as_str(),
                            c.id,
                            c.members.len()
                        ),
                    );
                }
            }
        }
    }
}
