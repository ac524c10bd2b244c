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
    type Options = ();
    /// The required columns, each with whether its rule is a built-in default.
    type Prepared = Vec<(usize, bool)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, bool)>> {
        let mut required = Vec::new();
        for field in &cx.rules()?.required {
            // A field without a column is `required-column-missing` (IN005).
            if let Some(c) = cx.required_column(field) {
                required.push((c, cx.is_default(|d| d.required.contains(field))));
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
