#!/usr/bin/env bash
# Installs whatever the project needs and the machine lacks, and nothing else: a second run
# installs nothing. Everything comes from the package registries (crates.io, npm, Debian);
# nothing downloads a prebuilt binary. Usage: scripts/setup.sh [--tests]
#   (no flag) what building and running the product needs
#   --tests   also what the tests need: Chromium and its driver, poppler's pdftotext, and
#             Apache with mod_auth_openidc (a real OpenID Connect relying party), and
#             zbar's zbarimg (reads the QR code the page draws, as a phone would)
# Source it (`. scripts/setup.sh`) or run it; it leaves PATH ready in either case.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { echo "setup: $*" >&2; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

rustup target list --installed | grep -qx wasm32-unknown-unknown ||
  { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

# trunk 0.21.14: 0.22 needs a newer rustc than this machine's.
trunk --version 2>/dev/null | grep -q ' 0\.21\.14$' ||
  { say "building trunk (about 10 minutes, once)"; cargo install trunk --locked --version 0.21.14; }

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock (and of Trunk.toml).
wb=$(grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
grep -q "wasm_bindgen = \"$wb\"" "$root/Trunk.toml" ||
  { say "Trunk.toml must pin wasm_bindgen = \"$wb\" (the version in Cargo.lock)"; exit 1; }
wasm-bindgen --version 2>/dev/null | grep -q " $wb\$" ||
  { say "building wasm-bindgen-cli $wb"; cargo install wasm-bindgen-cli --version "$wb"; }

# npm packages (wasm-opt from binaryen, Playwright, axe-core), exactly as package-lock.json says.
if ! cmp -s "$root/package-lock.json" "$root/node_modules/.package-lock.json.installed"; then
  say "installing npm packages"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$root/package-lock.json" "$root/node_modules/.package-lock.json.installed"
fi

packages=(brotli)
[ "${1:-}" = "--tests" ] && packages+=(chromium chromium-driver poppler-utils apache2 libapache2-mod-auth-openidc zbar-tools)
apt_install "${packages[@]}"

# Tests only, from PyPI: a real SMTP server (aiosmtpd) that the e-mail tests send to, and
# schemathesis, which generates requests from the API's OpenAPI document.
python_tools=(aiosmtpd==1.4.6 schemathesis==4.32.5)
if [ "${1:-}" = "--tests" ] && ! cmp -s <(printf '%s\n' "${python_tools[@]}") "$root/.tools/venv/installed" 2>/dev/null; then
  say "installing ${python_tools[*]} for the tests"
  python3 -m venv "$root/.tools/venv"
  "$root/.tools/venv/bin/pip" install --quiet --disable-pip-version-check "${python_tools[@]}"
  printf '%s\n' "${python_tools[@]}" > "$root/.tools/venv/installed"
fi
