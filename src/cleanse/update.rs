//! Update files: only the changed records of one input, with their id and the changed
//! columns, in the shape a CRM's own import applies as an update.
//!
//! - `salesforce` (Data Loader "Update", Data Import Wizard "Update existing records"):
//!   the id column, then each changed column; a cell is blank where that record's field
//!   did not change (Data Loader leaves blank cells alone), and `#N/A` where the fix
//!   blanks the field (Data Loader's spelling of "set to null").
//! - `hubspot` (import with the record id, "Update existing"): the same, except that a
//!   HubSpot import never clears a property from a blank cell, so fixes that blank a
//!   field are left out of the file and counted (clear them in HubSpot).
//! - `generic`: one row per changed field (`<id header>,field,value`): no cell is blank
//!   for "no change", so any tool (SQL, Power Query, a script) can apply it as is.
//!
//! A change of the id column itself (an id whose letter case is restored) is not an
//! update: the record is matched by its corrected id.

use std::io::Write;

use super::Change;
use crate::input::table::Table;

/// Which CRM's update shape to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateShape {
    Salesforce,
    Hubspot,
    Generic,
}

impl UpdateShape {
    pub const ALL: [UpdateShape; 3] = [
        UpdateShape::Salesforce,
        UpdateShape::Hubspot,
        UpdateShape::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UpdateShape::Salesforce => "salesforce",
            UpdateShape::Hubspot => "hubspot",
            UpdateShape::Generic => "generic",
        }
    }
}

/// What went into one update file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpdateStats {
    /// Records (or, for `generic`, fields) written.
    pub rows: usize,
    /// Changes a HubSpot import cannot express (blanking a field).
    pub left_out: usize,
}

/// Writes the update file of one input's `changes` (ordered by record, then column).
/// `None` when the input has no id column to match records by.
pub fn write(
    shape: UpdateShape,
    table: &Table,
    changes: &[Change],
    out: &mut dyn Write,
) -> Option<Result<UpdateStats, csv::Error>> {
    let id_column = table.id_column?;
    Some(write_with_id(shape, table, id_column, changes, out))
}

fn write_with_id(
    shape: UpdateShape,
    table: &Table,
    id_column: usize,
    changes: &[Change],
    out: &mut dyn Write,
) -> Result<UpdateStats, csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let id_header = table.header_name(id_column);
    // Ids whose letter case a fix restored: the record is matched by the corrected one.
    let corrected: std::collections::BTreeMap<u32, &str> = changes
        .iter()
        .filter(|c| c.column as usize == id_column)
        .map(|c| (c.record, &*c.new))
        .collect();
    let id = |record: u32| {
        corrected
            .get(&record)
            .copied()
            .unwrap_or_else(|| table.id(record as usize))
    };
    let mut stats = UpdateStats::default();
    let updates: Vec<&Change> = changes
        .iter()
        .filter(|c| c.column as usize != id_column)
        .filter(|c| {
            let expressible = shape != UpdateShape::Hubspot || !c.new.is_empty();
            stats.left_out += usize::from(!expressible);
            expressible
        })
        .collect();
    if shape == UpdateShape::Generic {
        w.write_record([id_header, "field", "value"])?;
        for c in &updates {
            let field = table.header_name(c.column as usize);
            w.write_record([id(c.record), field, &c.new])?;
            stats.rows += 1;
        }
        w.flush()?;
        return Ok(stats);
    }
    let mut columns: Vec<u32> = updates.iter().map(|c| c.column).collect();
    columns.sort_unstable();
    columns.dedup();
    let mut header = vec![id_header];
    header.extend(columns.iter().map(|&c| table.header_name(c as usize)));
    w.write_record(&header)?;
    let mut row: Vec<&str> = Vec::with_capacity(header.len());
    for record in updates.chunk_by(|a, b| a.record == b.record) {
        row.clear();
        row.push(id(record[0].record));
        for &column in &columns {
            row.push(match record.iter().find(|c| c.column == column) {
                None => "",
                Some(c) if c.new.is_empty() => "#N/A",
                Some(c) => &c.new,
            });
        }
        w.write_record(&row)?;
        stats.rows += 1;
    }
    w.flush()?;
    Ok(stats)
}
