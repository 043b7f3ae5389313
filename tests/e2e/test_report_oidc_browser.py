"""填报 through OIDC in a real browser: st.login against a local OpenID Connect provider (tests/e2e/oidc_provider.py).

The provider signs the user in without a form; the dashboard's st.login redirects there,
Streamlit checks the RS256 id_token and sets its cookie, and the 填报 page maps the
email to the unit an admin bound it to. A password account keeps working beside it.
"""

from __future__ import annotations

import pytest

from loaders.progress.accounts import add_account
from loaders.progress.db import open_database
from tests.e2e.oidc_provider import Provider
from tools.server import free_port, open_app, start_server, wait_ready

EMAIL = "zhang.san@example.gov.cn"


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory):
    """One dashboard server and one provider for the module; each test logs in from a new browser session."""
    folder = tmp_path_factory.mktemp("oidc")
    url = f"sqlite:///{folder / 'progress.sqlite3'}"
    assert add_account(open_database(url), "fgj", "correct horse battery", "测试", "鹿城区", "区发改局",
                       email=EMAIL) == []
    provider = Provider("dashboard", {})
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-cookie-secret-0123456789abcdef"\n'
        'client_id = "dashboard"\nclient_secret = "e2e-secret"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n', encoding="utf-8")
    try:
        server = start_server({"WORK_REPORT_DATABASE_URL": url}, ["--secrets.files", str(secrets)], port)
    except BaseException:
        provider.stop()
        raise
    yield server, provider
    server.stop()
    provider.stop()


@pytest.fixture
def oidc_server(oidc_app):
    """Return the server after setting the claims the provider signs for the next login."""
    server, provider = oidc_app

    def start(claims: dict):
        provider.claims = claims
        return server

    return start


def log_in_through_oidc(page, server) -> None:
    open_app(page, server, "report")
    page.get_by_role("button", name="使用统一身份认证登录").click()
    page.wait_for_url(f"{server.url}/", timeout=60_000)  # provider → /oauth2callback → the home page
    wait_ready(page)
    open_app(page, server, "report")


def test_a_bound_email_reports_for_its_unit(oidc_server, page):
    server = oidc_server({"email": EMAIL.upper(), "email_verified": True})
    log_in_through_oidc(page, server)
    page.get_by_text("已登录：zhang.san@example.gov.cn（鹿城区 区发改局）", exact=False).wait_for()
    assert page.get_by_text("填报任务").first.is_visible()
    assert not page.get_by_text("使用统一身份认证登录").count()


def test_an_unbound_email_is_told_to_ask_an_admin(oidc_server, page):
    server = oidc_server({"email": "wang.wu@example.gov.cn", "email_verified": True})
    log_in_through_oidc(page, server)
    page.get_by_text("wang.wu@example.gov.cn 还没有绑定填报单位", exact=False).wait_for()
    assert not page.get_by_text("填报任务").count()
