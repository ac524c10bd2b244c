use super::{both_columns, report_with_country, with_country};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::normalize::postal_code;

declare_check! {
    /// ## What it checks
    /// A postal code that does not fit the format of its record's country (Google's
    /// address metadata, `data/postal_codes.csv`, 180 countries): `9501` or `ABCDE` for
    /// the US, `12345` for the UK. A code that fits once the leading zeros a spreadsheet
    /// drops are put back (`2134` → `02134`) says so. The code is read with the country of
    /// the same address (`BillingPostalCode` with `BillingCountry`); records without a
    /// country, and countries without postal codes, are left alone. Case and surrounding
    /// spaces do not count.
    ///
    /// ## Why it matters
    /// **Territory** assignment, shipping, tax and address verification read the postal
    /// code; mailings to it bounce.
    ///
    /// ## Example
    /// | MailingPostalCode | MailingCountry | flagged |
    /// |-------------------|----------------|---------|
    /// | `2134`            | `US`           | yes, lost its leading zero (`02134`) |
    /// | `SW1A 1AA`        | `United States` | yes |
    /// | `02134`, `02134-1234` | `US`       | no |
    /// | `sw1a1aa`         | `UK`           | no |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct PostalCodeInvalid;
    code = "PL004",
    name = "postal-code-invalid",
    family = Places,
    scope = Dataset,
    severity = Warning,
    dimension = Validity,
}

impl Check for PostalCodeInvalid {
    type Options = ();
    type Prepared = Vec<(usize, usize)>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<(usize, usize)>> {
        with_country(cx.profile, Role::Postcode)
    }

    fn kept_columns(&self, pairs: &Vec<(usize, usize)>) -> Vec<usize> {
        both_columns(pairs)
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<(usize, usize)>>],
        sink: &mut DatasetSink,
    ) {
        report_with_country(inputs, sink, |header, value, country| {
            let format = postal_code::format(country.alpha2)?;
            if format.fits(value) {
                return None;
            }
            let code = value.trim();
            Some(match format.with_lost_zeros(value) {
                Some(padded) => format!(
                    "`{header}` = `{code}` is not a postal code of {}: it lost its leading zeros (`{padded}`), as a spreadsheet drops them",
                    country.name
                ),
                None => format!(
                    "`{header}` = `{code}` is not a postal code of {} (they look like `{}`)",
                    country.name, format.example
                ),
            })
        });
    }
}
