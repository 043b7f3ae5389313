"""Reporter accounts: one per unit of a district (or an admin), salted scrypt hashes, login limits kept in the database.

Failed logins are counted per account and per client address in the
login_attempts table, so neither a new browser session nor a restart, nor
another replica, resets them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from loaders.progress.db import transaction
from loaders.progress.models import Account, LoginAttempt
from loaders.progress.reports import Writer, now_utc

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
_LOGIN = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins are allowed within window_minutes, per account and per client address."""

    per_account: int = 5
    per_address: int = 20
    window_minutes: int = 15


class LoginRefused(Exception):
    """A login that failed or is locked; the message can be shown as is."""


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of password, with its parameters (scrypt$n$r$p$salt$hash)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Return whether password matches a stored hash (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return kind == "scrypt" and hmac.compare_digest(actual, expected)


_DUMMY_HASH = hash_password(secrets.token_hex(8))  # unknown logins cost the same time as known ones


def add_account(engine: Engine, login: str, password: str, created_by: str, district: str = "", unit: str = "",
                is_admin: bool = False, known_units: set[tuple[str, str]] | None = None) -> list[str]:
    """Create an account; return what is wrong (nothing is stored then), or [] when created."""
    problems = []
    if not _LOGIN.match(login or ""):
        problems.append(f"登录名“{login}”不合规：用 2–64 个英文字母、数字或 _ . -")
    if len(password or "") < MIN_PASSWORD:
        problems.append(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    if not is_admin and (not district or not unit):
        problems.append("填报账号要写明区县和单位（--district 鹿城区 --unit 区经信局）")
    elif not is_admin and known_units is not None and (district, unit) not in known_units:
        problems.append(f"{district}没有单位“{unit}”：核对单位名称（见单位负荷页或 units.csv）")
    with engine.connect() as connection:
        if connection.execute(select(Account.id).where(Account.login == login)).first():
            problems.append(f"登录名“{login}”已经存在：换一个登录名")
    if problems:
        return problems
    with transaction(engine) as session:
        session.add(Account(login=login, district=district, unit=unit, is_admin=is_admin,
                            password_hash=hash_password(password), created_by=created_by, created_at=now_utc()))
    return []


def _failures(session, column, value: str, since: datetime) -> int:
    last_success = session.execute(select(func.max(LoginAttempt.attempted_at))
                                   .where(column == value, LoginAttempt.succeeded.is_(True))).scalar()
    start = max(since, last_success) if last_success else since
    return session.execute(select(func.count()).select_from(LoginAttempt)
                           .where(column == value, LoginAttempt.succeeded.is_(False),
                                  LoginAttempt.attempted_at > start)).scalar()


def log_in(engine: Engine, login: str, password: str, address: str, limits: LoginLimits = LoginLimits(),
           now: datetime | None = None) -> Writer:
    """Return the Writer of an account whose password matches; raise LoginRefused otherwise (or when locked)."""
    now = now or now_utc()
    login, address = (login or "").strip()[:64], (address or "未知")[:64]
    since = now - timedelta(minutes=limits.window_minutes)
    with transaction(engine) as session:
        if (_failures(session, LoginAttempt.login, login, since) >= limits.per_account
                or _failures(session, LoginAttempt.address, address, since) >= limits.per_address):
            raise LoginRefused(f"登录失败次数过多，请 {limits.window_minutes} 分钟后再试。")
        account = session.execute(select(Account).where(Account.login == login)).scalar_one_or_none()
        matches = verify_password(password or "", account.password_hash if account else _DUMMY_HASH)
        ok = bool(account) and matches
        session.add(LoginAttempt(login=login, address=address, succeeded=ok, attempted_at=now))
        if ok:
            return Writer(account.login, account.district, account.unit, account.is_admin)
    raise LoginRefused("登录名或密码不正确。")


def accounts(engine: Engine) -> list[dict]:
    """Return the accounts (without hashes), for an admin's list."""
    with engine.connect() as connection:
        rows = connection.execute(select(Account.login, Account.district, Account.unit, Account.is_admin,
                                         Account.created_by, Account.created_at).order_by(Account.login)).all()
    return [row._asdict() for row in rows]
