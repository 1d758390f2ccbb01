#!/usr/bin/env bash
# Installs privacyIDEA 3.14 + gunicorn into a venv under $TESSERA_TOOLS (idempotent: a stamp file
# records the constraints that were installed; a second run with the same constraints is a no-op).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$here/../../scripts/env.sh"
venv="$TESSERA_TOOLS/privacyidea-3.14/venv"
stamp="$venv/.tessera-installed"
want=$(sha256sum "$here/constraints.txt" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/pi-manage" ]; then
  exit 0
fi
py=${PYTHON:-}
if [ -z "$py" ]; then
  for c in python3.11 python3.12 python3.13 python3.10 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys, venv; sys.exit(0 if (3,10) <= sys.version_info[:2] <= (3,14) else 1)' 2>/dev/null; then
      py=$c; break
    fi
  done
fi
[ -n "$py" ] || { echo "install-privacyidea: need Python 3.10-3.14 with venv" >&2; exit 1; }
echo "install-privacyidea: installing privacyIDEA 3.14 into $venv (with $("$py" --version))"
start=$SECONDS
mkdir -p "$(dirname "$venv")"
"$py" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -c "$here/constraints.txt" "privacyidea==3.14" gunicorn
echo "$want" > "$stamp"
echo "install-privacyidea: done in $((SECONDS - start)) s"
