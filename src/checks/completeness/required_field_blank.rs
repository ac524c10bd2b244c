use crate::checks::prelude::*;

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
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &column in &ctx.plan.required {
            if !record.get(column).is_empty() {
                continue;
            }
            sink.report(
                &Self::META,
                Some(column),
                None,
                format!("required field `{}` is blank", ctx.plan.header_name(column)),
            );
        }
    }
}
