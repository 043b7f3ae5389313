"""The page's frame: the stylesheet, and whether the browser is a phone."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLE = Path(__file__).with_name("style.css")


def page_style() -> None:
    """Load the static stylesheet (hides Streamlit's English hints; narrow-screen layout)."""
    st.html(_STYLESHEET)


# read once per process: st.html(Path) reads the file on every run of every session
_STYLESHEET = f"<style>{STYLE.read_text(encoding='utf-8')}</style>"


def on_phone() -> bool:
    """Return whether the browser says it is a phone: its User-Agent has "Mobi", as phone browsers send.

    Used where what is drawn must differ, not only its layout: 任务明细's closed filter
    box and its cards instead of the table, 量化指标's dumbbell with the names above the
    lines (sending both and hiding one by width would double the page's server work);
    layout by width is left to ui/style.css.
    """
    return "Mobi" in (st.context.headers.get("User-Agent") or "")
