//! What the run keeps of an input after its records were checked.
//!
//! Record checks see every field once while streaming; dataset checks (uniqueness,
//! references, duplicates) need a few columns of every record afterwards. A [`Table`]
//! keeps those columns in compact arenas, one string buffer per column, so a million
//! records cost tens of megabytes instead of a million heap-allocated rows.

use std::collections::BTreeMap;

use super::columns::Role;
use super::profile::InputProfile;

/// Strings of one column, stored end to end.
#[derive(Debug, Default, Clone)]
pub struct StrColumn {
    buf: String,
    ends: Vec<usize>,
}

impl StrColumn {
    pub fn push(&mut self, value: &str) {
        self.buf.push_str(value);
        self.ends.push(self.buf.len());
    }

    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends all values of `other`.
    pub fn append(&mut self, other: &StrColumn) {
        let base = self.buf.len();
        self.buf.push_str(&other.buf);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// One scanned input: its profile, the line and id of every record, and the columns
/// kept for dataset checks. A table derefs to its [`InputProfile`].
#[derive(Debug)]
pub struct Table {
    pub profile: InputProfile,
    /// 1-based line of each record.
    pub lines: Vec<u64>,
    /// The record id of each record (trimmed id value, or the line number).
    pub ids: StrColumn,
    /// Kept columns, by column index, trimmed.
    pub kept: BTreeMap<usize, StrColumn>,
    /// Lines of a CSV input's text (header, records, blank lines), counted as read.
    pub physical_lines: Option<u64>,
    /// Records with a value (not blank once trimmed), per header column.
    pub filled: Vec<u64>,
    /// Records per number of fields they had, from 0 to the header's width; the last
    /// slot counts the records with more.
    pub field_counts: Vec<u64>,
    /// With `--history`: a digest of every field, `width` per record in record order.
    pub digests: Vec<u32>,
}

impl std::ops::Deref for Table {
    type Target = InputProfile;

    fn deref(&self) -> &InputProfile {
        &self.profile
    }
}

impl Table {
    pub fn new(profile: InputProfile, kept: &[usize]) -> Table {
        let filled = vec![0; profile.width()];
        let field_counts = vec![0; profile.width() + 2];
        Table {
            profile,
            lines: Vec::new(),
            ids: StrColumn::default(),
            kept: kept.iter().map(|c| (*c, StrColumn::default())).collect(),
            physical_lines: None,
            filled,
            field_counts,
            digests: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn id(&self, record: usize) -> &str {
        self.ids.get(record)
    }

    /// The kept values of a column, if it was kept.
    pub fn column(&self, column: usize) -> Option<&StrColumn> {
        self.kept.get(&column)
    }

    /// The kept values of the column with `role`, if any.
    pub fn role_column(&self, role: Role) -> Option<(usize, &StrColumn)> {
        let column = self.columns.column(role)?;
        self.kept.get(&column).map(|c| (column, c))
    }
}
