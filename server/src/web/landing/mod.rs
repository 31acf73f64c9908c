//! The card landing page: `GET /c/…` and `GET /s/…` (the card URL paths) judge the tap with the app's code,
//! record the engagement event once, and redirect to a signed view link; `GET /v/{link}` asks the HCP question
//! once per browser session, then shows the current approved version; `GET /v/{link}/content` serves its file
//! by byte range.
//!
//! Nothing about the doctor is stored or logged: the event holds the card, the material version, the
//! verification and the time; logs name the card and the reason only.

mod notices;

use std::{net::SocketAddr, time::Instant};

use axum::{
    extract::{ConnectInfo, OriginalUri, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use mrc_core::nfc::tap::{Tap, TapOutcome};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use notices::Notice;

use super::{
    html::{escape, page, respond},
    lang::Lang,
    material::{self, Current},
    session::{self, cookie, csrf_ok, csrf_token, set_cookie, BROWSER_COOKIE, HCP_COOKIE},
    WebState,
};
use crate::{
    store::{transact, Access},
    ServerError,
};
use mrc_core::sync::wire::WireEvent;

/// How long a view link stays valid after its tap.
const LINK_LIFETIME_SECS: i64 = 2 * 3600;

/// The events the landing page records (the app records `nfc_tap`).
pub const WEB_TAP: &str = "web_tap";
pub const WEB_OPEN: &str = "web_open";
/// The rep id of events recorded by the landing page (the card's holder is not known from the URL).
pub const WEB_REP: &str = "web";

/// What a view link carries, signed.
#[derive(Debug, Serialize, Deserialize)]
struct ViewLink {
    /// Material id and the version the tap resolved to.
    m: String,
    v: u32,
    /// The tap's verification and event id (hex), the card id.
    f: String,
    e: String,
    c: Option<String>,
    /// Expiry, Unix seconds.
    x: i64,
}

fn internal(lang: Lang, err: &ServerError) -> Response {
    tracing::error!(error = %err, "landing page failed");
    Notice::Internal.page(lang)
}

/// `GET /c/…`, `GET /s/…`: a card tapped by a phone without the app.
pub async fn card(
    State(web): State<WebState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if let Err(wait) = web.limiter.check(peer.ip(), Instant::now()) {
        let mut response = Notice::RateLimited.page(lang);
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let browser = cookie(&headers, BROWSER_COOKIE)
        .filter(|b| b.len() == 32)
        .map(str::to_owned);
    let new_browser = if browser.is_none() {
        session::random_id()
    } else {
        None
    };
    let browser_id = browser
        .clone()
        .or_else(|| new_browser.clone())
        .unwrap_or_default();
    let state = web.clone();
    let judged = tokio::task::spawn_blocking(move || -> Result<(Tap, Option<String>), ServerError> {
        state.desk.refresh(&*state.store)?;
        let url = format!("https://{}{}", state.desk.card_host()?, path_and_query);
        let now = state.clock.now().fixed_offset();
        let tap = state.desk.judge(&url, now)?;
        let link = record_tap(&state, &tap, &browser_id, now.timestamp_millis())?;
        Ok((tap, link))
    })
    .await;
    let (tap, link) = match judged {
        Ok(Ok(done)) => done,
        Ok(Err(err)) => return internal(lang, &err),
        Err(err) => return internal(lang, &ServerError::Internal(err.to_string())),
    };
    let mut response = match (&tap.outcome, link) {
        (_, Some(link)) => Redirect::to(&format!("/v/{link}")).into_response(),
        (TapOutcome::Withdrawn { .. }, None) => Notice::Withdrawn.page(lang),
        (TapOutcome::Expired { .. }, None) => Notice::Expired.page(lang),
        (TapOutcome::Forged { reason }, None) => {
            let card = tap.card_id.as_deref().unwrap_or("-");
            tracing::warn!(card, reason = reason.code(), "forged card tapped");
            Notice::Forged.page(lang)
        }
        (TapOutcome::Replay { card_id, reason }, None) => {
            tracing::warn!(card = %card_id, reason = reason.code(), "replayed card URL");
            Notice::Replayed.page(lang)
        }
        _ => Notice::Unknown.page(lang),
    };
    if let Some(id) = new_browser {
        if let Some(v) = set_cookie(&headers, BROWSER_COOKIE, &id, "/", false) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// 16 bytes naming an event derived from `parts`, so the same tap maps to the same event.
fn derived_id(parts: &[&[u8]]) -> [u8; 16] {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let digest = hash.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

/// Records the tap in the server store once (a signed card: once per browser and minute, since its URL never
/// changes; a SUN card: its URL is single-use) and returns the view link when the material may be shown.
fn record_tap(web: &WebState, tap: &Tap, browser: &str, now_ms: i64) -> Result<Option<String>, ServerError> {
    let (material, version) = match &tap.outcome {
        TapOutcome::Open {
            material, version, ..
        } => (Some(material.clone()), Some(*version)),
        TapOutcome::Superseded {
            material,
            current_version,
            ..
        } => (Some(material.clone()), Some(*current_version)),
        TapOutcome::Withdrawn {
            material, version, ..
        }
        | TapOutcome::Expired {
            material, version, ..
        }
        | TapOutcome::NotCached {
            material, version, ..
        } => (Some(material.clone()), Some(*version)),
        _ => (None, None),
    };
    let card = tap.card_id.clone().unwrap_or_default();
    let is_sun_url = matches!(tap.outcome, TapOutcome::Replay { .. });
    let id = if is_sun_url || tap.card_id.is_none() {
        derived_id(&[b"tap", tap.event_id.as_bytes()])
    } else {
        let minute = (now_ms / 60_000).to_be_bytes();
        derived_id(&[b"tap", card.as_bytes(), browser.as_bytes(), &minute])
    };
    let event = WireEvent {
        id,
        kind: WEB_TAP.into(),
        occurred_at_ms: now_ms,
        card_id: tap.card_id.clone(),
        material_id: material.clone(),
        material_version: version,
        verification: tap.verification.as_str().into(),
        visit_id: None,
    };
    transact(&*web.store, Access::Write, |tx| {
        Ok(tx.insert_event(WEB_REP, &event, now_ms)?)
    })?;
    let showable = matches!(
        tap.outcome,
        TapOutcome::Open { .. } | TapOutcome::Superseded { .. }
    );
    let (Some(m), Some(v), true) = (material, version, showable) else {
        return Ok(None);
    };
    let link = ViewLink {
        m,
        v,
        f: tap.verification.as_str().into(),
        e: mrc_core::nfc::text_codec::hex(&id),
        c: tap.card_id.clone(),
        x: now_ms / 1000 + LINK_LIFETIME_SECS,
    };
    let payload = serde_json::to_vec(&link).map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(Some(web.desk.signer().sign(&payload)))
}

fn read_link(web: &WebState, text: &str) -> Option<ViewLink> {
    let payload = web.desk.signer().verify(text)?;
    let link: ViewLink = serde_json::from_slice(&payload).ok()?;
    (link.x >= web.clock.now().timestamp()).then_some(link)
}

/// `GET /v/{link}`: the HCP gate, then the material.
pub async fn view(State(web): State<WebState>, Path(text): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let Some(link) = read_link(&web, &text) else {
        return Notice::LinkExpired.page(lang);
    };
    if cookie(&headers, HCP_COOKIE) != Some("yes") {
        return gate(lang, &headers, &text);
    }
    let state = web.clone();
    let found = tokio::task::spawn_blocking(move || -> Result<_, ServerError> {
        let current = material::current(&state, &link.m, link.v)?;
        if matches!(current, Current::Showable { .. }) {
            let now_ms = state.clock.now_ms();
            let event = WireEvent {
                id: derived_id(&[b"open", link.e.as_bytes()]),
                kind: WEB_OPEN.into(),
                occurred_at_ms: now_ms,
                card_id: link.c.clone(),
                material_id: Some(link.m.clone()),
                material_version: Some(link.v),
                verification: link.f.clone(),
                visit_id: None,
            };
            transact(&*state.store, Access::Write, |tx| {
                Ok(tx.insert_event(WEB_REP, &event, now_ms)?)
            })?;
        }
        Ok((current, link))
    })
    .await;
    let (current, link) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(err)) => return internal(lang, &err),
        Err(err) => return internal(lang, &ServerError::Internal(err.to_string())),
    };
    match current {
        Current::Withdrawn => Notice::Withdrawn.page(lang),
        Current::Expired => Notice::Expired.page(lang),
        Current::NotStored => Notice::Preparing.page(lang),
        Current::Showable {
            title,
            approval_code,
            valid_until,
            kind,
            ..
        } => {
            let src = format!("/v/{text}/content");
            let viewer = material::viewer(kind, &src, lang);
            let badge = if link.f == "verified" {
                lang.pick("正規カードを確認しました", "Card verified")
            } else {
                lang.pick("カードを確認中です", "Card verification pending")
            };
            let body = format!(
                "<main class=\"material\"><p class=\"badge\">{badge}</p><h1>{title}</h1>\
                 <p class=\"meta\">{ver} {v} · {code_label} {code} · {until_label} {until}</p>{viewer}\
                 <p class=\"note\">{note}</p></main>",
                badge = escape(badge),
                title = escape(&title),
                ver = lang.pick("版", "Version"),
                v = link.v,
                code_label = lang.pick("承認番号", "Approval"),
                code = escape(&approval_code),
                until_label = lang.pick("有効期限", "Valid until"),
                until = valid_until,
                note = escape(lang.pick(
                    "本資材は医療関係者向けです。転載・二次配布はご遠慮ください。",
                    "For healthcare professionals only. Please do not redistribute.",
                )),
            );
            respond(StatusCode::OK, page(lang, &title, &body, &[]))
        }
    }
}

fn gate(lang: Lang, headers: &HeaderMap, link: &str) -> Response {
    let (csrf, set) = csrf_token(headers);
    let title = lang.pick("医療関係者の方ですか？", "Are you a healthcare professional?");
    let body = format!(
        "<main class=\"gate\"><h1>{title}</h1><p>{text}</p>\
         <form method=\"post\" action=\"/gate\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"link\" value=\"{link}\">\
         <button name=\"answer\" value=\"yes\" class=\"primary\">{yes}</button>\
         <button name=\"answer\" value=\"no\">{no}</button></form></main>",
        title = escape(title),
        text = escape(lang.pick(
            "この資材は医療用医薬品に関する情報で、医療関係者の方を対象としています。",
            "This material is information on prescription medicines, intended for healthcare professionals only.",
        )),
        csrf = escape(&csrf),
        link = escape(link),
        yes = escape(lang.pick("はい、医療関係者です", "Yes, I am a healthcare professional")),
        no = escape(lang.pick("いいえ", "No")),
    );
    let mut response = respond(StatusCode::OK, page(lang, title, &body, &[]));
    if let Some(set) = set {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

/// The HCP gate's form.
#[derive(Debug, Deserialize)]
pub struct GateForm {
    csrf: String,
    link: String,
    answer: String,
}

/// `POST /gate`: remembers the answer for the browser session, then shows the material (or not).
pub async fn answer(State(web): State<WebState>, headers: HeaderMap, Form(form): Form<GateForm>) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&headers, &form.csrf) {
        return Notice::FormExpired.page(lang);
    }
    if read_link(&web, &form.link).is_none() {
        return Notice::LinkExpired.page(lang);
    }
    if form.answer != "yes" {
        return Notice::NotHcp.page(lang);
    }
    let mut response = Redirect::to(&format!("/v/{}", form.link)).into_response();
    if let Some(set) = set_cookie(&headers, HCP_COOKIE, "yes", "/", false) {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

/// `GET /v/{link}/content`: the material's file, by byte range, for a browser that answered the gate.
pub async fn content(State(web): State<WebState>, Path(text): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let Some(link) = read_link(&web, &text) else {
        return Notice::LinkExpired.page(lang);
    };
    if cookie(&headers, HCP_COOKIE) != Some("yes") {
        return Notice::GateFirst.page(lang);
    }
    let state = web.clone();
    let found = tokio::task::spawn_blocking(move || material::current(&state, &link.m, link.v)).await;
    let (sha256, kind) = match found {
        Ok(Ok(Current::Showable { sha256, kind, .. })) => (sha256, kind),
        Ok(Ok(Current::Withdrawn)) => return Notice::Withdrawn.page(lang),
        Ok(Ok(Current::Expired)) => return Notice::Expired.page(lang),
        Ok(Ok(Current::NotStored)) => return Notice::LinkExpired.page(lang),
        Ok(Err(err)) => return internal(lang, &err),
        Err(err) => return internal(lang, &ServerError::Internal(err.to_string())),
    };
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let mut response = crate::content::serve_range(web.store.clone(), &sha256, range).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=7200"),
    );
    super::html::secure(headers, super::html::CONTENT_CSP);
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    response
}
