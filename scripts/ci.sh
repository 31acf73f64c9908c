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

step "tests"
cargo test --workspace --locked

step "benchmarks compile"
cargo bench --workspace --locked --no-run

step "done"
