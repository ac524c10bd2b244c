//! Seeded synthetic CRM exports with labelled defects and duplicates.
//!
//! Writes Salesforce-style `accounts.csv`, `contacts.csv` and `deals.csv`, and
//! `defects.csv` listing every planted defect as `(object, record_id, code)` so tests
//! and benchmarks can measure what the audit finds. Contacts can carry an `EntityId`
//! column (`labels`): records with the same value are the same person.
//!
//! Duplicates are copies of an earlier person with realistic edits (nickname, typo,
//! swapped names, changed or missing email, reformatted phone, abbreviated street).
//! Colleagues share company, address and switchboard phone: the hard negatives of CRM
//! deduplication. The same seed gives the same files.

use std::io::{self, Write};
use std::path::Path;

use fastrand::Rng;

use crate::data::*;

#[derive(Debug, Clone)]
pub struct Config {
    pub accounts: usize,
    pub contacts: usize,
    pub deals: usize,
    pub seed: u64,
    /// Share of contact records that are duplicates of another.
    pub duplicate_rate: f64,
    /// Share of records with a planted defect.
    pub defect_rate: f64,
    /// Add the `EntityId` ground-truth column to contacts.
    pub labels: bool,
    /// Add a multi-line `Description` to some deals.
    pub notes: bool,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub accounts: usize,
    pub contacts: usize,
    pub deals: usize,
    pub defects: usize,
    pub duplicate_records: usize,
}

struct Account {
    id: String,
    name: String,
    domain: String,
    phone: String,
    street: String,
    city: usize,
    zip: String,
}

#[derive(Clone)]
struct Person {
    entity: usize,
    first: String,
    last: String,
    email: String,
    phone: String,
    mobile: String,
    title: String,
    account: usize,
    company: String,
    street: String,
    city: String,
    state: String,
    zip: String,
    source: String,
    created: String,
    activity: String,
}

struct Defect {
    object: &'static str,
    record_id: String,
    code: &'static str,
    what: &'static str,
}

/// A Salesforce-shaped 18-character id with a valid checksum.
fn salesforce_id(prefix: &str, n: usize) -> String {
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut body = [b'0'; 9];
    let mut v = n;
    for slot in body.iter_mut().rev() {
        *slot = BASE62[v % 62];
        v /= 62;
    }
    let id15 = format!("{prefix}5g0{}", String::from_utf8_lossy(&body));
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let suffix: String = id15
        .as_bytes()
        .chunks(5)
        .map(|c| {
            let bits = c.iter().enumerate().fold(0, |acc, (i, b)| {
                acc | (usize::from(b.is_ascii_uppercase()) << i)
            });
            char::from(ALPHABET[bits])
        })
        .collect();
    format!("{id15}{suffix}")
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn date(rng: &mut Rng, from_year: i32, to_year: i32) -> (i32, u32, u32) {
    (
        rng.i32(from_year..=to_year),
        rng.u32(1..=12),
        rng.u32(1..=28),
    )
}

fn timestamp(rng: &mut Rng, from_year: i32, to_year: i32) -> String {
    let (y, m, d) = date(rng, from_year, to_year);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000+0000",
        rng.u32(0..24),
        rng.u32(0..60),
        rng.u32(0..60)
    )
}

fn us_phone(rng: &mut Rng, area: &str) -> String {
    format!(
        "({area}) {:03}-{:04}",
        rng.u32(200..1000),
        rng.u32(0..10000)
    )
}

/// One random edit: substitute, delete, insert or transpose a letter.
fn typo(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_owned();
    }
    let i = rng.usize(1..chars.len() - 1);
    match rng.u8(0..4) {
        0 => chars[i] = char::from(b'a' + rng.u8(0..26)),
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, char::from(b'a' + rng.u8(0..26))),
        _ => chars.swap(i, i + 1),
    }
    chars.into_iter().collect()
}

fn email_local(first: &str, last: &str, style: u8) -> String {
    let (f, l) = (first.to_lowercase(), last.to_lowercase());
    match style {
        0 => format!("{f}.{l}"),
        1 => format!("{}{l}", f.chars().next().unwrap_or('x')),
        2 => format!("{f}{l}"),
        _ => format!("{f}_{l}"),
    }
}

