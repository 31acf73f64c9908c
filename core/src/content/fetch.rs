//! The content step after a sync: remove what nothing wants, then fetch each wanted file the device lacks and
//! point its materials at it.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::{
    download::{self, Outcome, Paths},
    gc, plan, ContentError, ContentFailure, ContentTransport,
};
use crate::store::Store;

/// Bytes asked for per request: a cut connection loses at most this much, and neither side holds more in memory.
pub const DEFAULT_CHUNK_BYTES: u64 = 1024 * 1024;

/// Where and for which day content is fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The content directory (created if missing); files are named by their SHA-256. Give an absolute path: a
    /// material's `local_path` (what a tap opens) is this directory joined with the file's name.
    pub dir: PathBuf,
    /// The local day that decides which material versions are current.
    pub today: NaiveDate,
    /// Bytes per ranged request ([`DEFAULT_CHUNK_BYTES`]).
    pub chunk_bytes: u64,
}

impl FetchOptions {
    pub fn new(dir: impl Into<PathBuf>, today: NaiveDate) -> FetchOptions {
        FetchOptions {
            dir: dir.into(),
            today,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
        }
    }
}

/// How far the downloads have come, in bytes (for a progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContentProgress {
    pub done_bytes: u64,
    pub total_bytes: u64,
}

/// What the content step did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContentReport {
    /// Files the current and upcoming materials need.
    pub wanted: u64,
    /// Of those, files already on the device before this run.
    pub present: u64,
    /// Files downloaded and verified in this run.
    pub downloaded: u64,
    /// Of those, downloads that continued an earlier partial file.
    pub resumed: u64,
    /// Bytes stored in this run.
    pub bytes: u64,
    /// Files removed because no current material references them.
    pub removed: u64,
    /// Files that could not be fetched this time (the rest went on).
    pub failed: Vec<ContentFailure>,
}

impl Store {
    /// Fetches the content files of the current materials into `options.dir`, resuming partial downloads,
    /// verifying size and SHA-256 before use, and removing files no current material references. Run it after
    /// [`Store::sync`]. A network error stops it with everything so far kept; run it again to resume.
    pub fn fetch_content(
        &self,
        transport: &dyn ContentTransport,
        options: &FetchOptions,
        progress: &mut dyn FnMut(ContentProgress),
    ) -> Result<ContentReport, ContentError> {
        let dir = &options.dir;
        std::fs::create_dir_all(dir).map_err(|err| ContentError::io(dir, err))?;
        let wanted = self.read(|conn| plan::wanted(conn, options.today))?;
        let keep: BTreeSet<&str> = wanted.iter().map(|w| w.sha256.as_str()).collect();
        let mut report = ContentReport {
            wanted: wanted.len() as u64,
            removed: gc::collect(dir, &keep)?,
            ..ContentReport::default()
        };
        self.write(gc::unlink_missing)?;

        let mut missing = Vec::new();
        let mut present = Vec::new();
        let mut progress_now = ContentProgress {
            done_bytes: 0,
            total_bytes: 0,
        };
        for file in &wanted {
            let paths = Paths::new(dir, &file.sha256);
            if file_len(&paths.done) == Some(file.size) {
                present.push(file.sha256.as_str());
            } else {
                progress_now.total_bytes += file.size;
                progress_now.done_bytes += file_len(&paths.part).unwrap_or(0).min(file.size);
                missing.push(file);
            }
        }
        report.present = present.len() as u64;
        self.link(dir, &present)?;
        progress(progress_now);
        for file in missing {
            let before = file_len(&Paths::new(dir, &file.sha256).part)
                .unwrap_or(0)
                .min(file.size);
            let mut stored = 0;
            let outcome = download::fetch(transport, dir, file, options.chunk_bytes, &mut |n| {
                stored += n;
                report.bytes += n;
                progress_now.done_bytes += n;
                progress(progress_now);
            })?;
            match outcome {
                Outcome::Done { resumed } => {
                    report.downloaded += 1;
                    report.resumed += u64::from(resumed);
                    self.link(dir, &[file.sha256.as_str()])?;
                }
                Outcome::Failed(reason) => {
                    // Whatever was counted for this file is not there any more (or never will be this run).
                    progress_now.total_bytes -= file.size;
                    progress_now.done_bytes -= (before + stored).min(progress_now.done_bytes);
                    progress(progress_now);
                    report.failed.push(ContentFailure {
                        sha256: file.sha256.clone(),
                        reason,
                    });
                }
            }
        }
        Ok(report)
    }

    /// Points every material version with one of these hashes at its file (one transaction; writes only rows
    /// whose path changes).
    fn link(&self, dir: &Path, hashes: &[&str]) -> Result<(), ContentError> {
        if hashes.is_empty() {
            return Ok(());
        }
        let dir_text = dir
            .to_str()
            .ok_or_else(|| ContentError::NotUtf8(dir.to_path_buf()))?;
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE materials SET local_path = ?2 WHERE sha256 = ?1 AND local_path IS NOT ?2",
            )?;
            for sha256 in hashes {
                let path = Path::new(dir_text).join(sha256);
                stmt.execute(params![sha256, path.to_string_lossy()])?;
            }
            Ok::<_, ContentError>(())
        })
    }
}

fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}
