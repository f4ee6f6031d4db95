#!/usr/bin/env bash
# Creates (if missing) the Python venv used by the integration tests and installs the pinned
# requirements into it. Idempotent and quiet: a second run only checks the pins.
#
#   integration/setup-venv.sh            # venv at $CODEGEN_VENV or ~/.cache/aws-codegen/venv
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${CODEGEN_VENV:-$HOME/.cache/aws-codegen/venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "setup-venv: creating $venv" >&2
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
echo "$want" > "$stamp"
echo "setup-venv: $venv ready ($(grep -v "^#" "$here/requirements.txt" | xargs))" >&2
