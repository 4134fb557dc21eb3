#!/usr/bin/env bash
# End-to-end test of the browser policy editor, from a fresh machine, idempotent:
#   1. the npm package (../../bindings-js/dist) is built if missing, by its own build script;
#   2. npm ci (the committed package-lock.json), then vite build into dist/;
#   3. Debian's Chromium is installed with apt-get if /usr/bin/chromium is missing (playwright-core never
#      downloads a browser);
#   4. node --test drives it headless against dist/ served on 127.0.0.1, and saves screenshot.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ ! -f "$repo/bindings-js/dist/web/apigw_authz_bg.wasm" ]; then
  echo "the npm package is not built: building bindings-js"
  if [ -x "$repo/bindings-js/test.sh" ]; then
    # Its set-up (wasm32 target, pinned wasm-bindgen-cli, npm ci) and build, then its own tests.
    "$repo/bindings-js/test.sh"
  else
    # What bindings-js/scripts/build.mjs needs: the wasm32 target, wasm-bindgen-cli at the crate's pinned version,
    # and its npm devDependencies (binaryen's wasm-opt).
    pinned="$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' "$repo/bindings-js/Cargo.toml")"
    rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $pinned" ] || cargo install --quiet --locked wasm-bindgen-cli --version "$pinned"
    (cd "$repo/bindings-js" && npm ci --no-audit --no-fund && npm run build)
  fi
fi

cd "$here"
# npm ci when the lock file changed since the last install (or nothing is installed yet).
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.editor-lock; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.editor-lock
fi
npx vite build --logLevel warn

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's Chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

node --test --test-concurrency=1 --test-timeout=240000 test/*.test.mjs
