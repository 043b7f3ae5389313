"""The curated tables in the database, every saved version kept; the curated folder mirrors the current one.

    store: one per curated folder (named by store_name: "data/curated" for the bundled folder, or
           WORK_REPORT_STORE_NAME), pointing at its current version
    version: one file per curated table with who saved it, when and why; each file's bytes kept
           once (by checksum); versions are only ever added, never changed or deleted

    save_files(curated, changes, action, by, base)
      lock the folder on this machine (the file lock of store.py, so that one process replaces it at a time)
      → sync: the folder equals the current version (a hand edit of the folder is first saved as a version)
      → one transaction: lock the store's row (PostgreSQL: SELECT … FOR UPDATE; SQLite: BEGIN IMMEDIATE),
        the current version must be the one the change was planned on (base), else StaleBase; add the
        new version and point the store at it
      → replace the folder with the new version (store.replace_folder: staging folder, fsync, atomic swap)

A kill before the commit leaves the database as it was; after it, the folder is still the old version
until the next sync (any page run, command or save) replaces it. Readers read the folder, which is always
one whole version (the swap is atomic), and each replica's sync brings its own folder to the current
version at its next action: no shared folder is needed, only the shared database.

The first use of a store moves the folder and the saved versions of data/history/ (the file store used
before) into the database once; the files stay as they were, and the store's note says so.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from loaders import store
from loaders.clock import local_text, utc_text
from loaders.curated import DEFAULT_CURATED_DIR, SPECS, files_token, folder_stamp, parse_csv_bytes, \
    read_curated_files
from loaders.frames import load_frames
from loaders.progress.db import database_url, exists, open_database, reading

STORE_NAME_VARIABLE = "WORK_REPORT_STORE_NAME"
MARKER = ".version"  # in the folder: the store and the version the folder was made from (written with it)
LOCK_TIMEOUT = "10s"  # PostgreSQL: a save waits this long for another replica's save, then SaveBusy
HAND_EDIT = "直接修改规范表文件"

_metadata = sa.MetaData()
blobs = sa.Table("curated_blobs", _metadata,
                 sa.Column("checksum", sa.String(64), primary_key=True),
                 sa.Column("data", sa.LargeBinary, nullable=False))
version_rows = sa.Table("curated_versions", _metadata,
                        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                        sa.Column("store", sa.String(500), nullable=False),
                        sa.Column("version", sa.String(64), nullable=False),
                        sa.Column("saved_at", sa.String(40), nullable=False),
                        sa.Column("action", sa.Text, nullable=False),
                        sa.Column("saved_by", sa.String(200), nullable=False),
                        sa.Column("documents", sa.Text, nullable=False),
                        sa.Column("tasks", sa.Integer, nullable=False),
                        sa.Column("checksums", sa.Text, nullable=False))
file_rows = sa.Table("curated_files", _metadata,
                     sa.Column("version_id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.String(64), primary_key=True),
                     sa.Column("checksum", sa.String(64), nullable=False))
stores = sa.Table("curated_stores", _metadata,
                  sa.Column("name", sa.String(500), primary_key=True),
                  sa.Column("uid", sa.String(32), nullable=False),
                  sa.Column("head", sa.Integer),
                  sa.Column("created_at", sa.String(40), nullable=False),
                  sa.Column("note", sa.Text, nullable=False))

# what this process last saw of each folder: (database url, folder) → (the folder's stamp, the version it holds)
_seen: dict[tuple[str, str], tuple[str, int]] = {}


def store_name(curated: Path) -> str:
    """Return the name of a folder's store: WORK_REPORT_STORE_NAME, "data/curated" for the bundled folder, else its path.

    Replicas share a store by its name: with the bundled folder, or the same path, they
    share it without a setting.
    """
    configured = os.environ.get(STORE_NAME_VARIABLE, "").strip()
    if configured:
        return configured
    folder = Path(curated).resolve()
    return "data/curated" if folder == DEFAULT_CURATED_DIR.resolve() else str(folder)


@dataclass(frozen=True)
class _Row:
    id: int
    version: str
    saved_at: str
    action: str
    by: str
    documents: tuple[str, ...]
    tasks: int
    checksums: dict[str, str]


def _row(record) -> _Row:
    return _Row(record.id, record.version, record.saved_at, record.action, record.saved_by,
                tuple(json.loads(record.documents)), record.tasks, json.loads(record.checksums))


def _checksums_text(token: dict[str, str]) -> str:
    return json.dumps(token, sort_keys=True)


def _head(connection: Connection, name: str, lock: bool = False) -> _Row | None:
    query = sa.select(stores.c.head).where(stores.c.name == name)
    if lock and connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        query = query.with_for_update()
    head = connection.execute(query).scalar_one_or_none()
    if head is None:
        return None
    return _row(connection.execute(sa.select(version_rows).where(version_rows.c.id == head)).one())


def _files_of(connection: Connection, version_id: int) -> dict[str, bytes | None]:
    found = dict(connection.execute(
        sa.select(file_rows.c.name, blobs.c.data).join(blobs, blobs.c.checksum == file_rows.c.checksum)
        .where(file_rows.c.version_id == version_id)).all())
    return {name: found.get(name) for name in SPECS}


def _summary(files: dict[str, bytes | None]) -> tuple[list[str], int]:
    """Return the notices and the number of tasks of a version (empty for tables that do not read)."""
    try:
        documents = parse_csv_bytes(files["documents"])["doc_no"].tolist() if files["documents"] else []
    except (KeyError, ValueError, UnicodeDecodeError):
        documents = []
    try:
        tasks = len(parse_csv_bytes(files["tasks"])) if files["tasks"] else 0
    except (ValueError, UnicodeDecodeError):
        tasks = 0
    return documents, tasks


def _insert_blob(connection: Connection, checksum: str, data: bytes) -> None:
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(insert(blobs).values(checksum=checksum, data=data).on_conflict_do_nothing())


def _add_version(connection: Connection, name: str, files: dict[str, bytes | None], action: str, by: str,
                 version: str | None = None, saved_at: str | None = None) -> int:
    """Store a version of every table (missing files are left out) and return its id; the caller moves the head."""
    token = files_token(files)
    documents, tasks = _summary(files)
    version = version or _new_version_name(connection, name)
    version_id = connection.execute(sa.insert(version_rows).values(
        store=name, version=version,
        saved_at=saved_at if saved_at is not None else utc_text(),
        action=action, saved_by=by, documents=json.dumps(documents, ensure_ascii=False), tasks=tasks,
        checksums=_checksums_text(token))).inserted_primary_key[0]
    for table, data in files.items():
        if data is not None:
            checksum = token[SPECS[table].file]
            _insert_blob(connection, checksum, data)
            connection.execute(sa.insert(file_rows).values(version_id=version_id, name=table, checksum=checksum))
    return version_id


def _new_version_name(connection: Connection, name: str) -> str:
    """Return a name people read, the district's time to the microsecond, made unique within the store."""
    stamp = store.version_name()
    taken = set(connection.execute(sa.select(version_rows.c.version).where(
        version_rows.c.store == name, version_rows.c.version.startswith(stamp, autoescape=True))).scalars())
    version, number = stamp, 1
    while version in taken:  # the same microsecond (a clock set by hand, or a coarse one)
        number += 1
        version = f"{stamp}-{number}"
    return version


