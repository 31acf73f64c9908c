#!/usr/bin/env bash
# Builds MrcFFI.xcframework (iOS device + simulator, static libraries) and the Swift bindings for the package in
# bindings/swift. Runs on a Mac with Xcode and Rust:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# When bindings/swift/MrcFFI.xcframework exists, bindings/swift/Package.swift links it instead of a host library.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
PKG=$REPO/bindings/swift
OUT=$REPO/target/ios
[ "$(uname)" = Darwin ] || { echo "build-xcframework.sh needs macOS with Xcode" >&2; exit 1; }

# 1. The static library for each target (release, no test probes), simulators merged into one fat library.
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
    cargo build --release -p mrc-ffi --target "$target"
done
mkdir -p "$OUT/sim"
lipo -create target/aarch64-apple-ios-sim/release/libmrc_ffi.a target/x86_64-apple-ios/release/libmrc_ffi.a \
    -output "$OUT/sim/libmrc_ffi.a"

# 2. Swift sources and C headers from a host build of the same crate (the interface is the same on every target).
cargo build --release -p mrc-ffi -p uniffi-bindgen
rm -rf "$OUT/swift" "$OUT/headers"
target/release/uniffi-bindgen generate --no-format --config bindings/uniffi.toml \
    --library target/release/libmrc_ffi.dylib --language swift --out-dir "$OUT/swift"
mkdir -p "$OUT/headers"
cp "$OUT"/swift/*.h "$OUT/headers/"
cat "$OUT"/swift/*.modulemap >"$OUT/headers/module.modulemap"
rm -rf "$PKG/Sources/MRCompanion/Generated" && mkdir -p "$PKG/Sources/MRCompanion/Generated"
cp "$OUT"/swift/*.swift "$PKG/Sources/MRCompanion/Generated/"

# 3. The XCFramework.
rm -rf "$PKG/MrcFFI.xcframework"
xcodebuild -create-xcframework \
    -library target/aarch64-apple-ios/release/libmrc_ffi.a -headers "$OUT/headers" \
    -library "$OUT/sim/libmrc_ffi.a" -headers "$OUT/headers" \
    -output "$PKG/MrcFFI.xcframework"
echo "built $PKG/MrcFFI.xcframework and the Swift bindings"
