use super::{ListEdits, PLACEHOLDER_LOCALS, ROLE_LOCALS, email_columns, parts};
use crate::checks::prelude::*;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// A contact or lead whose address is a shared role mailbox (`info@`, `sales@`,
    /// `office@`, `noreply@`, the RFC 2142 names and the mixmax list of about a
    /// thousand), after lowercasing and dropping a `+tag`. Accounts and companies are
    /// not checked: a company's `info@` is normal.
    ///
    /// ## Why it matters
    /// Mail to a role box reaches whoever reads it, not the person: personal outreach
    /// and **activity** reports credit a contact who never saw the message, and two
    /// people of one company with `info@` look like duplicates.
    ///
    /// ## Example
    /// | object  | Email                     | flagged |
    /// |---------|---------------------------|---------|
    /// | contact | `info@logistic-grp.ru`    | yes     |
    /// | contact | `olga.ivanova@acme.ru`    | no      |
    /// | account | `info@acme.ru`            | no      |
    ///
    /// ## Options
    /// - `extend-locals`: more role mailboxes (`marketing-team`).
    /// - `allow-locals`: entries of the bundled list that name people in your data.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct RoleEmailOnPerson;
    code = "EM004",
    name = "role-email-on-person",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

#[derive(Default)]
pub struct Options {
    locals: ListEdits,
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        self.locals.apply(table, "extend-locals", "allow-locals");
    }
}

impl Check for RoleEmailOnPerson {
    type Options = Options;
    type Prepared = (Vec<usize>, ListEdits);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        options: &Options,
    ) -> Option<(Vec<usize>, ListEdits)> {
        if !matches!(cx.profile.object, ObjectType::Contact | ObjectType::Lead) {
            return None;
        }
        let columns = email_columns(cx);
        (!columns.is_empty()).then(|| (columns, options.locals.clone()))
    }

    fn check_record(
        &self,
        (columns, edits): &(Vec<usize>, ListEdits),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        // A reused buffer for the lowercased address.
        let mut buf = std::mem::take(&mut sink.scratch);
        for &column in columns.iter() {
            let value = record.get(column);
            let Some((local, _)) = parts(value, &mut buf) else {
                continue;
            };
            // `test@`, `asdf@` are in the role list too, but they are placeholders
            // (placeholder-email, EM005), not shared mailboxes.
            if !edits.contains(&ROLE_LOCALS, local) || PLACEHOLDER_LOCALS.contains(local) {
                continue;
            }
            sink.report_soft(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is a shared role mailbox (`{local}@`), not the person's own address",
                    record.header(column)
                ),
            );
        }
        sink.scratch = buf;
    }
}
