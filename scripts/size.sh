#!/usr/bin/env bash
# Prints the first-load transfer size of the app: the wasm, js and css that index.html
# loads, brotli-compressed as the server sends them. Builds the app first.
# Usage: scripts/size.sh [--max BYTES]   fails when the first load is over BYTES.
set -euo pipefail
max=""
[ "${1:-}" = "--max" ] && max="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh >/dev/null
scripts/build-app.sh 2>/dev/null
total_raw=0; total_br=0
# What index.html loads (the CAPTCHA worker is fetched only when the box is ticked).
for f in $(grep -oE '(href|src)="/[^"]+\.(wasm|js|css)"' dist/index.html | sed -E 's/.*="\/([^"]+)"/dist\/\1/' | sort -u); do
  raw=$(stat -c %s "$f"); br=$(stat -c %s "$f.br")
  printf '%-52s %9d B raw %9d B brotli\n' "${f#dist/}" "$raw" "$br"
  total_raw=$((total_raw + raw)); total_br=$((total_br + br))
done
printf "%-52s %9d B raw %9d B brotli (%s KB)\n" "first load" "$total_raw" "$total_br" "$(awk "BEGIN { printf \"%.1f\", $total_br / 1000 }")"
if [ -n "$max" ] && [ "$total_br" -gt "$max" ]; then
  echo "size: the first load is $total_br B brotli, over the ceiling of $max B" >&2
  exit 1
fi
