//! Text folding for comparisons, and text made safe to print.

use std::borrow::Cow;

/// Lowercase with whitespace runs collapsed to one space and trimmed: `  Closed   Won ` →
/// `closed won`. Used where spacing is noise but punctuation may matter.
pub fn fold_spaces(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    fold_spaces_into(value, &mut out);
    out
}

/// [`fold_spaces`] into a reused buffer (hot loops).
pub fn fold_spaces_into(value: &str, out: &mut String) {
    out.clear();
    if value.is_ascii() {
        if single_spaced(value.as_bytes()) {
            // Already spaced as folded (the common case): copy and lowercase in bulk.
            out.push_str(value);
            out.make_ascii_lowercase();
            return;
        }
        // Byte loop: most values are ASCII, and this is the hot path of placeholder and
        // key matching.
        let mut pending_space = false;
        for b in value.bytes() {
            if b.is_ascii_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(b.to_ascii_lowercase()));
        }
        return;
    }
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.push_str(word);
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    // Lowercases the ASCII words copied above; the others are lowercase already.
    out.make_ascii_lowercase();
}

/// Whether an ASCII value's only whitespace is single spaces between words.
fn single_spaced(bytes: &[u8]) -> bool {
    let mut after_space = true;
    for &b in bytes {
        let space = b.is_ascii_whitespace();
        if space && (after_space || b != b' ') {
            return false;
        }
        after_space = space;
    }
    !after_space || bytes.is_empty()
}

/// Lowercase letters and digits only (any script): `GTX-Pro` and `gtx pro` → `gtxpro`.
/// Used to match values that differ only by case, spacing or punctuation.
pub fn fold_alnum(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters that show as nothing and only break matching and grouping when pasted
/// into a CRM field: zero-width space, word joiner, a byte-order mark inside the text,
/// soft hyphen, and control characters other than tab and line breaks. Joiners that
/// shape a script or an emoji (U+200C, U+200D) and direction marks are kept.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
        || (c.is_control() && c != '\t' && !is_line_break(c))
}

/// Line breaks, including those some exports use inside a field: vertical tab
/// (FileMaker), form feed, next line (U+0085) and the Unicode line and paragraph
/// separators.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Spaces that look like a space and are not one (no-break spaces).
pub fn is_odd_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}')
}

/// The value as it should have been typed: without whitespace at its ends, invisible
/// characters ([`is_invisible`]) removed, no-break spaces made plain spaces. Borrowed
/// when there is nothing to tidy.
pub fn tidy(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim();
    if !trimmed.chars().any(|c| is_invisible(c) || is_odd_space(c)) {
        return Cow::Borrowed(trimmed);
    }
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if is_odd_space(c) { ' ' } else { c })
        .collect();
    let again = cleaned.trim();
    if again.len() == cleaned.len() {
        Cow::Owned(cleaned)
    } else {
        Cow::Owned(again.to_owned())
    }
}

/// Text for a terminal or a Markdown page: control characters (escape sequences, bell,
/// backspace, line breaks, C1 controls) shown as `\u{1b}` instead of acted on, so an id,
/// a value or a file name cannot rewrite the screen or hide itself.
pub fn printable(value: &str) -> Cow<'_, str> {
    if !value.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .chars()
            .map(|c| {
                if c.is_control() && c != '\t' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The one candidate within `max` edits (Damerau-Levenshtein) of `folded`, at the
/// smallest distance any candidate has; `None` when none is that close or two different
/// ones are equally close. Several names of one candidate (aliases) do not tie.
pub fn unique_near_miss<'a, T: Copy + PartialEq>(
    folded: &str,
    max: usize,
    candidates: impl Iterator<Item = (&'a str, T)>,
) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    let mut tie = false;
    for (name, candidate) in candidates {
        let d = strsim::damerau_levenshtein(folded, name);
        if d > max {
            continue;
        }
        match best {
            Some((bd, b)) if d == bd && b != candidate => tie = true,
            Some((bd, _)) if d >= bd => {}
            _ => {
                best = Some((d, candidate));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(printable("ok"), "ok");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("a\nb"), "a\\u{a}b");
    }

    #[test]
    fn folds() {
        assert_eq!(fold_spaces("  Closed \t Won "), "closed won");
        assert_eq!(fold_spaces("  ЗАКРЫТО \t Won "), "закрыто won");
        assert_eq!(fold_spaces(" \t "), "");
        assert_eq!(fold_spaces("Closed Won"), "closed won");
        assert_eq!(fold_spaces("Closed\tWon"), "closed won");
        assert_eq!(fold_spaces("Closed Won "), "closed won");
        assert_eq!(fold_spaces(" Closed"), "closed");
        assert_eq!(fold_spaces(""), "");
        assert_eq!(fold_alnum("GTX-Pro"), fold_alnum("gtx pro"));
        assert_eq!(fold_alnum("Закрыто / Успешно"), "закрытоуспешно");
    }
}
