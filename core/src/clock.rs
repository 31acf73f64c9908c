//! The one source of "now": every store, server and command that stamps or judges a time asks a [`Clock`].
//!
//! Apps use [`SystemClock`] (the default of `Store::open`). Tests use a [`FixedClock`] they move by hand, so
//! no test depends on the day it runs; the demo uses an [`OffsetClock`] so its story (told on a working day)
//! and its embedded server keep one time that still advances.

use std::{
    fmt,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Duration, Utc};

/// Tells the current instant.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The current instant in milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

/// A clock shared by a store, a server or a command and everything they call.
pub type SharedClock = Arc<dyn Clock>;

/// The system's real-time clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock as a [`SharedClock`].
pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}

/// A clock that stands still until it is set or advanced (tests, scripted commands).
#[derive(Debug)]
pub struct FixedClock {
    at: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    /// A clock standing at `at`.
    pub fn new(at: DateTime<Utc>) -> Arc<FixedClock> {
        Arc::new(FixedClock { at: Mutex::new(at) })
    }

    /// Moves the clock to `at` (backwards too: a device clock can be rolled back).
    pub fn set(&self, at: DateTime<Utc>) {
        *self.at.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut at = self.at.lock().unwrap_or_else(|p| p.into_inner());
        *at += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.at.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The system clock moved by a fixed offset: it advances in real time from a chosen starting instant.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    offset: Duration,
}

impl OffsetClock {
    /// A clock that reads `start` now and advances with the system clock from there.
    pub fn starting_at(start: DateTime<Utc>) -> Arc<OffsetClock> {
        Arc::new(OffsetClock {
            offset: start - Utc::now(),
        })
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let clock = FixedClock::new(at("2026-11-20T10:00:00+09:00"));
        assert_eq!(clock.now(), at("2026-11-20T10:00:00+09:00"));
        clock.advance(Duration::minutes(90));
        assert_eq!(clock.now(), at("2026-11-20T11:30:00+09:00"));
        clock.set(at("2026-11-19T09:00:00+09:00"));
        assert_eq!(clock.now_ms(), at("2026-11-19T09:00:00+09:00").timestamp_millis());
    }

    #[test]
    fn an_offset_clock_starts_where_asked_and_advances() {
        let start = at("2031-01-02T23:50:00+09:00");
        let clock = OffsetClock::starting_at(start);
        let first = clock.now();
        assert!((first - start).num_seconds().abs() < 5, "{first}");
        assert!(clock.now() >= first);
    }
}
