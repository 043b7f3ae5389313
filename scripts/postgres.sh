#!/usr/bin/env bash
# Start a local PostgreSQL for the progress tests (installing Debian's `postgresql` when missing and we are root)
# and print the line that exports its URL:  eval "$(bash scripts/postgres.sh)"
# Idempotent and fast when the server, the role and the database already exist. Messages go to stderr.
set -euo pipefail
db=${WORK_REPORT_TEST_DB:-work_report_test}
role=work_report
password=work_report

say() { echo "$@" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing postgresql for the progress tests…"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    say "PostgreSQL is missing: run 'sudo apt-get install -y postgresql' (the progress tests run on SQLite and PostgreSQL)."
    exit 0  # the PostgreSQL tests then fail and say the same
  fi
fi

# the first cluster Debian created (e.g. "15 main 5432"); create one when there is none
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1) || true
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
fi
if [ "$status" != online ]; then
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster "$version" "$cluster" start >&2
  else
    say "PostgreSQL $version/$cluster is not running: run 'sudo pg_ctlcluster $version $cluster start'."
    exit 0
  fi
fi

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
psql_cmd="psql -p $port -X -q -t -A"
if [ "$(as_postgres "$psql_cmd -c \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != 1 ]; then
  as_postgres "$psql_cmd -c \"CREATE ROLE $role LOGIN PASSWORD '$password'\"" >&2
fi
if [ "$(as_postgres "$psql_cmd -c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")" != 1 ]; then
  as_postgres "createdb -p $port -O $role $db" >&2
fi
echo "export WORK_REPORT_TEST_DATABASE_URL=postgresql+psycopg://$role:$password@localhost:$port/$db"
