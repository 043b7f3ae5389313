"""What 总览 counts: tasks, years, and per notice its tasks, leaders, units, targets and livelihood projects.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.frames import Frames


def task_count(frames: Frames) -> int:
    """Return how many tasks the frames hold (a page with none shows the empty-filter message)."""
    return len(frames.tasks)


def years_of(frames: Frames) -> list[int]:
    """Return the notice years of the selected tasks, latest first."""
    return sorted((int(y) for y in frames.tasks["year"].unique()), reverse=True)


def headline(frames: Frames) -> pd.DataFrame:
    """Return per document: tasks, leaders, units (no placeholders), targets, livelihood projects.

    Counted in plain Python: a few hundred rows, where pandas' fixed costs outweigh the work.
    """
    tasks = frames.tasks
    doc_of = dict(zip(tasks["task_key"].tolist(), tasks["doc_no"].tolist()))
    counts: dict[str, dict[str, int]] = {}

    def count(column: str, docs) -> None:
        for doc in docs:
            row = counts.setdefault(doc, {})
            row[column] = row.get(column, 0) + 1

    count("tasks", doc_of.values())
    leaders = frames.task_leaders
    count("leaders", (doc for doc, _ in {(doc_of[k], leader) for k, leader
                                         in zip(leaders["task_key"].tolist(), leaders["leader"].tolist())}))
    units = frames.task_units[~frames.task_units["is_placeholder"]]
    count("units", (doc for doc, _ in {(doc_of[k], unit) for k, unit
                                       in zip(units["task_key"].tolist(), units["unit"].tolist())}))
    count("targets", (doc_of[k] for k in frames.targets["task_key"].tolist()))
    livelihood = tasks[tasks["scope"] == "livelihood"]
    count("livelihood_projects", (doc for doc, _ in set(zip(livelihood["doc_no"].tolist(),
                                                             livelihood["seq"].tolist()))))
    count("content_missing", (doc for doc, missing in zip(tasks["doc_no"].tolist(),
                                                           tasks["content_missing"].tolist()) if missing))
    table = frames.documents[["doc_no", "district", "year"]].reset_index(drop=True)
    docs = table["doc_no"].tolist()
    return table.assign(**{column: np.array([counts.get(doc, {}).get(column, 0) for doc in docs], dtype="int64")
                           for column in HEADLINE_COUNTS})


HEADLINE_COUNTS = ("tasks", "leaders", "units", "targets", "livelihood_projects", "content_missing")
