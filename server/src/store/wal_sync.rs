//! Group fsync of the SQLite server's write-ahead log (ADR 0017). The writer commits with `synchronous=NORMAL`
//! (no fsync inside the write lock); before a write or a read returns, every commit it made or may have seen is
//! made durable by an fsync of the WAL file that began after that commit was numbered. Requests that commit while
//! an fsync runs share the next one, so a burst of syncs costs a few fsyncs, not one each, and a power loss does
//! not take back what the server answered.

use std::{
    fs::File,
    path::{Path, PathBuf},
    sync::{Condvar, Mutex, MutexGuard},
};

use super::StoreError;

/// Commit numbers and the fsyncs that cover them.
pub(super) struct WalSync {
    wal: PathBuf,
    state: Mutex<State>,
    done: Condvar,
}

#[derive(Default)]
struct State {
    /// The number of the last commit (numbered under the write lock, so in commit order).
    committed: u64,
    /// Every commit up to this number is on disk.
    durable: u64,
    /// An fsync is running (its caller syncs on behalf of every commit numbered before it started).
    syncing: bool,
    /// The open WAL file, kept between fsyncs.
    file: Option<File>,
    /// An fsync failed: what it should have written may be lost, and a later fsync succeeding would not say
    /// otherwise, so no later commit is called durable either (as PostgreSQL does; restart the server).
    failed: bool,
    /// How many fsyncs ran (for tests).
    syncs: u64,
}

impl WalSync {
    /// For the database file `db` (its WAL is `db` + `-wal`).
    pub(super) fn new(db: &Path) -> WalSync {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        WalSync {
            wal: PathBuf::from(wal),
            state: Mutex::new(State::default()),
            done: Condvar::new(),
        }
    }

    /// Numbers a commit; call it while holding the write lock, just before the commit.
    pub(super) fn committed(&self) -> Result<u64, StoreError> {
        let mut state = self.lock()?;
        state.committed += 1;
        Ok(state.committed)
    }

    /// The number of the last commit.
    pub(super) fn latest(&self) -> Result<u64, StoreError> {
        Ok(self.lock()?.committed)
    }

    /// Returns once commit `n` is on disk: at once if an fsync that began after it finished, else after waiting
    /// for (or running) the next one.
    pub(super) fn wait_durable(&self, n: u64) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        loop {
            if state.failed {
                return Err(self.io(std::io::Error::other(
                    "an earlier fsync of the write-ahead log failed; restart the server",
                )));
            }
            if state.durable >= n {
                return Ok(());
            }
            if state.syncing {
                state = self.done.wait(state).map_err(|_| StoreError::Poisoned)?;
                continue;
            }
            state.syncing = true;
            let target = state.committed;
            let file = state.file.take();
            drop(state);
            let (file, result) = self.sync(file);
            state = self.lock()?;
            state.syncing = false;
            state.syncs += 1;
            state.file = file;
            match result {
                Ok(()) => state.durable = state.durable.max(target),
                Err(_) => state.failed = true,
            }
            self.done.notify_all();
            result?;
        }
    }

    /// fsyncs the WAL file. On first use it opens the file (it exists once the database is in WAL mode and
    /// written) and fsyncs its folder too: SQLite creates a new WAL at every start, and its name in the folder is
    /// not on disk until then.
    fn sync(&self, file: Option<File>) -> (Option<File>, Result<(), StoreError>) {
        let file = match file {
            Some(file) => file,
            None => match self.open() {
                Ok(file) => file,
                Err(source) => return (None, Err(self.io(source))),
            },
        };
        let result = file.sync_data().map_err(|source| self.io(source));
        (Some(file), result)
    }

    fn open(&self) -> std::io::Result<File> {
        let file = File::open(&self.wal)?;
        if let Some(folder) = self.wal.parent().filter(|p| !p.as_os_str().is_empty()) {
            File::open(folder)?.sync_all()?;
        }
        Ok(file)
    }

    fn io(&self, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: self.wal.clone(),
            source,
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Every commit up to this number is on disk (for tests).
    #[cfg(test)]
    pub(super) fn durable(&self) -> u64 {
        self.state.lock().map(|s| s.durable).unwrap_or(0)
    }

    #[cfg(test)]
    fn syncs(&self) -> u64 {
        self.state.lock().map(|s| s.syncs).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn wal_in(dir: &Path) -> WalSync {
        let db = dir.join("server.db");
        std::fs::write(dir.join("server.db-wal"), "先行書き込みログ").unwrap();
        WalSync::new(&db)
    }

    #[test]
    fn a_commit_is_synced_once_and_later_waits_for_it_return_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let wal = wal_in(dir.path());
        let first = wal.committed().unwrap();
        wal.wait_durable(first).unwrap();
        assert_eq!(wal.syncs(), 1);
        wal.wait_durable(first).unwrap();
        assert_eq!(wal.syncs(), 1, "already durable: no second fsync");
        let second = wal.committed().unwrap();
        assert_eq!(second, first + 1);
        wal.wait_durable(second).unwrap();
        assert_eq!(wal.syncs(), 2);
    }

    #[test]
    fn concurrent_commits_each_return_once_durable() {
        let dir = tempfile::tempdir().unwrap();
        let wal = Arc::new(wal_in(dir.path()));
        let writer = Arc::new(Mutex::new(()));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (wal, writer) = (wal.clone(), writer.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let n = {
                            let _held = writer.lock().unwrap();
                            wal.committed().unwrap()
                        };
                        wal.wait_durable(n).unwrap();
                        assert!(wal.state.lock().unwrap().durable >= n);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        // One fsync covers every commit numbered before it began, so there are never more fsyncs than commits.
        let syncs = wal.syncs();
        assert!((1..=320).contains(&syncs), "{syncs} fsyncs for 320 commits");
        assert_eq!(wal.state.lock().unwrap().durable, 320);
    }

    #[test]
    fn a_missing_wal_file_is_an_error_not_a_durable_commit() {
        let dir = tempfile::tempdir().unwrap();
        let wal = WalSync::new(&dir.path().join("なし.db"));
        let n = wal.committed().unwrap();
        assert!(matches!(wal.wait_durable(n), Err(StoreError::Io { .. })));
        assert_eq!(wal.state.lock().unwrap().durable, 0);
        // The file appearing later does not make the server trust its log again.
        std::fs::write(dir.path().join("なし.db-wal"), "ログ").unwrap();
        let later = wal.committed().unwrap();
        assert!(matches!(wal.wait_durable(later), Err(StoreError::Io { .. })));
    }
}
