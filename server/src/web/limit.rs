//! Rate limits on the card endpoint: a token bucket per client address, so a script cannot hammer card
//! verification or flood the engagement log. Buckets of quiet addresses are forgotten.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// How many taps an address may make in a burst, and how fast the allowance refills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_minute: u32,
}

impl Default for RateLimit {
    /// 20 taps at once, then 20 a minute: far above a doctor tapping cards, far below a script.
    fn default() -> RateLimit {
        RateLimit {
            burst: 20,
            per_minute: 20,
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets keyed by client address.
pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// The most addresses remembered before the full buckets are dropped.
const MAX_TRACKED: usize = 100_000;

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `addr` at `now`: `Ok` when allowed, else how long until the next token.
    pub fn check(&self, addr: IpAddr, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limit.burst.max(1));
        let rate = f64::from(self.limit.per_minute.max(1)) / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_TRACKED {
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets.entry(addr).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_refill_rate_per_address() {
        let limiter = Limiter::new(RateLimit {
            burst: 3,
            per_minute: 60,
        });
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(a, t0).is_ok());
        }
        let wait = limiter.check(a, t0).unwrap_err();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::ZERO);
        assert!(limiter.check(b, t0).is_ok(), "another address has its own bucket");
        assert!(limiter.check(a, t0 + Duration::from_millis(1_100)).is_ok());
        assert!(limiter.check(a, t0 + Duration::from_millis(1_200)).is_err());
    }
}
