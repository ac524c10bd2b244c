use super::{PhoneColumns, placeholder_like};
use crate::checks::prelude::*;
use crate::normalize::country;
use crate::normalize::phone::{Reading, calling_code, read};

declare_check! {
    /// ## What it checks
    /// A number written with its country code (`+44 …`, `0044 …`) whose country's code
    /// is not that of the record's country (its first country column): a British
    /// number on a US contact. Countries sharing a code (`+1` for the US, Canada and the
    /// Caribbean; `+7` for Russia and Kazakhstan) do not count as different, nor do
    /// non-geographic numbers (`+800` freephone, `+881` satellite).
    ///
    /// ## Why it matters
    /// Either the number or the country is wrong, or the person works abroad: **territory**
    /// and routing rules, calling hours and SMS consent read one and act on the other.
    ///
    /// ## Example
    /// | Phone | MailingCountry | flagged |
    /// |-------|----------------|---------|
    /// | `+44 20 7946 0000` | `United States` | yes |
    /// | `+1 416 555 0100` | `United States` | no (Canada shares `+1`) |
    /// | `+7 495 123-45-67` | `Россия` | no |
    /// | `020 7946 0000` | `United States` | no (PH002: read as a US number, none) |
    ///
    /// ## Trust impact
    /// Counts against `consistency`.
    pub struct PhoneCountryMismatch;
    code = "PH003",
    name = "phone-country-mismatch",
    family = Phone,
    scope = Dataset,
    severity = Warning,
    dimension = Consistency,
}

impl Check for PhoneCountryMismatch {
    type Options = ();
    type Prepared = PhoneColumns;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<PhoneColumns> {
        PhoneColumns::prepare(cx.profile).filter(|p| !p.countries.is_empty())
    }

    fn kept_columns(&self, p: &PhoneColumns) -> Vec<usize> {
        p.kept()
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, PhoneColumns>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            p.each_number(table, None, sink, |record, column, value, home, sink| {
                // Only numbers written with their country code can name another country.
                let start = value.trim_start_matches([' ', '(']);
                if !(start.starts_with('+') || start.starts_with("00")) || placeholder_like(value) {
                    return;
                }
                let Some(home) = home() else {
                    return;
                };
                let Reading::Valid {
                    region,
                    international: true,
                } = read(value, Some(home))
                else {
                    return;
                };
                // Non-geographic numbers (`+800` freephone, `+881` satellite) have no country.
                if region == "001" || calling_code(region) == calling_code(home) {
                    return;
                }
                let name = |r: &'static str| country::lookup(r).map_or(r, |(c, _)| c.name);
                let message = format!(
                    "`{}` = `{}` is a number of {} (+{}), on a record in {}",
                    table.header_name(column),
                    value.trim(),
                    name(region),
                    calling_code(region).unwrap_or_default(),
                    name(home)
                );
                sink.report(table, record, Some(column), Some(value), message);
            });
        }
    }
}
