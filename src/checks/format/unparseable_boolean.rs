use crate::checks::prelude::*;
use crate::locale::parse_bool;

declare_check! {
    /// ## What it checks
    /// Values of boolean columns (`IsWon`, `IsConverted`, `HasOptedOutOfEmail`, …) that
    /// are none of the spellings exports use: `TRUE/FALSE`, `Yes/No`, `Y/N`, `1/0`,
    /// `on/off`, `да/нет`.
    ///
    /// ## Why it matters
    /// Filters such as "won deals" or "opted out" treat an unknown value as false: a
    /// `Maybe` in an opt-out column can send mail to someone who unsubscribed.
    ///
    /// ## Example
    /// | HasOptedOutOfEmail | flagged |
    /// |--------------------|---------|
    /// | `maybe`            | yes     |
    /// | `True`             | no      |
    /// | `0`                | no      |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct UnparseableBoolean;
    code = "FM007",
    name = "unparseable-boolean",
    family = Format,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

impl Check for UnparseableBoolean {
    fn meta(&self) -> &'static CheckMeta {
        &Self::META
    }

    fn check_record(
        &self,
        ctx: &RecordContext<'_>,
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        for &column in &ctx.plan.boolean_columns {
            let value = record.get(column);
            if value.is_empty() || parse_bool(value).is_some() {
                continue;
            }
            sink.report(
                &Self::META,
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not a yes/no value",
                    ctx.plan.header_name(column)
                ),
            );
        }
    }
}
