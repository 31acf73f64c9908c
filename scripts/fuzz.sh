#!/usr/bin/env bash
# Fuzzes the NFC decoder, tap handling and sync bodies for a bounded time each, after replaying the committed regression corpus.
# Usage: scripts/fuzz.sh [seconds per target, default 60]. Needs the nightly toolchain; installs cargo-fuzz if missing.
# A crash stops the script; its input is in fuzz/artifacts/<target>/ — copy it into fuzz/regressions/<target>/ with
# the fix, so it is replayed on every run from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-60}}"
targets=(ndef_decode tap sync_bodies)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

cargo +nightly fuzz build
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    echo "==> $target: replaying fuzz/regressions/$target"
    cargo +nightly fuzz run "$target" "fuzz/regressions/$target" -- -runs=0
    echo "==> $target: fuzzing for ${seconds}s"
    # New inputs go to the first (ignored) corpus folder; the regressions seed it.
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
done
echo "==> fuzzing finished without a crash"
