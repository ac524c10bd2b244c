//! Spreadsheets: Excel `.xlsx`/`.xlsm`/`.xlsb`, old binary `.xls`, OpenDocument `.ods`
//! (read with `calamine`). Every non-empty sheet is an input, `book.xlsx:Sheet1`.
//!
//! Cells become the text a CSV export of the sheet would hold: numbers in their shortest
//! form (whole numbers without `.0`), dates and times as ISO `2026-11-22` /
//! `2026-11-22 14:05:00`, booleans `TRUE`/`FALSE`, errors as Excel shows them (`#N/A`).
//! The header is the first non-empty row; the "line" of a record is its row number in
//! the sheet, as Excel numbers rows.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::{BatchSender, Error, Header};

/// The sheets of a workbook that hold records, in workbook order, and the sheets left
/// out because they hold a pivot table (totals of another sheet, not records).
pub struct Sheets {
    pub records: Vec<String>,
    pub pivots: Vec<String>,
}

/// The sheets of a workbook: those holding any cell, pivot tables apart.
pub fn sheets(path: &Path, name: &str) -> Result<Sheets, Error> {
    let mut book = open_workbook_auto(path).map_err(|e| Error::Format {
        path: name.to_owned(),
        message: format!("cannot read the spreadsheet: {e}"),
    })?;
    // Only OOXML workbooks say where their pivot tables are; a workbook whose pivot
    // metadata cannot be read is treated as having none.
    let pivot_sheets: Vec<String> = match &mut book {
        calamine::Sheets::Xlsx(xlsx) => xlsx
            .pivot_tables()
            .map(|p| {
                p.get_pivot_tables_by_name_and_sheet()
                    .into_iter()
                    .map(|(sheet, _)| sheet.to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut out = Sheets {
        records: Vec::new(),
        pivots: Vec::new(),
    };
    for sheet in book.sheet_names() {
        if pivot_sheets.contains(&sheet) {
            out.pivots.push(sheet);
            continue;
        }
        if let Ok(range) = book.worksheet_range(&sheet)
            && !range.is_empty()
        {
            out.records.push(sheet);
        }
    }
    Ok(out)
}

pub(super) fn read(
    name: &str,
    path: &Path,
    sheet: &str,
    sender: &mut BatchSender<'_>,
) -> Result<(), Error> {
    let format_err = |message: String| Error::Format {
        path: name.to_owned(),
        message,
    };
    let mut book = open_workbook_auto(path)
        .map_err(|e| format_err(format!("cannot read the spreadsheet: {e}")))?;
    let range = book
        .worksheet_range(sheet)
        .map_err(|e| format_err(format!("cannot read sheet `{sheet}`: {e}")))?;
    // Row numbers as Excel shows them: the range may start below row 1.
    let first_row = u64::from(range.start().map_or(0, |(row, _)| row)) + 1;
    let mut rows = range.rows().enumerate();
    let (header_row, columns) = loop {
        let Some((i, row)) = rows.next() else {
            return Err(Error::Empty {
                path: name.to_owned(),
            });
        };
        if row.iter().any(|c| !matches!(c, Data::Empty)) {
            let mut columns: Vec<String> = row.iter().map(|c| text(c).trim().to_owned()).collect();
            // Trailing blank header cells are formatting, not columns.
            while columns.last().is_some_and(String::is_empty) {
                columns.pop();
            }
            break (first_row + i as u64, columns);
        }
    };
    let width = columns.len();
    let header = Header {
        columns,
        format: "spreadsheet",
        encoding: None,
        bom: false,
        delimiter: None,
        line: header_row,
        record_type: None,
    };
    if !sender.header(header) {
        return Ok(());
    }
    for (i, row) in rows {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let mut record = sender.record();
        record.clear();
        // Cells past the header's width that hold something make the row ragged, as
        // in a CSV export; empty ones are formatting.
        let used = row
            .iter()
            .rposition(|c| !matches!(c, Data::Empty))
            .map_or(0, |p| p + 1)
            .max(width);
        for cell in &row[..used.min(row.len())] {
            record.push_field(text(cell).as_bytes());
        }
        if !sender.push(record, first_row + i as u64) {
            return Ok(());
        }
    }
    sender.finish();
    Ok(())
}

/// A cell as text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                if (h, mi, s) == (0, 0, 0) {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }
            } else {
                number(dt.as_f64())
            }
        }
    }
}

/// A number as a spreadsheet shows it: `1250`, `0.4`, not `1250.0`.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_sheet_shows_them() {
        assert_eq!(number(1250.0), "1250");
        assert_eq!(number(0.4), "0.4");
        assert_eq!(number(-3.0), "-3");
    }
}
