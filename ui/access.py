"""Who may change the data: an admin password or OIDC accounts configured in .streamlit/secrets.toml.

    [admin]
    password = "…"                        # the 数据维护 page asks for it
    emails = ["zhang@example.gov.cn"]     # with [auth] (st.login): these accounts are admins

Without either, the 数据维护 page does not exist and no write action is shown
anywhere. Viewers never see write actions.
"""

from __future__ import annotations

import hmac
import time

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 60
_SESSION_ADMIN = "_admin_name"
_SESSION_FAILURES = "_admin_failures"


def _secrets_section(name: str) -> dict:
    try:
        section = st.secrets.get(name)
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}
    return dict(section) if section else {}


def admin_password() -> str:
    """Return the configured admin password ("" when none is set)."""
    return str(_secrets_section("admin").get("password", "") or "")


def admin_emails() -> set[str]:
    """Return the OIDC accounts (emails) that are admins."""
    return {str(e).strip().lower() for e in _secrets_section("admin").get("emails", []) if str(e).strip()}


def oidc_configured() -> bool:
    """Return whether st.login is configured ([auth] in secrets) and some accounts are admins."""
    return bool(_secrets_section("auth")) and bool(admin_emails())


def admin_configured() -> bool:
    """Return whether any way to become admin is configured (else the 数据维护 page is hidden)."""
    return bool(admin_password()) or oidc_configured()


def current_admin() -> str | None:
    """Return the name of the admin using this session, or None for a viewer."""
    if not admin_configured():
        return None
    if st.session_state.get(_SESSION_ADMIN) and admin_password():
        return st.session_state[_SESSION_ADMIN]
    if oidc_configured() and st.user.get("is_logged_in"):
        email = str(st.user.get("email", "")).lower()
        if email in admin_emails():
            return email
    return None


def _check_password() -> None:
    attempt = st.session_state.get("admin_password_input", "")
    failures = st.session_state.get(_SESSION_FAILURES, [])
    failures = [t for t in failures if time.monotonic() - t < LOCKOUT_SECONDS]
    if len(failures) >= MAX_FAILED_LOGINS:
        st.session_state[_SESSION_FAILURES] = failures
        return
    if attempt and hmac.compare_digest(attempt.encode("utf-8"), admin_password().encode("utf-8")):
        st.session_state[_SESSION_ADMIN] = "管理员"
        st.session_state[_SESSION_FAILURES] = []
    else:
        st.session_state[_SESSION_FAILURES] = failures + [time.monotonic()]
    st.session_state["admin_password_input"] = ""


def require_admin() -> str:
    """Return the admin's name; otherwise show the login and stop the page (viewers see nothing else)."""
    if not admin_configured():
        st.error("未配置管理员，数据维护不可用。请在 .streamlit/secrets.toml 中设置 [admin] password（见 README）。")
        st.stop()
    admin = current_admin()
    if admin:
        return admin
    st.info("数据维护需要管理员登录。查看数据不需要登录。", icon=":material/lock:")
    if oidc_configured():
        if st.user.get("is_logged_in"):
            st.error("当前账号没有数据维护权限。")
            st.button("退出登录", on_click=st.logout)
        else:
            st.button("使用单位账号登录", on_click=st.login, type="primary")
    if admin_password():
        failures = st.session_state.get(_SESSION_FAILURES, [])
        recent = [t for t in failures if time.monotonic() - t < LOCKOUT_SECONDS]
        with st.form("admin_login", clear_on_submit=False):
            st.text_input("管理员密码", type="password", key="admin_password_input")
            st.form_submit_button("登录", on_click=_check_password)
        if len(recent) >= MAX_FAILED_LOGINS:
            st.error(f"密码错误次数过多，请 {LOCKOUT_SECONDS} 秒后再试。")
        elif recent:
            st.error("密码不正确。")
    st.stop()
    raise AssertionError("st.stop() does not return")


def logout() -> None:
    """End the admin session (and the OIDC login, if any)."""
    st.session_state.pop(_SESSION_ADMIN, None)
    if oidc_configured() and st.user.get("is_logged_in"):
        st.logout()
