"""Reporter accounts: salted hashes in the database, login limits per account and per address that survive restarts."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from loaders.cli import main
from loaders.clock import utc_now
from loaders.progress.accounts import LoginLimits, LoginRefused, add_account, log_in, verify_password
from loaders.progress.db import forget, open_database
from loaders.progress.models import Account

PASSWORD = "correct horse battery"


def test_account_stores_a_salted_hash_only(engine):
    assert add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局") == []
    assert add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局") == []
    with engine.connect() as connection:
        hashes = connection.execute(select(Account.password_hash)).scalars().all()
    assert PASSWORD not in "".join(hashes)
    assert hashes[0] != hashes[1]  # same password, different salts
    assert verify_password(PASSWORD, hashes[0]) and not verify_password("wrong", hashes[0])


def test_account_problems(engine):
    assert add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局") == []
    problems = add_account(engine, "jxj", "short", "管理员", "", "")
    assert any("已经存在" in p for p in problems) and any("太短" in p for p in problems)
    assert any("区县和单位" in p for p in problems)
    unknown = add_account(engine, "x1", PASSWORD, "管理员", "鹿城区", "区外星局", known_units={("鹿城区", "区经信局")})
    assert any("区外星局" in p for p in unknown)


def test_login_returns_the_unit(engine):
    add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局")
    writer = log_in(engine, "jxj", PASSWORD, "10.0.0.1")
    assert (writer.name, writer.district, writer.unit, writer.is_admin) == ("jxj", "鹿城区", "区经信局", False)
    with pytest.raises(LoginRefused, match="不正确"):
        log_in(engine, "jxj", "wrong", "10.0.0.1")
    with pytest.raises(LoginRefused, match="不正确"):
        log_in(engine, "nobody", PASSWORD, "10.0.0.1")


def test_failed_logins_are_limited_per_account_across_restarts(database_url):
    engine = open_database(database_url)
    add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局")
    limits = LoginLimits(per_account=3, per_address=100, window_minutes=15)
    for address in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):  # new addresses (sessions) do not reset the count
        with pytest.raises(LoginRefused, match="不正确"):
            log_in(engine, "jxj", "wrong", address, limits)
    forget(database_url)  # a restart: a new engine, nothing kept in memory
    engine = open_database(database_url)
    with pytest.raises(LoginRefused, match="次数过多"):
        log_in(engine, "jxj", PASSWORD, "4.4.4.4", limits)
    later = utc_now() + timedelta(minutes=16)
    assert log_in(engine, "jxj", PASSWORD, "4.4.4.4", limits, now=later).unit == "区经信局"


def test_failed_logins_are_limited_per_address(engine):
    add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局")
    limits = LoginLimits(per_account=100, per_address=3)
    for login in ("a1", "a2", "a3"):
        with pytest.raises(LoginRefused):
            log_in(engine, login, "wrong", "9.9.9.9", limits)
    with pytest.raises(LoginRefused, match="次数过多"):
        log_in(engine, "jxj", PASSWORD, "9.9.9.9", limits)
    assert log_in(engine, "jxj", PASSWORD, "8.8.8.8", limits).unit == "区经信局"


def test_add_account_command_reads_the_password_from_stdin(database_url, monkeypatch, capsys):
    command = ["progress", "--database", database_url, "add-account",
               "--district", "鹿城区", "--unit", "区经信局", "--login", "jxj"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(command) == 0
    assert log_in(open_database(database_url), "jxj", PASSWORD, "127.0.0.1").unit == "区经信局"
    command[command.index("区经信局")] = "区外星局"
    command[-1] = "other"
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(command) == 1 and "区外星局" in capsys.readouterr().err
