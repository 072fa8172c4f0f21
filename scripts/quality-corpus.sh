#!/usr/bin/env bash
# Fetches the match-quality corpus: Debian packages that ship images, unpacked into bench/cache/
# (git-ignored; nothing is installed system-wide). Nothing here is committed; the bench picks,
# dedupes and classifies images (examples/bench_quality/corpus.rs says which package is which class).
#
# Photos (protected photos and their reposts) come from the first group; the others only feed the
# false-alarm corpus: unrelated images of every kind the web is full of.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=bench/cache
photos=(gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers gcompris-qt-data)
unrelated=(
  # more photos and desktop artwork
  ukui-wallpapers lomiri-wallpapers desktop-base
  # UI screenshots and documentation figures
  gimp-help-en gnome-user-docs qtbase5-doc-html python-sklearn-doc python-skimage-doc kdenlive-data
  digikam-data inkscape-tutorials
  # graphics and illustrations, icons (those under 64 px are dropped by the bench)
  openclipart-png oxygen-icon-theme
  # game art
  wesnoth-1.16-data freedroidrpg-data hedgewars-data frozen-bubble-data pingus-data flare-game
  endless-sky-data lincity-ng-data freeciv-data neverball-data supertux-data
)
# The download is bounded: the packages' sizes are checked before anything is fetched.
max_bytes=$((2 * 1024 * 1024 * 1024))
mkdir -p "$cache/debs" "$cache/extracted"
cd "$cache/debs"
total=0
for package in "${photos[@]}" "${unrelated[@]}"; do
  size=$(apt-cache show --no-all-versions "$package" | awk '/^Size:/ { print $2; exit }')
  total=$((total + ${size:-0}))
done
if [ "$total" -gt "$max_bytes" ]; then
  echo "the corpus packages add up to $total bytes, over the $max_bytes bound" >&2
  exit 1
fi
for package in "${photos[@]}" "${unrelated[@]}"; do
  if ! compgen -G "${package}_*.deb" >/dev/null; then
    apt-get download "$package"
  fi
done
cd ..
for deb in debs/*.deb; do
  name=$(basename "$deb" | cut -d_ -f1)
  if [ ! -d "extracted/$name" ]; then
    dpkg-deb -x "$deb" "extracted/$name.partial" && mv "extracted/$name.partial" "extracted/$name"
  fi
done
echo "corpus sources in $cache/extracted: $((${#photos[@]} + ${#unrelated[@]})) packages, $((total / 1024 / 1024)) MiB of .deb files"
