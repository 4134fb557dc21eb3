#!/usr/bin/env bash
# The Python package's tests, from a fresh machine (CPython 3.9+, pip and cargo) to a second quick run:
# a virtualenv at the repository's .venv (git-ignored, reused), the pinned tools, the extension built in release
# mode into it, the stubs checked (mypy --strict on a usage file, stubtest against the compiled module), then
# pytest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
venv="$repo/.venv"
# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

# Pinned so that CI and every developer check with the same tools.
tools=(maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 hypothesis==6.170.15)

python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"
stamp="$venv/.apigw-authz-tools"
if [ "$(cat "$stamp" 2>/dev/null)" != "${tools[*]}" ]; then
  "$py" -m pip install --quiet --disable-pip-version-check "${tools[@]}"
  echo "${tools[*]}" > "$stamp"
fi

# Builds into the workspace's target/ (cargo skips what is up to date) and installs the package into the venv.
(cd "$here" && VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet --manifest-path "$here/Cargo.toml")

echo "mypy --strict (stubs, on a usage file)"
(cd "$here" && "$py" -m mypy --strict --no-error-summary python/apigw_authz tests/typing_usage.py)
echo "stubtest (stubs against the compiled module)"
(cd "$here" && "$py" -m mypy.stubtest apigw_authz --allowlist tests/stubtest-allowlist.txt)

"$py" -m pytest -q "$here/tests" "$@"
