#!/usr/bin/env bash
# apigw-authz beside the engines users would pick instead, measured in one run on one machine (a harness, not a
# test: nothing in scripts/test or .ci/run calls it). See benchmarks/README.md.
#
#   benchmarks/run.sh                  everything: about 10 minutes once built (the first run builds for longer)
#   BENCH_SECONDS=0.3 benchmarks/run.sh   shorter timed runs, for a quick look
#
# 1. installs the peers from their registries: @cloud-copilot/iam-simulate and @cedar-policy/cedar-wasm (npm,
#    into benchmarks/node_modules, versions pinned by package-lock.json), cedarpy and matplotlib (PyPI, into
#    benchmarks/.venv); Cedar's Rust crate comes with the Rust runner (benchmarks/rust, its own Cargo.lock);
# 2. builds what is missing of ours: the npm package (bindings-js/test.sh) and the Python package
#    (bindings-python/test.sh, into the repository's .venv);
# 3. writes the four scenarios for every engine (scenarios.py), runs the Rust, Node and Python runners, and
#    report.py checks that every engine decided every request alike (exit 1 if not), prints the tables and
#    redraws benchmarks/growth.png. Results: benchmarks/.cache/results/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cache="$here/.cache"
results="$cache/results"
seconds="${BENCH_SECONDS:-1.5}"
# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
mkdir -p "$results"
step() { printf '\n== %s\n' "$*" >&2; }

step "peers: npm (package-lock.json) and PyPI (requirements.txt)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

step "ours: the npm package and the Python package"
if [ ! -f "$repo/bindings-js/dist/node/index.js" ] || [ ! -f "$repo/bindings-js/dist/web/apigw_authz_bg.wasm" ]; then
  "$repo/bindings-js/test.sh" >&2
fi
if ! "$repo/.venv/bin/python" -c 'import apigw_authz' 2>/dev/null; then
  "$repo/bindings-python/test.sh" >&2
fi

step "the Rust runner (release)"
CARGO_TARGET_DIR="$cache/target" cargo build --release --quiet --manifest-path "$here/rust/Cargo.toml"
bench="$cache/target/release/apigw-authz-bench"

step "scenarios"
python3 "$here/scenarios.py" "$cache/scenarios"

step "Rust front"
"$bench" scenarios "$cache/scenarios" --seconds "$seconds" > "$results/rust.json"
"$bench" seeds "$repo/examples/scenarios" --seconds "$seconds" > "$results/seeds.json"
"$bench" memory > "$results/memory.json"
"$bench" growth --seconds "$seconds" > "$results/growth.json"

step "Node front"
node "$here/node/bench.mjs" "$cache/scenarios" "$results/node.json" --seconds "$seconds"

step "Python front"
"$repo/.venv/bin/python" "$here/python/bench.py" "$cache/scenarios" "$results/python-ours.json" \
  --engine apigw-authz --seconds "$seconds"
"$here/.venv/bin/python" "$here/python/bench.py" "$cache/scenarios" "$results/python-cedarpy.json" \
  --engine cedarpy --seconds "$seconds"

step "report"
"$here/.venv/bin/python" "$here/report.py" "$results"
