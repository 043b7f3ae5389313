"""Reporter accounts: one per unit of a district (or an admin), salted scrypt hashes, login limits kept in the database.

An account may carry an email: with OIDC configured (st.login), whoever logs in with that
email reports as the account's unit (writer_for_email). An account with an email may have
no password; then only OIDC logs it in. Failed logins are counted per account and per client address in the
login_attempts table, so neither a new browser session nor a restart, nor
another replica, resets them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlalchemy import Engine, select

from loaders.clock import utc_now
from loaders.progress.db import transaction
from loaders.progress.models import Account, LoginAttempt
from loaders.progress.reports import Writer
from loaders.security.login_limits import LoginLimits, reserve, succeeded

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
_LOGIN = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
NO_PASSWORD = ""  # password_hash of an account that only OIDC logs in (verify_password is always False)


def normal_email(email: str | None) -> str:
    """Return an email as stored and compared: stripped and in lower case ("" for none)."""
    return str(email or "").strip().lower()


def _email_problems(connection, email: str, login: str) -> list[str]:
    if not _EMAIL.match(email) or len(email) > 254:
        return [f"邮箱“{email}”不合规：写统一身份认证账号的邮箱，如 zhang.san@example.gov.cn"]
    owner = connection.execute(select(Account.login).where(Account.email == email)).scalar()
    if owner is not None and owner != login:
        return [f"邮箱“{email}”已绑定账号“{owner}”：一个邮箱只能对应一个账号，先解除（set-email --login {owner} --email \"\"）"]
    return []


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
                is_admin: bool = False, known_units: set[tuple[str, str]] | None = None, email: str = "") -> list[str]:
    """Create an account; return what is wrong (nothing is stored then), or [] when created.

    With an email the password may be empty: the account then logs in only through OIDC.
    """
    problems = []
    email = normal_email(email)
    if not _LOGIN.match(login or ""):
        problems.append(f"登录名“{login}”不合规：用 2–64 个英文字母、数字或 _ . -")
    if len(password or "") < MIN_PASSWORD and not (email and not password):
        problems.append(f"密码太短：至少 {MIN_PASSWORD} 个字符" + ("" if email else "（只用统一身份认证登录的账号请写 --email、不设密码）"))
    if not is_admin and (not district or not unit):
        problems.append("填报账号要写明区县和单位（--district 鹿城区 --unit 区经信局）")
    elif not is_admin and known_units is not None and (district, unit) not in known_units:
        problems.append(f"{district}没有单位“{unit}”：核对单位名称（见单位负荷页或 units.csv）")
    with engine.connect() as connection:
        if connection.execute(select(Account.id).where(Account.login == login)).first():
            problems.append(f"登录名“{login}”已经存在：换一个登录名")
        if email:
            problems += _email_problems(connection, email, login)
    if problems:
        return problems
    with transaction(engine) as session:
        session.add(Account(login=login, district=district, unit=unit, is_admin=is_admin, email=email or None,
                            password_hash=hash_password(password) if password else NO_PASSWORD,
                            created_by=created_by, created_at=utc_now()))
    return []


def set_email(engine: Engine, login: str, email: str) -> list[str]:
    """Bind an OIDC email to an existing account ("" unbinds it); return what is wrong, or [] when done."""
    email = normal_email(email)
    with transaction(engine) as session:
        account = session.execute(select(Account).where(Account.login == login)).scalar_one_or_none()
        if account is None:
            return [f"没有登录名为“{login}”的账号：先用 add-account 创建"]
        if email:
            problems = _email_problems(session, email, login)
            if problems:
                return problems
        elif account.password_hash == NO_PASSWORD:
            return [f"账号“{login}”没有密码，解除邮箱后将无法登录：先另建带密码的账号，或绑定新的邮箱"]
        account.email = email or None
    return []


def writer_for_email(engine: Engine, email: str) -> Writer | None:
    """Return the Writer of the account bound to an OIDC email (named by the email), or None when none is."""
    email = normal_email(email)
    if not email:
        return None
    with engine.connect() as connection:
        account = connection.execute(select(Account.district, Account.unit, Account.is_admin)
                                     .where(Account.email == email)).first()
    return Writer(email, account.district, account.unit, account.is_admin) if account else None


def log_in(engine: Engine, login: str, password: str, address: str, limits: LoginLimits = LoginLimits(),
           now: datetime | None = None) -> Writer:
    """Return the Writer of an account whose password matches; raise LoginRefused otherwise (or when locked).

    The attempt is counted (loaders.security.login_limits) before the password is compared, so a burst of
    attempts from many tabs or replicas compares at most the limit; every attempt is also logged.
    """
    now = now or utc_now()
    login, address = (login or "").strip()[:64], (address or "未知")[:64]
    if not reserve(engine, login, address, limits, now):
        raise LoginRefused(f"登录失败次数过多，请 {limits.window_minutes} 分钟后再试。")
    with transaction(engine) as session:
        account = session.execute(select(Account).where(Account.login == login)).scalar_one_or_none()
        usable = account is not None and account.password_hash != NO_PASSWORD  # OIDC-only: no password login
        matches = verify_password(password or "", account.password_hash if usable else _DUMMY_HASH)
        ok = usable and matches
        session.add(LoginAttempt(login=login, address=address, succeeded=ok, attempted_at=now))
        writer = Writer(account.login, account.district, account.unit, account.is_admin) if ok else None
    if writer is None:
        raise LoginRefused("登录名或密码不正确。")
    succeeded(engine, login, address)
    return writer


def accounts(engine: Engine) -> list[dict]:
    """Return the accounts (without hashes), for an admin's list."""
    with engine.connect() as connection:
        rows = connection.execute(select(Account.login, Account.district, Account.unit, Account.is_admin,
                                         Account.email, (Account.password_hash != NO_PASSWORD).label("has_password"),
                                         Account.created_by, Account.created_at).order_by(Account.login)).all()
    return [row._asdict() for row in rows]
