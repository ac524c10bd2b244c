use super::email_domain_typo::intended;
use super::{DISPOSABLE, DISPOSABLE_ALLOWED, ListEdits, email_columns, parts, suffixes};
use crate::checks::prelude::*;

declare_check! {
    /// ## What it checks
    /// Addresses at a disposable (throw-away) mail domain, matched on the domain and
    /// each parent domain, so `a.b.mailinator.com` is `mailinator.com`. The list is
    /// the CC0 `disposable-email-domains` blocklist, minus its allowlist.
    ///
    /// ## Why it matters
    /// Throw-away inboxes expire within hours or days: the contact signed up to get
    /// past a form and cannot be reached; counting them inflates lead and **conversion**
    /// reports.
    ///
    /// ## Example
    /// | Email                      | flagged |
    /// |----------------------------|---------|
    /// | `x@mailinator.com`         | yes     |
    /// | `x@eu.mailinator.com`      | yes     |
    /// | `x@gmail.com`              | no      |
    ///
    /// ## Options
    /// - `extend-domains`: more throw-away domains (matched with their sub-domains).
    /// - `allow-domains`: domains of the bundled list that are not throw-away for you.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct DisposableEmailDomain;
    code = "EM003",
    name = "disposable-email-domain",
    family = Email,
    scope = Record,
    severity = Warning,
    dimension = Validity,
}

#[derive(Default)]
pub struct Options {
    domains: ListEdits,
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        self.domains.apply(table, "extend-domains", "allow-domains");
    }
}

impl Check for DisposableEmailDomain {
    type Options = Options;
    type Prepared = (Vec<usize>, ListEdits);

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(
        &self,
        cx: &PrepareContext<'_>,
        options: &Options,
    ) -> Option<(Vec<usize>, ListEdits)> {
        let columns = email_columns(cx);
        (!columns.is_empty()).then(|| (columns, options.domains.clone()))
    }

    fn check_record(
        &self,
        (columns, edits): &(Vec<usize>, ListEdits),
        record: &RecordView<'_>,
        sink: &mut FindingSink,
    ) {
        // A reused buffer for the lowercased address.
        let mut buf = std::mem::take(&mut sink.scratch);
        for &column in columns.iter() {
            let value = record.get(column);
            let Some((_, domain)) = parts(value, &mut buf) else {
                continue;
            };
            // Typo-squatted provider domains (`gmial.com`) are on the list too; the
            // misspelling (EM002) is what the user can fix.
            if intended(domain).is_some() {
                continue;
            }
            // The bundled allowlist yields to a domain the rule file adds.
            let allowed = |d: &str| DISPOSABLE_ALLOWED.contains(d) && !edits.added.contains(d);
            let hit = suffixes(domain).find(|d| edits.contains(&DISPOSABLE, d) && !allowed(d));
            let Some(hit) = hit else {
                continue;
            };
            sink.report(
                Some(column),
                Some(value),
                format!(
                    "`{}` = `{value}` is at the disposable mail domain `{hit}`: a throw-away inbox",
                    record.header(column)
                ),
            );
        }
        sink.scratch = buf;
    }
}
