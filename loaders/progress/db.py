"""The progress database: an engine from a URL, migrated to the newest schema on first use.

SQLite file data/progress.sqlite3 by default (created on first start); PostgreSQL
when WORK_REPORT_DATABASE_URL (or `[database] url` in the app's secrets) names one,
e.g. postgresql+psycopg://user:password@host/db — the setup for several replicas.
"""

from __future__ import annotations

import os
import threading
import tomllib
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "data" / "progress.sqlite3"
SECRETS = ROOT / ".streamlit" / "secrets.toml"
URL_VARIABLE = "WORK_REPORT_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_ONLY_OPTION = "work_report_read_only"
_MIGRATION_LOCK_ID = 727013  # pg_advisory_lock key: one replica migrates at a time

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url(configured: str | None = None) -> str:
    """Return the database URL: the one given, else WORK_REPORT_DATABASE_URL, else `[database] url` of
    .streamlit/secrets.toml (so that commands write where the dashboard does), else the SQLite file under data/."""
    return configured or os.environ.get(URL_VARIABLE) or _secrets_url() or f"sqlite:///{DEFAULT_PATH}"


def _secrets_url() -> str | None:
    try:
        section = tomllib.loads(SECRETS.read_text("utf-8")).get("database")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    url = section.get("url") if isinstance(section, dict) else None
    return str(url) if url else None


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def exists(url: str) -> bool:
    """Return whether the database may hold data (False only for a SQLite file not created yet)."""
    if not is_sqlite(url):
        return True
    database = make_url(url).database
    return bool(database) and Path(database).exists()


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # let SQLAlchemy, not the driver, open transactions, so that writers take the lock at BEGIN
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # BEGIN IMMEDIATE: concurrent writers queue on the lock instead of failing on upgrade;
        # a connection opened by reading() only reads, and does not wait for (or hold up) writers
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    """Return a new engine for url (no migration)."""
    if is_sqlite(url):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (alembic upgrade head); safe when several processes start at once."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        lock = FileLock(f"{database}.migrate.lock") if database and database != ":memory:" else threading.Lock()
        with lock, engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
    else:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_ID})
            connection.commit()
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_ID})
                connection.commit()


def open_database(url: str | None = None) -> Engine:
    """Return the (shared, migrated) engine of a URL, creating and migrating the database on first use."""
    url = database_url(url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            migrate(engine)
            _engines[url] = engine
        return engine


def forget(url: str) -> None:
    """Dispose of the shared engine of url (tests that drop and recreate a database)."""
    with _engines_lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def reading(engine: Engine):
    """Yield a connection that only reads (on SQLite a deferred transaction: it takes no write lock)."""
    with engine.connect() as connection:
        connection.execution_options(**{READ_ONLY_OPTION: True})
        yield connection


@contextmanager
def transaction(engine: Engine):
    """Yield a session inside one transaction: committed when the block ends, rolled back on any error."""
    with sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        yield session
