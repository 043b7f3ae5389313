"""Tables with Chinese headers: codes become words, text stays literal, a shared result is prepared once."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from loaders.vocabulary import (COLUMN_LABELS, EMPTY_TABLE, KIND_LABELS, NOTHING, NOT_GIVEN, QUALIFIER_LABELS,
                                ROLE_LABELS, SCOPE_LABELS, SOURCE_LABELS)
from ui.cache import derived
from ui.layout import on_phone


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None, height: int | str = "auto",
          wide_text: tuple[str, ...] = ("content", "phrase", "note"), only: list[str] | None = None,
          phone: tuple[list[str], list[str]] | None = None) -> None:
    """Show a frame as a table with Chinese headers; codes become words; text stays literal.

    `only`: the columns to show, in this order (chosen here rather than by the caller,
    so that a shared result is still recognised and prepared once). An empty frame is said
    in words: Streamlit draws an empty table with the English word "empty" in it.
    `phone`: (first line, second line) columns: on a phone each row is a bordered two-line
    item instead (every value visible without sideways scrolling); the first line's values
    are joined with “ · ”, the second line's are written “表头：值”.
    """
    if frame.empty:
        st.text(EMPTY_TABLE)
        return
    if phone is not None and on_phone():
        two_line_list(frame, columns, *phone)
        return
    # a shared result (ui.cache) is prepared once for every session; anything else on each run
    shown, config = derived(_prepared_table, frame, tuple(sorted((columns or {}).items())), tuple(wide_text),
                            tuple(only) if only is not None else None)
    # an empty number cell: a dash, not Streamlit's English "None"
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config, placeholder=NOTHING)


PHONE_LIMIT = 100  # items of a two-line list drawn on a phone


def two_line_list(frame: pd.DataFrame, columns: dict[str, str] | None, first: list[str], second: list[str]) -> None:
    """Show rows as bordered two-line items (a phone's table): literal text, codes as words, empty cells left out."""
    labels = {**COLUMN_LABELS, **(columns or {})}
    if len(frame) > PHONE_LIMIT:
        st.caption(f"共 {len(frame)} 条，下面列出前 {PHONE_LIMIT} 条；请用筛选缩小范围。")
    for _, row in frame.head(PHONE_LIMIT).iterrows():
        head = [_cell(name, row[name]) for name in first]
        body = [(labels.get(name, name), _cell(name, row[name])) for name in second]
        with st.container(border=True):
            st.text(" · ".join(v for v in head if v))
            # a value that already names its header (“交接：2020 年由…”) is not prefixed twice
            rest = "；".join(value if value.startswith(f"{header}：") else f"{header}：{value}"
                            for header, value in body if value)
            if rest:
                st.text(rest)


def _cell(name: str, value) -> str:
    """Return a cell as words: a code as its label, a number without trailing zeros, nothing for a missing value."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    words = next((words for prefix, words in _WORDS if name.startswith(prefix)), None)
    if words is not None and value in words:
        return words[value]
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


_WORDS = (("scope", SCOPE_LABELS), ("role", ROLE_LABELS), ("kind", KIND_LABELS),
          ("qualifier", QUALIFIER_LABELS), ("source", SOURCE_LABELS))
_DATES = ("signed_date", "issued_date")


def _prepared_table(frame: pd.DataFrame, columns: tuple[tuple[str, str], ...], wide_text: tuple[str, ...],
                    only: tuple[str, ...] | None) -> tuple[pa.Table | pd.DataFrame, dict]:
    # column by column into one new frame: copying the whole frame, then renaming and filling it,
    # costs several times more (docs/性能.md)
    labels = {**COLUMN_LABELS, **dict(columns)}
    shown = {}
    for name in (only if only is not None else frame.columns):
        column = frame[name]
        words = next((words for prefix, words in _WORDS if name.startswith(prefix)), None)
        if words is not None:
            column = column.map(words).fillna(column)
        if name in _DATES:  # a notice that prints no date: never invented
            column = column.replace("", NOT_GIVEN)
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            column = column.fillna(NOTHING)
        header = labels.get(name, name)
        if header in shown:  # two columns under one header: one would be lost silently
            raise ValueError(f"两列的表头相同：{header}")
        shown[header] = column
    config = {labels.get(c, c): st.column_config.TextColumn(labels.get(c, c), width="large")
              for c in wide_text if c in frame.columns and (only is None or c in only)}
    return as_arrow(pd.DataFrame(shown, index=frame.index, copy=False)), config


def as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """Return a table for st.dataframe as Arrow, so that one prepared once is also converted once (index left out).

    A column Arrow cannot hold as it is (a number and a word in one column) stays a
    frame: Streamlit's own conversion fixes its types.
    """
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame
