use std::sync::LazyLock;

use super::invalid_email::repair;
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
    /// ## Fix
    /// The address at the domain meant: unsafe (`gmial.com` is nearly always Gmail, but
    /// the address is the person's). An address pasted with more around it
    /// (`Ann <ann@gmial.com>`) gets the address EM001 takes out, at the domain meant.
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
    fix = Unsafe,
}

/// Typo targets a suggestion may point to: providers whose name has four letters or
/// more, with their first character and length.
static TARGETS: LazyLock<Vec<(&'static str, char, usize)>> = LazyLock::new(|| {
    TYPO_TARGETS
        .iter()
        .copied()
        .filter(|t| {
            t.split('.')
                .next()
                .is_some_and(|sld| sld.chars().count() >= 4)
        })
        .map(|t| (t, t.chars().next().unwrap_or(' '), t.chars().count()))
        .collect()
});

/// Whether a value may be an address pasted with more around it: a display name,
/// brackets, quotes, `mailto:`, a trailing `.`, `,` or `;`.
fn looks_pasted(value: &str) -> bool {
    value.contains(['<', '>', '"', '\'', ' ', ',', ';'])
        || value.ends_with('.')
        || value
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
}

/// The provider a domain misspells, if any.
pub fn intended(domain: &str) -> Option<&'static str> {
    let first = domain.chars().next()?;
    let len = domain.chars().count();
    // People mistype inside a word, not its first letter (`mymail.com` is a domain of
    // its own, not `ymail.com`), and one edit changes the length by one at most.
    let mut candidates = TARGETS
        .iter()
        .filter(|(_, f, l)| *f == first && l.abs_diff(len) <= 1)
        .peekable();
    candidates.peek()?;
    if FREE_MAIL.contains(domain) {
        return None;
    }
    candidates
        .filter(|(t, _, _)| strsim::osa_distance(domain, t) == 1)
        .map(|(t, _, _)| *t)
        .min()
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
        // A reused buffer for the lowercased address.
        let mut buf = std::mem::take(&mut sink.scratch);
        for &column in columns {
            let value = record.get(column);
            // The domain as written; for an address pasted with more around it
            // (`Ann <ann@gmial.com>`, `mailto:`), the domain of the address EM001 takes
            // out. The full syntax is read only for those and for misspelt domains.
            let (domain, meant, repaired) = match parts(value, &mut buf)
                .and_then(|(_, d)| Some((d.to_owned(), intended(d)?)))
            {
                Some((domain, meant)) => (domain, meant, None),
                None if looks_pasted(value) => {
                    let Some((address, _)) = repair(value) else {
                        continue;
                    };
                    let Some((_, d)) = parts(&address, &mut buf) else {
                        continue;
                    };
                    let Some(meant) = intended(d) else {
                        continue;
                    };
                    (d.to_owned(), meant, Some(address))
                }
                None => continue,
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}`: `{domain}` looks like a misspelling of `{meant}`",
                    record.header(column)
                ),
            );
            // The address (repaired when it is not one as written), its local part as
            // written (its case is the person's), the domain meant.
            let address = match repaired {
                Some(a) => Some(a),
                None if syntax_problem(value).is_some() => repair(value).map(|(a, _)| a),
                None => Some(value.to_owned()),
            };
            if let Some((local, _)) = address.as_deref().and_then(|a| a.rsplit_once('@')) {
                let fixed = format!("{}@{meant}", local.trim());
                sink.fix(&fixed, Applicability::Unsafe);
            }
        }
        sink.scratch = buf;
    }
}
