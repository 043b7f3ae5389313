"""落实进度 in Streamlit: the shared database engine, cached boards per data version, reporter login."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date, timezone

import pandas as pd
import streamlit as st
from sqlalchemy import func, select as sql_select
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitSecretNotFoundError

from loaders.progress import board as boards
from loaders.progress.accounts import LoginRefused, log_in, writer_for_email
from loaders.progress.db import URL_VARIABLE, database_url, open_database
from loaders.progress.models import Comment, Milestone, NoticeCadence, Report
from loaders.progress.periods import local_today
from loaders.progress.reports import (LOCAL_TIME, Writer, cadences, comments_frame, milestones_frame, reports_frame,
                                      task_book)
from loaders.progress.status import STATUS_COLUMNS, coordination_items, reported_as_of, status_of
from loaders.select import Filters, select
from ui.access import auth_configured, current_admin, oidc_user
from ui.data import cached_frames, data_key, ensure_entry_point, shared
from ui.show import caption, literal

_WRITER = "_progress_writer"


def configured_url() -> str:
    """Return the database URL: WORK_REPORT_DATABASE_URL, else [database] url in secrets, else the SQLite file."""
    if os.environ.get(URL_VARIABLE):
        return database_url()
    try:
        section = st.secrets.get("database")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        section = None
    return database_url(str(section.get("url", "")) if section else None)


@st.cache_resource(show_spinner="正在连接落实进度数据库…")
def _engine(url: str):
    return open_database(url)


def engine():
    """Return the shared, migrated engine; show what is wrong and stop when the database cannot be reached."""
    try:
        return _engine(configured_url())
    except (SQLAlchemyError, OSError) as error:
        st.error("无法打开落实进度数据库，请检查 WORK_REPORT_DATABASE_URL 或 secrets.toml 中的 [database] url，"
                 "以及数据库服务是否运行。")
        st.text(type(error).__name__)
        st.stop()
        raise


def progress_stamp() -> str:
    """Return when the latest progress report was saved and by which unit ("" before the first report).

    Shown in every page's sidebar under the data stamp. Read at most once a second
    per process, like data_version(): a report saved in this process forgets it
    (forget_version), other replicas show it within a second. A database that
    cannot be reached is named, and the page itself goes on.
    """
    return _recent_stamp(configured_url())


@st.cache_resource(ttl=1, max_entries=8, show_spinner=False)
def _recent_stamp(url: str) -> str:
    try:
        with _engine(url).connect() as connection:
            latest = connection.execute(sql_select(Report.reported_at, Report.unit).order_by(Report.id.desc())
                                        .limit(1)).first()
    except (SQLAlchemyError, OSError):
        return "落实进度数据库暂时无法连接，进度数据未显示"
    if latest is None:
        return ""
    saved = latest.reported_at.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME)
    return f"进度填报更新于 {saved:%Y-%m-%d %H:%M}（{latest.unit}）"


def today() -> date:
    return local_today()


def data_version() -> str:
    """Return a key that changes whenever anything is written, read at most once a second per process.

    Counting the reports (which catches saves committed out of id order on PostgreSQL)
    takes 15–20 ms at ×100, and a page asks two or three times per run; a write in this
    process forgets the stored key (forget_version), so the writer sees it at once and
    other replicas within a second.
    """
    engine()  # shows what is wrong and stops when the database cannot be reached
    return _recent_version(configured_url())


@st.cache_resource(ttl=1, max_entries=8, show_spinner=False)
def _recent_version(url: str) -> str:
    return _version(_engine(url), url)


def forget_version() -> None:
    """Make the next data_version() read the database again (called after every write from the pages)."""
    _recent_version.clear()
    _recent_stamp.clear()


def _version(db, url: str) -> str:
    with db.connect() as connection:
        # the count too: on PostgreSQL a save can commit after a later id is visible, not raising max(id)
        marks = [connection.execute(sql_select(func.max(model.id), func.count(model.id))).one()
                 for model in (Report, Milestone, NoticeCadence, Comment)]
    return f"{url}|{marks}"


@st.cache_resource(show_spinner=False)
def _report_log(url: str) -> dict:
    """The reports read so far from one database, shared by every session (with a lock for the update)."""
    return {"lock": threading.Lock(), "frame": None}


def _reports(url: str) -> pd.DataFrame:
    """Return every report stored in the database, reading only those stored since the last call.

    Reports are append-only (the database refuses UPDATE and DELETE), so the rows read
    before stay true and only newer ids need reading: at ×100 (100,000 reports) a full
    read takes seconds, which every save would otherwise cost the next viewer. The
    stored count checks that no row was missed.
    """
    log = _report_log(url)
    with log["lock"]:
        frame = log["frame"]
        last = int(frame["id"].max()) if frame is not None and len(frame) else 0
        db = open_database(url)
        if last and not _still_stored(db, frame[frame["id"] == last].iloc[0]):
            frame, last = None, 0  # the database was replaced (a restore; tests recreate it): read it all
        new = reports_frame(db, after_id=last)
        if frame is None or not len(frame):
            frame = new
        elif len(new):
            frame = pd.concat([frame, new], ignore_index=True)
        with db.connect() as connection:
            stored = connection.execute(sql_select(func.count(Report.id))).scalar()
        if stored != len(frame):
            # on PostgreSQL two saves can commit out of id order, so a lower id may appear after a
            # higher one was read: then read everything again (rare; the count catches it)
            frame = reports_frame(db)
        log["frame"] = frame
        return frame


def _still_stored(db, row) -> bool:
    """Return whether the database still holds this report as read (same id, task and time)."""
    with db.connect() as connection:
        found = connection.execute(sql_select(Report.task_id, Report.reported_at).where(Report.id == int(row["id"]))
                                   ).first()
    return found is not None and found.task_id == row["task_id"] and pd.Timestamp(found.reported_at) == row["reported_at"]


@st.cache_resource(max_entries=4, show_spinner=False)
def _stored(version: str):
    url = version.split("|", 1)[0]
    db = open_database(url)
    return _reports(url), milestones_frame(db), cadences(db), comments_frame(db)


def stored():
    """Return (reports, milestones, cadences, comments) as stored now, read once per data version."""
    return _stored(data_version())


def stored_for(version: str):
    """Return (reports, milestones, cadences, comments) of a data version (from data_version())."""
    return _stored(version)


@dataclass(frozen=True)
class Board:
    """Everything the 落实进度 page shows for one filter state and date."""

    board: pd.DataFrame
    by_leader: pd.DataFrame
    by_unit: pd.DataFrame
    red: pd.DataFrame
    overdue: pd.DataFrame
    chase: pd.DataFrame
    coordination: pd.DataFrame


@st.cache_resource(max_entries=32, show_spinner="正在计算序时进度…")
def _board(key: str, version: str, filters: Filters, as_of: date) -> Board:
    frames = select(cached_frames(key), filters)
    reports, milestones, cadence, _ = _stored(version)
    reports = reports[reports["task_id"].isin(frames.tasks["task_id"])]  # the selection's only: every step is faster
    reported = reported_as_of(reports, as_of)  # once: the status, the latest texts and 需协调事项 all use it
    status = status_of(frames.tasks, reported, milestones, cadence)
    board = boards.status_board(frames.tasks, status, reported.latest)
    lead = frames.task_units[(frames.task_units["role"] == "lead") & ~frames.task_units["is_placeholder"]]
    coordination = coordination_items(frames.tasks, frames.task_leaders, reported.latest)
    # the same object for every session of this state: what pages join to it (ui.show.derived) is made once
    return Board(shared(board), boards.counts_by(board, frames.task_leaders, "leader"),
                 boards.counts_by(board, lead, "unit"),
                 boards.red_list(board), boards.overdue_list(board), boards.chase_list(board, lead),
                 boards.leader_coordination(coordination, frames.tasks))


def progress_board(filters: Filters, as_of: date) -> Board:
    """Return the board of the selected tasks as of a date, computed once per data version, filters and date."""
    return _board(data_key(), data_version(), filters, as_of)


def download_status(tasks: pd.DataFrame, board: Board | None, records) -> pd.DataFrame | None:
    """Return the task_status rows of exactly these tasks for the XLSX, taken from the board the page shows.

    board is progress_board() of the page's filters and date (computed once per data
    version, not again for the download); tasks are the rows on screen, a subset of it.
    records are stored_if_readable()'s: None (the database cannot be read) gives None,
    and the download has no status. Without a board nothing was reported or planned,
    so no task has a report: no rows, and the XLSX says so.
    """
    if records is None:
        return None
    if board is None:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    return board.board.loc[board.board["task_id"].isin(tasks["task_id"]), STATUS_COLUMNS].reset_index(drop=True)


def book():
    """Return task_id → TaskInfo of the current data."""
    frames = cached_frames(data_key())
    return task_book(frames.tasks, frames.task_units)


def stored_if_readable():
    """Return stored(), or None when the database cannot be read (screens of the plan still work without it)."""
    try:
        return _stored(_recent_version(configured_url()))  # the shared key: no extra queries per run
    except (SQLAlchemyError, OSError):
        return None


def has_progress(records) -> bool:
    """Return whether anything was reported or planned (records from stored_if_readable)."""
    return records is not None and (len(records[0]) > 0 or len(records[1]) > 0)


def client_address() -> str:
    """Return the client's address as the server sees it (behind a proxy: the proxy's, unless it forwards one)."""
    forwarded = st.context.headers.get("X-Forwarded-For")
    forwarded = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
    address = st.context.ip_address
    return forwarded or (address if isinstance(address, str) else "") or "未知"


def current_writer() -> Writer | None:
    """Return who may write in this session: a reporter (password or OIDC email bound to an account), an admin, or None.

    The OIDC email is looked up on every run, so an admin's unbinding holds at once.
    """
    writer = st.session_state.get(_WRITER)
    if writer:
        return writer
    admin = current_admin()
    if admin:
        return Writer(admin, is_admin=True)
    user = oidc_user()
    if user and user[0] and user[1]:
        return writer_for_email(engine(), user[0])
    return None


def _log_in() -> None:
    login = st.session_state.get("progress_login", "")
    password = st.session_state.get("progress_password", "")
    st.session_state["progress_password"] = ""
    try:
        st.session_state[_WRITER] = log_in(engine(), login, password, client_address())
        st.session_state.pop("_progress_login_error", None)
    except LoginRefused as refused:
        st.session_state["_progress_login_error"] = str(refused)


def require_writer() -> Writer:
    """Return the writer of this session; otherwise show the login form and stop the page."""
    ensure_entry_point()  # a first visit straight to /report (a fresh server) must run through app.py
    writer = current_writer()
    if writer:
        return writer
    if auth_configured():
        st.info("填报需要登录：用统一身份认证（邮箱已由管理员绑定到本单位账号），或用本单位的填报账号和密码。"
                "查看落实进度不需要登录。", icon=":material/lock:")
        _oidc_login()
    else:
        st.info("填报需要用本单位的填报账号登录（账号由管理员创建）。查看落实进度不需要登录。", icon=":material/lock:")
    with st.form("progress_login_form"):
        st.text_input("登录名", key="progress_login")
        st.text_input("密码", type="password", key="progress_password")
        st.form_submit_button("登录", on_click=_log_in, type="primary")
    if st.session_state.get("_progress_login_error"):
        st.error(st.session_state["_progress_login_error"])
    st.stop()
    raise AssertionError("st.stop() does not return")


def _oidc_login() -> None:
    """Offer the OIDC login, or say why the account logged in through it may not report."""
    user = oidc_user()
    if user is None:
        st.button("使用统一身份认证登录", on_click=st.login, type="primary", icon=":material/badge:",
                  key="progress_oidc_login")
        caption("登录后回到首页，再打开“填报”页。也可以在下面用填报账号和密码登录。")
        return
    email, verified = user
    if not email:
        st.error("统一身份认证没有提供邮箱，无法对应填报单位。请联系管理员。")
    elif not verified:
        st.error(literal(f"统一身份认证账号 {email} 的邮箱未经验证，不能用于填报。"))
    else:
        st.error(literal(f"统一身份认证账号 {email} 还没有绑定填报单位。请管理员在服务器上绑定（单位账号换成本单位的登录名）："))
        st.code(f"python -m loaders progress set-email --login 单位账号 --email {email}", language=None)
    st.button("退出统一身份认证", on_click=st.logout, icon=":material/logout:", key="progress_oidc_logout")


def log_out() -> None:
    """End the reporter's session (and the OIDC login, when that is how they came in)."""
    st.session_state.pop(_WRITER, None)
    if oidc_user():
        st.logout()


