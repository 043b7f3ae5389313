#!/usr/bin/env bash
# Start the dashboard on a free port and screenshot every page at 1920x1080 and 1366x768.
# Usage: bash tools/screenshots.sh [OUTDIR] [extra query string, e.g. "year=2022"]
# SHOT_PAGES="tasks meeting?slide=单位负荷" picks other views (default: every page).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-screenshots}
query=${2:-}
mkdir -p "$out"
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.venv/bin/python -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
  --server.headless true > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1 && break
  sleep 0.5
done
for page in ${SHOT_PAGES:-overview leaders units tasks targets about meeting}; do
  name=$(echo "$page" | tr '?=&/' '____')
  [ "$page" = overview ] && page=""
  for size in 1920x1080 1366x768; do
    w=${size%x*}; h=${size#*x}
    sep="?"; case "$page" in *\?*) sep="&";; esac
    .venv/bin/python tools/screenshot.py "http://127.0.0.1:$port/$page${query:+$sep$query}" \
      "$out/${name}_${size}.png" --width "$w" --height "$h" --full-page ${SHOT_ARGS:-}
  done
done
