//! Match features: the normalized keys of every record of one object type, computed
//! once (in parallel) from the kept columns and stored column-wise in string arenas.
//!
//! Which fields exist depends on the roles the inputs have: a person (contact, lead)
//! compares names, email, phones, company, address and birth date; an organisation
//! (account) compares its name as a company, website domain, phone and address.

use rayon::prelude::*;

use crate::input::columns::Role;
use crate::input::object::ObjectType;
use rustc_hash::{FxHashMap, FxHashSet};

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
pub const WORKPLACE: [Field; 6] = [
    Field::Company,
    Field::Street,
    Field::Address2,
    Field::City,
    Field::Postcode,
    Field::State,
];

/// Roles dedupe needs kept from an input of `object`.
pub fn needed_roles(object: ObjectType) -> Vec<Role> {
    let fields = if object == ObjectType::Account {
        Field::ORGANISATION
    } else {
        Field::PERSON
    };
    let mut roles: Vec<Role> = fields
        .iter()
        .flat_map(|f| f.roles(object).iter().copied())
        .collect();
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
    /// Values of every record, record-major: the base fields, then the canonical first
    /// name (nicknames resolved), then the phonetic code of the last name. A pair
    /// comparison reads two records, so keeping each record together is what makes it
    /// cheap (column-major arenas cost a cache miss per field).
    packed: Packed,
    pub refs: Vec<RecordRef>,
    /// Hashes of switchboard numbers (see [`Features::is_shared_phone`]).
    shared_phones: FxHashSet<u64>,
    /// Slot of each base field, by `Field as usize`.
    slots: [Option<u8>; FIELD_COUNT],
}

