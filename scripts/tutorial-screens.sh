#!/usr/bin/env bash
# Takes the registration tutorial's screens anew from the real pages (e2e/tests/tutorial.test.mjs)
# into server/tutorial/, which the server builds into /documents/tutoriel-inscription.pdf.
# Run it after a change of the pages the tutorial shows, then rebuild the server.
# The lender's LENDER_NAME and SUPPORT_PHONE, if set, reach the screens too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh --tests
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/build-app.sh
cargo build --quiet -p inscription-server
TUTORIAL_UPDATE=1 node --test e2e/tests/tutorial.test.mjs
ls -l server/tutorial/
