#!/usr/bin/env bash
# Set up (first run only) and run every test, including the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The browser tests drive Debian's Chromium; install it (and CJK fonts) when missing and we can.
chromium_bin=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium and fonts-noto-cjk for the browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "Chromium or Noto CJK fonts are missing: run 'sudo apt-get install -y chromium fonts-noto-cjk'." >&2
    echo "The browser tests in tests/e2e will fail until they are installed." >&2
  fi
fi

# The progress tests run on SQLite and on PostgreSQL: start a local PostgreSQL (installing Debian's postgresql
# when missing and we are root) and export WORK_REPORT_TEST_DATABASE_URL; without it those tests fail and say why.
eval "$(bash scripts/postgres.sh)"

exec .venv/bin/python -m pytest "$@"
