#!/usr/bin/env bash
# Builds the mrc-ffi library, generates the Kotlin and Swift bindings from it, and runs both binding test suites:
# Kotlin with Maven (JUnit 5 under Surefire) on the host JVM, Swift 6.0.3 with XCTest in a Debian trixie chroot.
#
#   bash scripts/bindings.sh            # build, generate, Kotlin tests, Swift tests
#   bash scripts/bindings.sh --bench    # also the FFI overhead benchmark (Kotlin harness + Rust criterion)
#   bash scripts/bindings.sh --kotlin   # only Kotlin        --swift: only Swift
#   bash scripts/bindings.sh --at 'T1;T2'  # only the visit tests of both, once per faked UTC time (libfaketime;
#                                         # scripts/clock.sh passes its settings)
#
# Works on a fresh Debian 12 machine with Rust, Java 17 and Maven: it installs debootstrap and creates the Swift
# chroot itself on first use (about 2 minutes, ~3 GB) at $MRC_SWIFT_CHROOT (default /var/cache/mrc-swift-chroot),
# outside the repository, so later runs reuse it. Needs root for debootstrap, mount and chroot.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

BENCH=0
RUN_KOTLIN=1
RUN_SWIFT=1
AT=
while [ "$#" -gt 0 ]; do
    case "$1" in
        --bench) BENCH=1 ;;
        --kotlin) RUN_SWIFT=0 ;;
        --swift) RUN_KOTLIN=0 ;;
        --at) AT=${2:?--at needs the times}; shift ;;
        *) echo "usage: bash scripts/bindings.sh [--bench] [--kotlin | --swift] [--at 'T1;T2']" >&2; exit 2 ;;
    esac
    shift
done

CHROOT=${MRC_SWIFT_CHROOT:-/var/cache/mrc-swift-chroot}
CHROOT_MARK=.mrc-chroot-ready
CHROOT_VERSION="trixie swiftlang libc6-dev v1"
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
GEN=$TARGET/uniffi
LIB_DIR=$TARGET/debug
MVN=(mvn -B --no-transfer-progress -f bindings/kotlin/pom.xml)

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'bindings.sh: %s\n' "$*" >&2; exit 1; }

build_and_generate() {
    step "build mrc-ffi (debug, feature test-probes), uniffi-bindgen and mrc (the sync tests' server)"
    cargo build --locked -p mrc-ffi --features test-probes
    cargo build --locked -p uniffi-bindgen
    cargo build --locked -p mrc-cli
    [ -f "$LIB_DIR/libmrc_ffi.so" ] || die "$LIB_DIR/libmrc_ffi.so was not built"
    [ -x "$LIB_DIR/mrc" ] || die "$LIB_DIR/mrc was not built"

    # Always regenerate from the library just built: stale bindings fail at load with "undefined symbol".
    step "generate Kotlin and Swift bindings from $LIB_DIR/libmrc_ffi.so"
    rm -rf "$GEN"
    for lang in kotlin swift; do
        "$LIB_DIR/uniffi-bindgen" generate --no-format --config bindings/uniffi.toml \
            --library "$LIB_DIR/libmrc_ffi.so" --language "$lang" --out-dir "$GEN/$lang"
    done
    swift_layout
}

