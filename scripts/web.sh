#!/usr/bin/env bash
# Browser tests of the landing page and the head-office view in real headless Chromium. Installs what they need
# on a fresh Debian machine (Debian's chromium, playwright-core from npm), builds `mrc`, runs tests/web.
# Screenshots: target/web-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, and a Japanese font so the screenshots are readable.
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/ipafont-gothic ]; then
    echo "installing Debian's chromium and fonts-ipafont-gothic" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-ipafont-gothic >&2
fi
cargo build --quiet --locked -p mrc-cli --bin mrc
(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
MRC_BIN="$PWD/target/debug/mrc" npm --prefix tests/web test
