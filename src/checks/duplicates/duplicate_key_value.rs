use std::hash::BuildHasher;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::checks::prelude::*;
use crate::config::FieldRef;
use crate::input::columns::{Role, ValueKind};
use crate::input::object::ObjectType;
use crate::input::table::{StrColumn, Table};
use crate::normalize::email::email_key_into;
use crate::normalize::name::{name_key, same_given_name};
use crate::normalize::salesforce_id::join_key;
use crate::normalize::text::fold_spaces_into;

declare_check! {
    /// ## What it checks
    /// Records of one input that repeat another record's key: the same record id, the
    /// same email address (compared by match key: case, Gmail dots and `+tags` ignored),
    /// or the same value of any other key column set for the object. The first record
    /// with a key is kept; each later one is reported, naming the first. A key on six
    /// records or more (one mailbox for a whole team) is reported once, on the first,
    /// as a shared value. An email on contacts or leads whose first names differ (not a
    /// nickname or an initial: `Mary Fox` and `John Fox`) says it is one address for
    /// different people rather than one person twice; another last name alone does not
    /// (a person's new name).
    ///
    /// ## Why it matters
    /// Repeated ids mean a broken or concatenated export: joins multiply rows. Repeated
    /// emails are the commonest duplicate people (HubSpot keys contacts by email); they
    /// double-count leads and split a customer's history.
    ///
    /// ## Example
    /// | Id  | Email               | flagged                 |
    /// |-----|---------------------|-------------------------|
    /// | 1   | `ann@example.com`   | no (first)              |
    /// | 2   | `Ann@Example.com `  | yes (same email as 1)   |
    /// | 1   | `bo@example.com`    | yes (same id as 1)      |
    ///
    /// ## Options
    /// - `objects.<object>.unique`: key fields, by role or header (default: `id`, plus
    ///   `email` for contacts and leads, `name` for accounts).
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct DuplicateKeyValue;
    code = "DU001",
    name = "duplicate-key-value",
    family = Duplicates,
    scope = Dataset,
    severity = Warning,
    dimension = Uniqueness,
}

/// Records sharing one key from which the key is reported once as a shared value.
const SHARED_AT: usize = 5;

/// How a uniqueness key is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Record ids: exact, except that a Salesforce 18-character id equals its 15-character form.
    Id,
    /// Email match key (`normalize::email`).
    Email,
    /// Any other value: case and spacing folded.
    Text,
}

/// Key columns and how each is compared, and for people the first and last name
/// columns that tell one person's repeated address from an address several share.
pub struct Prepared {
    unique: Vec<(usize, KeyKind)>,
    names: Option<(usize, usize)>,
}

impl Check for DuplicateKeyValue {
    type Options = ();
    type Prepared = Prepared;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Prepared> {
        let profile = cx.profile;
        let mut unique: Vec<(usize, KeyKind)> = cx
            .rules()?
            .unique
            .iter()
            .filter_map(|f| {
                let c = if matches!(f, FieldRef::Role(Role::Id)) {
                    profile.id_column
                } else {
                    cx.resolve(f, "unique field")
                }?;
                let kind = match profile.columns.role(c) {
                    _ if Some(c) == profile.id_column => KeyKind::Id,
                    Some(r) if r.kind() == ValueKind::Email => KeyKind::Email,
                    _ => KeyKind::Text,
                };
                Some((c, kind))
            })
            .collect();
        unique.sort_by_key(|(c, _)| *c);
        unique.dedup_by_key(|(c, _)| *c);
        let person = matches!(profile.object, ObjectType::Contact | ObjectType::Lead);
        let names = person
            .then(|| {
                Some((
                    profile.columns.column(Role::FirstName)?,
                    profile.columns.column(Role::LastName)?,
                ))
            })
            .flatten();
        (!unique.is_empty()).then_some(Prepared { unique, names })
    }

    fn kept_columns(&self, p: &Prepared) -> Vec<usize> {
        // Record ids are always kept.
        p.unique
            .iter()
            .filter(|(_, kind)| *kind != KeyKind::Id)
            .map(|(c, _)| *c)
            .chain(p.names.iter().flat_map(|&(f, l)| [f, l]))
            .collect()
    }

    fn derived_width(&self, p: &Prepared) -> usize {
        p.unique.len()
    }