# The Swift package compiles the generated sources with the hand-written ones; the C headers of both uniffi
# namespaces (mrc_core, mrc_ffi) go into one system-library module map. None of this is committed (.gitignore).
swift_layout() {
    local pkg=bindings/swift
    rm -rf "$pkg/Sources/MRCompanion/Generated" "$pkg/Sources/MrcFFI"
    mkdir -p "$pkg/Sources/MRCompanion/Generated" "$pkg/Sources/MrcFFI"
    cp "$GEN"/swift/*.swift "$pkg/Sources/MRCompanion/Generated/"
    cp "$GEN"/swift/*.h "$pkg/Sources/MrcFFI/"
    cat "$GEN"/swift/*.modulemap > "$pkg/Sources/MrcFFI/module.modulemap"
}

kotlin_tests() {
    command -v mvn >/dev/null || die "Maven (mvn) is not installed: apt-get install -y maven"
    step "Kotlin: compile the wrapper and run its JUnit 5 tests against the native library (Maven)"
    "${MVN[@]}" -Dmrc.libdir="$LIB_DIR" -Dmrc.bin="$LIB_DIR/mrc" -Dmrc.generated="$GEN/kotlin" test
}

ensure_chroot() {
    if [ -f "$CHROOT/$CHROOT_MARK" ] && [ "$(cat "$CHROOT/$CHROOT_MARK")" = "$CHROOT_VERSION" ]; then
        return
    fi
    [ "$(id -u)" = 0 ] || die "creating the Swift chroot needs root (debootstrap, mount, chroot)"
    step "create the Swift chroot at $CHROOT (Debian trixie + swiftlang 6.0.3; once per machine, ~2 minutes)"
    if ! command -v debootstrap >/dev/null; then
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
    fi
    local partial=$CHROOT.partial mirror
    mirror=$(debian_mirror)
    unmount_proc "$partial"
    rm -rf --one-file-system "$partial"
    debootstrap --variant=minbase trixie "$partial" "$mirror" >/tmp/mrc-debootstrap.log 2>&1 \
        || die "debootstrap trixie from $mirror failed; see /tmp/mrc-debootstrap.log"
    cp /etc/resolv.conf "$partial/etc/resolv.conf"
    mount_proc "$partial"
    chroot "$partial" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q swiftlang libc6-dev' \
        >/tmp/mrc-swift-install.log 2>&1 || die "installing swiftlang in the chroot failed; see /tmp/mrc-swift-install.log"
    chroot "$partial" apt-get clean
    unmount_proc "$partial"
    echo "$CHROOT_VERSION" >"$partial/$CHROOT_MARK"
    unmount_proc "$CHROOT"
    rm -rf --one-file-system "$CHROOT"
    mv "$partial" "$CHROOT"
}

# The Debian mirror this machine already uses (deb822 or one-line sources), else deb.debian.org.
debian_mirror() {
    local uri
    uri=$(grep -hoE '^URIs: *http[^ ]*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | sed 's/^URIs: *//') || true
    [ -n "$uri" ] || uri=$(grep -hoE '^deb +http[^ ]*/debian/? ' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $2}') || true
    echo "${uri:-http://deb.debian.org/debian}"
}

mount_proc() { mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"; }
unmount_proc() { if [ -d "$1/proc" ] && mountpoint -q "$1/proc"; then umount "$1/proc"; fi; }
# The sync server of the Swift tests (a host process; the chroot shares the host's loopback).
SERVER_PID=
SERVER_DIR=
start_sync_server() {
    SERVER_DIR=$(mktemp -d /tmp/mrc-sync-server.XXXXXX)
    mkdir "$SERVER_DIR/data"
    "$LIB_DIR/mrc" admin import --data "$SERVER_DIR/data" bindings/testdata/master.json >/dev/null
    # The server's clock starts at the Swift fixtures' time (Fixtures.now), as the devices' clocks do.
    "$LIB_DIR/mrc" serve --data "$SERVER_DIR/data" --listen 127.0.0.1:0 --now 2026-11-20T11:00:00+09:00 \
        >"$SERVER_DIR/out" 2>"$SERVER_DIR/err" &
    SERVER_PID=$!
    local line="" i
    for i in $(seq 100); do
        line=$(head -n1 "$SERVER_DIR/out" 2>/dev/null || true)
        [ -n "$line" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "mrc serve exited: $(cat "$SERVER_DIR/err")"
        sleep 0.1
    done
    case "$line" in "listening on http://"*) ;; *) die "mrc serve did not start: ${line:-no output}" ;; esac
    MRC_SYNC_URL=${line#listening on }
    MRC_SYNC_TOKEN_A=$("$LIB_DIR/mrc" admin token --data "$SERVER_DIR/data" --rep R1)
    MRC_SYNC_TOKEN_B=$("$LIB_DIR/mrc" admin token --data "$SERVER_DIR/data" --rep R1)
    # A token revoked at once: the Swift revoke-and-wipe test syncs with it.
    MRC_SYNC_TOKEN_REVOKED=$("$LIB_DIR/mrc" admin token --data "$SERVER_DIR/data" --rep R1)
    local revoked_id
    revoked_id=$(printf '%s' "$MRC_SYNC_TOKEN_REVOKED" | sha256sum | cut -c1-12)
    "$LIB_DIR/mrc" admin token revoke --data "$SERVER_DIR/data" "$revoked_id" >/dev/null
    # A token the Swift rotation test exchanges (and so retires).
    MRC_SYNC_TOKEN_ROTATE=$("$LIB_DIR/mrc" admin token --data "$SERVER_DIR/data" --rep R1)
    export MRC_SYNC_URL MRC_SYNC_TOKEN_A MRC_SYNC_TOKEN_B MRC_SYNC_TOKEN_REVOKED MRC_SYNC_TOKEN_ROTATE
}
stop_sync_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=
    if [ -n "$SERVER_DIR" ]; then rm -rf "$SERVER_DIR"; fi
    SERVER_DIR=
}

