use crate::checks::prelude::*;
use crate::config::FieldRef;
use crate::input::columns::Role;

declare_check! {
    /// ## What it checks
    /// Required fields that are blank (empty or whitespace only). Which fields are
    /// required is set per object type in the rule file.
    ///
    /// ## Why it matters
    /// A contact without a last name cannot be deduplicated or greeted, a deal without a
    /// stage or close date drops out of every pipeline report. Salesforce enforces some of
    /// these on save only; imports, integrations and old records bypass them.
    ///
    /// ## Example
    /// With `required = ["last_name"]` for contacts:
    ///
    /// | LastName | flagged                                   |
    /// |----------|-------------------------------------------|
    /// | ``       | yes                                       |
    /// | `   `    | yes                                       |
    /// | `n/a`    | no (reported as `placeholder-value`)      |
    /// | `Lee`    | no                                        |
    ///
    /// ## Options
    /// - `objects.<object>.required`: roles (`last_name`) or header names (`Region__c`).
    ///
    /// ## Trust impact
    /// Counts against `completeness`.
    pub struct RequiredFieldBlank;
    code = "CP001",
    name = "required-field-blank",
    family = Completeness,
    scope = Record,
    severity = Error,
    dimension = Completeness,
}

impl Check for RequiredFieldBlank {
    type Options = ();
    /// The required columns, each with whether its rule is a built-in default.
    type Prepared = Vec<(usize, bool)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, bool)>> {
        let object = cx.profile.object;
        let mut required = Vec::new();
        for field in &cx.rules()?.required {
            // A person's name in one column (`ФИО`, `Full Name`) holds the first and
            // last names a rule asks for.
            let full_name = match field {
                FieldRef::Role(Role::FirstName | Role::LastName) => {
                    cx.profile.columns.column(Role::FullName)
                }
                _ => None,
            };
            match cx.resolve(field, "required field").or(full_name) {
                Some(c) => required.push((c, cx.is_default(|d| d.required.contains(field)))),
                // The column is there but its values are not what the role means
                // (hashed, numbers): noted where the role was taken away.
                None if matches!(field, FieldRef::Role(r) if cx.profile.overruled.contains(r)) => {}
                None if matches!(field, FieldRef::Role(_)) => cx.note(format!(
                    "required field `{field}` has no column in {} ({object} export); map it under [columns.{object}]",
                    cx.profile.name
                )),
                None => {}
            }
        }
        required.sort_unstable();
        required.dedup_by_key(|(c, _)| *c);
        (!required.is_empty()).then_some(required)
    }

    fn check_record(
        &self,
        required: &Vec<(usize, bool)>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &(column, default) in required {
            if !record.get(column).is_empty() {
                continue;
            }
            sink.report_with(
                default,
                Some(column),
                None,
                format!("required field `{}` is blank", record.header(column)),
            );
        }
    }
}
