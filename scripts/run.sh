#!/usr/bin/env bash
# Runs the whole product: the app built for release and served, with the API, by one
# server process on SQLite in DATA_DIR (default ./data), demo establishments loaded on the
# first start. PORT (default 8080), DATA_DIR and every variable of the README apply.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build-app.sh
cargo build --release --quiet -p inscription-server
# The public address by a name, not 127.0.0.1: passkeys belong to a domain name.
export DEMO_DATA="${DEMO_DATA:-true}" STATIC_DIR="${STATIC_DIR:-$root/dist}"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:${PORT:-8080}}"
echo "Inscription: $PUBLIC_URL/ (data in ${DATA_DIR:-data}/)" >&2
exec target/release/inscription-server serve
