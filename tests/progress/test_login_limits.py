"""Login limits as an attacker tries them: bursts from many tabs at once, forged X-Forwarded-For, a success to reset.

Counted in the database (SQLite and PostgreSQL), so every replica shares them; a burst of concurrent
guesses compares at most the limit of passwords.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from loaders.progress import accounts
from loaders.progress.accounts import LoginRefused, add_account, log_in
from loaders.security.login_limits import (LoginLimits, reserve, resolved_address, seconds_to_wait, succeeded,
                                           trusted_proxies)

PASSWORD = "correct horse battery"


@pytest.fixture
def counted(monkeypatch):
    """Count how many passwords are really compared (the expensive step an attacker needs)."""
    compared = []
    lock = threading.Lock()
    real = accounts.verify_password

    def counting(password, stored):
        with lock:
            compared.append(password)
        return real(password, stored)

    monkeypatch.setattr(accounts, "verify_password", counting)
    return compared


def burst(engine, tries: list[tuple[str, str, str]]) -> list[str]:
    """Run (login, password, address) attempts all at once from 20 threads; return each outcome."""
    def attempt(args):
        try:
            return "ok" if log_in(engine, *args) else "?"
        except LoginRefused as refused:
            return str(refused)
    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(attempt, tries))


def test_a_burst_of_guesses_on_one_account_compares_at_most_five(engine, counted):
    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    outcomes = burst(engine, [("fgj", f"猜{n}", f"10.0.{n}.1") for n in range(20)])  # 20 tabs, 20 addresses
    assert len(counted) <= LoginLimits().per_account
    assert sum("次数过多" in o for o in outcomes) >= 20 - LoginLimits().per_account
    with pytest.raises(LoginRefused, match="次数过多"):
        log_in(engine, "fgj", PASSWORD, "10.9.9.9")  # even the right password waits for the window


def test_a_burst_from_one_address_over_many_accounts_compares_at_most_twenty(engine, counted):
    outcomes = burst(engine, [(f"账号{n}", "猜", "203.0.113.7") for n in range(40)])
    assert len(counted) <= LoginLimits().per_address
    assert sum("次数过多" in o for o in outcomes) >= 40 - LoginLimits().per_address


def test_a_success_clears_its_account_only_and_buys_the_address_nothing(engine):
    add_account(engine, "fgj", PASSWORD, "测试", "鹿城区", "区发改局")
    now = datetime(2026, 12, 5, 1, 0)
    limits = LoginLimits(per_account=5, per_address=6, window_minutes=15)
    for n in range(4):
        assert reserve(engine, f"账号{n}", "198.51.100.2", limits, now)  # four failures from the address
    assert log_in(engine, "fgj", PASSWORD, "198.51.100.2", limits, now).unit == "区发改局"
    assert reserve(engine, "账号9", "198.51.100.2", limits, now)  # the 5th failure: the success was taken off
    assert reserve(engine, "账号9", "198.51.100.2", limits, now)  # the 6th
    assert not reserve(engine, "账号8", "198.51.100.2", limits, now)  # the address is used up, whatever the account
    assert seconds_to_wait(engine, "账号8", "198.51.100.2", limits, now) == 15 * 60
    later = now + timedelta(minutes=15, seconds=1)
    assert reserve(engine, "账号8", "198.51.100.2", limits, later)  # a new window
    succeeded(engine, "账号8", "198.51.100.2")
    assert seconds_to_wait(engine, "账号8", "198.51.100.2", limits, later) == 0


def test_the_address_is_the_peer_unless_a_trusted_proxy_forwarded_it():
    none = trusted_proxies("")
    # a client's own header is never believed: each made-up value would otherwise be a fresh address
    assert resolved_address("203.0.113.7", "1.2.3.4", none) == "203.0.113.7"
    assert resolved_address(None, "1.2.3.4", none) == "127.0.0.1"  # the server itself, no proxy configured
    proxies = trusted_proxies("127.0.0.1, 10.0.0.0/8")
    # nginx appends the peer it saw: the right end; whatever the client wrote stays on the left
    assert resolved_address("127.0.0.1", "6.6.6.6, 203.0.113.7", proxies) == "203.0.113.7"
    assert resolved_address("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", proxies) == "203.0.113.7"
    assert resolved_address("10.0.0.2", "", proxies) == "10.0.0.2"
    assert resolved_address("198.51.100.9", "203.0.113.7", proxies) == "198.51.100.9"  # not a trusted proxy
    with pytest.raises(ValueError):
        trusted_proxies("不是地址")


def test_forged_headers_through_the_admin_login_page_are_not_new_addresses(engine, database_url, monkeypatch):
    """A locked address stays locked whatever X-Forwarded-For the client sends (ui.access.client_address)."""
    from streamlit.testing.v1 import AppTest

    from loaders.progress.db import URL_VARIABLE
    from tests.test_admin import PASSWORD as ADMIN_PASSWORD, ROOT

    monkeypatch.setenv(URL_VARIABLE, database_url)
    for n in range(LoginLimits().per_account):
        assert reserve(engine, "管理员", f"10.1.0.{n}")  # the admin account's five guesses, used up
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.secrets["admin"] = {"password": ADMIN_PASSWORD}
    app.run()
    app.switch_page("pages/admin.py").run()
    app.text_input(key="admin_password_input").input(ADMIN_PASSWORD)
    next(b for b in app.button if b.label == "登录").click().run()
    assert any("错误次数过多" in e.value for e in app.error)  # the right password is not even compared
