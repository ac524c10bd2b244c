//! Where a field starts in a delimited text file: the line and column a SARIF result or
//! an editor jumps to. Records are found by the line they start on (as findings carry
//! it); the fields of a record are then counted from there, quotes and quoted line
//! breaks taken into account.

use std::path::Path;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// UTF-8 text: a column is a Unicode code point.
    Utf8,
    /// A single-byte encoding (Windows-1251, Latin-1): a column is a byte.
    Bytes,
}

/// For each `(line, field)`, the 1-based line and column where that field of the record
/// starting on `line` begins; `None` when the file has no such line or field. `wanted`
/// may come in any order.
pub fn field_starts(
    path: &Path,
    wanted: &[(u64, usize)],
    delimiter: u8,
    columns: Columns,
) -> std::io::Result<Vec<Option<(u64, u64)>>> {
    let bytes = std::fs::read(path)?;
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    // Offsets of line starts, line 1 first.
    let mut starts = vec![0usize];
    starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
    Ok(wanted
        .iter()
        .map(|&(line, field)| locate(text, &starts, line, field, delimiter, columns))
        .collect())
}

fn locate(
    text: &[u8],
    starts: &[usize],
    line: u64,
    field: usize,
    delimiter: u8,
    columns: Columns,
) -> Option<(u64, u64)> {
    let start = *starts.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
    if start >= text.len() {
        return None;
    }
    let (mut line, mut column) = (line, 1u64);
    let mut index = 0usize;
    let mut quoted = false;
    let mut at_field_start = true;
    let mut i = start;
    while i < text.len() {
        if index == field && at_field_start {
            return Some((line, column));
        }
        let b = text[i];
        let starts_field = at_field_start;
        at_field_start = false;
        match b {
            // A quote opens a quoted field only at its start (elsewhere it is text, as
            // the CSV reader takes it: `5" screen`).
            b'"' if starts_field => quoted = true,
            b'"' if quoted => {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                    column += 1;
                } else {
                    quoted = false;
                }
            }
            b'\n' if quoted => {
                line += 1;
                column = 0;
            }
            b'\r' if quoted => {}
            b'\n' | b'\r' => return None,
            _ if b == delimiter && !quoted => {
                index += 1;
                at_field_start = true;
            }
            _ => {}
        }
        let counts = match columns {
            Columns::Utf8 => b & 0xC0 != 0x80,
            Columns::Bytes => true,
        };
        if counts {
            column += 1;
        }
        i += 1;
    }
    // A last field that is empty at the end of the file.
    (index == field && at_field_start).then_some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: u64, field: usize) -> Option<(u64, u64)> {
        let mut starts = vec![0usize];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        locate(text.as_bytes(), &starts, line, field, b',', Columns::Utf8)
    }

    #[test]
    fn finds_fields_past_quotes_and_quoted_line_breaks() {
        let text = "Id,Name,Email\n1,\"Smith, Ann\",a@x.com\n2,\"two\nlines\",b@x.com\n3,Zoë,c@x\n";
        assert_eq!(at(text, 2, 0), Some((2, 1)));
        assert_eq!(at(text, 2, 1), Some((2, 3)));
        assert_eq!(at(text, 2, 2), Some((2, 16)));
        assert_eq!(at(text, 3, 2), Some((4, 8)));
        // Columns count characters, not bytes.
        assert_eq!(at(text, 5, 2), Some((5, 7)));
        // A quote inside an unquoted field is text; a quoted CRLF is a line break.
        let text = "Id,Desc,Email\n1,5\" screen,a@x.com\n2,\"a\r\nb\",b@x.com\n";
        assert_eq!(at(text, 2, 2), Some((2, 13)));
        assert_eq!(at(text, 3, 2), Some((4, 4)));
        assert_eq!(at(text, 2, 3), None);
        assert_eq!(at(text, 9, 0), None);
    }
}
