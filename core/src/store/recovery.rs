//! What to do with a database file SQLite cannot read: move it aside, never delete it.

use std::path::{Path, PathBuf};

use super::StoreError;

/// Whether the error means the file is not a usable SQLite database (as opposed to, say, a locked one).
pub fn is_corruption(err: &StoreError) -> bool {
    match err {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => matches!(
            failure.code,
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
        ),
        _ => false,
    }
}

/// Renames `path` (and its `-wal`/`-shm` companions) to `<path>.corrupt-<unix seconds>[-n]` and returns the new
/// path of the main file.
pub fn move_aside(path: &Path, now: chrono::DateTime<chrono::Utc>) -> Result<PathBuf, StoreError> {
    let stamp = now.timestamp();
    let target = (0..)
        .map(|n| {
            let suffix = if n == 0 { String::new() } else { format!("-{n}") };
            suffixed(path, &format!(".corrupt-{stamp}{suffix}"))
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| suffixed(path, ".corrupt"));
    rename(path, &target)?;
    for companion in ["-wal", "-shm"] {
        let from = suffixed(path, companion);
        if from.exists() {
            let to = suffixed(&target, companion);
            rename(&from, &to)?;
        }
    }
    Ok(target)
}

/// `path` with `suffix` appended to its file name.
pub(super) fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn rename(from: &Path, to: &Path) -> Result<(), StoreError> {
    std::fs::rename(from, to).map_err(|source| StoreError::Io {
        path: from.to_path_buf(),
        source,
    })
}
