//! The head-office pages below the overview: `GET /admin/visits` (the visits of a window, filtered by rep and
//! finding code, server-side and paged) and `GET /admin/visit/{id}` (one visit: its fields and notes, every finding
//! with its points, taps and opens, amendments with their reasons, comments).
//!
//! - [`list`]: the visits list; [`detail`]: one visit. This module: the sign-in gate and the window they share.

mod detail;
mod list;

use std::collections::HashMap;

use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use mrc_core::master::MasterData;

pub use detail::visit;
pub use list::visits;

use super::window::Window;
use crate::{
    store::{JsonDoc, Tx},
    web::{
        html::{self, respond},
        lang::Lang,
        login::signed_in,
        WebState,
    },
    ServerError,
};

/// What a page handler answers with.
pub(super) enum Answer {
    Page(String),
    NotFound,
    Bad(&'static str),
}

/// Checks the session, reads the window and runs `render` off the async threads.
pub(super) async fn gated(
    web: WebState,
    headers: HeaderMap,
    query: HashMap<String, String>,
    render: impl FnOnce(&WebState, Window, &HashMap<String, String>, Lang) -> Result<Answer, ServerError>
        + Send
        + 'static,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let done = tokio::task::spawn_blocking(move || {
        if !signed_in(&web, &headers) {
            return Ok(None);
        }
        let today = mrc_core::local_time::local_day(&web.clock.now(), web.zone);
        let window = Window::from_query(
            query.get("from").map(String::as_str),
            query.get("to").map(String::as_str),
            today,
        );
        match window {
            Ok(window) => render(&web, window, &query, lang).map(Some),
            Err(reason) => Ok(Some(Answer::Bad(reason))),
        }
    })
    .await;
    let heading = |ja, en| lang.pick(ja, en);
    match done {
        Ok(Ok(None)) => Redirect::to("/admin/login").into_response(),
        Ok(Ok(Some(Answer::Page(html)))) => respond(StatusCode::OK, html),
        Ok(Ok(Some(Answer::NotFound))) => html::notice(
            StatusCode::NOT_FOUND,
            lang,
            "error",
            heading("見つかりません", "Not found"),
            heading("この訪問記録はありません。", "There is no such visit record."),
        ),
        Ok(Ok(Some(Answer::Bad(reason)))) => html::notice(
            StatusCode::BAD_REQUEST,
            lang,
            "error",
            heading("条件が正しくありません", "The request is not valid"),
            reason,
        ),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "head-office page failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "head-office page failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub(super) fn master(tx: &mut dyn Tx) -> Result<MasterData, ServerError> {
    match tx.json_doc(JsonDoc::Master)? {
        Some(m) => serde_json::from_str(&m.json)
            .map_err(|e| ServerError::Internal(format!("stored master data: {e}"))),
        None => Ok(MasterData::default()),
    }
}