def _point(connection: Connection, name: str, version_id: int) -> None:
    connection.execute(sa.update(stores).where(stores.c.name == name).values(head=version_id))


def _engine(url: str | None) -> Engine:
    return open_database(database_url(url))


# --- the first use: the folder and data/history/ move in ------------------------------------------


def _create(engine: Engine, curated: Path, name: str) -> None:
    """Create the store from the folder and the saved versions of data/history/ (once; the files stay as they are)."""
    files = read_curated_files(curated)
    earlier, skipped = store.versions_to_move(curated)  # oldest first; unreadable records are left out
    now = utc_text()
    moved = f"和 data/history/ 中的 {len(earlier)} 个历史版本" if earlier else ""
    folder = f"{curated.parent.name}/{curated.name}/"
    note = (f"{local_text(now)} 首次使用数据库时，{folder} 中的规范表{moved}已存入数据库，"
            "原文件保留未动；此后的保存与恢复都记在数据库中。" + "".join(f"{s}。" for s in skipped))
    insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
    uid = uuid.uuid4().hex
    with engine.begin() as connection:
        created = connection.execute(insert(stores).values(name=name, uid=uid, head=None, created_at=now, note=note)
                                     .on_conflict_do_nothing().returning(stores.c.name)).first()
        if created is None:
            return  # another process created it first (its transaction held this one until it committed)
        # a history record says what replaced its version: that is how the next version was made
        made = [("迁入数据库前最早的版本", "", "")] + [(v.action, v.by, v.saved_at) for _, v in earlier]
        for (kept, version), (action, by, saved_at) in zip(earlier, made):
            _add_version(connection, name, read_curated_files(kept), action, by, version=version.version,
                         saved_at=saved_at)
        action, by, saved_at = made[-1] if earlier else (f"初始数据（{folder} 中的文件）", "", now)
        head = _add_version(connection, name, files, action, by, saved_at=saved_at)
        _point(connection, name, head)
    try:
        with store.writer_lock(curated, wait=0):
            if files_token(read_curated_files(curated)) == files_token(files):
                _mark(curated, name, uid, head)  # the folder is this version: a later edit of it is told apart
    except (store.SaveBusy, OSError):
        pass


