#!/usr/bin/env bash
# The suites that could depend on the day they run, run again at other dates and times with libfaketime: `mrc demo`
# (the README's first command, on the real clock it reads), the CLI and core integration tests, and the Kotlin visit
# tests (Swift: see the end). Installs Debian's `faketime` if it is missing.
#
#   bash scripts/clock.sh                  # every setting below
#   bash scripts/clock.sh '2026-12-12 01:00:00'   # one setting (UTC)
#
# Settings are UTC (the runs use TZ=UTC); in Japan they are:
#   a weekday 23:50 JST, a Saturday, a public holiday (建国記念の日), 31 December, and one year after today.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'clock.sh: %s\n' "$*" >&2; exit 1; }

if [ "$#" -gt 0 ]; then
    SETTINGS=("$@")
else
    SETTINGS=(
        "2026-12-08 14:50:00"                          # Tue 2026-12-08 23:50 JST
        "2026-12-12 01:00:00"                          # Sat 2026-12-12 10:00 JST
        "2027-02-11 01:00:00"                          # Thu 2027-02-11 10:00 JST, 建国記念の日
        "2026-12-31 03:00:00"                          # Thu 2026-12-31 12:00 JST, 年末休暇
        "$(TZ=UTC date -d '+1 year' '+%Y-%m-%d %H:%M:%S')" # one year after today
    )
fi

if ! command -v faketime >/dev/null; then
    step "install faketime (libfaketime)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime >/dev/null
fi

# Everything is built on the real clock first: only the runs are faked (a build under a faked clock could see
# sources from the future).
step "build mrc (release, the README's demo) and the CLI and core integration tests"
cargo build --locked --release -p mrc-cli
test_binary() {
    cargo test --locked -p "$1" --test it --no-run --message-format=json 2>/dev/null \
        | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "it":
        print(m["executable"])'
}
CLI_IT=$(test_binary mrc-cli)
CORE_IT=$(test_binary mrc-core)
[ -x "$CLI_IT" ] && [ -x "$CORE_IT" ] || die "the integration test binaries were not found"

# A run that hangs fails after 10 minutes instead of stalling CI.
at() { TZ=UTC timeout 600 faketime "$1" "${@:2}"; }

for setting in "${SETTINGS[@]}"; do
    step "at $setting UTC: mrc demo, CLI it, core it"
    shown=$(at "$setting" date -u '+%Y-%m-%d %H:%M')
    [ "$shown" = "${setting:0:16}" ] || die "faketime did not take: the clock reads $shown"
    at "$setting" target/release/mrc demo >/tmp/mrc-demo-at-clock.txt 2>&1 \
        || { cat /tmp/mrc-demo-at-clock.txt; die "mrc demo failed at $setting UTC"; }
    (cd cli && at "$setting" "$CLI_IT" --quiet)
    (cd core && at "$setting" "$CORE_IT" --quiet)
done

# Swift is not run under libfaketime: SwiftPM's driver and Dispatch stall intermittently with it preloaded (seen
# here at "Planning build" and inside a test waiting on a dispatch queue). The Swift visit tests run on a fixed
# clock (Fixtures.clock) in the normal run; the Kotlin ones run here as well.
step "Kotlin visit tests at each setting (scripts/bindings.sh --kotlin --at)"
bash scripts/bindings.sh --kotlin --at "$(printf '%s;' "${SETTINGS[@]}")"
