#!/usr/bin/env bash
# Fetches the match-quality corpus: Debian packages that ship photos and wallpapers, unpacked into
# bench/cache/ (git-ignored). Nothing here is committed; the bench picks, dedupes and caps images.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=bench/cache
packages=(gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers gcompris-qt-data)
mkdir -p "$cache/debs" "$cache/extracted"
cd "$cache/debs"
for package in "${packages[@]}"; do
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
echo "corpus sources in $cache/extracted: ${packages[*]}"
