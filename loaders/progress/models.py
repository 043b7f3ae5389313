"""The progress tables. Reports, milestones, comments and settings are append-only: a change is a new row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, Index, Integer, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Limits a form and a ledger check before anything is written (the columns are wider on purpose).
MAX_TEXT = 2000
MAX_SHORT = 200


class Base(DeclarativeBase):
    pass


class Report(Base):
    """One progress report of a task for a period; a correction is a later report for the same period."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(16))
    percent: Mapped[float] = mapped_column(Float)
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    coordination: Mapped[str] = mapped_column(Text, default="")
    value_reached: Mapped[str] = mapped_column(String(MAX_SHORT), default="")
    district: Mapped[str] = mapped_column(String(64), default="")
    unit: Mapped[str] = mapped_column(String(128))
    reported_by: Mapped[str] = mapped_column(String(128))
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(32), default="form")  # form, ledger, correction


class Review(Base):
    """The office's review of one report: approved (已审核) or returned (退回) with a reason; the latest decides."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(Integer, index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(128))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)


class Reminder(Base):
    """One 催报 sent (or tried): to a group robot or an email address, for one unit; append-only."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(256))
    district: Mapped[str] = mapped_column(String(64), default="")
    unit: Mapped[str] = mapped_column(String(128))
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_by: Mapped[str] = mapped_column(String(128))
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class LoginCounter(Base):
    """Login attempts of one key (account:… or address:…) in its current window; updated in place, one row per key."""

    __tablename__ = "login_counters"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer)


class Milestone(Base):
    """One 时间节点 of a task; a later plan (plan_at) replaces the earlier one, which is kept."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # when the unit says it was reached
    unit: Mapped[str] = mapped_column(String(128))
    plan_at: Mapped[datetime] = mapped_column(DateTime)  # every milestone of one plan shares it
    recorded_by: Mapped[str] = mapped_column(String(128))


class Comment(Base):
    """A comment by a support unit (or an admin) on a task."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(16), default="")
    text: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(128))
    written_by: Mapped[str] = mapped_column(String(128))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class NoticeCadence(Base):
    """Whether a notice's tasks report by quarter or by month; the latest row for a doc_no holds."""

    __tablename__ = "notice_cadences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_no: Mapped[str] = mapped_column(String(128), index=True)
    cadence: Mapped[str] = mapped_column(String(16))
    set_by: Mapped[str] = mapped_column(String(128))
    set_at: Mapped[datetime] = mapped_column(DateTime)


class Account(Base):
    """A reporter (one unit of one district) or an admin; the password is kept only as a salted scrypt hash.

    email (lower case) is the OIDC account (st.login) that logs in as this account; an account
    with an email may have no password (password_hash ""), and then only OIDC logs it in.
    """

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    district: Mapped[str] = mapped_column(String(64), default="")
    unit: Mapped[str] = mapped_column(String(128), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(512))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, default=None)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LoginAttempt(Base):
    """One login attempt, kept so that limits hold across sessions, replicas and restarts."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime)


Index("ix_accounts_email", Account.email, unique=True)
Index("ix_login_attempts_login", LoginAttempt.login, LoginAttempt.attempted_at)
Index("ix_login_attempts_address", LoginAttempt.address, LoginAttempt.attempted_at)

APPEND_ONLY = (Report, Review, Reminder, Milestone, Comment, NoticeCadence)


def _refuse(mapper, connection, target):
    raise PermissionError(f"{target.__tablename__} is append-only: record a new row instead")


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
