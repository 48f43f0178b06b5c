#!/usr/bin/env bash
# Builds the single-page app's bundles for release into dist/ (small wasm profile, wasm-opt -Oz),
# then precompresses it so the server sends brotli or gzip without compressing per request.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$root"
# Six bundles (see shared/src/bundles.rs): home and the wizard's first step, then its
# second step in dist/etape-2, sign-in and the other pages open to all in dist/acces, the
# signed-in spaces in dist/espaces, the operators' back office in dist/back-office and the
# designers' gallery in dist/atelier (after, since the first build empties dist/).
trunk build --release --offline >/dev/null
trunk build etape-2.html --release --offline --dist dist/etape-2 --public-url /etape-2/ >/dev/null
trunk build acces.html --release --offline --dist dist/acces --public-url /acces/ >/dev/null
trunk build espaces.html --release --offline --dist dist/espaces --public-url /espaces/ >/dev/null
trunk build back-office.html --release --offline --dist dist/back-office --public-url /back-office/ >/dev/null
trunk build galerie.html --release --offline --dist dist/atelier --public-url /atelier/ >/dev/null
node scripts/minify-glue.mjs dist
# Step 1 fetches the second step's files ahead: their name goes into the public page.
step2=$(basename dist/etape-2/inscription-step2-*_bg.wasm _bg.wasm)
sed -i "s#<meta name=inscription-step2>#<meta content=$step2 name=inscription-step2>#" dist/index.html
grep -q "content=$step2 name=inscription-step2" dist/index.html ||
  { echo "build-app: the public page's inscription-step2 meta is not as trunk wrote it" >&2; exit 1; }
node scripts/start-after-paint.mjs dist
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.txt' \) |
  while read -r f; do
    brotli -f -k -q 11 "$f"
    gzip -f -k -9 "$f"
  done
echo "app built in dist/" >&2