pub fn write(dir: &Path, cfg: &Config) -> io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::with_seed(cfg.seed);
    let mut defects: Vec<Defect> = Vec::new();
    let owners: Vec<String> = (0..20).map(|i| salesforce_id("005", 1000 + i)).collect();

    // Accounts.
    let mut accounts = Vec::with_capacity(cfg.accounts);
    let mut used_names = std::collections::HashSet::new();
    for i in 0..cfg.accounts.max(1) {
        let mut name;
        loop {
            name = format!(
                "{} {}",
                pick(&mut rng, COMPANY_WORDS),
                pick(&mut rng, COMPANY_KINDS)
            );
            if used_names.insert(name.clone())
                || used_names.len() > COMPANY_WORDS.len() * COMPANY_KINDS.len() / 2
            {
                break;
            }
        }
        let domain = format!("{}.com", name.to_lowercase().replace(' ', ""));
        let name = if rng.bool() {
            format!("{name} {}", pick(&mut rng, LEGAL_SUFFIXES))
        } else {
            name
        };
        let city = rng.usize(..CITIES.len());
        let (street_type, _) = STREET_TYPES[rng.usize(..STREET_TYPES.len())];
        accounts.push(Account {
            id: salesforce_id("001", i + 1),
            name,
            domain,
            phone: us_phone(&mut rng, CITIES[city].3),
            street: format!(
                "{} {} {street_type}",
                rng.u32(1..9999),
                pick(&mut rng, STREET_NAMES)
            ),
            city,
            zip: format!("{}{:02}", CITIES[city].2, rng.u32(0..100)),
        });
    }

    let mut out = csv::Writer::from_path(dir.join("accounts.csv"))?;
    out.write_record([
        "Id",
        "Name",
        "Website",
        "Industry",
        "Type",
        "Phone",
        "BillingStreet",
        "BillingCity",
        "BillingState",
        "BillingPostalCode",
        "BillingCountry",
        "AnnualRevenue",
        "NumberOfEmployees",
        "OwnerId",
        "CreatedDate",
    ])?;
    for a in &accounts {
        let (city, state, _, _) = CITIES[a.city];
        let mut name = a.name.clone();
        let mut revenue = format!("{}", rng.u32(1..500) * 100_000);
        let mut employees = rng.u32(5..5000).to_string();
        if rng.f64() < cfg.defect_rate {
            match rng.u8(0..3) {
                0 => {
                    name.clear();
                    defects.push(Defect {
                        object: "account",
                        record_id: a.id.clone(),
                        code: "CP001",
                        what: "blank account name",
                    });
                }
                1 => {
                    revenue = "n/a".to_owned();
                    defects.push(Defect {
                        object: "account",
                        record_id: a.id.clone(),
                        code: "FM006",
                        what: "revenue not a number",
                    });
                }
                _ => {
                    employees = "-40".to_owned();
                    defects.push(Defect {
                        object: "account",
                        record_id: a.id.clone(),
                        code: "FM004",
                        what: "negative employees",
                    });
                }
            }
        }
        out.write_record([
            a.id.as_str(),
            &name,
            &format!("www.{}", a.domain),
            pick(&mut rng, INDUSTRIES),
            if rng.bool() { "Customer" } else { "Prospect" },
            &a.phone,
            &a.street,
            city,
            state,
            &a.zip,
            "USA",
            &revenue,
            &employees,
            &owners[rng.usize(..owners.len())],
            &timestamp(&mut rng, 2018, 2024),
        ])?;
    }
    out.flush()?;

    // People: originals, then duplicate copies, shuffled.
    let total = cfg.contacts;
    let duplicates = ((total as f64) * cfg.duplicate_rate).round() as usize;
    let originals = total - duplicates.min(total);
    let mut people: Vec<Person> = Vec::with_capacity(total);
    for entity in 0..originals {
        let account = rng.usize(..accounts.len());
        let a = &accounts[account];
        let (city, state, _, area) = CITIES[a.city];
        let first = pick(&mut rng, FIRST_NAMES).to_owned();
        let last = pick(&mut rng, LAST_NAMES).to_owned();
        let local = email_local(&first, &last, rng.u8(0..4));
        let email = if rng.f64() < 0.8 {
            format!("{local}@{}", a.domain)
        } else {
            format!("{local}{}@{}", rng.u32(1..99), pick(&mut rng, FREE_MAIL))
        };
        people.push(Person {
            entity,
            first,
            last,
            email,
            phone: if rng.f64() < 0.5 {
                a.phone.clone()
            } else {
                us_phone(&mut rng, area)
            },
            mobile: if rng.f64() < 0.7 {
                format!(
                    "+1 {area} {:03} {:04}",
                    rng.u32(200..1000),
                    rng.u32(0..10000)
                )
            } else {
                String::new()
            },
            title: pick(&mut rng, TITLES).to_owned(),
            account,
            company: a.name.clone(),
            street: a.street.clone(),
            city: city.to_owned(),
            state: state.to_owned(),
            zip: a.zip.clone(),
            source: pick(&mut rng, LEAD_SOURCES).to_owned(),
            created: timestamp(&mut rng, 2019, 2025),
            activity: {
                let (y, m, d) = date(&mut rng, 2023, 2025);
                format!("{y:04}-{m:02}-{d:02}")
            },
        });
    }
    for _ in 0..duplicates.min(total) {
        if originals == 0 {
            break;
        }
        let original = people[rng.usize(..originals)].clone();
        let copy = perturb(&mut rng, original);
        people.push(copy);
    }
    rng.shuffle(&mut people);

    let mut out = csv::Writer::from_path(dir.join("contacts.csv"))?;
    let mut header = vec![
        "Id",
        "FirstName",
        "LastName",
        "Email",
        "Phone",
        "MobilePhone",
        "Title",
        "AccountId",
        "Account Name",
        "MailingStreet",
        "MailingCity",
        "MailingState",
        "MailingPostalCode",
        "MailingCountry",
        "LeadSource",
        "OwnerId",
        "CreatedDate",
        "LastActivityDate",
    ];
    if cfg.labels {
        header.push("EntityId");
    }
    out.write_record(&header)?;
    for (i, p) in people.iter().enumerate() {
        let id = salesforce_id("003", i + 1);
        let mut p = p.clone();
        let mut account_id = accounts[p.account].id.clone();
        if rng.f64() < cfg.defect_rate {
            let (code, what) = match rng.u8(0..7) {
                0 => {
                    p.last.clear();
                    ("CP001", "blank last name")
                }
                1 => {
                    p.company = "N/A".to_owned();
                    ("CP003", "placeholder company")
                }
                2 => {
                    p.created = "31/02/2024".to_owned();
                    ("FM005", "impossible created date")
                }
                3 => {
                    account_id = salesforce_id("001", 900_000 + i);
                    ("RF001", "account not in accounts.csv")
                }
                4 => {
                    account_id.clear();
                    ("RF002", "no account")
                }
                5 if account_id[..15].bytes().any(|b| b.is_ascii_uppercase()) => {
                    account_id = account_id.to_lowercase();
                    ("FM008", "account id lower-cased")
                }
                5 => {
                    account_id = salesforce_id("003", i + 1);
                    ("FM008", "contact id in AccountId")
                }
                // One draw, three defects with a fix, told apart by the record's place.
                _ if i % 3 == 1 && !p.company.is_empty() => {
                    p.company.push(' ');
                    ("FM010", "space after the company name")
                }
                _ if i % 3 == 2 && !p.email.is_empty() => {
                    p.email = format!("mailto:{}", p.email);
                    ("EM001", "email pasted as a mailto: link")
                }
                _ => {
                    p.phone = "000-000-0000".to_owned();
                    ("CP003", "placeholder phone")
                }
            };
            defects.push(Defect {
                object: "contact",
                record_id: id.clone(),
                code,
                what,
            });
        }
        let entity = p.entity.to_string();
        let mut row = vec![
            id.as_str(),
            &p.first,
            &p.last,
            &p.email,
            &p.phone,
            &p.mobile,
            &p.title,
            &account_id,
            &p.company,
            &p.street,
            &p.city,
            &p.state,
            &p.zip,
            "USA",
            &p.source,
            &owners[p.entity % owners.len()],
            &p.created,
            &p.activity,
        ];
        if cfg.labels {
            row.push(&entity);
        }
        out.write_record(&row)?;
    }
    out.flush()?;

    // Deals.
    let mut out = csv::Writer::from_path(dir.join("deals.csv"))?;
    let mut header = vec![
        "Id",
        "Name",
        "AccountId",
        "StageName",
        "Amount",
        "Probability",
        "CloseDate",
        "CreatedDate",
        "Type",
        "LeadSource",
        "ForecastCategoryName",
        "OwnerId",
        "IsClosed",
        "IsWon",
    ];
    if cfg.notes {
        header.push("Description");
    }
    out.write_record(&header)?;
    for i in 0..cfg.deals {
        let id = salesforce_id("006", i + 1);
        let a = &accounts[rng.usize(..accounts.len())];
        let (stage, probability) = STAGES[rng.usize(..STAGES.len())];
        let (closed, won) = (stage.starts_with("Closed"), stage == "Closed Won");
        let forecast = if won {
            "Closed"
        } else if closed {
            "Omitted"
        } else if probability >= 70 {
            "Commit"
        } else {
            "Pipeline"
        };
        let (y, m, d) = date(&mut rng, 2025, 2027);
        let mut row: Vec<String> = vec![
            id.clone(),
            format!(
                "{} - {}",
                a.name,
                pick(
                    &mut rng,
                    &["New Business", "Renewal", "Upsell", "Expansion"]
                )
            ),
            a.id.clone(),
            stage.to_owned(),
            format!("{}", rng.u32(5..500) * 1000),
            probability.to_string(),
            format!("{y:04}-{m:02}-{d:02}"),
            timestamp(&mut rng, 2023, 2025),
            pick(
                &mut rng,
                &[
                    "New Customer",
                    "Existing Customer - Upgrade",
                    "Existing Customer - Renewal",
                ],
            )
            .to_owned(),
            pick(&mut rng, LEAD_SOURCES).to_owned(),
            forecast.to_owned(),
            owners[rng.usize(..owners.len())].clone(),
            if closed { "true" } else { "false" }.to_owned(),
            if won { "true" } else { "false" }.to_owned(),
        ];
        if cfg.notes {
            row.push(if rng.f64() < 0.2 {
                format!(
                    "Call notes:\n- budget confirmed\n- follow up with {} on pricing, \"v2\" quote",
                    pick(&mut rng, FIRST_NAMES)
                )
            } else {
                String::new()
            });
        }
        if rng.f64() < cfg.defect_rate {
            let (code, what) = match rng.u8(0..7) {
                0 => {
                    row[1].clear();
                    ("CP001", "blank deal name")
                }
                1 if probability >= 20 && !closed => {
                    row[4].clear();
                    ("CP002", "no amount past the first stage")
                }
                2 => {
                    row[5] = "150".to_owned();
                    ("FM004", "probability above 100")
                }
                3 => {
                    row[4] = "TBD".to_owned();
                    ("FM006", "amount not a number")
                }
                4 => {
                    row[6] = "next quarter".to_owned();
                    ("FM005", "close date not a date")
                }
                5 => {
                    row[2] = salesforce_id("001", 800_000 + i);
                    ("RF001", "account not in accounts.csv")
                }
                _ => {
                    row[13] = "maybe".to_owned();
                    ("FM007", "IsWon not a boolean")
                }
            };
            defects.push(Defect {
                object: "deal",
                record_id: id,
                code,
                what,
            });
        }
        out.write_record(&row)?;
    }
    out.flush()?;

    let mut out = csv::Writer::from_path(dir.join("defects.csv"))?;
    out.write_record(["object", "record_id", "code", "what"])?;
    for d in &defects {
        out.write_record([d.object, &d.record_id, d.code, d.what])?;
    }
    out.flush()?;
    io::stdout().flush()?;
    Ok(Written {
        accounts: accounts.len(),
        contacts: people.len(),
        deals: cfg.deals,
        defects: defects.len(),
        duplicate_records: duplicates.min(total),
    })
}

