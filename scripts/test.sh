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

# The meeting deck's PDF is converted by LibreOffice and its pages rendered by pdftoppm (poppler-utils).
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing libreoffice-impress and poppler-utils for the meeting deck's PDF…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress \
      poppler-utils >/dev/null
  else
    echo "LibreOffice or pdftoppm is missing: run 'sudo apt-get install -y libreoffice-impress poppler-utils'." >&2
    echo "The PDF test in tests/test_meeting.py will fail until they are installed." >&2
  fi
fi

# The replica test (tests/e2e/test_replicas.py) puts two dashboards behind Debian's nginx, as docs/部署.md says.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing nginx-light for the replica test…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    (service nginx stop || true) >/dev/null 2>&1  # the test runs its own nginx on a free port
  else
    echo "nginx is missing: run 'sudo apt-get install -y nginx-light'. tests/e2e/test_replicas.py will fail until it is installed." >&2
  fi
fi

# The progress tests run on SQLite and on PostgreSQL: start a local PostgreSQL (installing Debian's postgresql
# when missing and we are root) and export WORK_REPORT_TEST_DATABASE_URL; without it those tests fail and say why.
eval "$(bash scripts/postgres.sh)"

exec .venv/bin/python -m pytest "$@"
