#!/usr/bin/env bash
# Runs every test: the shared rules' unit and property tests, the server's integration
# tests over HTTP (SQLite, and PostgreSQL when INSCRIPTION_TEST_POSTGRES_URL names a
# server), and the browser tests in headless Chromium against the real server binary
# (on SQLite, then on PostgreSQL when it is given), and schemathesis' requests generated
# from the OpenAPI document. Installs what is missing first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh --tests
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

pg="${INSCRIPTION_TEST_POSTGRES_URL:-}"
[ -n "$pg" ] || echo "PostgreSQL: INSCRIPTION_TEST_POSTGRES_URL is not set, so the PostgreSQL half of the tests is skipped (server tests and browser tests run on SQLite only)."

scripts/build-app.sh
cargo test --quiet
cargo build --quiet -p inscription-server   # the binary the browser tests start
scripts/schemathesis.sh

rm -rf e2e/artifacts
echo "Browser tests on SQLite"
node --test e2e/tests/*.test.mjs
if [ -n "$pg" ]; then
  echo "Browser tests on PostgreSQL"
  E2E_POSTGRES_URL="$pg" node --test e2e/tests/*.test.mjs
fi