REPORT_FIELDS = ("progress", "problems", "next_steps", "coordination")


def save_report_form(task_id: str, writer: Writer) -> None:
    """Form callback: store what the 填报 form holds for task_id; the outcome is shown on the next run."""
    from loaders.progress.reports import ReportDraft, report

    state = st.session_state
    draft = ReportDraft(task_id, state.get(f"report_period_{task_id}"), state.get(f"report_percent_{task_id}"),
                        value_reached=state.get(f"report_value_{task_id}", ""),
                        **{name: state.get(f"report_{name}_{task_id}", "") for name in REPORT_FIELDS})
    problems = report(engine(), draft, book(), writer)
    _outcome(problems, f"已保存 {task_id} {draft.period} 的填报。")


def save_plan_form(task_id: str, writer: Writer) -> None:
    """Button callback: store the milestone lines typed for task_id as a new plan."""
    from loaders.progress.reports import parse_milestone_lines, save_milestones

    items, problems = parse_milestone_lines(st.session_state.get(f"milestones_{task_id}", ""))
    problems = problems or save_milestones(engine(), book()[task_id], items, writer)
    _outcome(problems, f"已保存 {task_id} 新的时间节点计划（原计划保留在历史中）。")


def save_comment_form(writer: Writer) -> None:
    """Button callback: store a support unit's comment on the chosen task."""
    from loaders.progress.reports import add_comment

    task_id = st.session_state.get("comment_task")
    problems = add_comment(engine(), book()[task_id], st.session_state.get(f"comment_{task_id}", ""), writer)
    _outcome(problems, f"已保存对 {task_id} 的留言。")


