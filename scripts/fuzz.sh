#!/usr/bin/env bash
# Fuzzes Veil's core with cargo-fuzz (libFuzzer, nightly): hostile image bytes through decode and
# PDQ, the header sniffer, list files, security.txt/RDAP answers and URLs, PDQ hex. Each target runs a fixed
# number of executions (13 million in all by default; FUZZ_SCALE=0.1 for a quick pass) and the
# executions each one did are printed. Installs cargo-fuzz and the nightly toolchain if missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
scale=${FUZZ_SCALE:-1}
declare -A runs=([sniff_header]=4000000 [protected_list]=3000000 [contacts]=2500000 [decode_and_hash]=1500000 [hash_hex]=2000000)
for target in sniff_header protected_list contacts decode_and_hash hash_hex; do
  n=$(python3 -c "print(int(${runs[$target]} * $scale))")
  mkdir -p "corpus/$target"
  # Seeds: the test suite's hostile files; the rest is grown by the fuzzer (corpus/ is not kept).
  case $target in
    decode_and_hash|sniff_header) cp ../tests/data/* "corpus/$target/" ;;
    protected_list) cp ../tests/data/*.json "corpus/$target/" 2>/dev/null || true ;;
  esac
  log=$(mktemp)
  # -rss_limit_mb bounds memory: a decompression bomb that slips past the limits fails the run.
  cargo +nightly fuzz run -O "$target" "corpus/$target" -- -runs="$n" -max_len=65536 -rss_limit_mb=1024 -print_final_stats=1 >"$log" 2>&1 \
    || { tail -40 "$log"; echo "fuzz: $target failed"; exit 1; }
  echo "$target: $(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}') executions, no crash"
  rm -f "$log"
done
