//! HTML pages: escaping, the small shared shell, and the security headers every web answer carries.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::lang::Lang;

/// The Content-Security-Policy of every page: nothing from elsewhere, no inline script or style.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'self'; frame-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The policy of a material file shown inside the landing page: framed by this origin only, no forms.
pub const CONTENT_CSP: &str = "frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page: `body` is HTML already escaped by the caller; `scripts` are paths under `/assets/`.
pub fn page(lang: Lang, title: &str, body: &str, scripts: &[&str]) -> String {
    let mut script_tags = String::new();
    for src in scripts {
        script_tags.push_str(&format!("<script src=\"/assets/{src}\" defer></script>"));
    }
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><link rel=\"icon\" href=\"data:,\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/assets/site.css\">{script_tags}</head>\
         <body>{body}</body></html>",
        lang = lang.code(),
        title = escape(title),
    )
}

/// An HTML answer with the security headers; never cached (pages can depend on the session).
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    secure(headers, PAGE_CSP);
    response
}

/// The headers every web answer carries, with `csp` as its policy.
pub fn secure(headers: &mut axum::http::HeaderMap, csp: &'static str) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// A page with one heading and one paragraph: the notices and warnings.
pub fn notice(status: StatusCode, lang: Lang, kind: &str, heading: &str, text: &str) -> Response {
    let body = format!(
        "<main class=\"notice {kind}\"><h1>{}</h1><p>{}</p></main>",
        escape(heading),
        escape(text)
    );
    respond(status, page(lang, heading, &body, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes_but_keeps_japanese() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"佐藤\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;佐藤&quot;"
        );
    }

    #[test]
    fn pages_declare_their_language_and_load_no_inline_code() {
        let html = page(Lang::En, "a <b>", "<p>x</p>", &["dashboard.js"]);
        assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
        assert!(html.contains("<title>a &lt;b&gt;</title>"));
        assert!(html.contains("<script src=\"/assets/dashboard.js\" defer></script>"));
        assert!(!html.contains("<style"));
        assert!(!html.contains("onclick"));
    }
}