def _outcome(problems, success: str) -> None:
    forget_version()  # every form calls this after writing: the next run reads the new data
    st.session_state["_report_outcome"] = (
        ("error", "未保存：\n" + "\n".join(str(p) for p in problems)) if problems else ("success", success))


def show_outcome() -> None:
    """Show the outcome of the last save (a success line, or every problem as plain text)."""
    outcome = st.session_state.get("_report_outcome")  # kept until the next save: a rerun must not lose it
    if outcome and outcome[0] == "success":
        st.success(literal(outcome[1]))
    elif outcome:
        st.error("未保存，请按下面的说明修改后再保存。")
        st.text(outcome[1])


def status_lights(data: Board, by: str, title: str, key: str, columns: list[str], labels: dict[str, str]) -> None:
    """Show stacked status bars per leader or unit; clicking a bar (or picking a name) lists its tasks below."""
    from charts.progress import status_bars
    from ui.show import PLOTLY_CONFIG, figure_of, table

    counts = data.by_leader if by == "leader" else data.by_unit
    if counts.empty:
        st.info("当前筛选条件下没有可显示的数据。")
        return
    event = st.plotly_chart(figure_of(status_bars, counts.head(30), by, title), theme=None, width="stretch",
                            key=key, on_select="rerun", selection_mode="points",
                            config=PLOTLY_CONFIG)  # no toolbar over the title (on phones it covered it)
    points = event.selection.points if event else []
    names = counts[by].tolist()
    picked = points[0]["customdata"][0] if points and points[0].get("customdata") else None
    chosen = st.selectbox("查看任务", names, index=names.index(picked) if picked in names else None,
                          placeholder="点击柱条或在此选择", key=f"{key}_pick")
    if chosen:
        column = "leaders" if by == "leader" else "lead_units"
        rows = data.board[data.board[column].fillna("").str.split("、").map(lambda listed: chosen in listed)]
        table(rows[columns], labels)
