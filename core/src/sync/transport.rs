//! The transport the app implements (OkHttp, URLSession; `ureq` in the CLI): the core never opens sockets itself.

/// Why a request did not produce a response body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer: no network, a timeout, a dropped connection. Nothing is lost; sync again later.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status.
    #[error("server answered {status}: {message}")]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The server's one-sentence explanation.
        message: String,
    },
}

/// Sends one request body to the server and returns the response body.
pub trait Transport {
    /// `POST {server}{path}` with `body` (CBOR) and the device's bearer token; the response body on 2xx.
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError>;
}