const FIELD_COUNT: usize = Field::Workplace as usize + 1;

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

    #[inline]
    pub fn value(&self, field: usize, record: usize) -> &str {
        self.packed.get(record, field)
    }

    /// Whether a phone key is a shared line: a work number on
    /// [`SHARED_WORK_PHONE_MIN`] records or any number on [`SHARED_ANY_MIN`]. Such
    /// numbers say where someone works, not who they are.
    pub fn is_shared_phone(&self, key: &str) -> bool {
        !self.shared_phones.is_empty() && self.shared_phones.contains(&hash_phone(key))
    }

    /// Canonical first name (`bob` → `robert`).
    pub fn first_canonical(&self, record: usize) -> &str {
        self.packed.get(record, self.fields.len())
    }

    /// Double Metaphone code of the last name.
    pub fn last_phonetic(&self, record: usize) -> &str {
        self.packed.get(record, self.fields.len() + 1)
    }

    /// All values of one base field, in record order.
    pub fn column(&self, field: usize) -> impl Iterator<Item = &str> {
        (0..self.len()).map(move |r| self.value(field, r))
    }

    pub fn slot(&self, field: Field) -> Option<usize> {
        self.slots[field as usize].map(usize::from)
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
        let candidates = if object == ObjectType::Account {
            Field::ORGANISATION
        } else {
            Field::PERSON
        };
        let has_full_name = tables
            .iter()
            .any(|t| t.role_column(Role::FullName).is_some());
        let fields: Vec<Field> = candidates
            .iter()
            .copied()
            .filter(|f| {
                tables
                    .iter()
                    .any(|t| f.roles(object).iter().any(|r| t.role_column(*r).is_some()))
                    || (has_full_name && matches!(f, Field::FirstName | Field::LastName))
            })
            .collect();

        let clock = std::time::Instant::now();
        let width = fields.len() + 2;
        let mut packed = Packed::new(width);
        let mut refs = Vec::new();
        const CHUNK: usize = 16_384;
        for table in tables {
            let n = table.len();
            let cols = RoleColumns::new(table);
            let chunks: Vec<Packed> = (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| {
                    let mut part = Packed::new(width);
                    // Values repeat (names, employers, their addresses, cities): normalize
                    // each distinct raw value once per chunk.
                    let mut memo: Vec<FxHashMap<String, String>> =
                        vec![FxHashMap::default(); width + 1];
                    let name_memo = width;
                    for r in c * CHUNK..((c + 1) * CHUNK).min(n) {
                        let (first, last) = names(&cols, r, &mut memo[name_memo]);
                        part.begin();
                        for (slot, field) in fields.iter().enumerate() {
                            match field {
                                Field::FirstName => part.value(&first),
                                Field::LastName => part.value(&last),
                                Field::Email
                                | Field::Phone
                                | Field::Domain
                                | Field::BirthDate
                                | Field::NationalId => {
                                    part.value(&normalize(*field, object, &cols, r));
                                }
                                _ => {
                                    let raw = raw_value(*field, object, &cols, r);
                                    match memo[slot].get(raw) {
                                        Some(v) => part.value(v),
                                        None => {
                                            let v = normalize(*field, object, &cols, r);
                                            part.value(&v);
                                            memo[slot].insert(raw.to_owned(), v);
                                        }
                                    }
                                }
                            }
                        }
                        part.value(canonical_first(&first));
                        let surname = last.split(' ').next_back().unwrap_or("");
                        let phonetic_slot = fields.len() + 1;
                        match memo[phonetic_slot].get(surname) {
                            Some(v) => part.value(v),
                            None => {
                                let v = phonetic(surname);
                                part.value(&v);
                                memo[phonetic_slot].insert(surname.to_owned(), v);
                            }
                        }
                    }
                    part
                })
                .collect();
            for part in &chunks {
                packed.append(part);
            }
            refs.extend((0..n).map(|r| RecordRef {
                input: table.index,
                record: r as u32,
            }));
        }
        tracing::debug!(seconds = clock.elapsed().as_secs_f64(), "features: values");
        let compared = if object != ObjectType::Account && fields.contains(&Field::Company) {
            let mut c: Vec<Field> = fields
                .iter()
                .copied()
                .filter(|f| !WORKPLACE.contains(f))
                .collect();
            let at = c
                .iter()
                .position(|f| *f > Field::Company)
                .unwrap_or(c.len());
            c.insert(at, Field::Workplace);
            c
        } else {
            fields.clone()
        };
        // (work-phone records, all records) per number, counted by hash in parallel.
        let mut shared_phones = FxHashSet::default();
        if object != ObjectType::Account {
            let mut counts: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
            for table in tables {
                for (role, work) in [(Role::Phone, 1u32), (Role::MobilePhone, 0)] {
                    let Some((_, column)) = table.role_column(role) else {
                        continue;
                    };
                    let partial = (0..column.len())
                        .into_par_iter()
                        .fold(
                            FxHashMap::default,
                            |mut m: FxHashMap<u64, (u32, u32)>, r| {
                                if let Some(key) = phone_key(column.get(r)) {
                                    let e = m.entry(hash_phone(&key)).or_default();
                                    e.0 += work;
                                    e.1 += 1;
                                }
                                m
                            },
                        )
                        .collect::<Vec<_>>();
                    // Integer sums: the merge order does not matter.
                    for m in partial {
                        m.into_iter().for_each(|(k, (w, a))| {
                            let e = counts.entry(k).or_default();
                            e.0 += w;
                            e.1 += a;
                        });
                    }
                }
            }
            shared_phones = counts
                .into_iter()
                .filter(|(_, (work, all))| {
                    *work as usize >= SHARED_WORK_PHONE_MIN || *all as usize >= SHARED_ANY_MIN
                })
                .map(|(k, _)| k)
                .collect();
        }
        tracing::debug!(
            seconds = clock.elapsed().as_secs_f64(),
            "features: shared phones"
        );
        let mut slots = [None; FIELD_COUNT];
        for (i, f) in fields.iter().enumerate() {
            slots[*f as usize] = u8::try_from(i).ok();
        }
        Features {
            object,
            fields,
            compared,
            packed,
            refs,
            shared_phones,
            slots,
        }
    }
}

