//! The sync wire types, shared by the device (this crate) and the server: CBOR bodies, versioned.
//!
//! One exchange is `POST /v1/sync` ([`SyncRequest`] → [`SyncResponse`]): the device pushes the automerge changes of
//! every visit it changed since the last agreed heads, plus new engagement events, and gets back what it lacks of
//! those visits, the feed of visits changed elsewhere in its scope, the master-data and rule settings if newer, and
//! a new cursor. When the feed names visits the device lacks, it fetches them with `POST /v1/pull`
//! ([`PullRequest`] → [`PullResponse`]) in pages. So a sync is one request, or two when others changed visits.

use serde::{Deserialize, Serialize};

use super::envelope;
pub use super::limits::{WireError, MAX_BODY_BYTES, MAX_DOCS_PER_REQUEST, OLDEST_VERSION, PROTOCOL_VERSION};

/// An automerge change hash (32 bytes, a CBOR byte string on the wire).
pub type Hash = serde_bytes::ByteArray<32>;

/// A visit id (16-byte UUID).
pub type DocId = [u8; 16];

/// The device's half of a sync exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub v: u16,
    /// The feed position the device has fully applied.
    pub cursor: u64,
    /// The master-data version the device holds (0 = none).
    pub master_version: u64,
    /// The rule-settings version the device holds (0 = defaults).
    pub rules_version: u64,
    /// Visits changed on the device since the heads both sides last agreed on.
    pub docs: Vec<DocPush>,
    /// Engagement events not yet acknowledged by the server.
    pub events: Vec<WireEvent>,
    /// The server and the point of its history this device last saw (absent before its first sync with a server
    /// that sends one): a server whose history no longer holds it was restored from an older copy, or replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerMark>,
}

/// Which server, and which point of its history: its database's identity, a feed position and the feed's chain
/// hash there (a hash over every change written up to it, so two histories that differ anywhere before it differ
/// in it, even when a restored server has since written past that position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerMark {
    /// The database's identity, created with it (a new database is another server).
    #[serde(with = "serde_bytes")]
    pub id: [u8; 16],
    /// A feed position.
    pub seq: u64,
    /// The chain hash at `seq`.
    pub chain: Hash,
}

/// The server no longer holds the history the device saw: it answers with its whole feed, and the device
/// reconciles (re-sends what the server lacks, pulls what it lacks) before it trusts any agreement again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reset {
    /// The rep whose visits this device may send again (its token's writer; none for a manager).
    pub writer: Option<String>,
}

/// Local changes of one visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocPush {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    /// The heads the server had at the last agreement (empty for a visit the server has never seen).
    pub have: Vec<Hash>,
    /// The device's heads after its changes.
    pub heads: Vec<Hash>,
    /// `save_after(have)`: the automerge changes the server lacks.
    #[serde(with = "serde_bytes")]
    pub changes: Vec<u8>,
    /// Instead of `changes`, when the shared state is unknown: an automerge sync message (encoded). Absent in
    /// every other push, so devices that never fall back send what they always sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<serde_bytes::ByteBuf>,
}

/// An engagement event (NFC tap, material open), append-only and idempotent by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEvent {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    pub kind: String,
    pub occurred_at_ms: i64,
    pub card_id: Option<String>,
    pub material_id: Option<String>,
    pub material_version: Option<u32>,
    pub verification: String,
    #[serde(with = "serde_bytes")]
    pub visit_id: Option<Vec<u8>>,
}

/// The server's half of a sync exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub v: u16,
    /// One reply per pushed visit, in request order.
    pub docs: Vec<DocReply>,
    /// Visits in the device's scope changed since its cursor, with the server's heads.
    pub feed: Vec<FeedEntry>,
    /// The cursor to store once every feed entry is applied.
    pub cursor: u64,
    /// How many events the server now holds of those sent (all of them, idempotently).
    pub events_acked: u32,
    /// The master data as JSON, when the server's version is newer than the device's.
    pub master: Option<Versioned>,
    /// The rule settings as JSON, when newer.
    pub rules: Option<Versioned>,
    /// The server's clock, a trusted time for the device's clock-rollback check.
    pub server_time_ms: i64,
    /// The server's identity and the head of its history when it answered (absent from servers before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerMark>,
    /// Set when the device's mark is not in the server's history: `feed` is then the whole feed of its scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<Reset>,
}

