//! Registrable domains of websites and email addresses: `https://www.Shop.Acme.co.uk/x`
//! → `acme.co.uk`, by the Public Suffix List (the `psl` crate, ICANN and private
//! sections), so shops on `*.myshopify.com` and sites on `*.github.io` are each their own
//! domain.

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
    host_domain(host).map(str::to_owned)
}

/// The registrable domain of a lowercase host name (`mail.acme.co.uk` → `acme.co.uk`).
pub fn host_domain(host: &str) -> Option<&str> {
    let host = host.trim_end_matches('.');
    if !host.contains('.') || host.split('.').any(|l| l.is_empty() || l.contains(' ')) {
        return None;
    }
    psl::domain_str(host)
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
        assert_eq!(
            registrable_domain("https://acme-store.myshopify.com/").as_deref(),
            Some("acme-store.myshopify.com")
        );
        assert_eq!(
            registrable_domain("ivan@mail.yandex.ru").as_deref(),
            Some("yandex.ru")
        );
        assert_eq!(registrable_domain("co.uk"), None);
    }
}
