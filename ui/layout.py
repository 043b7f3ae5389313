"""The page's frame: the stylesheet, one-tap selection on touch screens, and whether the browser is a phone."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLE = Path(__file__).with_name("style.css")
TOUCH_SELECT = Path(__file__).with_name("touch_select.js")


def page_style() -> None:
    """Load the static stylesheet (hides Streamlit's English hints; narrow-screen layout) and the touch script.

    The script makes one tap select a bar of a clickable chart on a touch screen
    (ui/touch_select.js says how); its element is hidden by ui/style.css.
    """
    st.html(_STYLESHEET)
    _touch_select(key="touch_select")


# read once per process: st.html(Path) reads the file on every run of every session
_STYLESHEET = f"<style>{STYLE.read_text(encoding='utf-8')}</style>"
# a script of this repository (no data in it), run in the page by Streamlit's component API
_touch_select = st.components.v2.component("work_report.touch_select", js=TOUCH_SELECT.read_text(encoding="utf-8"))


def on_phone() -> bool:
    """Return whether the browser says it is a phone: its User-Agent has "Mobi", as phone browsers send.

    Used where what is drawn must differ, not only its layout: 任务明细's closed filter
    box and its cards instead of the table, 量化指标's dumbbell with the names above the
    lines (sending both and hiding one by width would double the page's server work);
    layout by width is left to ui/style.css.
    """
    return "Mobi" in (st.context.headers.get("User-Agent") or "")
