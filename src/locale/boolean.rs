//! Booleans as CRM exports write them: `TRUE/FALSE`, `True`, `Yes/No`, `Y/N`, `1/0`,
//! `on/off`, `да/нет`, `истина/ложь`, `checked`.

/// Parses a boolean; `None` when the text is not one.
pub fn parse_bool(text: &str) -> Option<bool> {
    let lower = text.trim().to_lowercase();
    match lower.as_str() {
        "true" | "t" | "yes" | "y" | "1" | "on" | "checked" | "x" | "да" | "д" | "истина" => {
            Some(true)
        }
        "false" | "f" | "no" | "n" | "0" | "off" | "unchecked" | "нет" | "н" | "ложь" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mixed_spellings() {
        for t in ["TRUE", "True", "yes", "Y", "1", "да", "Да"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["FALSE", "False", "no", "N", "0", "нет"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }
}
