"""The one database of the dashboard (progress, the curated tables' versions, login limits): where it is, how it fails."""

from __future__ import annotations

import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from loaders.progress.db import URL_VARIABLE, database_url


def configured_url() -> str:
    """Return the database URL: WORK_REPORT_DATABASE_URL, else [database] url in secrets, else the SQLite file."""
    if os.environ.get(URL_VARIABLE):
        return database_url()
    try:
        section = st.secrets.get("database")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        section = None
    return database_url(str(section.get("url", "")) if section else None)


def not_saved(error: Exception) -> str:
    """Say, for an outcome message, that a save failed on the database or the disk (what failed, what to do)."""
    return (f"未保存：看板数据库或数据目录暂时无法写入（{type(error).__name__}）。本次的改动没有生效，"
            "请稍后重试；多次失败请检查数据库服务和 data/ 目录的写权限。")


def unreachable(error: Exception) -> None:
    """Say that the database cannot be opened and stop the page (never a traceback)."""
    st.error("无法打开看板数据库，请检查 WORK_REPORT_DATABASE_URL 或 secrets.toml 中的 [database] url，"
             "以及数据库服务是否运行。")
    st.text(type(error).__name__)
    st.stop()
