#!/usr/bin/env bash
# Cross-compiles libmrc_ffi.so for the Android ABIs with cargo-ndk and generates the Kotlin bindings for Android.
# Needs the Android NDK (ANDROID_NDK_HOME, or Android Studio's SDK Manager → NDK) and, once:
#   cargo install cargo-ndk
#   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
# Run from anywhere; then open android-demo/ in Android Studio and press Run.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
APP=$REPO/android-demo/app
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the NDK folder (Android Studio: SDK Manager → SDK Tools → NDK)}"
command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }

# 1. The native library for each ABI, into app/src/main/jniLibs/<abi>/libmrc_ffi.so (release, no test probes).
cargo ndk --target arm64-v8a --target armeabi-v7a --target x86_64 --platform 26 \
    --output-dir "$APP/src/main/jniLibs" build --release -p mrc-ffi

# 2. Kotlin bindings from a host build of the same crate and features (the interface is the same on every target).
cargo build --release -p mrc-ffi -p uniffi-bindgen
config=$(mktemp)
# Android flavour: the same settings plus uniffi's android mode (android.system cleaner, no JNA direct mapping).
sed 's/^generate_immutable_records = true$/generate_immutable_records = true\nandroid = true/' \
    "$REPO/bindings/uniffi.toml" >"$config"
rm -rf "$APP/build/generated/uniffi"
"$REPO/target/release/uniffi-bindgen" generate --no-format --config "$config" \
    --library "$REPO/target/release/libmrc_ffi.so" --language kotlin --out-dir "$APP/build/generated/uniffi"
rm -f "$config"
echo "native libraries in $APP/src/main/jniLibs, bindings in $APP/build/generated/uniffi"
