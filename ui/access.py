"""Who may change the data: an admin password or OIDC accounts configured in .streamlit/secrets.toml.

(Unit reporters log in on the 填报 page: ui/progress/login.py, with a password or, when [auth]
is configured, through OIDC with an email an admin bound to their account.)

    [admin]
    password = "…"                        # the 数据维护 page asks for it
    emails = ["zhang@example.gov.cn"]     # with [auth] (st.login): these accounts are admins

Without either, the 数据维护 page does not exist and no write action is shown
anywhere. Viewers never see write actions. Wrong passwords are counted per account
and per client address in the progress database (loaders/security/login_limits.py), shared by every replica:
a new browser session or a server restart does not reset them.
"""

from __future__ import annotations

import hmac

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from loaders.security.login_limits import reserve, resolved_address, seconds_to_wait, succeeded, trusted_proxies
from ui.progress.store import engine as progress_engine

PASSWORD_ACCOUNT = "管理员"  # the one account behind the shared admin password
_SESSION_ADMIN = "_admin_name"
_SESSION_WRONG = "_admin_wrong_password"


def secrets_section(name: str) -> dict:
    """Return a section of .streamlit/secrets.toml as a dict ({} when there is no file or no such section)."""
    try:
        section = st.secrets.get(name)
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}
    return dict(section) if section else {}


def admin_password() -> str:
    """Return the configured admin password ("" when none is set)."""
    return str(secrets_section("admin").get("password", "") or "")


def admin_emails() -> set[str]:
    """Return the OIDC accounts (emails) that are admins."""
    return {str(e).strip().lower() for e in secrets_section("admin").get("emails", []) if str(e).strip()}


def oidc_configured() -> bool:
    """Return whether st.login is configured ([auth] in secrets) and some accounts are admins."""
    return bool(secrets_section("auth")) and bool(admin_emails())


def auth_configured() -> bool:
    """Return whether st.login is configured ([auth] in secrets): reporters may then log in through OIDC too."""
    return bool(secrets_section("auth"))


def oidc_user() -> tuple[str, bool] | None:
    """Return (email in lower case, whether the provider did not deny it is verified) of the OIDC login, or None.

    st.user holds the claims of the identity token; a provider that sends
    email_verified = false must not have that email map to a unit.
    """
    if not auth_configured() or not st.user.get("is_logged_in"):
        return None
    return str(st.user.get("email") or "").strip().lower(), st.user.get("email_verified") is not False


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


def client_address() -> str:
    """Return the client's address: the connection's peer, or behind a proxy listed in WORK_REPORT_TRUSTED_PROXIES
    the right-most address in X-Forwarded-For that is not a trusted proxy (a client's own entries are never believed)."""
    peer = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For")
    return resolved_address(peer if isinstance(peer, str) else None,
                            forwarded if isinstance(forwarded, str) else None, trusted_proxies())


def _check_password() -> None:
    attempt = st.session_state.get("admin_password_input", "")
    st.session_state["admin_password_input"] = ""
    st.session_state[_SESSION_WRONG] = False
    engine, address = progress_engine(), client_address()  # the counters live in the progress database
    if not reserve(engine, PASSWORD_ACCOUNT, address):
        return  # locked: the password is not even compared
    if attempt and hmac.compare_digest(attempt.encode("utf-8"), admin_password().encode("utf-8")):
        st.session_state[_SESSION_ADMIN] = PASSWORD_ACCOUNT
        succeeded(engine, PASSWORD_ACCOUNT, address)
    else:
        st.session_state[_SESSION_WRONG] = True


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
        with st.form("admin_login", clear_on_submit=False):
            st.text_input("管理员密码", type="password", key="admin_password_input")
            st.form_submit_button("登录", on_click=_check_password)
        wait = seconds_to_wait(progress_engine(), PASSWORD_ACCOUNT, client_address())
        if wait:
            st.error(f"密码错误次数过多，请 {wait} 秒后再试（按账号和来源地址计，刷新页面或换浏览器不会重新计数）。")
        elif st.session_state.get(_SESSION_WRONG):
            st.error("密码不正确。")
    st.stop()
    raise AssertionError("st.stop() does not return")


def logout() -> None:
    """End the admin session (and the OIDC login, if any)."""
    st.session_state.pop(_SESSION_ADMIN, None)
    if oidc_configured() and st.user.get("is_logged_in"):
        st.logout()
