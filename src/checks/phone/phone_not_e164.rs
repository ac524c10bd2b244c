use super::invalid_phone::InvalidPhone;
use super::{PlanReading, placeholder_like};
use crate::checks::prelude::*;
use crate::normalize::phone::e164;

declare_check! {
    /// ## What it checks
    /// Opt-in (`--extend-select PH004`): a valid phone number not written in E.164, the
    /// international form `+14155550100` that dialers, SMS gateways and integrations
    /// (Twilio, HubSpot calling, WhatsApp) expect. A number is read as PH002 reads it:
    /// by its own `+` code, else by the record's country (or PH002's
    /// `default-region`); numbers that cannot be read, invalid ones (PH002's),
    /// placeholders (PH001's) and numbers with an extension are left alone.
    ///
    /// ## Why it matters
    /// One format per column is what makes a phone number a key: call-tracking,
    /// duplicate rules and click-to-dial match `+1 (415) 555-0100` and `415.555.0100`
    /// only when both are `+14155550100`. It is a policy, not a defect: many orgs keep
    /// national formats, so the check runs only when selected.
    ///
    /// ## Example
    /// | Phone | MailingCountry | flagged |
    /// |-------|----------------|---------|
    /// | `(415) 867-3201` | `US` | yes (→ `+14158673201`) |
    /// | `8 (495) 123-45-67` | `Россия` | yes (→ `+74951234567`) |
    /// | `+14158673201` | | no |
    /// | `(415) 867-3201 x12` | `US` | no (an extension) |
    ///
    /// ## Fix
    /// Safe: the same number in E.164 (its country is known from its code or its
    /// record, and the number is one of that country's plan).
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct PhoneNotE164;
    code = "PH004",
    name = "phone-not-e164",
    family = Phone,
    scope = Dataset,
    severity = Info,
    dimension = Consistency,
    opt_in = true,
    fix = Safe,
}

impl Check for PhoneNotE164 {
    type Options = ();
    type Prepared = PlanReading;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<PlanReading> {
        let default_region = cx.options_of(&InvalidPhone).and_then(|o| o.default_region);
        PlanReading::prepare(cx.profile, default_region)
    }

    fn kept_columns(&self, p: &PlanReading) -> Vec<usize> {
        p.kept()
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, PlanReading>],
        sink: &mut DatasetSink,
    ) {
        PlanReading::each_number_in(
            inputs,
            sink,
            |table, record, column, value, region, sink| {
                let value = value.trim();
                if placeholder_like(value) {
                    return;
                }
                let Some(international) = e164(value, region()) else {
                    return;
                };
                if international == value {
                    return;
                }
                let message = format!(
                    "`{}` = `{value}` is not written in E.164: `{international}`",
                    table.header_name(column),
                );
                sink.report(table, record, Some(column), Some(value), message);
                sink.fix(&international, Applicability::Safe);
            },
        );
    }
}