def note(curated: Path, url: str | None = None) -> str:
    """Return what the first use of the store moved into the database, in words ("" before it)."""
    with reading(_engine(url)) as connection:
        found = connection.execute(sa.select(stores.c.note).where(stores.c.name == store_name(curated)))
        return found.scalar_one_or_none() or ""


# --- the folder follows the database -------------------------------------------------------------


def sync(curated: Path, url: str | None = None, adopt: bool = True) -> None:
    """Bring the folder to the store's current version (creating the store on first use).

    Cheap when nothing changed: one small query and a look at the folder's file stamps.
    Creates no database: without one, nothing was saved yet. What a hand edit of the folder
    becomes is _sync_locked's rule (adopt=False, for commands that only read: left as it
    is). When another process of this machine is replacing the folder, or another writer
    holds the database, the folder is read as it is.
    """
    curated = Path(curated)
    url = database_url(url)
    if not exists(url):
        return  # no database yet (a SQLite file not created): nothing was saved, the folder is current
    engine = _engine(url)
    name = store_name(curated)
    try:
        with reading(engine) as connection:  # the usual run: one small query, and the folder's stamps
            head_id = connection.execute(sa.select(stores.c.head).where(stores.c.name == name)).scalar()
        if head_id is not None and _seen.get((url, str(curated))) == (folder_stamp(curated), head_id):
            return
        if adopt:
            head = _ensure(engine, curated, name)
        else:  # a command that only reads: no store is made for it
            with reading(engine) as connection:
                head = _head(connection, name)
        if head is None or _seen.get((url, str(curated))) == (folder_stamp(curated), head.id):
            return
        stamp = folder_stamp(curated)
        if files_token(read_curated_files(curated)) == head.checksums and not store.interrupted(curated) \
                and _marked(curated, name) == head.id:
            _seen[(url, str(curated))] = (stamp, head.id)  # in step: nothing to write, no lock to take
            return
        with store.writer_lock(curated, wait=0):
            _sync_locked(engine, curated, name, url, adopt)
    except store.SaveBusy:
        pass
    except OperationalError as error:
        if not _locked(error):
            raise  # a lock held by a save elsewhere: read the folder as it is, the next run catches up


def _locked(error: OperationalError) -> bool:
    """Whether the database refused because another writer holds the store (SQLite busy, PostgreSQL lock timeout)."""
    return "lock" in str(error).lower()


def _ensure(engine: Engine, curated: Path, name: str) -> _Row | None:
    """Return the store's current version, creating the store from the folder on first use (None: no folder)."""
    with reading(engine) as connection:
        head = _head(connection, name)
    if head is None and curated.is_dir():
        _create(engine, curated, name)
        with reading(engine) as connection:
            head = _head(connection, name)
    return head


