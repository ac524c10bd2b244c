use super::{FREE_MAIL, ListEdits, email_columns, parts};
use crate::checks::prelude::*;
use crate::input::columns::{Role, header_key};
use crate::input::object::ObjectType;

declare_check! {
    /// ## What it checks
    /// Opt-in (`--extend-select EM008`): a contact or lead of a company (it has an
    /// account or a company name) whose address is at a free-mail provider (`gmail.com`,
    /// `mail.ru`, `yandex.ru`, …; `data/free_email_domains.txt`) rather than at the
    /// company. Only the main email column is read (the one named `Email`, else the
    /// first): a personal address beside a work one is expected. A company of
    /// `self-employed`, `individual`, `private` or `n/a` is no company.
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

/// Whether a company value names a company (not blank, not "no company").
fn is_company(value: &str) -> bool {
    let folded = value.trim().to_lowercase();
    !folded.is_empty()
        && !matches!(
            folded.as_str(),
            "self-employed"
                | "self employed"
                | "self"
                | "individual"
                | "private"
                | "personal"
                | "none"
                | "n/a"
                | "na"
                | "-"
                | "home"
                | "частное лицо"
                | "физлицо"
                | "нет"
        )
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
        // The main address: the column named plainly `Email` (or `Email Address`, `Work
        // Email`) when there is one, else the first email column.
        let columns = email_columns(cx);
        let main = columns.iter().copied().find(|&c| {
            matches!(
                header_key(&cx.profile.header.columns[c]).as_str(),
                "email" | "emailaddress" | "workemail" | "businessemail" | "propertyemail"
            )
        });
        let email = main.or_else(|| columns.first().copied())?;
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
        let Some(&company) = p.company.iter().find(|&&c| is_company(record.get(c))) else {
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
