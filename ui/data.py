"""Frames loaded once per server (st.cache_data); a data problem is shown, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from loaders.curated import DEFAULT_CURATED_DIR
from loaders.frames import Frames, load_frames
from loaders.problems import CuratedDataError

DATA_DIR_VARIABLE = "WORK_REPORT_CURATED_DIR"


def curated_dir() -> Path:
    """Return the curated tables to show: data/curated/, or the folder named by WORK_REPORT_CURATED_DIR."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_CURATED_DIR)


@st.cache_data(show_spinner="正在读取规范表…")
def cached_frames(directory: str) -> Frames:
    """Return the frames of a curated folder, read once per server and folder."""
    return load_frames(Path(directory))


def ensure_entry_point() -> None:
    """Rerun through app.py when Streamlit started a page script on its own.

    Streamlit treats a `pages/` folder as the old file-based navigation until
    app.py has called st.navigation once in the server process. A session that
    opens a shared link such as /tasks?unit=… before that would run the page
    without app.py: no sidebar filters, no URL state. Clearing the flag and
    rerunning makes the session start from app.py like every other one.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def frames() -> Frames:
    """Return the bundled frames, or show what is wrong with the curated tables and stop."""
    ensure_entry_point()
    try:
        return cached_frames(str(curated_dir()))
    except CuratedDataError as error:
        st.error("规范表有问题，看板暂不显示数据。请按下列说明修改 data/curated/ 中的文件后刷新页面。")
        st.code("\n".join(str(p) for p in error.problems), language=None, wrap_lines=True)
        st.stop()
        raise  # st.stop() does not return; keeps type checkers honest
