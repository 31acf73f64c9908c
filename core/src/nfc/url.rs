//! Which URLs a card may carry: https only, on an allow-listed host, with no control, bidi-override or invisible
//! characters (a phishing sticker over a card must not open anything).

/// The hosts cards point to unless the settings say otherwise.
pub const DEFAULT_ALLOWED_HOSTS: &[&str] = &["tap.example.jp"];

/// The settings key holding the allow-listed hosts, comma-separated.
pub const ALLOWED_HOSTS_SETTING: &str = "nfc.allowed_hosts";

/// Why a URL from a card is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Control, bidi-override or zero-width characters.
    #[error("the URL contains control, bidi-override or invisible characters")]
    UnsafeCharacters,
    /// Not `https://`.
    #[error("the URL is not https")]
    NotHttps,
    /// User info, a port, a fragment or an empty host.
    #[error("the URL is malformed: {0}")]
    Malformed(&'static str),
    /// A host that is not on the allow-list.
    #[error("the host {0:?} is not on the allow-list")]
    HostNotAllowed(String),
}

/// A URL that passed the policy, split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardUrl<'a> {
    /// The host, lower-case as written (the allow-list compares case-insensitively).
    pub host: &'a str,
    /// The path, starting with `/` (or empty).
    pub path: &'a str,
    /// The query after `?`, if any.
    pub query: Option<&'a str>,
}

/// The allow-list of card hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPolicy {
    hosts: Vec<String>,
}

impl Default for UrlPolicy {
    fn default() -> UrlPolicy {
        UrlPolicy::new(DEFAULT_ALLOWED_HOSTS.iter().copied())
    }
}

impl UrlPolicy {
    /// A policy allowing exactly these hosts.
    pub fn new<S: AsRef<str>>(hosts: impl IntoIterator<Item = S>) -> UrlPolicy {
        UrlPolicy {
            hosts: hosts
                .into_iter()
                .map(|h| h.as_ref().trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    /// A policy from the comma-separated settings value.
    pub fn from_setting(value: &str) -> UrlPolicy {
        UrlPolicy::new(value.split(','))
    }

    /// The allowed hosts.
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// Checks `url` and splits it.
    pub fn check<'a>(&self, url: &'a str) -> Result<CardUrl<'a>, UrlError> {
        if url.chars().any(is_unsafe) {
            return Err(UrlError::UnsafeCharacters);
        }
        let rest = match url.get(..8) {
            Some(scheme) if scheme.eq_ignore_ascii_case("https://") => url.get(8..).unwrap_or_default(),
            _ => return Err(UrlError::NotHttps),
        };
        if rest.contains('#') {
            return Err(UrlError::Malformed("it has a fragment"));
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, after) = rest.split_at(authority_end);
        if host.contains('@') {
            return Err(UrlError::Malformed("it has user information before the host"));
        }
        if host.contains(':') {
            return Err(UrlError::Malformed("it names a port"));
        }
        if host.is_empty() {
            return Err(UrlError::Malformed("it has no host"));
        }
        if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(UrlError::HostNotAllowed(host.to_owned()));
        }
        let (path, query) = match after.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (after, None),
        };
        Ok(CardUrl { host, path, query })
    }
}

/// Control characters (C0, DEL, C1), bidi embeddings/overrides/isolates and marks, zero-width characters.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_on_allowed_hosts() {
        let policy = UrlPolicy::default();
        let ok = policy.check("https://tap.example.jp/c/abc?x=1").unwrap();
        assert_eq!(
            (ok.host, ok.path, ok.query),
            ("tap.example.jp", "/c/abc", Some("x=1"))
        );
        assert!(policy.check("HTTPS://TAP.example.jp/c/a").is_ok());
        for (url, expected) in [
            ("http://tap.example.jp/c/a", UrlError::NotHttps),
            ("javascript:alert(1)", UrlError::NotHttps),
            (
                "https://evil.example.com/c/a",
                UrlError::HostNotAllowed("evil.example.com".into()),
            ),
            (
                "https://tap.example.jp.evil.com/c/a",
                UrlError::HostNotAllowed("tap.example.jp.evil.com".into()),
            ),
            (
                "https://tap.example.jp@evil.com/",
                UrlError::Malformed("it has user information before the host"),
            ),
            (
                "https://tap.example.jp:8443/",
                UrlError::Malformed("it names a port"),
            ),
            (
                "https://tap.example.jp/c/a#x",
                UrlError::Malformed("it has a fragment"),
            ),
            ("https:///c/a", UrlError::Malformed("it has no host")),
            (
                "https://tap.example.jp/\u{202E}gpj.exe",
                UrlError::UnsafeCharacters,
            ),
            ("https://tap.example.jp/\u{2067}資材", UrlError::UnsafeCharacters),
            ("https://tap.example.jp/a\u{0085}", UrlError::UnsafeCharacters),
            ("https://tap.example.jp/a\u{200B}", UrlError::UnsafeCharacters),
            ("https://tap.example.jp/a\tb", UrlError::UnsafeCharacters),
        ] {
            assert_eq!(policy.check(url), Err(expected), "{url}");
        }
    }

    #[test]
    fn hosts_come_from_the_setting() {
        let policy = UrlPolicy::from_setting(" Tap.Example.jp , cards.example.jp,");
        assert_eq!(policy.hosts(), ["tap.example.jp", "cards.example.jp"]);
        assert!(policy.check("https://cards.example.jp/c/x").is_ok());
    }
}
