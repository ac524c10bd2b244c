//! Company match keys: transliterated, lowercase, `&` read as `and`, a leading `the`
//! and legal forms (`Inc.`, `LLC`, `GmbH`, `s.r.o.`, `ООО`, …; the bundled MIT list from
//! cleanco) stripped from the end, and Russian-style from the front (`ООО «Ромашка»`).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Legal forms, letters and digits only (`l.l.c.` → `llc`).
static LEGAL_FORMS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    include_str!("../../data/company_legal_forms.txt")
        .lines()
        .map(fold)
        .filter(|f| !f.is_empty())
        .collect()
});

fn fold(token: &str) -> String {
    token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `The Acme Co., Inc.` → `acme`; `ООО «Ромашка»` → `romashka`; `Procter & Gamble` →
/// `procter and gamble`.
pub fn company_key(value: &str) -> String {
    let ascii = if value.is_ascii() {
        value.to_owned()
    } else {
        deunicode::deunicode(value)
    };
    let spaced = ascii.replace('&', " and ");
    let mut tokens: Vec<String> = spaced
        .split(|c: char| c.is_whitespace() || c == ',' || c == '"' || c == '(' || c == ')')
        .map(fold)
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.first().is_some_and(|t| t == "the") && tokens.len() > 1 {
        tokens.remove(0);
    }
    // `GmbH & Co. KG`: legal forms joined by `and` go together.
    while tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| LEGAL_FORMS.contains(t) || t == "and")
    {
        tokens.pop();
    }
    while tokens.len() > 1
        && tokens.first().is_some_and(|t| {
            matches!(
                t.as_str(),
                "ooo" | "oao" | "zao" | "pao" | "ao" | "ip" | "nko" | "too"
            )
        })
    {
        tokens.remove(0);
    }
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_legal_forms() {
        assert_eq!(company_key("The Acme Co., Inc."), "acme");
        assert_eq!(company_key("ACME INC"), "acme");
        assert_eq!(company_key("Acme GmbH & Co. KG"), "acme");
        assert_eq!(company_key("ООО «Ромашка»"), company_key("Romashka LLC"));
        assert_eq!(company_key("Procter & Gamble"), "procter and gamble");
        assert_eq!(company_key("LLC"), "llc");
    }
}
