use super::{FREE_MAIL, ListEdits, email_columns, parts};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Opt-in (`--extend-select EM008`): a contact or lead of a company (it has an
    /// account or a company name) whose address is at a free-mail provider (`gmail.com`,
    /// `mail.ru`, `yandex.ru`, …; `data/free_email_domains.txt`) rather than at the
    /// company. Only the record's first email column is read: a personal address beside
    /// a work one is expected.
    ///
    /// ## Why it matters
    /// A B2B team routes, scores and enriches leads by their email domain: a free-mail
    /// address gets no company match, no territory and no **account** roll-up, and is
    /// more often a personal address that leaves with the person. It is opt-in because
    /// a business selling to consumers or to sole traders expects these addresses.
    ///
    /// ## Example
    /// | Company | Email | flagged |
    /// |---------|-------|---------|
    /// | `Acme Corp` | `ann.lee@gmail.com` | yes |
    /// | `Acme Corp` | `ann.lee@acme.com` | no |
    /// | (blank) | `ann.lee@gmail.com` | no (no company) |
    ///
    /// ## Options
    /// - `extend-domains`: more free-mail providers.
    /// - `allow-domains`: providers of the bundled list to accept.
    ///
    /// ## Trust impact
    /// Counts against `validity`.
    pub struct FreeEmailOnBusinessRecord;
    code = "EM008",
    name = "free-email-on-business-record",
    family = Email,
    scope = Record,
    severity = Info,
    dimension = Validity,
    opt_in = true,
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

pub struct Prepared {
    email: usize,
    company: Vec<usize>,
    domains: ListEdits,
}

impl Check for FreeEmailOnBusinessRecord {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        if !matches!(cx.profile.object, ObjectType::Contact | ObjectType::Lead) {
            return None;
        }
        let email = *email_columns(cx).first()?;
        let company: Vec<usize> = [Role::Company, Role::AccountId]
            .iter()
            .filter_map(|r| cx.profile.columns.column(*r))
            .collect();
        (!company.is_empty()).then(|| Prepared {
            email,
            company,
            domains: options.domains.clone(),
        })
    }

    fn check_record(&self, p: &Prepared, record: &RecordView<'_>, sink: &mut FindingSink) {
        let Some(&company) = p
            .company
            .iter()
            .find(|&&c| !record.get(c).trim().is_empty())
        else {
            return;
        };
        let value = record.get(p.email);
        let mut buf = std::mem::take(&mut sink.scratch);
        if let Some((_, domain)) = parts(value, &mut buf)
            && p.domains.contains(&FREE_MAIL, domain)
        {
            let message = format!(
                "`{}` = `{value}` is a free-mail address on a record of a company (`{}` = `{}`): no company domain to route, match or enrich by",
                record.header(p.email),
                record.header(company),
                record.get(company).trim()
            );
            sink.report(Some(p.email), Some(value), message);
        }
        sink.scratch = buf;
    }
}
