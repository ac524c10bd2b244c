use crate::checks::prelude::*;
use crate::input::columns::ValueKind;
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
    type Options = ();
    /// The boolean columns.
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns: Vec<usize> = cx
            .profile
            .columns
            .mapped()
            .filter(|(_, role)| role.kind() == ValueKind::Boolean)
            .map(|(c, _)| c)
            .collect();
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            if value.is_empty() || parse_bool(value).is_some() {
                continue;
            }
            // A column whose values are mostly unreadable has another format or another
            // meaning than its header says: soft, folded into one notice.
            sink.report_soft(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is not a yes/no value",
                    record.header(column)
                ),
            );
        }
    }
}
