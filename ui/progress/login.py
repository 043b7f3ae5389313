"""Who may write progress in this session: a reporter's login (password or OIDC), or an admin."""

from __future__ import annotations

import streamlit as st

from loaders.progress.accounts import LoginRefused, log_in, writer_for_email
from loaders.progress.reports import Writer
from ui.access import auth_configured, client_address, current_admin, oidc_user
from ui.data import ensure_entry_point
from ui.progress.store import engine
from ui.text import caption, literal

_WRITER = "_progress_writer"


def current_writer() -> Writer | None:
    """Return who may write in this session: a reporter (password or OIDC email bound to an account), an admin, or None.

    The OIDC email is looked up on every run, so an admin's unbinding holds at once.
    """
    writer = st.session_state.get(_WRITER)
    if writer:
        return writer
    admin = current_admin()
    if admin:
        return Writer(admin, is_admin=True)
    user = oidc_user()
    if user and user[0] and user[1]:
        return writer_for_email(engine(), user[0])
    return None


def _log_in() -> None:
    login = st.session_state.get("progress_login", "")
    password = st.session_state.get("progress_password", "")
    st.session_state["progress_password"] = ""
    try:
        st.session_state[_WRITER] = log_in(engine(), login, password, client_address())
        st.session_state.pop("_progress_login_error", None)
    except LoginRefused as refused:
        st.session_state["_progress_login_error"] = str(refused)


def require_writer() -> Writer:
    """Return the writer of this session; otherwise show the login form and stop the page."""
    ensure_entry_point()  # a first visit straight to /report (a fresh server) must run through app.py
    writer = current_writer()
    if writer:
        return writer
    if auth_configured():
        st.info("填报需要登录：用统一身份认证（邮箱已由管理员绑定到本单位账号），或用本单位的填报账号和密码。"
                "查看落实进度不需要登录。", icon=":material/lock:")
        _oidc_login()
    else:
        st.info("填报需要用本单位的填报账号登录（账号由管理员创建）。查看落实进度不需要登录。", icon=":material/lock:")
    with st.form("progress_login_form"):
        st.text_input("登录名", key="progress_login")
        st.text_input("密码", type="password", key="progress_password")
        st.form_submit_button("登录", on_click=_log_in, type="primary")
    if st.session_state.get("_progress_login_error"):
        st.error(st.session_state["_progress_login_error"])
    st.stop()
    raise AssertionError("st.stop() does not return")


def _oidc_login() -> None:
    """Offer the OIDC login, or say why the account logged in through it may not report."""
    user = oidc_user()
    if user is None:
        st.button("使用统一身份认证登录", on_click=st.login, type="primary", icon=":material/badge:",
                  key="progress_oidc_login")
        caption("登录后回到首页，再打开“填报”页。也可以在下面用填报账号和密码登录。")
        return
    email, verified = user
    if not email:
        st.error("统一身份认证没有提供邮箱，无法对应填报单位。请联系管理员。")
    elif not verified:
        st.error(literal(f"统一身份认证账号 {email} 的邮箱未经验证，不能用于填报。"))
    else:
        st.error(literal(f"统一身份认证账号 {email} 还没有绑定填报单位。请管理员在服务器上绑定（单位账号换成本单位的登录名）："))
        st.code(f"python -m loaders progress set-email --login 单位账号 --email {email}", language=None)
    st.button("退出统一身份认证", on_click=st.logout, icon=":material/logout:", key="progress_oidc_logout")


def log_out() -> None:
    """End the reporter's session (and the OIDC login, when that is how they came in)."""
    st.session_state.pop(_WRITER, None)
    if oidc_user():
        st.logout()
