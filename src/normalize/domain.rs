//! Registrable domains of websites and email addresses: `https://www.Shop.Acme.co.uk/x`
//! → `acme.co.uk`. Two-level public suffixes are recognised by shape (`co.uk`, `com.au`,
//! `org.br`: a generic second level under a two-letter country code); this is not the
//! full Public Suffix List, which would matter only for hosted sub-domains.

const SECOND_LEVELS: &[&str] = &[
    "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "msk", "spb",
];

/// The registrable domain of a URL, host name or email address.
pub fn registrable_domain(value: &str) -> Option<String> {
    let lower = value.trim().to_lowercase();
    let host = match lower.rsplit_once('@') {
        Some((_, domain)) => domain,
        None => {
            let no_scheme = lower.split("://").last().unwrap_or(&lower);
            no_scheme
                .split(['/', '?', '#', ':'])
                .next()
                .unwrap_or(no_scheme)
        }
    };
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 || labels.iter().any(|l| l.contains(' ')) {
        return None;
    }
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVELS.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    Some(labels[n.saturating_sub(keep)..].join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable_domain("https://www.Shop.Acme.co.uk/x").as_deref(),
            Some("acme.co.uk")
        );
        assert_eq!(
            registrable_domain("www.acme.com").as_deref(),
            Some("acme.com")
        );
        assert_eq!(
            registrable_domain("ann@mail.acme.com").as_deref(),
            Some("acme.com")
        );
        assert_eq!(registrable_domain("n/a"), None);
    }
}
