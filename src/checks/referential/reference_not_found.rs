use crate::checks::prelude::*;
use crate::checks::referential::{id_key, ids_of};

declare_check! {
    /// ## What it checks
    /// Reference columns (`AccountId` on contacts and deals, `OwnerId`, `ParentId`,
    /// `ConvertedContactId`, …) whose value is not the id of any record in the inputs of
    /// the referenced object. Runs only when the run includes an input of that object,
    /// e.g. `accounts.csv` for `AccountId`. Salesforce 15- and 18-character forms of one
    /// id match each other.
    ///
    /// ## Why it matters
    /// An orphan contact drops out of every account roll-up (contacts per account,
    /// revenue by industry); an orphan deal's revenue belongs to no customer.
    ///
    /// ## Example
    /// With accounts `001…A1` and `001…A2` in `accounts.csv`:
    ///
    /// | contact | AccountId | flagged |
    /// |---------|-----------|---------|
    /// | Ann     | `001…A9`  | yes     |
    /// | Bo      | `001…A1`  | no      |
    /// | Cy      | ``        | no (reported as `reference-blank`) |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ReferenceNotFound;
    code = "RF001",
    name = "reference-not-found",
    family = Referential,
    scope = Dataset,
    severity = Error,
    dimension = Consistency,
}

impl Check for ReferenceNotFound {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_dataset(&self, ctx: &DatasetContext<'_>, sink: &mut DatasetSink) {
        for (table, plan) in ctx.tables.iter().zip(ctx.plans) {
            for &(column, target) in &plan.references {
                let Some((ids, names)) = ids_of(ctx.tables, target) else {
                    continue;
                };
                let Some(values) = table.column(column) else {
                    continue;
                };
                for (record, value) in values.iter().enumerate() {
                    if value.is_empty() || ids.contains(id_key(value)) {
                        continue;
                    }
                    sink.report(
                        &Self::META,
                        table,
                        record,
                        Some(column),
                        Some(value),
                        format!(
                            "`{}` = `{value}` is not the id of any {target} in {}",
                            table.header_name(column),
                            names.join(", ")
                        ),
                    );
                }
            }
        }
    }
}
