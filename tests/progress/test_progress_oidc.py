"""Reporters through OIDC (st.login): an admin binds an email to a unit's account; the 填报 page follows st.user.

SQLite and PostgreSQL. st.user is seeded through AppTest.user (streamlit/testing/v1/app_test.py):
{"is_logged_in": True, "email": …} is what a session reads after the provider's redirect.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from streamlit.testing.v1 import AppTest

from loaders.cli import main
from loaders.progress.accounts import LoginRefused, accounts, add_account, log_in, set_email, writer_for_email
from loaders.progress.db import MIGRATIONS, URL_VARIABLE, forget, make_engine, open_database
from loaders.progress.reports import reports_frame
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
AUTH = {"redirect_uri": "http://localhost:8612/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://sso.example.gov.cn/.well-known/openid-configuration"}
EMAIL = "Zhang.San@Example.gov.cn"


def test_an_email_maps_to_the_accounts_unit_in_any_case(engine):
    assert add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局") == []
    assert writer_for_email(engine, EMAIL) is None
    assert set_email(engine, "fgj", EMAIL) == []
    writer = writer_for_email(engine, " zhang.san@example.GOV.cn ")
    assert (writer.name, writer.district, writer.unit, writer.is_admin) == (EMAIL.lower(), "鹿城区", "区发改局", False)
    assert log_in(engine, "fgj", PASSWORD, "1.1.1.1").unit == "区发改局"  # the password keeps working
    assert set_email(engine, "fgj", "") == [] and writer_for_email(engine, EMAIL) is None


def test_email_problems(engine):
    assert add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局", email=EMAIL) == []
    assert add_account(engine, "jxj", PASSWORD, "管理员", "鹿城区", "区经信局") == []
    assert any("已绑定账号“fgj”" in p for p in set_email(engine, "jxj", EMAIL.upper()))
    assert any("不合规" in p for p in set_email(engine, "jxj", "not an email"))
    assert any("没有登录名" in p for p in set_email(engine, "nobody", "a@b.cn"))
    assert any("已绑定" in p for p in add_account(engine, "x2", PASSWORD, "管理员", "鹿城区", "区财政局", email=EMAIL))
    assert writer_for_email(engine, EMAIL).unit == "区发改局"


def test_an_oidc_only_account_has_no_password_login(engine):
    assert add_account(engine, "czj", "", "管理员", "鹿城区", "区财政局", email="li.si@example.gov.cn") == []
    assert any("太短" in p for p in add_account(engine, "czj2", "", "管理员", "鹿城区", "区财政局"))
    for attempt in ("", "anything long enough"):
        with pytest.raises(LoginRefused, match="不正确"):
            log_in(engine, "czj", attempt, "1.1.1.1")
    assert any("无法登录" in p for p in set_email(engine, "czj", ""))  # unbinding would lock it out
    assert writer_for_email(engine, "li.si@example.gov.cn").unit == "区财政局"
    listed = {row["login"]: row for row in accounts(engine)}
    assert listed["czj"]["email"] == "li.si@example.gov.cn" and not listed["czj"]["has_password"]


def test_the_migration_adds_email_to_existing_accounts(database_url):
    """A database made before 0002 (accounts without email) is upgraded on the next start, accounts kept."""
    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.commit()
    assert "email" not in {c["name"] for c in inspect(engine).get_columns("accounts")}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (login, district, unit, is_admin, password_hash, created_by, "
                                "created_at) VALUES ('old', '鹿城区', '区发改局', false, 'x', 't', '2026-01-01')"))
    engine.dispose()
    forget(database_url)
    upgraded = open_database(database_url)
    assert "email" in {c["name"] for c in inspect(upgraded).get_columns("accounts")}
    assert set_email(upgraded, "old", EMAIL) == [] and writer_for_email(upgraded, EMAIL).unit == "区发改局"


def test_the_commands_bind_and_list_emails(database_url, monkeypatch, capsys):
    base = ["progress", "--database", database_url]
    assert main(base + ["add-account", "--district", "鹿城区", "--unit", "区财政局", "--login", "czj",
                        "--email", "li.si@example.gov.cn", "--no-password"]) == 0
    assert main(base + ["add-account", "--district", "鹿城区", "--unit", "区财政局", "--login", "czj2",
                        "--no-password"]) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(base + ["add-account", "--district", "鹿城区", "--unit", "区发改局", "--login", "fgj"]) == 0
    assert main(base + ["set-email", "--login", "fgj", "--email", EMAIL]) == 0
    assert main(base + ["set-email", "--login", "czj", "--email", EMAIL]) == 1
    assert "已绑定账号“fgj”" in capsys.readouterr().err
    main(base + ["accounts"])
    listing = capsys.readouterr().out
    assert "czj\t鹿城区 区财政局\t登录：li.si@example.gov.cn" in listing
    assert f"fgj\t鹿城区 区发改局\t登录：密码、{EMAIL.lower()}" in listing


def open_report_page(database_url, monkeypatch, user: dict, auth: bool = True) -> AppTest:
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if auth:
        app.secrets["auth"] = AUTH
    app.user = user
    app.run()
    app.switch_page("pages/report.py").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@ON_SQLITE_ONLY
def test_a_bound_oidc_account_reports_for_its_unit(engine, database_url, monkeypatch):
    add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局", email=EMAIL)
    app = open_report_page(database_url, monkeypatch, {"is_logged_in": True, "email": EMAIL.lower(),
                                                       "email_verified": True})
    assert any("区发改局" in c.value and EMAIL.lower() in c.value.replace("\\", "") for c in app.caption)
    task_id = app.selectbox(key="report_task").value
    assert task_id.startswith("20")
    app.number_input(key=f"report_percent_{task_id}").set_value(35.0)
    app.text_area(key=f"report_progress_{task_id}").input("已完成前期工作")
    next(b for b in app.button if b.label == "保存填报").click().run()
    assert not app.exception, [e.message for e in app.exception]
    stored = reports_frame(engine)
    assert stored[["task_id", "unit", "reported_by"]].values.tolist() == [[task_id, "区发改局", EMAIL.lower()]]


@pytest.mark.parametrize("user, says", [
    ({"is_logged_in": True, "email": "wang.wu@example.gov.cn"}, "wang.wu@example.gov.cn 还没有绑定填报单位"),
    ({"is_logged_in": True, "email": EMAIL, "email_verified": False}, "邮箱未经验证"),
    ({"is_logged_in": True}, "没有提供邮箱"),
])
@ON_SQLITE_ONLY
def test_an_oidc_account_without_a_usable_email_cannot_report(engine, database_url, monkeypatch, user, says):
    add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局", email=EMAIL)
    app = open_report_page(database_url, monkeypatch, user)
    assert any(says in e.value.replace("\\", "") for e in app.error), [e.value for e in app.error]  # literal()
    assert not app.selectbox and any(b.label == "退出统一身份认证" for b in app.button)


@ON_SQLITE_ONLY
def test_the_login_offers_oidc_and_the_password_together(engine, database_url, monkeypatch):
    add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局", email=EMAIL)
    app = open_report_page(database_url, monkeypatch, {"is_logged_in": False})
    assert any(b.label == "使用统一身份认证登录" for b in app.button)
    app.text_input(key="progress_login").input("fgj")
    app.text_input(key="progress_password").input(PASSWORD)
    next(b for b in app.button if b.label == "登录").click().run()
    assert not app.exception and app.selectbox(key="report_task").value


@ON_SQLITE_ONLY
def test_without_auth_configured_st_user_is_not_trusted(engine, database_url, monkeypatch):
    add_account(engine, "fgj", PASSWORD, "管理员", "鹿城区", "区发改局", email=EMAIL)
    app = open_report_page(database_url, monkeypatch, {"is_logged_in": True, "email": EMAIL}, auth=False)
    assert not app.selectbox and not any(b.label == "使用统一身份认证登录" for b in app.button)
    assert app.text_input(key="progress_login")
