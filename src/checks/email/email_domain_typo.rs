use super::{FREE_MAIL, TYPO_TARGETS, email_columns, parts};
use crate::checks::prelude::*;
use crate::normalize::email::syntax_problem;

declare_check! {
    /// ## What it checks
    /// Addresses at a domain one keystroke from a major mail provider's
    /// (`gmial.com` → `gmail.com`, `yandex.ry` → `yandex.ru`, `mial.ru` → `mail.ru`,
    /// `hotmial.com`), with the domain meant as a suggestion. Providers with a short
    /// name (`me.com`, `ya.ru`) are left out: too many real domains are one letter
    /// from them.
    ///
    /// ## Why it matters
    /// The address bounces (or reaches a squatter): the contact is lost for email, and
    /// the fix is obvious once seen. The suggestion is a judgement, never applied
    /// silently.
    ///
    /// ## Example
    /// | Email                  | flagged |
    /// |------------------------|---------|
    /// | `olga@gmial.com`       | yes (`gmail.com`) |
    /// | `olga@yandex.ry`       | yes (`yandex.ru`) |
    /// | `olga@gmail.com`       | no      |
    /// | `olga@acme-steel.com`  | no      |
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct EmailDomainTypo;
    code = "EM002",
    name = "email-domain-typo",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

/// The provider a domain misspells, if any.
pub fn intended(domain: &str) -> Option<&'static str> {
    if FREE_MAIL.contains(domain) {
        return None;
    }
    TYPO_TARGETS
        .iter()
        .copied()
        .filter(|t| {
            t.split('.')
                .next()
                .is_some_and(|sld| sld.chars().count() >= 4)
        })
        // People mistype inside a word, not its first letter (`mymail.com` is a
        // domain of its own, not `ymail.com`).
        .filter(|t| t.chars().next() == domain.chars().next())
        .map(|t| (strsim::osa_distance(domain, t), t))
        .filter(|(d, _)| *d == 1)
        .min_by_key(|(d, t)| (*d, *t))
        .map(|(_, t)| t)
}

impl Check for EmailDomainTypo {
    type Options = ();
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        let columns = email_columns(cx);
        (!columns.is_empty()).then_some(columns)
    }

    fn check_record(&self, columns: &Vec<usize>, record: &RecordView<'_>, sink: &mut FindingSink) {
        for &column in columns {
            let value = record.get(column);
            // Addresses that are no address at all are invalid-email (EM001).
            if value.is_empty() || syntax_problem(value).is_some() {
                continue;
            }
            let Some((_, domain)) = parts(value) else {
                continue;
            };
            let Some(meant) = intended(&domain) else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}`: `{domain}` looks like a misspelling of `{meant}`",
                    record.header(column)
                ),
            );
        }
    }
}
