#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for SECONDS each (default 60): the shared
# crate's parsers and the directory CSV reader, coverage-guided by libFuzzer. cargo-fuzz
# needs a nightly toolchain; it is installed from crates.io when missing. A crash stops the
# run with the input saved under fuzz/artifacts/<target>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain on this machine, so the fuzz targets cannot run here (rustup cannot fetch one without internet)."
  exit 0
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
cargo +nightly fuzz build
log="$(mktemp)"
for target in $(cargo +nightly fuzz list); do
  # Hand-written inputs (fuzz/seeds/<target>/) start the search where the rules are.
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("$root/fuzz/corpus/$target" "$root/fuzz/seeds/$target")
  mkdir -p "$root/fuzz/corpus/$target"
  if ! cargo +nightly fuzz run "$target" "${seeds[@]}" -- -max_total_time="$seconds" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $target: CRASH (input kept under fuzz/artifacts/$target/)"
    exit 1
  fi
  echo "fuzz $target: $(grep -oE 'Done [0-9]+ runs' "$log" | tail -1) in $seconds s, no crash"
done
