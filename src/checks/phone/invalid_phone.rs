use super::{PlanReading, placeholder_like};
use crate::checks::prelude::*;
use crate::normalize::phone::{Reading, read};

declare_check! {
    /// ## What it checks
    /// A phone number that is no number of its country's numbering plan
    /// (libphonenumber's metadata, through the `phonenumber` crate): too short (a local
    /// number without its area code), too long, or outside every range the country
    /// assigns, or a `+` code that is no country's. A number written with `+` or `00` is
    /// read by its own country code; one without by the record's country (its first
    /// country column), else `default-region`, else not at all. Extensions (`x12`,
    /// `ext. 12`, `доб. 12`) are left out. Placeholders are PH001's and one digit
    /// repeated CP003's; a column most of whose values are not written as numbers
    /// (hashed or masked) is left alone.
    ///
    /// ## Why it matters
    /// Dialers, SMS and call-tracking integrations reject or misroute these numbers;
    /// **activity** reports count calls that never connect.
    ///
    /// ## Example
    /// | Phone | MailingCountry | flagged |
    /// |-------|----------------|---------|
    /// | `555-1234` | `US` | yes, too short (no area code) |
    /// | `020 7946 0000` | `US` | yes, a British number written nationally |
    /// | `+999 123 4567` | | yes, no country code |
    /// | `(415) 555-0100`, `+1 415 555 0100 x12` | `US` | no |
    /// | `8 (495) 123-45-67` | `Россия` | no |
    /// | `(415) 555-0100` | | no (no country to read it by) |
    ///
    /// ## Options
    /// - `default-region` (none by default): the country (ISO alpha-2, `US`) to read
    ///   numbers by on records without one.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct InvalidPhone;
    code = "PH002",
    name = "invalid-phone",
    family = Phone,
    scope = Dataset,
    severity = Warning,
    dimension = Validity,
}

#[derive(Default)]
pub struct Options {
    pub(super) default_region: Option<&'static str>,
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(region) = table.string("default-region") {
            match crate::normalize::country::lookup(&region) {
                Some((country, _)) => self.default_region = Some(country.alpha2),
                None => {
                    let at = table.at();
                    table.error_at(at, format!("`default-region` = `{region}` is no country"));
                }
            }
        }
    }
}

impl Check for InvalidPhone {
    type Options = Options;
    type Prepared = PlanReading;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<PlanReading> {
        PlanReading::prepare(cx.profile, options.default_region)
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
                if placeholder_like(value) {
                    return;
                }
                if let Reading::Invalid(why) = read(value, region()) {
                    let message = format!(
                        "`{}` = `{}` is not a valid phone number: {why}",
                        table.header_name(column),
                        value.trim()
                    );
                    sink.report(table, record, Some(column), Some(value), message);
                }
            },
        );
    }
}
