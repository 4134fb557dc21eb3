#!/usr/bin/env bash
# Run one fuzz target for N executions on one core, optimized with debug assertions (overflow checks) and no
# sanitizer (the crate forbids unsafe code): ./run.sh <target> <runs> [extra libFuzzer flags]
# New inputs go to fuzz/corpus/<target> (ignored by git); the kept seeds in core/tests/fuzz-seeds/<target> are read only.
set -euo pipefail
cd "$(dirname "$0")"
target=$1; runs=$2; shift 2
mkdir -p "corpus/$target" artifacts
dict=()
case $target in policy|scenario) dict=(-dict=dict/policy.dict) ;; esac
exec cargo +nightly fuzz run -O -a -s none "$target" "corpus/$target" "../core/tests/fuzz-seeds/$target" -- \
  -runs="$runs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 "${dict[@]}" "$@"
