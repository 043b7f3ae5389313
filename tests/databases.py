"""The test databases: SQLite files made per test, and the one PostgreSQL database scripts/postgres.sh starts."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from loaders.progress.db import forget, make_engine

POSTGRES_VARIABLE = "WORK_REPORT_TEST_DATABASE_URL"


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        pytest.fail(f"{POSTGRES_VARIABLE} is not set: the database tests also run on PostgreSQL. Run "
                    "`bash scripts/test.sh` (installs and starts Debian's postgresql when run as root), or "
                    "`sudo apt-get install -y postgresql` and `eval \"$(bash scripts/postgres.sh)\"` before pytest.")
    return url


def wiped_postgres() -> str:
    """Return the URL of the test PostgreSQL database, emptied (not yet migrated)."""
    url = postgres_url()
    forget(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
