use rustc_hash::FxHashMap;

use crate::checks::email::{DISPOSABLE, FREE_MAIL};
use crate::checks::prelude::*;
use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::table::Table;
use crate::normalize::domain::{host_domain, registrable_domain};
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
            // Without an id column the records' ids are their line numbers, which no
            // contact's account id names.
            ObjectType::Account if cx.profile.id_column.is_some() => Some(Prepared::Accounts {
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
        let mut websites = Websites::default();
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
                    if id.trim().is_empty() {
                        continue;
                    }
                    let next = websites.sites.len() as u32;
                    if let std::collections::hash_map::Entry::Vacant(slot) =
                        websites.index.entry(join_key(id))
                    {
                        slot.insert(next);
                        websites.sites.push((domain, id));
                    }
                }
            }
        }
        if websites.sites.is_empty() {
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

/// The accounts with a work website: join key → index into `sites`, and per index the
/// website's registrable domain and the account id as written.
#[derive(Default)]
struct Websites<'a> {
    index: FxHashMap<&'a str, u32>,
    sites: Vec<(String, &'a str)>,
}

/// Whether a domain says where someone works (not free mail or throw-away).
fn usable(domain: &str) -> bool {
    !FREE_MAIL.contains(domain) && !DISPOSABLE.contains(domain)
}

/// The brand of a registrable domain: its first label (`acme` of `acme.co.uk`).
fn brand(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

/// The registrable work domains of the hosts seen, each looked up once: colleagues
/// share hosts, and most contacts of a large export are colleagues.
#[derive(Default)]
struct Domains {
    /// Lowercase hosts → their domain's index, if usable. The map owns its keys: keys
    /// pointing into a large export's memory would miss the cache on every compare.
    hosts: FxHashMap<Box<str>, Option<u32>>,
    /// Registrable domains → index, and back.
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Domains {
    /// The work domain of an address, or `None` for free mail, throw-away and no domain.
    fn of(&mut self, address: &str) -> Option<u32> {
        let (_, host) = address.trim().rsplit_once('@')?;
        let host = host.trim_end_matches('.');
        let lower;
        let host = if host
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            host
        } else {
            lower = host.to_lowercase();
            lower.as_str()
        };
        if let Some(&known) = self.hosts.get(host) {
            return known;
        }
        let id = self.lookup(host);
        self.hosts.insert(host.into(), id);
        id
    }

    fn lookup(&mut self, host: &str) -> Option<u32> {
        if !usable(host) {
            return None;
        }
        let domain = host_domain(host).filter(|d| usable(d))?;
        if let Some(&id) = self.ids.get(domain) {
            return Some(id);
        }
        let id = self.names.len() as u32;
        self.names.push(domain.to_owned());
        self.ids.insert(domain.to_owned(), id);
        Some(id)
    }
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
    // The contacts with a work domain as (account index, record, domain index), sorted
    // into runs per account: indexed, not hashed by id, as the ids of a large export
    // are spread over its memory.
    let mut found: Vec<(u32, u32, u32)> = Vec::new();
    let mut domains = Domains::default();
    for (record, (address, account_id)) in emails.iter().zip(accounts.iter()).enumerate() {
        let key = join_key(account_id.trim());
        let Some(&account) = websites.index.get(key).filter(|_| !key.is_empty()) else {
            continue;
        };
        if let Some(domain) = domains.of(address) {
            found.push((account, record as u32, domain));
        }
    }
    found.sort_unstable();
    for contacts in found.chunk_by(|a, b| a.0 == b.0) {
        let (site, account_id) = &websites.sites[contacts[0].0 as usize];
        let same_brand = |d: u32| brand(&domains.names[d as usize]) == brand(site);
        let colleagues = contacts.iter().filter(|c| same_brand(c.2)).count();
        if colleagues < min_colleagues {
            continue;
        }
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for &(_, _, d) in contacts {
            *counts.entry(d).or_default() += 1;
        }
        for &(_, record, domain) in contacts {
            let record = record as usize;
            if same_brand(domain) || counts[&domain] > 1 {
                continue;
            }
            let value = emails.get(record);
            sink.report(
                table,
                record,
                Some(email),
                Some(value),
                format!(
                    "`{}` = `{}` is at `{}`, not at `{site}`, the website of account `{account_id}` where {colleagues} colleagues' addresses are: a job change, or a contact on the wrong account",
                    table.header_name(email),
                    value.trim(),
                    domains.names[domain as usize]
                ),
            );
        }
    }
}
