"""Helpers the analyses share: task labels with the start of their text, hover texts, small typed frames.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

import html

import pandas as pd

from loaders.select import text_start


HOVER_TASKS = 6


HOVER_LINE = 18  # characters of task text per hover line: the label stays inside a 390-px phone screen


TEXT_START = 28


def with_labels(tasks: pd.DataFrame) -> pd.DataFrame:
    """Return tasks with a `text_start` column beside `label` (how people cite the task)."""
    starts = [text_start(content, TEXT_START) for content in tasks["content"].tolist()]
    return tasks.assign(text_start=pd.Series(starts, index=tasks.index, dtype=str))


def hover_texts(pairs, tasks: pd.DataFrame) -> dict:
    """Return {value: hover text} for (value, task_key) pairs: each value's first tasks.

    Plain Python over the rows: for the few hundred rows of a chart, pandas' fixed cost per
    operation outweighs the work (docs/性能.md), and every new filter state asks for it.
    """
    tasks_of: dict = {}
    for value, task_key in pairs:
        tasks_of.setdefault(value, {})[task_key] = None  # each task once, in the order of the rows
    wanted = {task_key for keys in tasks_of.values() for task_key in keys}
    lines = {}
    for task_key, label, content in zip(tasks["task_key"].tolist(), tasks["label"].tolist(),
                                        tasks["content"].tolist()):
        if task_key in wanted:
            # the pieces are data: escaped, so that plotly shows tags in task text literally; the label on
            # one line, the start of the text indented on the next: no line is wider than a phone
            start = text_start(content, TEXT_START)
            start = start[:HOVER_LINE] + ("…" if len(start) > HOVER_LINE else "")
            lines[task_key] = html.escape(label, quote=False) + "<br>　" + html.escape(start, quote=False)
    text = {}
    for value in tasks_of:
        keys = list(tasks_of[value])
        more = f"<br>……共{len(keys)}项" if len(keys) > HOVER_TASKS else ""
        text[value] = "<br>".join(lines[k] for k in keys[:HOVER_TASKS]) + more
    return text


def typed_frame(columns: dict[str, tuple[list, object]]) -> pd.DataFrame:
    """Return a frame of Python lists, each column with its dtype (str, "int64"), a RangeIndex.

    pandas infers these dtypes from non-empty lists of str and int, the fastest way to make a
    small frame (faster than a Series per column with its dtype); an empty or differently
    inferred column is converted.
    """
    frame = pd.DataFrame({name: values for name, (values, _) in columns.items()})
    wrong = {name: dtype for name, (_, dtype) in columns.items() if frame[name].dtype != pd.api.types.pandas_dtype(dtype)}
    return frame.astype(wrong) if wrong else frame
