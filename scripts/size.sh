#!/usr/bin/env bash
# Prints the first-load transfer size of each bundle of the app (shared/src/bundles.rs):
# its index.html (with the stylesheet written into it) and the wasm, js and css that it
# loads, brotli-compressed as the server sends them. Builds the app first.
# Usage: scripts/size.sh [--max PUBLIC STEP2 ACCESS SIGNED_IN OPERATORS]
#   fails when a bundle's first load is over its ceiling in bytes: the public bundle's
#   (home and the wizard's first step), the wizard's second step's, the access bundle's
#   (sign-in and the other pages open to all), the signed-in spaces' or the operators'
#   back office's.
set -euo pipefail
limits=()
[ "${1:-}" = "--max" ] && limits=("$2" "$3" "$4" "$5" "$6")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh >/dev/null
scripts/build-app.sh 2>/dev/null
over=0
pages=(dist/index.html dist/etape-2/index.html dist/acces/index.html dist/espaces/index.html dist/back-office/index.html)
for i in "${!pages[@]}"; do
  page="${pages[$i]}"; max="${limits[$i]:-}"
  echo "${page#dist/}:"
  total_raw=0; total_br=0
  # What the page loads (the CAPTCHA worker is fetched only when the box is ticked).
  for f in "$page" $(grep -oE '/[A-Za-z0-9_./-]+\.(wasm|js|css)' "$page" | sed 's#^/#dist/#' | sort -u); do
    raw=$(stat -c %s "$f"); br=$(stat -c %s "$f.br")
    printf '  %-56s %9d B raw %9d B brotli\n' "${f#dist/}" "$raw" "$br"
    total_raw=$((total_raw + raw)); total_br=$((total_br + br))
  done
  printf "  %-56s %9d B raw %9d B brotli (%s KB)\n" "first load" "$total_raw" "$total_br" "$(awk "BEGIN { printf \"%.1f\", $total_br / 1000 }")"
  if [ -n "$max" ] && [ "$total_br" -gt "$max" ]; then
    echo "size: the first load of ${page#dist/} is $total_br B brotli, over the ceiling of $max B" >&2
    over=1
  fi
done
exit "$over"
