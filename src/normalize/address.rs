//! Street-address tokens: transliterated, lowercase, letters and digits, with the common
//! street-type words abbreviated one way (`Street` → `st`, `Avenue` → `ave`, `улица` →
//! `ul`), so `12 Main Street` and `12 main st.` have the same tokens.

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("street", "st"),
    ("str", "st"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("road", "rd"),
    ("boulevard", "blvd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("crescent", "cres"),
    ("terrace", "tce"),
    ("highway", "hwy"),
    ("parkway", "pkwy"),
    ("square", "sq"),
    ("circuit", "cct"),
    ("close", "cl"),
    ("suite", "ste"),
    ("apartment", "apt"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("ulitsa", "ul"),
    ("prospekt", "pr"),
    ("pereulok", "per"),
    ("dom", "d"),
    ("kvartira", "kv"),
];

/// Normalized tokens of an address line.
pub fn address_tokens(value: &str) -> Vec<String> {
    let ascii = if value.is_ascii() {
        value.to_owned()
    } else {
        deunicode::deunicode(value)
    };
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| {
            let lower = t.to_ascii_lowercase();
            ABBREVIATIONS
                .iter()
                .find(|(long, _)| *long == lower)
                .map_or(lower, |(_, short)| (*short).to_owned())
        })
        .collect()
}

/// The tokens joined by single spaces: the exact-comparison key.
pub fn address_key(value: &str) -> String {
    address_tokens(value).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_fold() {
        assert_eq!(address_key("12 Main Street"), address_key("12 main st."));
        assert_eq!(address_key("ул. Ленина, 5"), "ul lenina 5");
    }
}