/// A duplicate of `p`: one to three edits of the kinds CRM duplicates show.
fn perturb(rng: &mut Rng, mut p: Person) -> Person {
    for _ in 0..rng.usize(1..=3) {
        match rng.u8(0..10) {
            0 => {
                if let Some((_, nick)) = NICKNAMES.iter().find(|(full, _)| *full == p.first) {
                    p.first = (*nick).to_owned();
                } else {
                    p.first = typo(rng, &p.first);
                }
            }
            1 => p.first = typo(rng, &p.first),
            2 => p.last = typo(rng, &p.last),
            3 => std::mem::swap(&mut p.first, &mut p.last),
            4 => {
                // Changed or personal email.
                let local = email_local(&p.first, &p.last, rng.u8(0..4));
                p.email = format!("{local}@{}", pick(rng, FREE_MAIL));
            }
            5 => p.email.clear(),
            6 => {
                let digits: String = p.phone.chars().filter(char::is_ascii_digit).collect();
                p.phone = if digits.len() == 10 && rng.bool() {
                    format!("+1 {} {} {}", &digits[..3], &digits[3..6], &digits[6..])
                } else if digits.len() == 10 {
                    format!("{}.{}.{}", &digits[..3], &digits[3..6], &digits[6..])
                } else {
                    String::new()
                };
            }
            7 => {
                p.mobile.clear();
                p.phone.clear();
            }
            8 => {
                for (long, short) in STREET_TYPES {
                    if p.street.ends_with(long) {
                        p.street = format!("{}{short}", &p.street[..p.street.len() - long.len()]);
                        break;
                    }
                }
                p.company = p.company.trim_end_matches(['.', ' ']).to_uppercase();
            }
            _ => {
                p.email = p.email.to_uppercase();
                p.last = p.last.to_uppercase();
            }
        }
    }
    p.created = timestamp(rng, 2024, 2025);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_valid_checksums() {
        let id = salesforce_id("003", 12345);
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("0035g0"));
    }
}