# Whatever happens (a failed apt-get, a failed test, Ctrl-C), no /proc stays mounted in a chroot and no server runs.
cleanup() { stop_sync_server; unmount_proc "$CHROOT.partial"; unmount_proc "$CHROOT"; }
trap cleanup EXIT

# The package and the library are copied in (no bind mount: removing the chroot can never touch the repo).
# The build folder inside the chroot is kept, so later runs compile incrementally.
copy_swift_package() {
    ensure_chroot
    local work=$CHROOT/build/mrc
    mkdir -p "$work/bindings/swift" "$work/target/debug"
    rm -rf "$work/bindings/swift/Sources" "$work/bindings/swift/Tests" "$work/bindings/swift/Package.swift" \
        "$work/bindings/testdata"
    tar -C bindings/swift --exclude=.build -cf - . | tar -C "$work/bindings/swift" -xf -
    cp -r bindings/testdata "$work/bindings/testdata"
    cp "$LIB_DIR/libmrc_ffi.so" "$work/target/debug/"
}

swift_tests() {
    copy_swift_package
    step "Swift: build the package and run its XCTest tests in the chroot (swift 6.0.3)"
    start_sync_server
    mount_proc "$CHROOT"
    chroot "$CHROOT" sh -c 'cd /build/mrc/bindings/swift && LD_LIBRARY_PATH=/build/mrc/target/debug swift test --disable-swift-testing 2>&1'
    unmount_proc "$CHROOT"
    stop_sync_server
}

# The visit tests (the suites that judge dates) under libfaketime at each UTC time of $AT: Kotlin on the host JVM,
# Swift in the chroot with the host's libfaketime copied in. Both are compiled first on the real clock.
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
visit_tests_at() {
    [ -f "$FAKETIME_LIB" ] || die "libfaketime is not installed: apt-get install -y faketime"
    local setting times
    IFS=';' read -r -a times <<<"$AT"
    if [ "$RUN_KOTLIN" = 1 ]; then
        "${MVN[@]}" -q -Dmrc.libdir="$LIB_DIR" -Dmrc.bin="$LIB_DIR/mrc" -Dmrc.generated="$GEN/kotlin" test-compile
        for setting in "${times[@]}"; do
            [ -n "$setting" ] || continue
            step "Kotlin VisitTest at $setting UTC"
            TZ=UTC timeout 600 faketime "$setting" "${MVN[@]}" -o -Dmrc.libdir="$LIB_DIR" -Dmrc.bin="$LIB_DIR/mrc" \
                -Dmrc.generated="$GEN/kotlin" -Dtest=VisitTest -Dsurefire.failIfNoSpecifiedTests=false test
        done
    fi
    if [ "$RUN_SWIFT" = 1 ]; then
        copy_swift_package
        mkdir -p "$CHROOT/opt/faketime"
        cp "$FAKETIME_LIB" "$CHROOT/opt/faketime/"
        mount_proc "$CHROOT"
        chroot "$CHROOT" sh -c 'cd /build/mrc/bindings/swift && swift build --build-tests 2>&1'
        for setting in "${times[@]}"; do
            [ -n "$setting" ] || continue
            step "Swift VisitTests at $setting UTC"
            chroot "$CHROOT" env TZ=UTC FAKETIME="@$setting" LD_PRELOAD=/opt/faketime/libfaketime.so.1 \
                LD_LIBRARY_PATH=/build/mrc/target/debug \
                sh -c 'cd /build/mrc/bindings/swift && swift test --skip-build --disable-swift-testing --filter VisitTests 2>&1'
        done
        unmount_proc "$CHROOT"
    fi
}

bench() {
    step "FFI overhead benchmark: Rust (criterion, same calls without the FFI)"
    cargo bench --locked -p mrc-ffi --features test-probes --bench ffi_calls -- --noplot 2>&1 | tee "$TARGET/bench-rust.txt"
    step "FFI overhead benchmark: Kotlin harness, paired with the same calls in Rust (release library)"
    cargo build --locked --release -p mrc-ffi --features test-probes
    "${MVN[@]}" -Dmrc.libdir="$TARGET/release" -Dmrc.generated="$GEN/kotlin" -Dgroups=bench -DexcludedGroups=none \
        test | tee "$TARGET/bench-kotlin.txt"
}

start=$(date +%s)
build_and_generate
if [ -n "$AT" ]; then
    visit_tests_at
else
    if [ "$RUN_KOTLIN" = 1 ]; then kotlin_tests; fi
    if [ "$RUN_SWIFT" = 1 ]; then swift_tests; fi
fi
if [ "$BENCH" = 1 ]; then bench; fi
step "bindings done in $(($(date +%s) - start)) s"
