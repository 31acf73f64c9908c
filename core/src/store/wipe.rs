//! Wiping a store: what a device does when its token is revoked (a lost or stolen tablet) — the database, its
//! write-ahead log and the material files are deleted, and the open store refuses every later call.

use std::{
    io,
    path::{Path, PathBuf},
    sync::atomic::Ordering,
};

use rusqlite::Connection;

use super::{Store, StoreError};

impl Store {
    /// Deletes the database file, its `-wal`, `-shm` and `-journal` companions, a copy left by an interrupted
    /// encryption (`<file>.rekeying`), any unreadable copy moved aside next to it (`<file>.corrupt-…`: it may hold
    /// visits) and, if given, the folder of material files; closes
    /// this store's connections first. Every later call on this store returns
    /// [`StoreError::Wiped`]; opening the path again creates a new empty store. Files already gone are fine.
    pub fn wipe(&self, content_dir: Option<&Path>) -> Result<(), StoreError> {
        {
            let mut writer = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
            self.wiped.store(true, Ordering::SeqCst);
            writer.docs.clear();
            // Dropping the file's connection closes it; the writer keeps a connection to nothing.
            let closed = std::mem::replace(&mut writer.conn, Connection::open_in_memory()?);
            drop(closed);
        }
        // Readers still in flight are closed when they come back (`give_back_reader`).
        self.readers.lock().map_err(|_| StoreError::Poisoned)?.clear();
        for suffix in ["", "-wal", "-shm", "-journal", ".rekeying", ".rekeying-journal"] {
            let mut name = self.path().as_os_str().to_owned();
            name.push(suffix);
            remove(&PathBuf::from(name), |p| std::fs::remove_file(p))?;
        }
        for moved_aside in corrupt_copies(self.path())? {
            remove(&moved_aside, |p| std::fs::remove_file(p))?;
        }
        if let Some(dir) = content_dir {
            remove(dir, |p| std::fs::remove_dir_all(p))?;
        }
        Ok(())
    }
}

/// The files `recovery::move_aside` made of earlier unreadable versions of the store at `path`.
fn corrupt_copies(path: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(Vec::new());
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.corrupt", name.to_string_lossy());
    let entries = std::fs::read_dir(dir).map_err(|source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect())
}

fn remove(path: &Path, delete: fn(&Path) -> io::Result<()>) -> Result<(), StoreError> {
    match delete(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}
