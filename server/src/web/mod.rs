//! The web side of `mrc serve`: the card landing page for doctors without the app, and the head-office view.
//!
//! - [`landing`]: `GET /c/…`, `GET /s/…` (the card URLs), the HCP gate, the material page and its file.
//! - [`dashboard`]: `GET /admin` and its data and CSV exports; [`login`]: the head-office sign-in.
//! - [`desk`]: the core store that judges taps with the app's own code, and signs links and cookies
//!   ([`signed`]).
//! - [`html`], [`lang`], [`session`], [`assets`]: pages (escaped, strict CSP), Japanese or English, cookies and
//!   CSRF tokens, the compiled-in stylesheet, script and vendored Chart.js; [`limit`]: per-address rate limits.
//!
//! The design is in `docs/adr/0015-web.md`.

mod assets;
pub mod dashboard;
mod desk;
mod html;
pub mod landing;
mod lang;
mod limit;
mod login;
mod material;
mod session;
mod signed;

use std::sync::Arc;

use axum::{
    routing::{get, post},
    Router,
};
use chrono_tz::Tz;
use mrc_core::clock::SharedClock;

pub use assets::asset;
pub use desk::TapDesk;
pub use lang::Lang;
pub use limit::RateLimit;

use crate::ServerStore;

/// The market's zone by default: Japan.
pub const JST: Tz = chrono_tz::Asia::Tokyo;

/// How the web side behaves.
#[derive(Debug, Clone, Copy)]
pub struct WebConfig {
    /// Taps per client address on the card endpoint.
    pub card_limit: RateLimit,
    /// Sign-in attempts per client address.
    pub login_limit: RateLimit,
    /// The market's zone: a material's validity is judged on its local date, the head-office view's weeks in it.
    pub zone: Tz,
    /// The company's deadline for forwarding a possible adverse event to pharmacovigilance, from the visit's start:
    /// safety information not forwarded by then is shown as overdue.
    pub safety_forward_within: std::time::Duration,
}

impl Default for WebConfig {
    /// Japan Standard Time, the default limits.
    fn default() -> WebConfig {
        WebConfig {
            card_limit: RateLimit::default(),
            login_limit: RateLimit {
                burst: 10,
                per_minute: 5,
            },
            zone: JST,
            safety_forward_within: DEFAULT_SAFETY_FORWARD_WITHIN,
        }
    }
}

/// The forwarding deadline when the company sets none: one day (companies ask their MRs for the same or the next
/// business day; the regulator's 15 and 30 days run from the company's knowledge, which the MR's is).
pub const DEFAULT_SAFETY_FORWARD_WITHIN: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// What every web handler shares.
#[derive(Clone)]
pub struct WebState {
    pub(crate) store: Arc<dyn ServerStore>,
    pub(crate) desk: Arc<TapDesk>,
    pub(crate) limiter: Arc<limit::Limiter>,
    pub(crate) login_limiter: Arc<limit::Limiter>,
    pub(crate) zone: Tz,
    pub(crate) safety_forward_within: std::time::Duration,
    pub(crate) reports: Arc<dashboard::Reports>,
    pub(crate) insights: Arc<dashboard::insights::InsightReports>,
    /// Keeps the audit's verdicts current while the view is served.
    _verdicts: crate::verdicts::worker::Worker,
    /// The server's time: link and session expiry, tap events, a material's validity, report stamps.
    pub(crate) clock: SharedClock,
}

/// The web routes over `store`, judging taps with `desk` and telling time by `clock`.
pub fn router(
    store: Arc<dyn ServerStore>,
    desk: Arc<TapDesk>,
    config: WebConfig,
    clock: SharedClock,
) -> Router {
    let state = WebState {
        _verdicts: crate::verdicts::worker::Worker::spawn(store.clone(), clock.clone()),
        clock,
        store,
        desk,
        limiter: Arc::new(limit::Limiter::new(config.card_limit)),
        login_limiter: Arc::new(limit::Limiter::new(config.login_limit)),
        zone: config.zone,
        safety_forward_within: config.safety_forward_within,
        reports: Arc::new(dashboard::reports()),
        insights: Arc::new(dashboard::insights::reports()),
    };
    Router::new()
        .route("/c/{*token}", get(landing::card))
        .route("/s/{*card}", get(landing::card))
        .route("/v/{link}", get(landing::view))
        .route("/v/{link}/content", get(landing::content))
        .route("/gate", post(landing::answer))
        .route("/admin", get(dashboard::page))
        .route("/admin/report.json", get(dashboard::data))
        .route("/admin/visits", get(dashboard::visits_page))
        .route("/admin/visit/{id}", get(dashboard::visit_page))
        .route("/admin/export/{name}", get(dashboard::export))
        .route("/admin/insights", get(dashboard::insights::page))
        .route("/admin/insights/export/{name}", get(dashboard::insights::export))
        .route("/admin/login", get(login::show).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/assets/{*path}", get(assets::serve))
        .route_layer(axum::middleware::from_fn(crate::http::log::requests))
        .with_state(state)
}
