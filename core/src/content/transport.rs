//! The ranged `GET` the app implements for content downloads (OkHttp, URLSession; `ureq` in the CLI).

use crate::sync::TransportError;

/// A `GET` answer with a body: 200 (the whole file) or 206 (the range asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RangeReply {
    /// 200 or 206.
    pub status: u16,
    /// The `Content-Range` header (`bytes a-b/size`) of a 206.
    pub content_range: Option<String>,
    /// The body as received.
    pub body: Vec<u8>,
}

/// Fetches byte ranges of files from the server.
pub trait ContentTransport {
    /// `GET {server}{path}` with the device's bearer token and `Range: bytes={start}-{end}` (`end` inclusive).
    /// Any status other than 200 and 206 is [`TransportError::Status`]; an answer cut short is
    /// [`TransportError::Network`] (or, if the client cannot tell, the bytes that arrived).
    fn get_range(&self, path: &str, start: u64, end: u64) -> Result<RangeReply, TransportError>;
}