def _marker_bytes(name: str, uid: str, version_id: int) -> bytes:
    return json.dumps({"store": name, "uid": uid, "version": version_id}, ensure_ascii=False).encode("utf-8")


def _marked(curated: Path, name: str, uid: str | None = None) -> int | None:
    """Return the version of this store the folder was made from or found equal to (None: not known here).

    uid None: the store's name only (the fast path; the uid is checked under the lock).
    """
    try:
        marker = json.loads((curated / MARKER).read_text("utf-8"))
        ours = marker.get("store") == name and (uid is None or marker.get("uid") == uid)
        return int(marker["version"]) if ours else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _mark(curated: Path, name: str, uid: str, version_id: int) -> None:
    """Record in the folder the version its files equal (a temporary file renamed over the old record)."""
    temporary = curated / f"{MARKER}.tmp"
    temporary.write_bytes(_marker_bytes(name, uid, version_id))
    os.replace(temporary, curated / MARKER)


def _uid(connection: Connection, name: str) -> str:
    return connection.execute(sa.select(stores.c.uid).where(stores.c.name == name)).scalar_one()


def _complete(files: dict[str, bytes | None]) -> bool:
    """Whether a folder holds every required table with a header (an empty or half-copied folder does not)."""
    return all(files[table] for table, spec in SPECS.items() if not spec.optional_file)


def _sync_locked(engine: Engine, curated: Path, name: str, url: str, adopt: bool = True) -> None:
    """sync() with the folder's lock held.

    - The folder's files are the current version: nothing to do (the marker is put right).
    - They are the version the folder was last made from (its marker): another process
      saved since, so the folder becomes the current version.
    - They were edited by hand on the current version, every table still there: the edit is
      saved as a version and made current (adopt; a command that only reads leaves it).
    - Anything else (a hand edit on a version another replica has replaced since, a folder
      this store did not make, an empty or half-copied one): the folder is moved aside
      whole (.<name>.kept-<time>, named by damaged_records) and the current version put in
      its place, so neither the folder's content nor anyone's save is lost.
    """
    store.recover_folder(curated)  # a kill in the middle of replacing the folder
    files = read_curated_files(curated)
    token = files_token(files)
    with reading(engine) as connection:
        head, uid = _head(connection, name), _uid(connection, name)
        marked = _marked(curated, name, uid)
        if token == head.checksums:
            if marked != head.id and curated.is_dir():
                _mark(curated, name, uid, head.id)
            _seen[(url, str(curated))] = (folder_stamp(curated), head.id)
            return
        stale = marked is not None and connection.execute(sa.select(version_rows.c.id).where(
            version_rows.c.id == marked, version_rows.c.checksums == _checksums_text(token))).first() is not None
    if not stale and not adopt:
        return  # read as it is; the next save or page run settles it
    if not stale and marked == head.id and _complete(files):
        with engine.begin() as connection:  # a hand edit of the current version: kept as the current version
            if _head(connection, name, lock=True).id == marked:
                version_id = _add_version(connection, name, files, HAND_EDIT, "")
                _point(connection, name, version_id)
            else:
                version_id = None  # another replica saved meanwhile: set aside below
        if version_id is not None:
            _mark(curated, name, uid, version_id)
            _seen[(url, str(curated))] = (folder_stamp(curated), version_id)
            return
    with reading(engine) as connection:  # the current version in place of the folder
        head = _head(connection, name)
        current = _files_of(connection, head.id)
    keep = None if stale or not curated.is_dir() else \
        curated.parent / f".{curated.name}.kept-{store.version_name()}"
    store.replace_folder(curated, current, {MARKER: _marker_bytes(name, uid, head.id)}, keep_old_as=keep)
    _seen[(url, str(curated))] = (folder_stamp(curated), head.id)


# --- saving, history, restore ---------------------------------------------------------------------


