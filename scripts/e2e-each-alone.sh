#!/usr/bin/env bash
# Runs every browser test alone, each with a fresh server, to find a test that needs an
# earlier test's data (issue 13): each must make its own. Prints ok/FAIL per test; exits
# non-zero if any failed. Takes about six minutes. Usage: scripts/e2e-each-alone.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh --tests >/dev/null
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
failed=0
for file in e2e/tests/*.test.mjs; do
  while read -r name; do
    pattern=$(printf '%s' "$name" | sed 's/[][\.*^$()+?{}|/]/\\&/g')
    if node --test --test-name-pattern="^${pattern}\$" "$file" >/dev/null 2>&1; then
      echo "ok   $file :: $name"
    else
      echo "FAIL $file :: $name"
      failed=1
    fi
  done < <(grep -oP "^\s*it\('\K[^']+" "$file")
done
exit "$failed"
