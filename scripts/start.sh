#!/usr/bin/env bash
# Set up (first run only) and start the dashboard on the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m loaders validate
exec .venv/bin/python -m streamlit run app.py "$@"
