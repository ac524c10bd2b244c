use super::Flag;
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// A lead whose status says it was converted (`Closed - Converted`, `Converted`,
    /// `Конвертирован`) while its converted flag (`IsConverted`) is false. Statuses that
    /// say the opposite (`Closed - Not Converted`, `Unconverted`) are left alone.
    ///
    /// ## Why it matters
    /// **Conversion** reports count the flag, lead lists and funnels the status: one lead
    /// is converted in one report and open in the other, and no contact, account or
    /// opportunity carries its history. Salesforce sets both when a lead is converted,
    /// so the pair disagreeing means the status was set by hand or an import.
    ///
    /// ## Example
    /// | Status | IsConverted | flagged |
    /// |--------|-------------|---------|
    /// | `Closed - Converted` | `false` | yes |
    /// | `Closed - Converted` | `true`  | no  |
    /// | `Closed - Not Converted` | `false` | no |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct ConvertedStatusNotConverted;
    code = "SM017",
    name = "converted-status-not-converted",
    family = Semantic,
    scope = Record,
    severity = Warning,
    dimension = Consistency,
    reports = [Conversion],
}

impl Check for ConvertedStatusNotConverted {
    type Options = ();
    type Prepared = (usize, Flag);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<(usize, Flag)> {
        if cx.profile.object != ObjectType::Lead {
            return None;
        }
        let status = cx.profile.columns.column(Role::LeadStatus)?;
        Some((status, Flag::new(cx.profile, cx.sample, Role::IsConverted)?))
    }

    fn check_record(
        &self,
        (status, flag): &(usize, Flag),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        let value = record.get(*status);
        if !says_converted(value) || flag.read(record) != Some(false) {
            return;
        }
        sink.report(
            Some(*status),
            Some(value),
            format!(
                "`{}` = `{}` but `{}` is false: the lead is converted by its status and open by its flag (conversion)",
                record.header(*status),
                value.trim(),
                record.header(flag.column)
            ),
        );
    }
}

/// Whether a lead status says the lead was converted.
fn says_converted(status: &str) -> bool {
    let s = status.trim().to_lowercase();
    let converted = s.contains("converted") || s.contains("конвертирован");
    let negated = [
        "not converted",
        "unconverted",
        "non-converted",
        "nonconverted",
        "не конвертирован",
        "неконвертирован",
    ]
    .iter()
    .any(|n| s.contains(n));
    converted && !negated
}

#[cfg(test)]
mod tests {
    use super::says_converted;

    #[test]
    fn statuses() {
        for yes in ["Closed - Converted", "Converted", "Конвертирован"] {
            assert!(says_converted(yes), "{yes}");
        }
        for no in [
            "Closed - Not Converted",
            "Unconverted",
            "Working",
            "Не конвертирован",
            "",
        ] {
            assert!(!says_converted(no), "{no}");
        }
    }
}