def save_files(curated: Path, changes: dict[str, bytes], action: str, by: str = "",
               base: dict[str, str] | None = None, url: str | None = None) -> str:
    """Save a new version with the named tables replaced; return the name of the version it replaces.

    base: the checksums the change was planned on (ImportPlan.base); StaleBase when the
    current version differs (another save, on any replica, or a hand edit of the folder).
    """
    curated = Path(curated)
    url = database_url(url)
    engine = _engine(url)
    name = store_name(curated)
    with store.writer_lock(curated):
        try:
            if _ensure(engine, curated, name) is None:
                raise FileNotFoundError(2, "规范表目录不存在", str(curated))
            _sync_locked(engine, curated, name, url)
            with engine.begin() as connection:
                head = _head(connection, name, lock=True)
                if base is not None and base != head.checksums:
                    changed = [file for file in head.checksums if head.checksums[file] != base.get(file)]
                    latest = _history(connection, name)[:1]
                    by_hand = latest and latest[0].action == HAND_EDIT
                    raise store.StaleBase(changed, None if by_hand else latest[0] if latest else None)
                current = _files_of(connection, head.id)
                new = {table: changes[table] if table in changes else current[table] for table in SPECS}
                missing = [SPECS[table].file for table, data in new.items()
                           if data is None and not SPECS[table].optional_file]
                if missing:
                    raise FileNotFoundError(2, "规范表缺少文件", "、".join(missing))
                new = {table: data if data is not None else SPECS[table].empty_bytes() for table, data in new.items()}
                version_id = _add_version(connection, name, new, action, by)
                _point(connection, name, version_id)
                uid = _uid(connection, name)
        except OperationalError as error:
            if _locked(error):
                raise store.SaveBusy("另一位管理员正在保存数据，请稍后再试") from error
            raise
        store.replace_folder(curated, new, {MARKER: _marker_bytes(name, uid, version_id)})
        _seen[(url, str(curated))] = (folder_stamp(curated), version_id)
    return head.version


def _history(connection: Connection, name: str) -> list[store.Version]:
    rows = [_row(r) for r in connection.execute(
        sa.select(version_rows).where(version_rows.c.store == name).order_by(version_rows.c.id))]
    head = _head(connection, name)
    if head is not None:
        rows = [row for row in rows if row.id <= head.id]
    # each earlier version is listed with what replaced it, as the history has always said
    return [store.Version(old.version, new.saved_at, new.action, new.by, old.documents, old.tasks)
            for old, new in reversed(list(zip(rows, rows[1:])))]


def versions(curated: Path, finish_pending: bool = True, url: str | None = None) -> list[store.Version]:
    """Return the earlier versions, newest first (each with the save that replaced it).

    Before the database exists (nothing saved with it yet), those under data/history/ if any.
    """
    if not exists(database_url(url)):
        return store.file_versions(curated)
    if finish_pending:
        sync(curated, url)
    with reading(_engine(url)) as connection:
        return _history(connection, store_name(curated))


def version_files(curated: Path, version: str, url: str | None = None) -> dict[str, bytes | None]:
    """Return the tables of an earlier version by name; KeyError when there is none by that name."""
    if not exists(database_url(url)):
        return read_curated_files(store.version_dir(curated, version))
    name = store_name(curated)
    head = sa.select(stores.c.head).where(stores.c.name == name).scalar_subquery()
    with reading(_engine(url)) as connection:
        version_id = connection.execute(sa.select(version_rows.c.id).where(  # an earlier version, as _history lists
            version_rows.c.store == name, version_rows.c.version == version, version_rows.c.id < head)).scalar()
        if version_id is None:
            raise KeyError(version)
        return _files_of(connection, version_id)


def restore(curated: Path, version: str, by: str = "", url: str | None = None) -> str:
    """Make an earlier version current again (as a new version; the one it replaces stays in the history)."""
    files = version_files(curated, version, url)
    with tempfile.TemporaryDirectory() as folder:  # a version that no longer loads is not put back
        for table, data in files.items():
            if data is not None:
                Path(folder, SPECS[table].file).write_bytes(data)
        load_frames(Path(folder))
    # a version saved before a table existed (task_links) lacks its file: restored as that table without rows
    changes = {table: data if data is not None or not SPECS[table].optional_file else SPECS[table].empty_bytes()
               for table, data in files.items() if data is not None or SPECS[table].optional_file}
    return save_files(curated, changes, f"恢复到版本 {version}", by, url=url)
