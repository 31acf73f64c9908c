//! The FFI benchmark's inputs and its Rust-side loop (probes), so Rust and Kotlin make exactly the same calls.

use crate::{
    error::{guard, MrcError},
    MrcStore,
};

/// The inputs of the FFI overhead benchmark, built by Rust so that Rust and Kotlin measure exactly the same calls.
#[derive(Debug, Clone, uniffi::Record)]
pub struct BenchSetup {
    /// 18:30 on the last seeded day, Japan time.
    pub now: mrc_core::ffi_types::OffsetTime,
    pub now_utc: mrc_core::ffi_types::UtcTime,
    /// A new visit that evening with a fresh ~150-character note (as the form sends it on a keystroke).
    pub form: mrc_core::visit::VisitFields,
    /// A signed card of a material approved on that day, as NDEF bytes.
    pub card: Vec<u8>,
    /// Visits seeded.
    pub visits: u64,
}

#[uniffi::export]
impl MrcStore {
    /// Seeds the sample territory (1 rep, 300 HCPs, `days` of visits) and returns the benchmark inputs.
    pub fn bench_setup(&self, days: u32) -> Result<BenchSetup, MrcError> {
        use mrc_core::{master::MaterialStatus, visit::VisitFilter};
        use mrc_sample::SeedConfig;
        guard(|| {
            let internal = |reason: String| MrcError::Internal { reason };
            let config = SeedConfig {
                days,
                ..SeedConfig::default()
            };
            let summary = mrc_sample::seed(&self.store, &config).map_err(|e| internal(e.to_string()))?;
            let now = chrono::DateTime::parse_from_rfc3339(&format!("{}T18:30:00+09:00", config.end))
                .map_err(|e| internal(e.to_string()))?;
            let today = self
                .store
                .list_visits(&VisitFilter::Today { now: now.to_utc() })?;
            let mut form = today.first().map(|v| v.fields.clone()).unwrap_or_default();
            form.started_at = Some(now - chrono::Duration::minutes(20));
            form.notes = format!(
                "{}。追加で腎機能の質問あり。",
                form.notes.chars().rev().collect::<String>()
            );
            let territory = mrc_sample::generate(&config);
            let material = territory
                .master
                .materials
                .iter()
                .find(|m| {
                    m.status == MaterialStatus::Approved
                        && m.valid_from <= config.end
                        && config.end <= m.valid_until
                })
                .ok_or_else(|| internal("no approved material in the seeded catalog".into()))?;
            let version = u16::try_from(material.version).map_err(|e| internal(e.to_string()))?;
            let card = self.issue_test_card(material.id.clone(), version)?;
            Ok(BenchSetup {
                now,
                now_utc: now.to_utc(),
                form,
                card,
                visits: u64::try_from(summary.visits).unwrap_or(u64::MAX),
            })
        })
    }
}

/// One of the two benchmarked calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BenchCall {
    Validate,
    Tap,
}

#[uniffi::export]
impl MrcStore {
    /// Makes `call` `iterations` times inside Rust (no FFI crossing) and returns the mean nanoseconds per call, so
    /// the Kotlin harness can alternate Rust and Kotlin samples in one process under the same machine load.
    pub fn bench_in_rust(
        &self,
        setup: &BenchSetup,
        call: BenchCall,
        iterations: u32,
    ) -> Result<f64, MrcError> {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            match call {
                BenchCall::Validate => {
                    std::hint::black_box(self.validate(None, setup.form.clone(), None, setup.now_utc)?);
                }
                BenchCall::Tap => {
                    std::hint::black_box(self.handle_tap_bytes(setup.card.clone(), setup.now, None)?);
                }
            }
        }
        Ok(start.elapsed().as_nanos() as f64 / f64::from(iterations.max(1)))
    }
}
