//! The last computed report of each key (a window of days, for the insights page with how many awaiting items it
//! lists), shared by every head-office page (ADR 0022). Users asking at once for a key share one computation; a
//! stale report is served while the next one is computed in the background, so only the first request for a key
//! waits for the store.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use super::super::WebState;
use crate::ServerError;

/// How long a computed report is shown as it is; after that, a request still gets it at once while a fresh one is
/// computed in the background (ADR 0022: with the verdicts worker's delay, the bound on how stale the page is).
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// The oldest report ever served: an older one (nobody looked for a while) is computed again before answering.
pub const SERVED_AT_MOST: Duration = Duration::from_secs(30);

/// The most keys kept (each report a few tens of KB).
const KEPT_KEYS: usize = 16;

/// How a report is computed for a key.
pub type Compute<K, R> = fn(&WebState, K) -> Result<R, ServerError>;

/// The last report of each key.
pub struct ReportCache<K, R> {
    compute: Compute<K, R>,
    reports: Mutex<HashMap<K, (Instant, Arc<R>)>>,
    refreshing: Mutex<HashSet<K>>,
    computing: Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<K, R> ReportCache<K, R>
where
    K: Copy + Eq + Hash + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    /// An empty cache of reports made by `compute`.
    pub fn new(compute: Compute<K, R>) -> Self {
        ReportCache {
            compute,
            reports: Mutex::default(),
            refreshing: Mutex::default(),
            computing: Mutex::default(),
        }
    }

    /// The cached report of `key` and what to do with it.
    fn cached(&self, key: &K) -> Option<(Serve, Arc<R>)> {
        (lock(&self.reports).get(key)).map(|(at, report)| (Serve::at_age(at.elapsed()), report.clone()))
    }

    /// The report of `key`: the cached one (computed again in the background once older than [`FRESH_FOR`]),
    /// else, or when older than [`SERVED_AT_MOST`], computed now.
    pub fn get(self: &Arc<Self>, web: &WebState, key: K) -> Result<Arc<R>, ServerError> {
        match self.cached(&key) {
            Some((Serve::AsIs, report)) => Ok(report),
            Some((Serve::WhileRefreshing, report)) => {
                if lock(&self.refreshing).insert(key) {
                    let (web, cache) = (web.clone(), self.clone());
                    std::thread::spawn(move || {
                        // The same lock as a request computing now: one computation at a time, never twice.
                        let _computing = lock(&cache.computing);
                        if let Err(err) = cache.compute(&web, key) {
                            tracing::error!(error = %err, "head-office report not refreshed");
                        }
                        lock(&cache.refreshing).remove(&key);
                    });
                }
                Ok(report)
            }
            Some((Serve::NotAnyMore, _)) | None => {
                let _computing = lock(&self.computing);
                match self.cached(&key) {
                    Some((Serve::AsIs | Serve::WhileRefreshing, report)) => Ok(report),
                    _ => self.compute(web, key),
                }
            }
        }
    }

    fn compute(&self, web: &WebState, key: K) -> Result<Arc<R>, ServerError> {
        let computed = Arc::new((self.compute)(web, key)?);
        let mut reports = lock(&self.reports);
        if reports.len() >= KEPT_KEYS {
            reports.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
        }
        reports.insert(key, (Instant::now(), computed.clone()));
        Ok(computed)
    }
}

/// What a cached report of some age is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Serve {
    /// Younger than [`FRESH_FOR`].
    AsIs,
    /// Served while the next one is computed in the background.
    WhileRefreshing,
    /// Older than [`SERVED_AT_MOST`]: computed again before answering.
    NotAnyMore,
}

impl Serve {
    fn at_age(age: Duration) -> Serve {
        if age < FRESH_FOR {
            Serve::AsIs
        } else if age < SERVED_AT_MOST {
            Serve::WhileRefreshing
        } else {
            Serve::NotAnyMore
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_served_as_is_then_while_refreshing_then_never() {
        assert_eq!(Serve::at_age(Duration::ZERO), Serve::AsIs);
        assert_eq!(Serve::at_age(FRESH_FOR - Duration::from_millis(1)), Serve::AsIs);
        assert_eq!(Serve::at_age(FRESH_FOR), Serve::WhileRefreshing);
        assert_eq!(
            Serve::at_age(SERVED_AT_MOST - Duration::from_millis(1)),
            Serve::WhileRefreshing
        );
        assert_eq!(Serve::at_age(SERVED_AT_MOST), Serve::NotAnyMore);
        assert_eq!(Serve::at_age(Duration::from_secs(3600)), Serve::NotAnyMore);
    }
}
