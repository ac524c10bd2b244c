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

#[cfg(test)]
mod tests {
    use super::cell;

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
}
