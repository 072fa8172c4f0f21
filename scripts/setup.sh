#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Veil. Idempotent and quick when
# everything is already there (each step checks before it installs).
#   scripts/setup.sh         everything: browsers and npm packages for the tests too
#   scripts/setup.sh build   only what building the extension needs (make release)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Browsers for the tests and the demo (Debian's, since browser downloads do not work here), and
# the CLI's HEIF decoder.
if [ "$mode" = all ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ -x /usr/lib/firefox-esr/firefox-esr ] || missing+=(firefox-esr)
  # Chromium's translations: without them its UI (and so chrome.i18n) stays English, and the tests
  # of Veil in Arabic cannot run.
  [ -f /usr/lib/chromium/locales/ar.pak ] || missing+=(chromium-l10n)
  # The CLI reads HEIC/HEIF and AVIF through libheif (the libheif-rs crate links it via pkg-config).
  pkg-config --exists libheif 2>/dev/null || missing+=(libheif-dev pkg-config)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (Debian packages)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Rust's wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The formatter and linter `make lint-rust` runs.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  # Not --locked: that fails offline here (DESIGN.md).
  cargo install wasm-bindgen-cli --version "$want"
fi

# Node packages (playwright-core, puppeteer-core, web-ext): from the lock file, no browser downloads.
[ "$mode" = all ] || exit 0
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/puppeteer-core ] || [ ! -d node_modules/web-ext ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
