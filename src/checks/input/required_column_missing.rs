use crate::checks::prelude::*;
use crate::config::FieldRef;

declare_check! {
    /// ## What it checks
    /// A field the rule file requires (`[objects.<object>] required`) that has no column
    /// in the input at all: the header lacks it, or names it in a way the role mapping
    /// does not know. One finding for the input, not one per record.
    ///
    /// Fields the built-in defaults require are not findings when their column is
    /// absent: an export may leave a column out on purpose, and the summary notes it.
    ///
    /// ## Why it matters
    /// A required field that is not in the export cannot be checked: every record would
    /// pass the requirement without anyone having looked. A nightly export that lost a
    /// column (a changed export template, a renamed field) must fail, not pass.
    ///
    /// ## Example
    /// | rule file                          | header                  | flagged |
    /// |------------------------------------|-------------------------|---------|
    /// | `required = ["email"]` (contact)   | `Id,LastName,Phone`     | yes     |
    /// | `required = ["email"]` (contact)   | `Id,LastName,E-mail`    | no      |
    /// | `required = ["Region__c"]` (deal)  | `Id,Name,StageName`     | yes     |
    ///
    /// Map a column under another header with `--column email="E-mail (work)"` or
    /// `[columns.contact]`.
    ///
    /// ## Trust impact
    /// Counts against `completeness`; an error, so the gate fails.
    pub struct RequiredColumnMissing;
    code = "IN005",
    name = "required-column-missing",
    family = Input,
    scope = Dataset,
    severity = Error,
    dimension = Completeness,
}

impl Check for RequiredColumnMissing {
    type Options = ();
    /// One message per missing field.
    type Prepared = Vec<String>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<String>> {
        let object = cx.profile.object;
        let mut missing = Vec::new();
        for field in &cx.rules()?.required {
            if cx.required_column(field).is_some() {
                continue;
            }
            // The column is there but its values are not what the role means (hashed,
            // numbers): noted where the role was taken away.
            if matches!(field, FieldRef::Role(r) if cx.profile.overruled.contains(r)) {
                continue;
            }
            let fix = match field {
                FieldRef::Role(role) => format!(
                    "map its column with --column {object}.{}=HEADER or under [columns.{object}]",
                    role.as_str()
                ),
                FieldRef::Header(_) => "check the export template or the rule file".to_owned(),
            };
            if cx.is_default(|d| d.required.contains(field)) {
                cx.note(format!(
                    "required field `{field}` has no column in {} ({object} export): not checked; {fix}",
                    cx.profile.name
                ));
                continue;
            }
            missing.push(format!(
                "required field `{field}` has no column in this {object} export (columns: {}); {fix}",
                cx.profile.header.columns.join(", ")
            ));
        }
        (!missing.is_empty()).then_some(missing)
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<String>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            for message in input.prepared.into_iter().flatten() {
                sink.report_input(input.table, None, message.clone());
            }
        }
    }
}
