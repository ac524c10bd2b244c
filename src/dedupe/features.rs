//! Match features: the normalized keys of every record of one object type, computed
//! once (in parallel) from the kept columns and stored column-wise in string arenas.
//!
//! Which fields exist depends on the roles the inputs have: a person (contact, lead)
//! compares names, email, phones, company, address and birth date; an organisation
//! (account) compares its name as a company, website domain, phone and address.

use rayon::prelude::*;

use crate::input::columns::Role;
use crate::input::object::ObjectType;
use crate::input::table::{StrColumn, Table};
use crate::locale::{Locale, parse_date};
use crate::normalize::address::address_key;
use crate::normalize::company::company_key;
use crate::normalize::domain::registrable_domain;
use crate::normalize::email::email_key;
use crate::normalize::name::{canonical_first, name_key, phonetic};
use crate::normalize::phone::phone_key;
use crate::normalize::text::fold_spaces;

/// A compared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
    Company,
    Domain,
    StreetNumber,
    Street,
    Address2,
    City,
    Postcode,
    State,
    BirthDate,
    NationalId,
    /// Employer and its address as one piece of evidence (contacts with a company):
    /// colleagues share all of them, so counting each would count one fact five times.
    Workplace,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Company => "company",
            Field::Domain => "domain",
            Field::StreetNumber => "street_number",
            Field::Street => "street",
            Field::Address2 => "address2",
            Field::City => "city",
            Field::Postcode => "postcode",
            Field::State => "state",
            Field::BirthDate => "birth_date",
            Field::NationalId => "national_id",
            Field::Workplace => "workplace",
        }
    }

    /// Roles whose columns feed this field, per object kind.
    fn roles(self, object: ObjectType) -> &'static [Role] {
        let organisation = object == ObjectType::Account;
        match self {
            Field::FirstName => &[Role::FirstName],
            Field::LastName => &[Role::LastName],
            Field::Email => &[Role::Email],
            Field::Phone if organisation => &[Role::Phone],
            Field::Phone => &[Role::Phone, Role::MobilePhone],
            Field::Company if organisation => &[Role::Name],
            Field::Company => &[Role::Company],
            Field::Domain => &[Role::Website],
            Field::StreetNumber => &[Role::StreetNumber],
            Field::Street => &[Role::Street],
            Field::Address2 => &[Role::Address2],
            Field::City => &[Role::City],
            Field::Postcode => &[Role::Postcode],
            Field::State => &[Role::State],
            Field::BirthDate => &[Role::BirthDate],
            Field::NationalId => &[Role::NationalId],
            Field::Workplace => &[],
        }
    }

    pub const PERSON: &'static [Field] = &[
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::StreetNumber,
        Field::Street,
        Field::Address2,
        Field::City,
        Field::Postcode,
        Field::State,
        Field::BirthDate,
        Field::NationalId,
    ];

    pub const ORGANISATION: &'static [Field] = &[
        Field::Company,
        Field::Domain,
        Field::Phone,
        Field::Street,
        Field::City,
        Field::Postcode,
        Field::State,
    ];
}

/// Base fields a person's `Workplace` combines.
pub const WORKPLACE: [Field; 6] = [Field::Company, Field::Street, Field::Address2, Field::City, Field::Postcode, Field::State];

/// Roles dedupe needs kept from an input of `object`.
pub fn needed_roles(object: ObjectType) -> Vec<Role> {
    let fields = if object == ObjectType::Account { Field::ORGANISATION } else { Field::PERSON };
    let mut roles: Vec<Role> = fields.iter().flat_map(|f| f.roles(object).iter().copied()).collect();
    if object != ObjectType::Account {
        roles.push(Role::FullName);
    }
    roles
}

/// Where a record came from: input index and record ordinal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    pub input: u32,
    pub record: u32,
}

/// Normalized features of all records of one object type.
#[derive(Debug)]
pub struct Features {
    pub object: ObjectType,
    /// Normalized base fields (blocking keys read these).
    pub fields: Vec<Field>,
    /// The fields compared for scoring, in pattern order: the base fields, except that
    /// a person's company and address fields become one `Workplace`.
    pub compared: Vec<Field>,
    /// One column per field, aligned with `refs`.
    pub values: Vec<StrColumn>,
    /// Canonical first names (nicknames resolved), when first names are compared.
    pub first_canonical: StrColumn,
    /// Phonetic codes of last names.
    pub last_phonetic: StrColumn,
    pub refs: Vec<RecordRef>,
    /// Phone numbers on [`SHARED_PHONE_MIN`] or more records: switchboards, which say
    /// where someone works, not who they are.
    pub shared_phones: rustc_hash::FxHashSet<String>,
}

/// Records whose work phone is one number before it counts as a shared (switchboard)
/// line, for people. Mobile numbers are personal: they only count as shared from
/// [`SHARED_ANY_MIN`] records on (a pool phone, a data-entry default).
pub const SHARED_WORK_PHONE_MIN: usize = 3;
pub const SHARED_ANY_MIN: usize = 5;

impl Features {
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    pub fn value(&self, field: usize, record: usize) -> &str {
        self.values[field].get(record)
    }

