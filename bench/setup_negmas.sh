#!/usr/bin/env bash
# Create bench/.venv-negmas with NegMAS 0.16.0, the peer the benchmarks measure against.
# NegMAS lives only in this virtual environment: peacetalks never imports it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-negmas"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "negmas==0.16.0"
"$venv/bin/python" -c "import negmas; print('negmas', negmas.__version__, 'in', '$venv')"
