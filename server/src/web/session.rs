//! Cookies of the web pages: reading them, the HCP answer, the browser id, and CSRF double-submit tokens.
//!
//! Every cookie is `HttpOnly; SameSite=Lax; Path=/` (the admin session is `SameSite=Strict`); `Secure` is added
//! when the request came through TLS (`X-Forwarded-Proto: https` from the terminating proxy).

use axum::http::{header, HeaderMap, HeaderValue};
use mrc_core::nfc::text_codec::hex;

/// The HCP gate's answer for this browser session.
pub const HCP_COOKIE: &str = "mrc_hcp";
/// A random id of this browser, so one tap counts once even if the browser asks twice.
pub const BROWSER_COOKIE: &str = "mrc_bid";
/// The CSRF double-submit token.
pub const CSRF_COOKIE: &str = "mrc_csrf";

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// 16 random bytes as hex.
pub fn random_id() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex(&bytes))
}

fn is_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value for a session cookie (no expiry: it ends with the browser session).
pub fn set_cookie(
    request: &HeaderMap,
    name: &str,
    value: &str,
    path: &str,
    strict: bool,
) -> Option<HeaderValue> {
    let same_site = if strict { "Strict" } else { "Lax" };
    let secure = if is_tls(request) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .ok()
}

/// The CSRF token to put in a form: the request's cookie, or a new one with the `Set-Cookie` to send.
pub fn csrf_token(request: &HeaderMap) -> (String, Option<HeaderValue>) {
    if let Some(token) = cookie(request, CSRF_COOKIE).filter(|t| t.len() == 32) {
        return (token.to_owned(), None);
    }
    let token = random_id().unwrap_or_default();
    let set = set_cookie(request, CSRF_COOKIE, &token, "/", true);
    (token, set)
}

/// Whether a posted form's token matches the browser's CSRF cookie (compared in constant time).
pub fn csrf_ok(request: &HeaderMap, posted: &str) -> bool {
    use subtle::ConstantTimeEq;
    match cookie(request, CSRF_COOKIE) {
        Some(token) if token.len() == 32 && posted.len() == 32 => {
            token.as_bytes().ct_eq(posted.as_bytes()).into()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie_header: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(cookie_header).unwrap());
        h
    }

    #[test]
    fn reads_cookies_and_checks_csrf_tokens() {
        let token = "0123456789abcdef0123456789abcdef";
        let h = headers(&format!("a=1; {CSRF_COOKIE}={token}; {HCP_COOKIE}=yes"));
        assert_eq!(cookie(&h, HCP_COOKIE), Some("yes"));
        assert_eq!(cookie(&h, "missing"), None);
        assert!(csrf_ok(&h, token));
        assert!(!csrf_ok(&h, "0123456789abcdef0123456789abcdee"));
        assert!(!csrf_ok(&h, ""));
        assert!(!csrf_ok(&HeaderMap::new(), token));
        assert_eq!(csrf_token(&h), (token.to_owned(), None));
        let (fresh, set) = csrf_token(&HeaderMap::new());
        assert_eq!(fresh.len(), 32);
        let set = set.unwrap();
        assert!(set.to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
    }
}
