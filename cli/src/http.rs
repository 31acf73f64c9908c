//! The CLI's sync and content transport: blocking HTTP with `ureq` (apps use OkHttp / URLSession instead).

use std::{sync::Arc, time::Duration};

use ureq::tls::{Certificate, PemItem, RootCerts};

use mrc_core::{
    content::{ContentTransport, RangeReply},
    sync::{wire::MAX_BODY_BYTES, Transport, TransportError},
};

/// The most a `200` answer to a ranged `GET` may carry (a server that ignored `Range` sends the whole file).
const MAX_WHOLE_FILE_BYTES: u64 = 1 << 30;

/// POSTs CBOR bodies to one server with one device token.
pub struct HttpTransport {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl HttpTransport {
    /// A transport for `base` (e.g. `http://127.0.0.1:8080` or `https://sync.example.jp`) authenticating with
    /// `token`. An `https://` server's certificate must chain to the public web roots.
    pub fn new(base: &str, token: &str) -> HttpTransport {
        HttpTransport::build(base, token, ureq::tls::TlsConfig::default())
    }

    /// [`HttpTransport::new`] trusting only the certificates of `ca_pem` (a private CA, or the server's own
    /// self-signed certificate), PEM text. Refused if it holds no certificate.
    pub fn with_ca(base: &str, token: &str, ca_pem: &[u8]) -> Result<HttpTransport, String> {
        let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(ca_pem)
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(cert)) => Some(cert),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err("the CA file holds no PEM certificate".into());
        }
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(RootCerts::Specific(Arc::new(certs)))
            .build();
        Ok(HttpTransport::build(base, token, tls))
    }

    fn build(base: &str, token: &str, tls: ureq::tls::TlsConfig) -> HttpTransport {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .tls_config(tls)
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

impl ContentTransport for HttpTransport {
    fn get_range(&self, path: &str, start: u64, end: u64) -> Result<RangeReply, TransportError> {
        let url = format!("{}{}", self.base, path);
        let mut response = self
            .agent
            .get(&url)
            .header("Authorization", &format!("Bearer {}", self.token))
            .header("Range", &format!("bytes={start}-{end}"))
            .call()
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let content_range = response
            .headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let limit = match status {
            200 => MAX_WHOLE_FILE_BYTES,
            _ => end.saturating_sub(start).saturating_add(64 * 1024),
        };
        // ureq reports a body that ends before its Content-Length as an error: nothing half-read is returned.
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| TransportError::Network(e.to_string()))?;
        if status == 200 || status == 206 {
            Ok(RangeReply {
                status,
                content_range,
                body,
            })
        } else {
            let message = String::from_utf8_lossy(&body)
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
