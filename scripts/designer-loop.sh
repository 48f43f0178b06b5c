#!/usr/bin/env bash
# Measures the designers' loop (issue 18): see scripts/designer-loop.mjs. Installs what it
# needs first, as every script here does. Usage: scripts/designer-loop.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh --tests >/dev/null
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
node scripts/designer-loop.mjs "$@"
