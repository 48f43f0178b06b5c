#!/usr/bin/env bash
# The benchmark suite (BENCHMARKS.md): builds the release server, prints the first-load
# size of each bundle, then runs server/examples/bench.rs against the binary. Figures, not assertions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/size.sh | grep -E "html:|first load"
cargo build --quiet --release -p inscription-server --bin inscription-server --example bench
target/release/examples/bench target/release/inscription-server
export PATH="$root/node_modules/.bin:$PATH"
E2E_SERVER_BIN=target/release/inscription-server node e2e/bench.mjs
