use crate::checks::prelude::*;

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
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }
}
