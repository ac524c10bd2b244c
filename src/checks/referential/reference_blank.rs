use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

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
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_dataset(&self, ctx: &DatasetContext<'_>, sink: &mut DatasetSink) {
        for table in ctx.tables {
            // Only the parent account of contacts and deals is expected to be set.
            if !matches!(table.object, ObjectType::Contact | ObjectType::Deal) {
                continue;
            }
            let Some((column, values)) = table.role_column(Role::AccountId) else {
                continue;
            };
            for (record, value) in values.iter().enumerate() {
                if !value.is_empty() {
                    continue;
                }
                sink.report(
                    &Self::META,
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