/// A JSON document with its version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioned {
    pub version: u64,
    pub json: String,
}

/// What the server did with one pushed visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocReply {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    pub status: DocStatus,
    /// The changes the device lacks (`save_after(device heads)`), empty if none.
    #[serde(with = "serde_bytes")]
    pub changes: Vec<u8>,
    /// The server's heads after merging.
    pub server_heads: Vec<Hash>,
    /// With [`DocStatus::Sync`]: the server's automerge sync message (encoded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<serde_bytes::ByteBuf>,
}

/// The outcome for one pushed visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Merged; `changes` holds what the device lacks.
    Merged,
    /// The server could not apply the changes (it lacks their dependencies): continue with automerge sync
    /// messages if it has the visit (`server_heads` not empty), else send the whole document.
    SendFull,
    /// Answering a sync message: `sync` holds the server's; the device answers it in its next request until
    /// neither side has anything left to say. Only sent to a device that pushed a sync message.
    Sync,
}

/// A visit changed in the device's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedEntry {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    pub heads: Vec<Hash>,
}

/// Fetching visits named by the feed that the device lacks or lags on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub v: u16,
    pub want: Vec<Want>,
}

/// One visit to fetch, with the heads the device has (empty for a new visit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Want {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    pub have: Vec<Hash>,
}

/// A page of fetched visits. Wants beyond the page limit are left out; the device asks again for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub v: u16,
    pub docs: Vec<DocData>,
}

/// The changes of one visit after the device's heads, and the server's heads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocData {
    #[serde(with = "serde_bytes")]
    pub id: DocId,
    #[serde(with = "serde_bytes")]
    pub changes: Vec<u8>,
    pub heads: Vec<Hash>,
}

/// Whether this build reads (and can answer) bodies of protocol version `v`.
pub fn supported(v: u16) -> bool {
    (OLDEST_VERSION..=PROTOCOL_VERSION).contains(&v)
}

/// Encodes a message in the body format of its version: bare CBOR for v1, deflated in an envelope from v2.
pub fn encode<T: Serialize + Message>(message: &T) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail for these plain data types; an error would leave `out` partial, which the
    // receiver refuses as malformed.
    let _ = ciborium::into_writer(message, &mut out);
    if message.version() >= envelope::DEFLATE_VERSION {
        envelope::seal(message.version(), &out)
    } else {
        out
    }
}

/// Decodes a body of any supported version, refusing trailing bytes, other versions (even when the rest of the
/// body has another shape) and a message whose inner version differs from its envelope's.
pub fn decode<T: for<'de> Deserialize<'de> + Message>(bytes: &[u8]) -> Result<T, WireError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(WireError::Malformed(format!(
            "body of {} bytes exceeds {MAX_BODY_BYTES}",
            bytes.len()
        )));
    }
    let (v, inflated) = envelope::open(bytes)?;
    if !supported(v) {
        return Err(WireError::Version(v));
    }
    let inner = inflated.as_deref().unwrap_or(bytes);
    let message: T = ciborium::from_reader(inner).map_err(|e| WireError::Malformed(e.to_string()))?;
    if message.version() != v {
        return Err(WireError::Malformed(format!(
            "a version {v} body holds a version {} message",
            message.version()
        )));
    }
    Ok(message)
}

/// Asking to exchange the request's token for a new one (`POST /v1/token`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRequest {
    pub v: u16,
}

/// A new token for the device, shown once. The old token keeps working until the new one is first used, so an
/// answer lost on the way (or an app killed before it stored the token) locks nobody out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub v: u16,
    /// The new bearer token.
    pub token: String,
    /// Its public id (as `mrc admin token list` shows it).
    pub id: String,
    /// When it expires (ms since the epoch), if it does.
    pub expires_at_ms: Option<i64>,
}

/// A protocol message: it carries the protocol version.
pub trait Message {
    /// The protocol version the sender spoke.
    fn version(&self) -> u16;
}

macro_rules! versioned {
    ($($t:ty),*) => { $(impl Message for $t { fn version(&self) -> u16 { self.v } })* };
}
versioned!(
    SyncRequest,
    SyncResponse,
    PullRequest,
    PullResponse,
    TokenRequest,
    TokenResponse
);
