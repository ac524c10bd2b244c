use crate::checks::prelude::*;
use crate::checks::referential::ids_of;
use crate::input::object::ObjectType;
use crate::normalize::salesforce_id::join_key;

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

/// Unresolved values from which a column that (nearly) never joins is reported once.
const MIN_COLUMN_FAILURE: usize = 5;

impl Check for ReferenceNotFound {
    type Options = ();
    /// Reference columns and the object each refers to.
    type Prepared = Vec<(usize, ObjectType)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, ObjectType)>> {
        let references: Vec<(usize, ObjectType)> = cx
            .profile
            .columns
            .mapped()
            .filter_map(|(c, role)| Some((c, role.references()?)))
            .collect();
        (!references.is_empty()).then_some(references)
    }

    fn kept_columns(&self, references: &Vec<(usize, ObjectType)>) -> Vec<usize> {
        references.iter().map(|(c, _)| *c).collect()
    }

    fn check_dataset(
        &self,
        cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<(usize, ObjectType)>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(references)) = (input.table, input.prepared) else {
                continue;
            };
            for &(column, target) in references {
                let Some((ids, names)) = ids_of(cx.tables, target) else {
                    continue;
                };
                let Some(values) = table.column(column) else {
                    continue;
                };
                let missing: Vec<usize> = values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| !v.is_empty() && !ids.contains(join_key(v)))
                    .map(|(r, _)| r)
                    .collect();
                let present = values.iter().filter(|v| !v.is_empty()).count();
                // A column where (nearly) nothing joins is one fact about the inputs, not
                // a defect of each record: ids of another system, another portal, or a
                // partial export.
                if missing.len() >= MIN_COLUMN_FAILURE && missing.len() * 10 >= present * 9 {
                    let examples: Vec<&str> =
                        missing.iter().take(3).map(|r| values.get(*r)).collect();
                    sink.report_input(
                        table,
                        Some(column),
                        format!(
                            "`{}`: {} of {} values are not the id of any {target} in {}, so this column does not join to it (ids of another system, or an incomplete export); e.g. {}",
                            table.header_name(column),
                            missing.len(),
                            present,
                            names.join(", "),
                            examples.join(", ")
                        ),
                    );
                    continue;
                }
                for record in missing {
                    let value = values.get(record);
                    sink.report(
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
