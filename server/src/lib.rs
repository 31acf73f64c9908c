//! MR Companion sync server: the HTTP side of `mrc_core::sync::wire`, over one storage trait.
//!
//! - [`http`]: the axum router (`POST /v1/sync`, `POST /v1/pull`, `GET /v1/content/{sha256}`, `GET /v1/health`):
//!   bearer tokens, body limits, CBOR in and out, one status code per failure.
//! - [`exchange`]: what a sync or a pull does, as plain functions over a [`ServerStore`] (no HTTP in them).
//! - [`store`]: the [`ServerStore`] trait and its two implementations, SQLite (embedded, the default) and
//!   PostgreSQL (several stateless server processes over one database).
//! - [`auth`]: tokens (random, stored as SHA-256) and the principal a token stands for.
//! - [`tokens`]: a token's lifecycle (id, expiry, revocation, last seen), why a request is refused, the admin log.
//! - [`admin`]: minting tokens, importing master data and rule settings.
//! - [`web`]: the card landing page for doctors without the app, and the head-office view.
//! - [`content`]: material files by SHA-256: checked against the master data, stored, served by byte range.
//! - [`verdicts`]: the audit's verdict of every stored visit, kept current as visits and taps arrive.
//!
//! The design and its dependencies are in `docs/adr/0011-sync-server.md`.

pub mod admin;
pub mod auth;
pub mod content;
pub mod doc_cache;
mod docs;
mod error;
pub mod exchange;
pub mod http;
pub mod store;
pub mod tokens;
pub mod verdicts;
pub mod web;

pub use auth::{Principal, Role};
pub use doc_cache::DocCache;
pub use error::ServerError;
pub use store::{open, ServerStore, StoreConfig, StoreError};
