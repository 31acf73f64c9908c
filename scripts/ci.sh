#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it. Installs what it needs on a fresh Debian machine with Rust.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "python ndeflib (the second NDEF implementation of the interop tests)"
python3 -m pip install --quiet --disable-pip-version-check ndeflib

step "format"
cargo fmt --all -- --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "licenses and bans of every dependency (cargo deny, deny.toml; no network needed once installed)"
command -v cargo-deny >/dev/null 2>&1 || cargo install cargo-deny --locked --version 0.20.2
cargo deny check licenses bans

step "PostgreSQL for the sync server's tests (installed and started by scripts/postgres.sh)"
MRC_TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"
export MRC_TEST_POSTGRES_URL
# The PostgreSQL cases fail instead of skipping if the URL is missing.
export MRC_REQUIRE_POSTGRES=1

step "tests (every crate, even after one fails)"
cargo test --workspace --locked --no-fail-fast

step "browser tests of the landing page and the head-office view in headless Chromium (scripts/web.sh)"
bash scripts/web.sh

step "Kotlin and Swift bindings: build libmrc_ffi, generate both, run both test suites (scripts/bindings.sh)"
bash scripts/bindings.sh

step "the demo and the date-sensitive suites again at five other dates and times (scripts/clock.sh, libfaketime)"
bash scripts/clock.sh

# Benchmarks are type-checked by clippy --all-targets above; they are run by hand (commands in the README).

step "fuzz the NFC decoder, tap handling and sync bodies (60 s each, after replaying fuzz/regressions)"
bash scripts/fuzz.sh 60

step "done"
