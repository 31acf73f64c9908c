//! Material content through a ranged downloader the app implements (OkHttp, URLSession), with byte progress.
//!
//! `fetch_content` is blocking like `sync`; the app calls it right after a sync, off the main thread (ADR 0013).

use std::sync::Arc;

use mrc_core::{
    content::{ContentProgress, ContentReport, ContentTransport, FetchOptions, RangeReply},
    ffi_types::LocalDate,
    sync::TransportError,
};

use crate::{
    error::{guard, MrcError},
    store::MrcStore,
    sync::TransportFailure,
};

/// Implemented in Kotlin or Swift: `GET {server}{path}` with the device's bearer token and
/// `Range: bytes={start}-{end}` (`end` inclusive). Returns the status (200 or 206), the `Content-Range` header and
/// the body; any other status is `TransportFailure.Status`, an answer cut short `TransportFailure.Network`.
#[uniffi::export(with_foreign)]
pub trait ContentDownloader: Send + Sync {
    fn get_range(&self, path: String, start: u64, end: u64) -> Result<RangeReply, TransportFailure>;
}

/// Implemented in Kotlin or Swift: told how many bytes of material files have arrived. Must return quickly.
#[uniffi::export(with_foreign)]
pub trait ContentProgressListener: Send + Sync {
    fn progress(&self, progress: ContentProgress);
}

/// The core's `ContentTransport` over the app's `ContentDownloader`.
struct ForeignDownloader(Arc<dyn ContentDownloader>);

impl ContentTransport for ForeignDownloader {
    fn get_range(&self, path: &str, start: u64, end: u64) -> Result<RangeReply, TransportError> {
        self.0
            .get_range(path.to_owned(), start, end)
            .map_err(|failure| match failure {
                TransportFailure::Network { reason } => TransportError::Network(reason),
                TransportFailure::Status { status, detail } => TransportError::Status {
                    status,
                    message: detail,
                },
            })
    }
}

#[uniffi::export]
impl MrcStore {
    /// Fetches the files of the materials current on `today` (and of those starting later) into `dir`, resuming
    /// partial downloads, verifying size and SHA-256 before a material's `local_path` is set, and removing files
    /// no current material references. Blocking: call it off the main thread, after `sync`. A network error
    /// stops it with everything so far kept; call it again to resume.
    pub fn fetch_content(
        &self,
        downloader: Arc<dyn ContentDownloader>,
        dir: String,
        today: LocalDate,
        listener: Option<Arc<dyn ContentProgressListener>>,
    ) -> Result<ContentReport, MrcError> {
        guard(|| {
            let downloader = ForeignDownloader(downloader);
            let mut report = |progress: ContentProgress| {
                if let Some(listener) = &listener {
                    listener.progress(progress);
                }
            };
            Ok(self
                .store
                .fetch_content(&downloader, &FetchOptions::new(dir, today), &mut report)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Offline;

    impl ContentDownloader for Offline {
        fn get_range(&self, _path: String, _start: u64, _end: u64) -> Result<RangeReply, TransportFailure> {
            Err(TransportFailure::Network {
                reason: "offline".into(),
            })
        }
    }

    #[test]
    fn an_empty_catalog_needs_nothing_and_asks_for_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("store.db").to_string_lossy().into_owned();
        let store = MrcStore::open(path, None, None).unwrap_or_else(|e| panic!("{e}"));
        let content = dir.path().join("content").to_string_lossy().into_owned();
        let today = LocalDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let report = store
            .fetch_content(Arc::new(Offline), content, today, None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.wanted, report.downloaded), (0, 0));
    }
}
