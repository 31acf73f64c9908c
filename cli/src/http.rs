//! The CLI's sync transport: blocking HTTP with `ureq` (apps use OkHttp / URLSession instead).

use std::time::Duration;

use mrc_core::sync::{wire::MAX_BODY_BYTES, Transport, TransportError};

/// POSTs CBOR bodies to one server with one device token.
pub struct HttpTransport {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl HttpTransport {
    /// A transport for `base` (e.g. `http://127.0.0.1:8080`) authenticating with `token`.
    pub fn new(base: &str, token: &str) -> HttpTransport {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        HttpTransport {
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            agent,
        }
    }
}

impl Transport for HttpTransport {
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError> {
        let url = format!("{}{}", self.base, path);
        let mut response = self
            .agent
            .post(&url)
            .header("Authorization", &format!("Bearer {}", self.token))
            .header("Content-Type", "application/cbor")
            .send(body)
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64 + 1024)
            .read_to_vec()
            .map_err(|e| TransportError::Network(e.to_string()))?;
        if (200..300).contains(&status) {
            Ok(bytes)
        } else {
            let message = String::from_utf8_lossy(&bytes)
                .chars()
                .take(300)
                .collect::<String>();
            Err(TransportError::Status {
                status,
                message: message.trim().to_owned(),
            })
        }
    }
}
