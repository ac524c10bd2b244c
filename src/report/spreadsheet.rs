//! CSV cells that are safe to open in a spreadsheet (OWASP "CSV injection"): a cell
//! beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel
//! and LibreOffice (`=HYPERLINK(...)` runs when the file is opened), so it is written
//! with a leading `'`, which the spreadsheet shows as text and drops. Plain numbers
//! (`-1250`, `+3.5`) are left alone: they are no formula. `--raw-csv` turns this off for
//! tools that read the files as data.

use std::borrow::Cow;

/// The cell as written to a CSV output.
pub fn cell(value: &str, raw: bool) -> Cow<'_, str> {
    let Some(first) = value.chars().next() else {
        return Cow::Borrowed(value);
    };
    if raw || !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') || is_number(value) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(format!("'{value}"))
}

/// `-1250`, `+3.5`, `-0,25`: a sign, digits and one decimal separator.
fn is_number(value: &str) -> bool {
    let digits = &value[1..];
    let mut separators = 0;
    !digits.is_empty()
        && digits.bytes().all(|b| {
            if b == b'.' || b == b',' {
                separators += 1;
                separators == 1
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Appends one CSV field to `buf`, quoted when it holds the delimiter, a quote or a
/// line break (the rule of the `csv` crate's writer, for rows written as text without
/// it: same bytes, no per-field call).
pub fn push_field(buf: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    let quote = field
        .iter()
        .any(|b| *b == delimiter || matches!(b, b'"' | b'\r' | b'\n'));
    if !quote {
        buf.extend_from_slice(field);
        return;
    }
    buf.push(b'"');
    for &b in field {
        if b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
    buf.push(b'"');
}

/// One field as [`push_field`] writes it with a `,` delimiter.
pub fn field_text(field: &str) -> Vec<u8> {
    let mut buf = Vec::with_capacity(field.len());
    push_field(&mut buf, field.as_bytes(), b',');
    buf
}

/// Appends a row of fields and its line ending.
pub fn push_record<'a>(
    buf: &mut Vec<u8>,
    fields: impl Iterator<Item = &'a [u8]>,
    delimiter: u8,
    terminator: &[u8],
) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            buf.push(delimiter);
        }
        push_field(buf, field, delimiter);
    }
    buf.extend_from_slice(terminator);
}

#[cfg(test)]
mod tests {
    use super::{cell, push_record};

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(cell("=HYPERLINK(\"x\")", false), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)", false), "'@SUM(A1)");
        assert_eq!(cell("+7 495 123-45-67", false), "'+7 495 123-45-67");
        assert_eq!(cell("-1250", false), "-1250");
        assert_eq!(cell("+3.5", false), "+3.5");
        assert_eq!(cell("Acme", false), "Acme");
        assert_eq!(cell("", false), "");
        assert_eq!(cell("=1+1", true), "=1+1");
    }

    #[test]
    fn rows_are_quoted_as_the_csv_writer_quotes_them() {
        let fields: [&[u8]; 6] = [b"a", b"b,c", b"say \"hi\"", b"two\nlines", b"", b"cr\r"];
        let mut ours = Vec::new();
        push_record(&mut ours, fields.iter().copied(), b',', b"\n");
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fields).unwrap();
        assert_eq!(ours, w.into_inner().unwrap());
    }
}
