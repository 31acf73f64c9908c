//! Garbage collection of the content directory: a file `<sha256>` or `<sha256>.part` that no wanted material
//! references is removed, and materials pointing at a file that is gone lose their local path. Other names in
//! the directory are left alone.

use std::{collections::BTreeSet, path::Path};

use rusqlite::{params, Transaction};

use super::{plan::is_content_address, ContentError};

/// Removes the unreferenced files of `dir`; returns how many were removed.
pub(crate) fn collect(dir: &Path, wanted: &BTreeSet<&str>) -> Result<u64, ContentError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(ContentError::io(dir, err)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|err| ContentError::io(dir, err))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let sha = name.strip_suffix(".part").unwrap_or(name);
        if !is_content_address(sha) || wanted.contains(sha) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(ContentError::io(&path, err)),
        }
    }
    Ok(removed)
}

/// Clears the local path of every material whose file is no longer there.
pub(crate) fn unlink_missing(tx: &Transaction<'_>) -> Result<(), ContentError> {
    let paths: Vec<String> = tx
        .prepare("SELECT DISTINCT local_path FROM materials WHERE local_path IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for path in paths {
        if !Path::new(&path).is_file() {
            tx.execute(
                "UPDATE materials SET local_path = NULL WHERE local_path = ?1",
                params![path],
            )?;
        }
    }
    Ok(())
}
