"""Text that may hold data (task text, names): shown literally, never as markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

from loaders.select import Filters

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def literal(text: str) -> str:
    """Return text with markdown characters escaped, for labels that Streamlit renders as markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def caption(text: str) -> None:
    """Show a small note whose text may contain data, with markdown characters escaped."""
    st.caption(literal(text))


def empty_message(what: str = "当前筛选条件下没有任务", filters: Filters | None = None,
                  own: tuple[str, ...] = ()) -> None:
    """Say that nothing is selected, instead of drawing an empty chart, and name the filters that caused it.

    `filters` are the sidebar filters (given only on pages that have the sidebar),
    `own` the names of this page's filters in effect. Without either the message
    names no place: pages without a sidebar (汇报模式) must not point to one.
    """
    causes = []
    if filters is not None:
        causes += ["左侧“年度”"] if filters.years else []
        causes += ["左侧“表格”"] if filters.scopes else []
        causes += [f"左侧“牵头领导”（{filters.leader}）"] if filters.leader else []
    causes += [f"本页“{name}”" for name in own]
    hint = "可放宽：" + "、".join(causes) + "，或点“清除筛选”。" if causes else "请放宽所选条件。"
    st.info(literal(f"{what}。{hint}"), icon=":material/filter_alt_off:")