fn hash_phone(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// Strings of many records, record-major, `width` values per record.
#[derive(Debug)]
struct Packed {
    width: usize,
    buf: String,
    /// Start of each record in `buf`.
    starts: Vec<usize>,
    /// End of each value, relative to its record's start.
    ends: Vec<u32>,
}

impl Packed {
    fn new(width: usize) -> Packed {
        Packed {
            width,
            buf: String::new(),
            starts: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Starts a record; its values follow with [`Packed::value`].
    fn begin(&mut self) {
        self.starts.push(self.buf.len());
    }

    fn value(&mut self, v: &str) {
        let start = self.starts.last().copied().unwrap_or(0);
        self.buf.push_str(v);
        self.ends
            .push(u32::try_from(self.buf.len() - start).unwrap_or(u32::MAX));
    }

    #[inline]
    fn get(&self, record: usize, slot: usize) -> &str {
        let start = self.starts[record];
        let base = record * self.width;
        let from = if slot == 0 {
            0
        } else {
            self.ends[base + slot - 1] as usize
        };
        &self.buf[start + from..start + self.ends[base + slot] as usize]
    }

    fn append(&mut self, other: &Packed) {
        let offset = self.buf.len();
        self.buf.push_str(&other.buf);
        self.starts.extend(other.starts.iter().map(|s| s + offset));
        self.ends.extend_from_slice(&other.ends);
    }
}

/// One table's kept columns, by role, resolved once (not per value).
struct RoleColumns<'t> {
    columns: Vec<Option<&'t StrColumn>>,
    locale: Locale,
}

impl<'t> RoleColumns<'t> {
    fn new(table: &'t Table) -> RoleColumns<'t> {
        let columns = Role::ALL
            .iter()
            .map(|role| table.role_column(*role).map(|(_, c)| c))
            .collect();
        RoleColumns {
            columns,
            locale: table.locale,
        }
    }

    #[inline]
    fn get(&self, role: Role, r: usize) -> &'t str {
        self.columns[role as usize].map_or("", |c| c.get(r))
    }
}

fn raw_value<'t>(field: Field, object: ObjectType, cols: &RoleColumns<'t>, r: usize) -> &'t str {
    field
        .roles(object)
        .first()
        .map_or("", |role| cols.get(*role, r))
}

/// First and last name keys, split from a full name when there are no name columns.
fn names(
    cols: &RoleColumns<'_>,
    r: usize,
    memo: &mut FxHashMap<String, String>,
) -> (String, String) {
    let get = |role: Role| cols.get(role, r);
    let mut key = |raw: &str| -> String {
        if let Some(k) = memo.get(raw) {
            return k.clone();
        }
        let k = name_key(raw);
        memo.insert(raw.to_owned(), k.clone());
        k
    };
    let (first, last) = (get(Role::FirstName), get(Role::LastName));
    if !first.is_empty() || !last.is_empty() {
        return (key(first), key(last));
    }
    let full = key(get(Role::FullName));
    match full.split_once(' ') {
        Some((f, rest)) => (
            f.to_owned(),
            rest.rsplit(' ').next().unwrap_or(rest).to_owned(),
        ),
        None => (String::new(), full),
    }
}

fn normalize(field: Field, object: ObjectType, cols: &RoleColumns<'_>, r: usize) -> String {
    let roles = field.roles(object);
    let raw = |role: Role| cols.get(role, r);
    match field {
        Field::Email => email_key(raw(Role::Email)).unwrap_or_default(),
        Field::Phone => {
            let mut keys: Vec<String> = roles
                .iter()
                .filter_map(|role| phone_key(raw(*role)))
                .collect();
            keys.sort();
            keys.dedup();
            keys.join("|")
        }
        Field::Company => company_key(raw(roles[0])),
        Field::Domain => registrable_domain(raw(Role::Website)).unwrap_or_default(),
        Field::Street | Field::Address2 => address_key(raw(roles[0])),
        Field::BirthDate => birth_date(raw(Role::BirthDate), cols.locale),
        Field::Postcode | Field::StreetNumber | Field::NationalId => raw(roles[0])
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect(),
        Field::City | Field::State => {
            let v = raw(roles[0]);
            fold_spaces(&if v.is_ascii() {
                v.to_owned()
            } else {
                deunicode::deunicode(v)
            })
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
