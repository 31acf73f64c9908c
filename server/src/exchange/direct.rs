//! An in-process [`Transport`]: a device store syncing with a server store in the same process, through the
//! same encoded messages as over HTTP (`mrc admin demo-data`, tests).

use mrc_core::{
    clock::SharedClock,
    sync::{
        wire::{decode, encode, PullRequest, SyncRequest},
        Transport, TransportError,
    },
};

use crate::{Principal, ServerError, ServerStore};

/// The server's exchanges called directly, as `principal`.
pub struct Direct<'a> {
    pub store: &'a dyn ServerStore,
    pub principal: Principal,
    /// The server's time for this exchange.
    pub clock: SharedClock,
}

fn refused(err: &ServerError) -> TransportError {
    let status = match err {
        ServerError::BadRequest(_) | ServerError::Invalid(_) => 400,
        ServerError::Forbidden(_) => 403,
        ServerError::TooLarge(_) => 413,
        ServerError::Store(_) | ServerError::Internal(_) => 500,
    };
    TransportError::Status {
        status,
        message: err.to_string(),
    }
}

impl Transport for Direct<'_> {
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError> {
        let malformed = |e: mrc_core::sync::wire::WireError| TransportError::Status {
            status: 400,
            message: e.to_string(),
        };
        match path {
            "/v1/sync" => {
                let request: SyncRequest = decode(body).map_err(malformed)?;
                let now_ms = self.clock.now_ms();
                let response =
                    super::sync(self.store, &self.principal, &request, now_ms).map_err(|e| refused(&e))?;
                Ok(encode(&response))
            }
            "/v1/pull" => {
                let request: PullRequest = decode(body).map_err(malformed)?;
                let response = super::pull(self.store, &self.principal, &request).map_err(|e| refused(&e))?;
                Ok(encode(&response))
            }
            other => Err(TransportError::Status {
                status: 404,
                message: format!("no route {other}"),
            }),
        }
    }
}
