use std::hash::{BuildHasher, Hasher};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::checks::prelude::*;
use crate::input::columns::{Role, ValueKind};
use crate::input::object::ObjectType;
use crate::normalize::text::fold_spaces_into;

declare_check! {
    /// ## What it checks
    /// Records of one input that repeat an earlier record in every field that says what
    /// the record is (names, email, phones, address, title, stage, amount, dates the
    /// user sets, …), with at least four of them filled, and differ only in what the
    /// system assigns: the record id, references to other records, owners and
    /// created / modified / closed timestamps. Case and spacing are ignored. Contacts,
    /// leads, deals and cases (accounts are duplicate-key-value's, by name; tasks for
    /// different people differ only in whom they are for, and are not duplicates).
    ///
    /// ## Why it matters
    /// A whole data set loaded twice, or a form submitted twice, doubles every count and
    /// total: two people, two deals of the same amount, two open cases. The copies are
    /// exact, so one of each pair can go.
    ///
    /// ## Example
    /// | Id      | FirstName | LastName | Email         | Title | flagged |
    /// |---------|-----------|----------|---------------|-------|---------|
    /// | `003…A` | `Homer`   | `Sampson`| ``            | `CEO` | no (first) |
    /// | `003…B` | `Homer`   | `Sampson`| ``            | `CEO` | yes     |
    /// | `003…C` | `Homer`   | `Sampson`| ``            | `CFO` | no      |
    ///
    /// ## Trust impact
    /// Counts against `uniqueness`.
    pub struct DuplicateRecord;
    code = "DU004",
    name = "duplicate-record",
    family = Duplicates,
    scope = Dataset,
    severity = Warning,
    dimension = Uniqueness,
}

/// Filled content fields a record needs before it is compared: fewer say too little.
const MIN_FIELDS: usize = 4;

/// Whether a column's values say what the record is (not what the system assigned).
fn is_content(role: Role) -> bool {
    !matches!(
        role,
        Role::Id
            | Role::CreatedAt
            | Role::ModifiedAt
            | Role::LastActivityAt
            | Role::ClosedAt
            | Role::ConvertedAt
            | Role::Owner
            | Role::CaseNumber
            | Role::IsDeleted
    ) && !matches!(role.kind(), ValueKind::Reference(_) | ValueKind::Id)
}

impl Check for DuplicateRecord {
    type Options = ();
    /// The content columns.
    type Prepared = Vec<usize>;

    fn meta(&self) -> &CheckMeta {
        &Self::META
    }

    fn prepare(&self, cx: &PrepareContext<'_>, _options: &()) -> Option<Vec<usize>> {
        if !matches!(
            cx.profile.object,
            ObjectType::Contact | ObjectType::Lead | ObjectType::Deal | ObjectType::Case
        ) {
            return None;
        }
        let columns: Vec<usize> = cx
            .profile
            .columns
            .mapped()
            .filter(|(c, r)| is_content(*r) && Some(*c) != cx.profile.id_column)
            .map(|(c, _)| c)
            .collect();
        (columns.len() >= MIN_FIELDS).then_some(columns)
    }

    fn derived_width(&self, _columns: &Vec<usize>) -> usize {
        1
    }

    /// One hash of the record's folded content, 0 when too few fields are filled.
    fn derive(
        &self,
        columns: &Vec<usize>,
        record: &RecordView<'_>,
        scratch: &mut String,
        out: &mut Vec<u64>,
    ) {
        let mut hasher = FxBuildHasher.build_hasher();
        let mut filled = 0;
        for &column in columns {
            let value = record.get(column);
            if !value.is_empty() {
                filled += 1;
            }
            fold_spaces_into(value, scratch);
            hasher.write(scratch.as_bytes());
            hasher.write_u8(0x1f);
        }
        out.push(if filled >= MIN_FIELDS {
            hasher.finish() | 1
        } else {
            0
        });
    }

    fn check_dataset(
        &self,
        _cx: &DatasetContext<'_>,
        inputs: &[DatasetInput<'_, Vec<usize>>],
        sink: &mut DatasetSink,
    ) {
        for input in inputs {
            let (table, Some(columns)) = (input.table, input.prepared) else {
                continue;
            };
            let mut hashed: Vec<(u64, u32)> = input
                .derived
                .iter()
                .enumerate()
                .filter(|(_, h)| **h != 0)
                .map(|(r, h)| (*h, r as u32))
                .collect();
            hashed.par_sort_unstable();
            let mut start = 0;
            for i in 1..=hashed.len() {
                if i < hashed.len() && hashed[i].0 == hashed[start].0 {
                    continue;
                }
                let original = hashed[start].1 as usize;
                for &(_, record) in &hashed[start + 1..i] {
                    sink.report(
                        table,
                        record as usize,
                        None,
                        None,
                        format!(
                            "same values as record {} (line {}) in all {} fields that describe it; only ids, references, owner and timestamps differ",
                            table.id(original),
                            table.lines[original],
                            columns.len()
                        ),
                    );
                }
                start = i;
            }
        }
    }
}
