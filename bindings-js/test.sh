#!/usr/bin/env bash
# The npm package's tests, from a fresh machine (cargo, rustup, Node 18+ and npm) to a second quick run: the
# wasm32 target, wasm-bindgen-cli at the crate's pinned version (cargo install, cached in ~/.cargo/bin), the npm
# devDependencies from package-lock.json (binaryen's wasm-opt, typescript), the package built into dist/, the
# command line the tests compare with, then `node --test` and `tsc --noEmit` on the typed usage file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# wasm-bindgen-cli must be exactly the version Cargo.toml pins (`wasm-bindgen = "=0.2.x"`).
version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$here/Cargo.toml")"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
  echo "installing wasm-bindgen-cli $version (about 2.5 minutes, once)"
  cargo install --quiet wasm-bindgen-cli --version "$version"
fi

cd "$here"
# `npm ci` only when package-lock.json changed since the last install (node_modules/ is git-ignored and kept).
stamp=node_modules/.apigw-authz-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

node scripts/build.mjs
(cd "$repo" && cargo build --quiet -p apigw-authz-cli)
export APIGW_AUTHZ_CLI="${CARGO_TARGET_DIR:-$repo/target}/debug/apigw-authz"

echo "tsc --noEmit (declarations, on a typed usage file)"
node_modules/.bin/tsc --noEmit -p test/types

node --test test/*.test.mjs
