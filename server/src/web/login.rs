//! The head-office sign-in: a head-office token (`mrc admin token --head-office`) typed once, exchanged for a
//! signed session cookie (8 hours, `Path=/admin`, `SameSite=Strict`) that names the token's hash, so revoking
//! the token ends the session. Scripts may send `Authorization: Bearer <token>` instead.

use std::{net::SocketAddr, time::Instant};

use axum::{
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use mrc_core::nfc::text_codec::{hex, unhex_array};
use serde::{Deserialize, Serialize};

use super::{
    html::{escape, page, respond},
    lang::Lang,
    session::{cookie, csrf_ok, csrf_token, set_cookie},
    WebState,
};
use crate::{
    auth::{bearer, token_hash},
    store::{transact, Access},
    Role,
};

/// The head-office session cookie.
pub const ADMIN_COOKIE: &str = "mrc_admin";
const SESSION_SECS: i64 = 8 * 3600;

#[derive(Serialize, Deserialize)]
struct Session {
    /// The token's SHA-256, hex.
    h: String,
    /// Expiry, Unix seconds.
    x: i64,
}

fn is_head_office(web: &WebState, hash: [u8; 32]) -> bool {
    let found = transact(&*web.store, Access::Read, |tx| Ok(tx.token(&hash)?))
        .ok()
        .flatten();
    matches!(crate::tokens::admit(found, web.clock.now_ms()), Ok(p) if p.role == Role::HeadOffice)
}

/// Whether the request is signed in as head office (cookie or bearer token). Reads the store: call off the
/// async workers.
pub fn signed_in(web: &WebState, headers: &HeaderMap) -> bool {
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
    {
        return is_head_office(web, token_hash(token));
    }
    let Some(session) = cookie(headers, ADMIN_COOKIE)
        .and_then(|c| web.desk.signer().verify(c))
        .and_then(|p| serde_json::from_slice::<Session>(&p).ok())
    else {
        return false;
    };
    session.x >= web.clock.now().timestamp()
        && unhex_array::<32>(&session.h).is_some_and(|hash| is_head_office(web, hash))
}

fn form(lang: Lang, headers: &HeaderMap, status: StatusCode, error: Option<&str>) -> Response {
    let (csrf, set) = csrf_token(headers);
    let title = lang.pick("本社ビュー ログイン", "Head office sign-in");
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<main class=\"login\"><h1>{title}</h1>{error}<form method=\"post\" action=\"/admin/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label>{label}<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label>\
         <button class=\"primary\">{submit}</button></form></main>",
        title = escape(title),
        csrf = escape(&csrf),
        label = escape(lang.pick("本社トークン", "Head-office token")),
        submit = escape(lang.pick("ログイン", "Sign in")),
    );
    let mut response = respond(status, page(lang, title, &body, &[]));
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

/// `GET /admin/login`.
pub async fn show(headers: HeaderMap) -> Response {
    form(Lang::from_headers(&headers), &headers, StatusCode::OK, None)
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    token: String,
}

/// `POST /admin/login`.
pub async fn submit(
    State(web): State<WebState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(login): Form<LoginForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&headers, &login.csrf) {
        return form(
            lang,
            &headers,
            StatusCode::FORBIDDEN,
            Some(lang.pick(
                "フォームの有効期限が切れました。もう一度お試しください。",
                "The form expired; please try again.",
            )),
        );
    }
    if web.login_limiter.check(peer.ip(), Instant::now()).is_err() {
        return form(
            lang,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some(lang.pick(
                "試行回数が多すぎます。しばらく待ってください。",
                "Too many attempts; please wait.",
            )),
        );
    }
    let hash = token_hash(login.token.trim());
    let state = web.clone();
    let ok = tokio::task::spawn_blocking(move || is_head_office(&state, hash))
        .await
        .unwrap_or(false);
    if !ok {
        return form(
            lang,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(lang.pick(
                "トークンが正しくありません。",
                "The token is not a head-office token.",
            )),
        );
    }
    let session = Session {
        h: hex(&hash),
        x: web.clock.now().timestamp() + SESSION_SECS,
    };
    let value = serde_json::to_vec(&session)
        .map(|p| web.desk.signer().sign(&p))
        .unwrap_or_default();
    let mut response = Redirect::to("/admin").into_response();
    if let Some(set) = set_cookie(&headers, ADMIN_COOKIE, &value, "/admin", true) {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

/// The sign-out form (a POST, so another site cannot sign the user out).
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `POST /admin/logout`.
pub async fn logout(headers: HeaderMap, Form(logout): Form<LogoutForm>) -> Response {
    if !csrf_ok(&headers, &logout.csrf) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut response = Redirect::to("/admin/login").into_response();
    if let Some(set) = set_cookie(&headers, ADMIN_COOKIE, "; Max-Age=0", "/admin", true) {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}