    /// The hash of each key column's comparison key, computed while the input streams.
    fn derive(
        &self,
        p: &Prepared,
        record: &RecordView<'_>,
        scratch: &mut String,
        out: &mut Vec<u64>,
    ) {
        for &(column, kind) in &p.unique {
            out.push(key_hash(record.get(column), kind, scratch));
        }
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Prepared>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(p)) = (input.table, input.prepared) else {
                continue;
            };
            let unique = &p.unique;
            for (slot, &(column, kind)) in unique.iter().enumerate() {
                let values = if kind == KeyKind::Id {
                    &table.ids
                } else {
                    let Some(values) = table.column(column) else {
                        continue;
                    };
                    values
                };
                let hashes = input.derived.iter().skip(slot).step_by(unique.len());
                let mut found = repeats(values, kind, hashes);
                // A value on many records (one mailbox for a whole team, a shared
                // switchboard) is one shared value, not that many duplicates: one finding
                // on the first record, with the count.
                let mut copies: std::collections::BTreeMap<usize, usize> = Default::default();
                for &(_, original) in &found {
                    *copies.entry(original).or_default() += 1;
                }
                found.retain(|(_, original)| copies[original] < SHARED_AT);
                for (&original, &n) in copies.iter().filter(|(_, n)| **n >= SHARED_AT) {
                    sink.report(
                        table,
                        original,
                        Some(column),
                        Some(values.get(original)),
                        format!(
                            "`{}` = `{}` is on {} records of this input: a shared value (one address or key for several records), not {} duplicates of one",
                            table.header_name(column),
                            values.get(original),
                            n + 1,
                            n + 1
                        ),
                    );
                    sink.mark_shared();
                }
                // Findings are built in parallel chunks and joined in order.
                let chunks: Vec<DatasetSink> = found
                    .par_chunks(4096)
                    .map(|chunk| {
                        let mut part = sink.fork();
                        for &(record, original) in chunk {
                            let mut message = format!(
                                "same `{}` as record {} (line {})",
                                table.header_name(column),
                                table.id(original),
                                table.lines[original]
                            );
                            if kind == KeyKind::Email
                                && let Some((first, last)) = p.names
                                && let Some((a, b)) = other_person(table, first, last, original, record)
                            {
                                message.push_str(&format!(
                                    ", on `{a}` there and `{b}` here: one address for different people, whose mail, activity and consent it mixes"
                                ));
                            }
                            part.report(table, record, Some(column), Some(values.get(record)), message);
                        }
                        part
                    })
                    .collect();
                for part in chunks {
                    sink.join(part);
                }
            }
        }
    }
}

/// The names of two records that share an address, when they are clearly two people:
/// both have first and last names and the first names differ by more than a nickname
/// or an initial. Another last name alone can be one person's new name.
fn other_person(
    table: &Table,
    first: usize,
    last: usize,
    a: usize,
    b: usize,
) -> Option<(String, String)> {
    let (firsts, lasts) = (table.column(first)?, table.column(last)?);
    let name = |r: usize| (name_key(firsts.get(r)), name_key(lasts.get(r)));
    let ((fa, la), (fb, lb)) = (name(a), name(b));
    // Both names are needed on both sides to tell people apart.
    if [&fa, &la, &fb, &lb].iter().any(|n| n.is_empty()) {
        return None;
    }
    if same_given_name(&fa, &fb) {
        return None;
    }
    let shown = |r: usize| format!("{} {}", firsts.get(r).trim(), lasts.get(r).trim());
    Some((shown(a), shown(b)))
}

/// The key hash of a value: 0 for a blank (blanks are never duplicates), otherwise the
/// hash of its comparison key with the low bit set.
fn key_hash(value: &str, kind: KeyKind, buf: &mut String) -> u64 {
    if key_into(value, kind, buf) {
        FxBuildHasher.hash_one(buf.as_str()) | 1
    } else {
        0
    }
}

/// Every record whose key an earlier record already has, with that first record, in
/// record order.
///
/// The key hashes were computed during the scan; here the `(hash, record)` pairs are
/// sorted in parallel, and only records that share a hash with another have their keys
/// recomputed and compared, so a million distinct values cost one sort.
fn repeats<'h>(
    values: &StrColumn,
    kind: KeyKind,
    hashes: impl Iterator<Item = &'h u64>,
) -> Vec<(usize, usize)> {
    let mut hashed: Vec<(u64, u32)> = hashes
        .enumerate()
        .filter(|(_, h)| **h != 0)
        .map(|(record, h)| (*h, record as u32))
        .collect();
    hashed.par_sort_unstable();
    // Runs of one hash (almost always one key).
    let mut runs: Vec<&[(u64, u32)]> = Vec::new();
    let mut start = 0;
    for i in 1..=hashed.len() {
        if i == hashed.len() || hashed[i].0 != hashed[start].0 {
            if i - start > 1 {
                runs.push(&hashed[start..i]);
            }
            start = i;
        }
    }
    let mut found: Vec<(usize, usize)> = runs
        .par_iter()
        .flat_map_iter(|run| {
            // Records in order; the first with each key is kept.
            let mut buf = String::new();
            let mut firsts: Vec<(String, usize)> = Vec::new();
            let mut out = Vec::new();
            for &(_, record) in *run {
                let record = record as usize;
                key_into(values.get(record), kind, &mut buf);
                match firsts.iter().find(|(k, _)| *k == buf) {
                    Some(&(_, original)) => out.push((record, original)),
                    None => firsts.push((buf.clone(), record)),
                }
            }
            out
        })
        .collect();
    found.sort_unstable();
    found
}

/// The comparison key of a value into `out`; false for a blank (blanks are never
/// duplicates).
fn key_into(value: &str, kind: KeyKind, out: &mut String) -> bool {
    if value.is_empty() {
        return false;
    }
    match kind {
        KeyKind::Id => {
            out.clear();
            out.push_str(join_key(value));
        }
        KeyKind::Email => {
            if !email_key_into(value, out) {
                out.clear();
                out.extend(value.chars().flat_map(char::to_lowercase));
            }
        }
        KeyKind::Text => fold_spaces_into(value, out),
    }
    true
}