    pub fn slot(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == field)
    }

    /// The base value of a base field, or "" when the field is absent.
    pub fn base(&self, field: Field, record: usize) -> &str {
        self.slot(field).map_or("", |s| self.value(s, record))
    }

    /// Whether a record has any value of a compared field.
    pub fn has(&self, field: Field, record: usize) -> bool {
        match field {
            Field::Workplace => WORKPLACE.iter().any(|f| !self.base(*f, record).is_empty()),
            _ => !self.base(field, record).is_empty(),
        }
    }

    /// Builds features for the records of `tables` (all of one object type).
    pub fn build(object: ObjectType, tables: &[&Table]) -> Features {
        let candidates = if object == ObjectType::Account { Field::ORGANISATION } else { Field::PERSON };
        let has_full_name = tables.iter().any(|t| t.role_column(Role::FullName).is_some());
        let fields: Vec<Field> = candidates
            .iter()
            .copied()
            .filter(|f| {
                tables.iter().any(|t| f.roles(object).iter().any(|r| t.role_column(*r).is_some()))
                    || (has_full_name && matches!(f, Field::FirstName | Field::LastName))
            })
            .collect();

        let mut values: Vec<StrColumn> = vec![StrColumn::default(); fields.len()];
        let mut first_canonical = StrColumn::default();
        let mut last_phonetic = StrColumn::default();
        let mut refs = Vec::new();
        const CHUNK: usize = 16_384;
        for table in tables {
            let n = table.len();
            let chunks: Vec<(Vec<StrColumn>, StrColumn, StrColumn)> = (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| {
                    let mut cols = vec![StrColumn::default(); fields.len()];
                    let (mut canon, mut phon) = (StrColumn::default(), StrColumn::default());
                    for r in c * CHUNK..((c + 1) * CHUNK).min(n) {
                        let (first, last) = names(table, r);
                        for (slot, field) in fields.iter().enumerate() {
                            let v = match field {
                                Field::FirstName => first.clone(),
                                Field::LastName => last.clone(),
                                _ => normalize(*field, object, table, r),
                            };
                            cols[slot].push(&v);
                        }
                        canon.push(canonical_first(&first));
                        phon.push(&phonetic(last.split(' ').next_back().unwrap_or("")));
                    }
                    (cols, canon, phon)
                })
                .collect();
            for (cols, canon, phon) in chunks {
                for (slot, col) in cols.iter().enumerate() {
                    values[slot].append(col);
                }
                first_canonical.append(&canon);
                last_phonetic.append(&phon);
            }
            refs.extend((0..n).map(|r| RecordRef { input: table.index, record: r as u32 }));
        }
        let compared = if object != ObjectType::Account && fields.contains(&Field::Company) {
            let mut c: Vec<Field> = fields.iter().copied().filter(|f| !WORKPLACE.contains(f)).collect();
            let at = c.iter().position(|f| *f > Field::Company).unwrap_or(c.len());
            c.insert(at, Field::Workplace);
            c
        } else {
            fields.clone()
        };
        // (work-phone records, all records) per number.
        let mut phone_counts: rustc_hash::FxHashMap<String, (usize, usize)> = rustc_hash::FxHashMap::default();
        if object != ObjectType::Account {
            for table in tables {
                for (role, work) in [(Role::Phone, true), (Role::MobilePhone, false)] {
                    let Some((_, column)) = table.role_column(role) else { continue };
                    for v in column.iter() {
                        if let Some(key) = phone_key(v) {
                            let e = phone_counts.entry(key).or_default();
                            e.0 += usize::from(work);
                            e.1 += 1;
                        }
                    }
                }
            }
        }
        let shared_phones = phone_counts
            .into_iter()
            .filter(|(_, (work, all))| *work >= SHARED_WORK_PHONE_MIN || *all >= SHARED_ANY_MIN)
            .map(|(p, _)| p)
            .collect();
        Features { object, fields, compared, values, first_canonical, last_phonetic, refs, shared_phones }
    }
}

/// First and last name keys, split from a full name when there are no name columns.
fn names(table: &Table, r: usize) -> (String, String) {
    let get = |role: Role| table.role_column(role).map_or("", |(_, c)| c.get(r));
    let (first, last) = (get(Role::FirstName), get(Role::LastName));
    if !first.is_empty() || !last.is_empty() {
        return (name_key(first), name_key(last));
    }
    let full = name_key(get(Role::FullName));
    match full.split_once(' ') {
        Some((f, rest)) => (f.to_owned(), rest.rsplit(' ').next().unwrap_or(rest).to_owned()),
        None => (String::new(), full),
    }
}

fn normalize(field: Field, object: ObjectType, table: &Table, r: usize) -> String {
    let roles = field.roles(object);
    let raw = |role: Role| table.role_column(role).map_or("", |(_, c)| c.get(r));
    match field {
        Field::Email => email_key(raw(Role::Email)).unwrap_or_default(),
        Field::Phone => {
            let mut keys: Vec<String> = roles.iter().filter_map(|role| phone_key(raw(*role))).collect();
            keys.sort();
            keys.dedup();
            keys.join("|")
        }
        Field::Company => company_key(raw(roles[0])),
        Field::Domain => registrable_domain(raw(Role::Website)).unwrap_or_default(),
        Field::Street | Field::Address2 => address_key(raw(roles[0])),
        Field::BirthDate => birth_date(raw(Role::BirthDate), table.locale),
        Field::Postcode | Field::StreetNumber | Field::NationalId => {
            raw(roles[0]).chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
        }
        Field::City | Field::State => {
            let v = raw(roles[0]);
            fold_spaces(&if v.is_ascii() { v.to_owned() } else { deunicode::deunicode(v) })
        }
        Field::FirstName | Field::LastName | Field::Workplace => String::new(),
    }
}

/// `YYYYMMDD`, the form compared digit by digit.
fn birth_date(value: &str, locale: Locale) -> String {
    parse_date(value, locale.date_order)
        .map(|d| {
            let (y, m, day) = d.ymd();
            format!("{y:04}{m:02}{day:02}")
        })
        .unwrap_or_default()
}
