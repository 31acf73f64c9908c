//! The background thread that keeps the verdicts current while the server serves: it runs
//! [`Auditor::step`] until nothing is queued, then looks again every [`IDLE_POLL`]. It stops when the last
//! [`Worker`] handle is dropped.

use std::{
    sync::{Arc, Weak},
    thread,
    time::Duration,
};

use mrc_core::clock::SharedClock;

use super::{Auditor, Step};
use crate::ServerStore;

/// How often an idle worker looks at the queue: the longest a queued rep waits before its audit starts.
pub const IDLE_POLL: Duration = Duration::from_millis(500);

/// Keeps the worker thread running; dropping the last clone stops it.
#[derive(Clone)]
pub struct Worker {
    _alive: Arc<()>,
}

impl Worker {
    /// Starts the worker over `store`.
    pub fn spawn(store: Arc<dyn ServerStore>, clock: SharedClock) -> Worker {
        let alive = Arc::new(());
        let token: Weak<()> = Arc::downgrade(&alive);
        let spawned = thread::Builder::new().name("mrc-verdicts".into()).spawn(move || {
            let mut auditor = Auditor::new(&*store, clock);
            while token.strong_count() > 0 {
                match auditor.step() {
                    Ok(Step::Audited(_)) => continue,
                    Ok(Step::Idle) => {}
                    Err(err) => tracing::error!(error = %err, "keeping the audit's verdicts current failed"),
                }
                thread::sleep(IDLE_POLL);
            }
        });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "the verdicts worker did not start");
        }
        Worker { _alive: alive }
    }
}
