#!/usr/bin/env bash
# `make release-check`: rebuilds the store packages from the release's own source archive, as a
# store reviewer would, in another folder with its own cargo target folder (so the wasm is built
# from scratch), and compares them byte for byte with dist/release/. A few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
release=dist/release
source_zip=$(ls "$release"/veil-*-source.zip)
work=$(mktemp -d "${TMPDIR:-/tmp}/veil-release-check-XXXXXX")
trap 'rm -rf "$work"' EXIT

unzip -q "$source_zip" -d "$work/veil"
echo "release-check: building from $(basename "$source_zip") in $work/veil"
make -C "$work/veil" --no-print-directory wasm extension >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
node "$work/veil/scripts/release.mjs" --out "$work/release" >/dev/null

status=0
if cmp -s pkg/veil_bg.wasm "$work/veil/pkg/veil_bg.wasm"; then
  echo "release-check: the wasm is the same ($(sha256sum pkg/veil_bg.wasm | cut -c1-16)...)"
else
  echo "release-check: the wasm differs" >&2
  status=1
fi
for package in "$work"/release/veil-*.zip; do
  name=$(basename "$package")
  if cmp -s "$package" "$release/$name"; then
    echo "release-check: $name is the same"
  else
    echo "release-check: $name differs" >&2
    status=1
  fi
done
exit $status
