//! The device clock an app may hand to a store: the platform's clock, or a fixed one in the app's tests.

use mrc_core::clock::Clock;

/// Implemented in Kotlin (`java.time.Clock`) or Swift (a closure returning `Date`): the current instant in
/// milliseconds since the Unix epoch. Called on any thread; must return quickly and must not throw.
#[uniffi::export(with_foreign)]
pub trait DeviceClock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The app's clock seen as the core's [`Clock`].
pub(crate) struct ForeignClock(pub(crate) std::sync::Arc<dyn DeviceClock>);

impl std::fmt::Debug for ForeignClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForeignClock")
    }
}

impl Clock for ForeignClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.0.now_ms()).unwrap_or_default()
    }
}
