"""Login limits shared by every replica: per account and per client address, counted in the database.

Before a password is compared, the attempt is counted against the account and against the
address, one upsert per key that returns the new count. The database counts concurrent attempts
one after another (the row is locked by the upsert), whichever replica or tab they come from, so
at most `per_account` passwords of an account, and `per_address` of an address, are compared
within a window. A right password clears its account's count only; its own attempt is taken off
the address, so a success never buys an address more guesses. A window starts with its first
attempt and lasts `window_minutes`.

The client address is the connection's peer; only when the peer is a proxy listed in
WORK_REPORT_TRUSTED_PROXIES is X-Forwarded-For read, from the right, skipping trusted proxies:
the entries to the left are whatever the client wrote and are never believed.
"""

from __future__ import annotations

import ipaddress
import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from loaders.clock import utc_now
from loaders.progress.models import LoginCounter

TRUSTED_PROXIES_VARIABLE = "WORK_REPORT_TRUSTED_PROXIES"
LOCAL = "127.0.0.1"  # Streamlit gives no address for a browser on the server itself


@dataclass(frozen=True)
class LoginLimits:
    """How many logins are checked within window_minutes, per account and per client address."""

    per_account: int = 5
    per_address: int = 20
    window_minutes: int = 15


def account_key(account: str) -> str:
    return f"account:{account.strip()[:150]}"


def address_key(address: str) -> str:
    return f"address:{address.strip()[:150] or LOCAL}"


def reserve(engine: Engine, account: str, address: str, limits: LoginLimits = LoginLimits(),
            now: datetime | None = None) -> bool:
    """Count one login attempt against the account and the address; return whether it may be checked.

    The account is counted first, then the address, always in this order (no two attempts lock
    the rows the other way round); the counts are committed before the password is compared.
    """
    now = now or utc_now()
    since = now - timedelta(minutes=limits.window_minutes)
    insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
    counts = []
    with engine.begin() as connection:
        for key in (account_key(account), address_key(address)):
            statement = insert(LoginCounter).values(key=key, window_start=now, attempts=1)
            statement = statement.on_conflict_do_update(
                index_elements=[LoginCounter.key],
                set_={"attempts": case((LoginCounter.window_start < since, 1), else_=LoginCounter.attempts + 1),
                      "window_start": case((LoginCounter.window_start < since, now),
                                           else_=LoginCounter.window_start)},
            ).returning(LoginCounter.attempts)
            counts.append(connection.execute(statement).scalar_one())
    return counts[0] <= limits.per_account and counts[1] <= limits.per_address


def succeeded(engine: Engine, account: str, address: str) -> None:
    """After a right password: clear the account's count, and take this attempt off the address."""
    with engine.begin() as connection:
        connection.execute(update(LoginCounter).where(LoginCounter.key == account_key(account)).values(attempts=0))
        connection.execute(update(LoginCounter).where(LoginCounter.key == address_key(address),
                                                      LoginCounter.attempts > 0)
                           .values(attempts=LoginCounter.attempts - 1))


def seconds_to_wait(engine: Engine, account: str, address: str, limits: LoginLimits = LoginLimits(),
                    now: datetime | None = None) -> int:
    """Return how long until the account and the address may try again (0: now), for the message on screen."""
    now = now or utc_now()
    with engine.connect() as connection:
        rows = connection.execute(select(LoginCounter.key, LoginCounter.window_start, LoginCounter.attempts).where(
            LoginCounter.key.in_([account_key(account), address_key(address)]))).all()
    waits = [0.0]
    for key, start, attempts in rows:
        limit = limits.per_account if key.startswith("account:") else limits.per_address
        left = (start + timedelta(minutes=limits.window_minutes) - now).total_seconds()
        if attempts >= limit and left > 0:
            waits.append(left)
    return math.ceil(max(waits))


def trusted_proxies(text: str | None = None) -> list:
    """Return the proxies whose X-Forwarded-For is read: WORK_REPORT_TRUSTED_PROXIES, addresses or networks, comma-separated."""
    text = os.environ.get(TRUSTED_PROXIES_VARIABLE, "") if text is None else text
    networks = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            networks.append(ipaddress.ip_network(part.strip(), strict=False))  # ValueError names a wrong entry
    return networks


def _trusted(address: str, proxies: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def resolved_address(peer: str | None, forwarded: str | None, proxies: list) -> str:
    """Return the client address of a request: the peer, or, behind a trusted proxy, the right-most untrusted hop."""
    peer = peer or LOCAL
    if not _trusted(peer, proxies) or not forwarded:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):  # appended by each proxy on the way: the right end is the nearest
        if not _trusted(hop, proxies):
            return hop[:64]
    return peer
