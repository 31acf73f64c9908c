//! The Rust side of the FFI overhead benchmark: the two calls the Kotlin harness measures (validate a visit form,
//! handle a tap of a signed card), made on the same `MrcStore` API in Rust, so no FFI is crossed. The ratio of the
//! Kotlin median to this one is the cost of the boundary (README "Using the core from Android and iOS").
//!
//! Run: `cargo bench -p mrc-ffi --features test-probes --bench ffi_calls` (or `bash scripts/bindings.sh --bench`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "test-probes")]
fn benches(c: &mut criterion::Criterion) {
    use std::hint::black_box;

    let dir = tempfile::tempdir().unwrap();
    let store = mrc_ffi::MrcStore::open(
        dir.path().join("bench.db").to_string_lossy().into_owned(),
        None,
        None,
    )
    .unwrap();
    let setup = store.bench_setup(365).unwrap();
    c.bench_function("ffi_rust/validate", |b| {
        b.iter(|| {
            black_box(
                store
                    .validate(None, setup.form.clone(), None, setup.now_utc)
                    .unwrap(),
            )
        })
    });
    c.bench_function("ffi_rust/tap", |b| {
        b.iter(|| {
            black_box(
                store
                    .handle_tap_bytes(setup.card.clone(), setup.now, None)
                    .unwrap(),
            )
        })
    });
}

#[cfg(not(feature = "test-probes"))]
fn benches(_: &mut criterion::Criterion) {
    eprintln!("ffi_calls needs --features test-probes (the benchmark inputs are built by a probe)");
}

criterion::criterion_group! {
    name = ffi_calls;
    config = criterion::Criterion::default().sample_size(50);
    targets = benches
}
criterion::criterion_main!(ffi_calls);
