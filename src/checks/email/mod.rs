//! Email checks (`EM`): addresses that cannot receive mail, are misspelt, throw-away,
//! shared mailboxes on a person, placeholders, or known to bounce.
//!
//! The checks read every column with the `email` role (`Email`, `Рабочий email`,
//! `Личный email`); a column whose values are hashes lost the role when it was
//! profiled, so digests are never read as addresses. The data lists are embedded from
//! `data/` (see `data/README.md` for their sources and licenses).

mod disposable_email_domain;
mod email_bounced;
mod email_domain_typo;
mod free_email_on_business_record;
mod invalid_email;
mod placeholder_email;
mod role_email_on_person;
mod unknown_email_tld;

pub use disposable_email_domain::DisposableEmailDomain;
pub use email_bounced::EmailBounced;
pub use email_domain_typo::EmailDomainTypo;
pub use free_email_on_business_record::FreeEmailOnBusinessRecord;
pub use invalid_email::InvalidEmail;
pub use placeholder_email::PlaceholderEmail;
pub use role_email_on_person::RoleEmailOnPerson;
pub use unknown_email_tld::UnknownEmailTld;

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::checks::PrepareContext;
use crate::input::columns::Role;

/// A bundled list's entries added (`extend-<key>`) or taken out (`allow-<key>`) by the
/// rule file, lowercased: `[checks.disposable-email-domain] extend-domains = ["x.io"]`.
#[derive(Debug, Default, Clone)]
pub struct ListEdits {
    pub added: FxHashSet<String>,
    pub removed: FxHashSet<String>,
}

impl ListEdits {
    /// Reads `extend-<key>` and `allow-<key>` from a check's options table.
    pub fn apply(
        &mut self,
        table: &mut crate::config::OptionTable<'_>,
        extend: &'static str,
        allow: &'static str,
    ) {
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_lowercase());
        if let Some(values) = table.strings(extend) {
            self.added.extend(lower(values));
        }
        if let Some(values) = table.strings(allow) {
            self.removed.extend(lower(values));
        }
    }

    /// Whether a lowercased entry is on the bundled list as edited.
    pub fn contains(&self, list: &FxHashSet<&'static str>, entry: &str) -> bool {
        (list.contains(entry) || self.added.contains(entry)) && !self.removed.contains(entry)
    }
}

/// The columns holding email addresses.
pub fn email_columns(cx: &PrepareContext<'_>) -> Vec<usize> {
    cx.profile
        .columns
        .mapped()
        .filter(|(_, r)| *r == Role::Email)
        .map(|(c, _)| c)
        .collect()
}

fn set(text: &'static str) -> FxHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

pub static FREE_MAIL: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/free_email_domains.txt")));
pub static TYPO_TARGETS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/email_typo_targets.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
});
pub static DISPOSABLE: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/disposable_email_domains.txt")));
pub static DISPOSABLE_ALLOWED: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/disposable_email_allowlist.txt")));
pub static ROLE_LOCALS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/role_email_locals.txt")));
pub static RESERVED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/email_reserved_domains.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
});
pub static FAKE_DOMAINS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/email_fake_domains.txt")));
pub static PLACEHOLDER_LOCALS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../../../data/email_placeholder_locals.txt")));

/// The lowercased local part (without a `+tag`) and domain (without a trailing dot) of
/// an address with one `@`, lowercased into `buf` (a reused buffer: no allocation per
/// value).
pub fn parts<'b>(value: &str, buf: &'b mut String) -> Option<(&'b str, &'b str)> {
    buf.clear();
    let value = value.trim();
    if value.is_ascii() {
        buf.push_str(value);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(value.chars().flat_map(char::to_lowercase));
    }
    let (local, domain) = buf.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    let local = local.split('+').next().unwrap_or(local);
    Some((local, domain.trim_end_matches('.')))
}

/// The domain and each of its parent domains (`a.b.mailinator.com`, `b.mailinator.com`,
/// `mailinator.com`), down to two labels.
pub fn suffixes(domain: &str) -> impl Iterator<Item = &str> {
    let dots = domain.matches('.').count();
    domain
        .match_indices('.')
        .map(|(i, _)| i + 1)
        .take(dots.saturating_sub(1))
        .map(|i| &domain[i..])
        .chain(std::iter::once(domain))
}

/// Reserved names as suffixes to match: `.test` matches `test` and `*.test`,
/// `example.com` matches itself and `*.example.com`.
static RESERVED_SUFFIXES: LazyLock<Vec<(&'static str, String, String)>> = LazyLock::new(|| {
    RESERVED
        .iter()
        .map(|r| match r.strip_prefix('.') {
            Some(tld) => (*r, tld.to_owned(), (*r).to_owned()),
            None => (*r, (*r).to_owned(), format!(".{r}")),
        })
        .collect()
});

/// A domain that can never receive mail (RFC 2606 / 6761 names and TLDs).
pub fn reserved(domain: &str) -> Option<&'static str> {
    RESERVED_SUFFIXES
        .iter()
        .find(|(_, exact, suffix)| domain == exact || domain.ends_with(suffix.as_str()))
        .map(|(r, _, _)| *r)
}
