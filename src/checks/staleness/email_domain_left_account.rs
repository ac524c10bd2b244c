use rustc_hash::FxHashMap;

use crate::checks::email::{DISPOSABLE, FREE_MAIL, parts};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::table::Table;
use crate::normalize::domain::registrable_domain;
use crate::normalize::salesforce_id::join_key;

declare_check! {
    /// ## What it checks
    /// A contact whose email domain is not its account's, where the account's website
    /// domain is the one its other contacts use: at least `min-colleagues` (default 2)
    /// colleagues write from `acme.com`, the account's website is `acme.com`, and this
    /// contact writes from `oldjob.com`. Domains are compared as registrable domains
    /// (Public Suffix List), and as brands (`acme.co.uk` is `acme.com`'s). Free-mail and
    /// throw-away domains are left alone, as is a second domain that two or more of the
    /// account's contacts share (a subsidiary, a rebrand). Needs the accounts (with a
    /// website) and the contacts (with an account id) in one run.
    ///
    /// ## Why it matters
    /// The person most likely changed jobs and the address is their old employer's, or
    /// the contact sits on the wrong account: mail to the account's people misses them
    /// and **account** roll-ups and **activity** reports count them at the wrong company.
    ///
    /// ## Example
    /// Account `Acme` (website `www.acme.com`) with contacts:
    ///
    /// | Email | flagged |
    /// |-------|---------|
    /// | `ann@acme.com`, `bob@mail.acme.com` | no |
    /// | `cy@globex.com` | yes |
    /// | `di@gmail.com` | no (free mail) |
    /// | `ed@acme.co.uk` | no (same brand) |
    ///
    /// ## Options
    /// - `min-colleagues` (default 2): contacts of the account at its website's domain
    ///   before another domain is reported.
    ///
    /// ## Trust impact
    /// Counts against `timeliness`.
    pub struct EmailDomainLeftAccount;
    code = "ST003",
    name = "email-domain-left-account",
    family = Staleness,
    scope = Dataset,
    severity = Warning,
    dimension = Timeliness,
}

pub struct Options {
    min_colleagues: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_colleagues: 2 }
    }
}

impl CheckOptions for Options {
    fn apply(&mut self, table: &mut OptionTable<'_>) {
        if let Some(n) = table.integer("min-colleagues", 1..=1000) {
            self.min_colleagues = n as usize;
        }
    }
}

pub enum Prepared {
    Accounts {
        website: usize,
    },
    Contacts {
        email: usize,
        account: usize,
        min_colleagues: usize,
    },
}

impl Check for EmailDomainLeftAccount {
    type Options = Options;
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, options: &Options) -> Option<Prepared> {
        let columns = &cx.profile.columns;
        match cx.profile.object {
            ObjectType::Account => Some(Prepared::Accounts {
                website: columns.column(Role::Website)?,
            }),
            ObjectType::Contact => Some(Prepared::Contacts {
                email: columns.column(Role::Email)?,
                account: columns.column(Role::AccountId)?,
                min_colleagues: options.min_colleagues,
            }),
            _ => None,
        }
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        match *p {
            Prepared::Accounts { website } => vec![website],
            Prepared::Contacts { email, account, .. } => vec![email, account],
        }
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        // Account join key → its website's registrable domain and its id as written.
        let mut websites: Websites<'_> = FxHashMap::default();
        for input in inputs {
            let (table, Some(&Prepared::Accounts { website })) = (input.table, input.prepared)
            else {
                continue;
            };
            let Some(values) = table.column(website) else {
                continue;
            };
            for (record, value) in values.iter().enumerate() {
                if let Some(domain) = registrable_domain(value).filter(|d| usable(d)) {
                    let id = table.id(record);
                    websites.insert(join_key(id), (domain, id));
                }
            }
        }
        if websites.is_empty() {
            return;
        }
        for input in inputs {
            let (
                table,
                Some(&Prepared::Contacts {
                    email,
                    account,
                    min_colleagues,
                }),
            ) = (input.table, input.prepared)
            else {
                continue;
            };
            report_contacts(table, email, account, min_colleagues, &websites, sink);
        }
    }
}

type Websites<'a> = FxHashMap<&'a str, (String, &'a str)>;

/// Whether a domain says where someone works (not free mail or throw-away).
fn usable(domain: &str) -> bool {
    !FREE_MAIL.contains(domain) && !DISPOSABLE.contains(domain)
}

/// The brand of a registrable domain: its first label (`acme` of `acme.co.uk`).
fn brand(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

fn report_contacts(
    table: &Table,
    email: usize,
    account: usize,
    min_colleagues: usize,
    websites: &Websites<'_>,
    sink: &mut DatasetSink,
) {
    let (Some(emails), Some(accounts)) = (table.column(email), table.column(account)) else {
        return;
    };
    // Account → its contacts with a work domain: (record, registrable domain).
    let mut by_account: FxHashMap<&str, Vec<(usize, String)>> = FxHashMap::default();
    let mut buf = String::new();
    for (record, (address, account_id)) in emails.iter().zip(accounts.iter()).enumerate() {
        let key = join_key(account_id.trim());
        if key.is_empty() || !websites.contains_key(key) {
            continue;
        }
        // Free mail first, on the address's own domain: most contacts stop here.
        let Some((_, domain)) = parts(address, &mut buf) else {
            continue;
        };
        if !usable(domain) {
            continue;
        }
        if let Some(domain) = registrable_domain(domain).filter(|d| usable(d)) {
            by_account.entry(key).or_default().push((record, domain));
        }
    }
    let mut by_account: Vec<(&str, Vec<(usize, String)>)> = by_account.into_iter().collect();
    by_account.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (key, contacts) in by_account {
        let (site, account_id) = &websites[key];
        let same_brand = |d: &str| brand(d) == brand(site);
        let colleagues = contacts.iter().filter(|(_, d)| same_brand(d)).count();
        if colleagues < min_colleagues {
            continue;
        }
        let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
        for (_, d) in &contacts {
            *counts.entry(d.as_str()).or_default() += 1;
        }
        for (record, domain) in &contacts {
            if same_brand(domain) || counts[domain.as_str()] > 1 {
                continue;
            }
            let value = emails.get(*record);
            sink.report(
                table,
                *record,
                Some(email),
                Some(value),
                format!(
                    "`{}` = `{}` is at `{domain}`, not at `{site}`, the website of account `{account_id}` where {colleagues} colleagues' addresses are: a job change, or a contact on the wrong account",
                    table.header_name(email),
                    value.trim()
                ),
            );
        }
    }
}
