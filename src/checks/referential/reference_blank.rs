use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::relations::RelationKind;

declare_check! {
    /// ## What it checks
    /// Contacts and deals whose account reference (`AccountId`, `associatedcompanyid`)
    /// is blank, whether or not the accounts are part of the run.
    ///
    /// ## Why it matters
    /// A deal without an account is revenue no account report can see; a contact
    /// without one is a "private" contact, invisible to account-based reports and
    /// territory rules. Some orgs allow private contacts on purpose: then lower this
    /// check to `info` or ignore it.
    ///
    /// ## Example
    /// | object  | AccountId | flagged |
    /// |---------|-----------|---------|
    /// | deal    | ``        | yes     |
    /// | contact | ``        | yes     |
    /// | contact | `001…A1`  | no      |
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct ReferenceBlank;
    code = "RF002",
    name = "reference-blank",
    family = Referential,
    scope = Dataset,
    severity = Warning,
    dimension = Completeness,
}

impl Check for ReferenceBlank {
    type Options = ();
    /// The account reference column.
    type Prepared = usize;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<usize> {
        // Only the parent account of contacts and deals is expected to be set.
        if !matches!(cx.profile.object, ObjectType::Contact | ObjectType::Deal) {
            return None;
        }
        // The account column: `AccountId`, or a column found to hold the keys of an
        // accounts input (`account` holding account names).
        // The record's own company column comes before others that also name accounts
        // (amoCRM's `Компания контакта`, the company of the deal's contact).
        cx.profile.columns.column(Role::AccountId).or_else(|| {
            cx.profile
                .relations
                .iter()
                .filter(|r| {
                    r.kind == RelationKind::Reference
                        && cx
                            .inputs
                            .get(r.target as usize)
                            .is_some_and(|(p, _)| p.object == ObjectType::Account)
                })
                .min_by_key(|r| {
                    (
                        cx.profile.columns.role(r.column) != Some(Role::Company),
                        r.column,
                    )
                })
                .map(|r| r.column)
        })
    }

    fn kept_columns(&self, column: &usize) -> Vec<usize> {
        vec![*column]
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, usize>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(&column)) = (input.table, input.prepared) else {
                continue;
            };
            let Some(values) = table.column(column) else {
                continue;
            };
            for (record, value) in values.iter().enumerate() {
                if !value.is_empty() {
                    continue;
                }
                // Some orgs allow contacts without an account: where nearly every
                // record has none, that is how the org works (folded into one notice).
                sink.report_soft(
                    table,
                    record,
                    Some(column),
                    None,
                    format!(
                        "{} has no account (`{}` is blank)",
                        table.object,
                        table.header_name(column)
                    ),
                );
            }
        }
    }
}
