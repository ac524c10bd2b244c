//! `--redact`: emails, phone numbers and people's names masked in every report and log,
//! so that a report can be posted in a CI log or a ticket. The clean / review /
//! quarantine files are copies of the inputs for the CRM and stay whole.
//!
//! A finding's value is masked by its field's role (a name field's value wherever it
//! appears in the message); any email address or phone-like number left in a message
//! or a notice is masked by its shape. Masks keep enough to recognise a value one
//! already knows: `j***@a***.com`, `+1 *** *** **72`, `A***`.

use std::sync::LazyLock;

use regex::Regex;

use super::RunReport;
use crate::input::columns::Role;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*").expect("email pattern")
});
/// Seven or more digits, with the separators phone numbers are written with.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d(?:[\d\s().\-/]{5,}\d)").expect("phone pattern"));

/// `john.smith@acme.com` → `j***@a***.com`.
pub fn mask_email(s: &str) -> String {
    let Some((user, domain)) = s.rsplit_once('@') else {
        return mask_name(s);
    };
    let first = |t: &str| t.chars().next().map(String::from).unwrap_or_default();
    let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let tld = if tld.is_empty() {
        String::new()
    } else {
        format!(".{tld}")
    };
    format!("{}***@{}***{tld}", first(user), first(host))
}

/// Every digit but the last two replaced by `*`: `+1 (505) 693-1272` → `+* (***) ***-**72`.
pub fn mask_phone(s: &str) -> String {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 2 > digits { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

/// `Anna Smith` → `A*** S***`.
pub fn mask_name(s: &str) -> String {
    s.split(' ')
        .map(|w| match w.chars().next() {
            Some(c) => format!("{c}***"),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A date in digits (`2026-12-03`, `12/03/2024`, `03.12.24`): no phone.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
        .expect("date pattern")
});

/// Emails and phone-like numbers in free text, masked by their shape. A run of digits
/// inside a word (a Salesforce id, a hash) or written as a date is left alone.
pub fn scrub(text: &str) -> String {
    let text = EMAIL.replace_all(text, |c: &regex::Captures<'_>| mask_email(&c[0]));
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in PHONE.find_iter(&text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let in_word = before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            || after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let s = m.as_str();
        out.push_str(&text[last..m.start()]);
        if digits(s) >= 7 && !in_word && !DATE.is_match(s.trim()) {
            out.push_str(&mask_phone(s));
        } else {
            out.push_str(s);
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// Every `` `quoted` `` value of a message masked as a name, except the input's own
/// headers and values with no letter: for messages that quote other records' values
/// (a duplicate's name, the name a full name disagrees with).
fn mask_quoted(message: &str, headers: &[String]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('`');
        let quoted = i % 2 == 0;
        let keep = !quoted
            || !part.chars().any(char::is_alphabetic)
            || headers.iter().any(|h| h.eq_ignore_ascii_case(part));
        if keep {
            out.push_str(part);
        } else if part.contains('@') {
            out.push_str(&mask_email(part));
        } else {
            out.push_str(&mask_name(part));
        }
    }
    out
}

enum Kind {
    Email,
    Phone,
    Name,
}

fn kind(role: Option<Role>) -> Option<Kind> {
    match role? {
        Role::Email => Some(Kind::Email),
        Role::Phone | Role::MobilePhone | Role::Fax => Some(Kind::Phone),
        Role::FirstName | Role::LastName | Role::MiddleName | Role::FullName => Some(Kind::Name),
        _ => None,
    }
}

/// Masks every finding's value, message and fixes, and the run's notices.
pub fn redact(report: &mut RunReport) {
    let tables = &report.tables;
    let checks = &report.checks;
    for f in &mut report.findings {
        // Duplicates and junk checks quote other records' and fields' values.
        let quotes_others = matches!(checks[f.check.index()].family, "duplicates" | "junk");
        let headers = &tables[f.input as usize].header.columns;
        let role = f
            .column
            .and_then(|c| tables[f.input as usize].columns.role(c as usize));
        let mask = |v: &str| -> String {
            match kind(role) {
                Some(Kind::Email) => mask_email(v),
                Some(Kind::Phone) => mask_phone(v),
                Some(Kind::Name) => mask_name(v),
                None => scrub(v),
            }
        };
        let mut message = f.message.to_string();
        if let Some(v) = &f.value {
            let masked = mask(v);
            if !v.is_empty() && kind(role).is_some() {
                message = message.replace(&**v, &masked);
            }
            f.value = Some(masked.into_boxed_str());
        }
        if quotes_others {
            message = mask_quoted(&message, headers);
        }
        f.message = scrub(&message).into_boxed_str();
        for fix in f.fixes.iter_mut() {
            fix.new = mask(&fix.new).into();
        }
    }
    for w in &mut report.warnings {
        *w = scrub(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_a_hint_and_nothing_more() {
        assert_eq!(mask_email("john.smith@acme.com"), "j***@a***.com");
        assert_eq!(mask_phone("+1 (505) 693-1272"), "+* (***) ***-**72");
        assert_eq!(mask_name("Anna Smith"), "A*** S***");
        assert_eq!(
            scrub("`Email` = `ann@x.org` and `Phone` = `505-693-1272`, since 2026-12-03, 42 deals"),
            "`Email` = `a***@x***.org` and `Phone` = `***-***-**72`, since 2026-12-03, 42 deals"
        );
        // Ids and dates keep their digits.
        assert_eq!(
            scrub("record 0035g0000000HAAQ, `AccountId` = `0015g000003m8kAAA`, `12/31/2024`"),
            "record 0035g0000000HAAQ, `AccountId` = `0015g000003m8kAAA`, `12/31/2024`"
        );
        let headers = vec!["FirstName".to_owned()];
        assert_eq!(
            mask_quoted(
                "`FirstName` is `Matbha Alvarez` there and `Martha Alvarez` here, 2 of 3",
                &headers
            ),
            "`FirstName` is `M*** A***` there and `M*** A***` here, 2 of 3"
        );
    }
}
