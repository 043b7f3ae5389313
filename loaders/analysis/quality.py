"""What 数据说明 lists about the source: tasks whose text is missing, unit names merged, tasks led through a remark.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

import pandas as pd

from loaders.analysis.common import with_labels
from loaders.frames import Frames


def content_missing(frames: Frames) -> pd.DataFrame:
    """Return the tasks whose text the notice lacks (units and leaders are printed), with labels."""
    return with_labels(frames.tasks[frames.tasks["content_missing"]])


def merged_aliases(frames: Frames) -> pd.DataFrame:
    """Return each unit name as printed that was counted under another name, with its capacity and tasks."""
    units = frames.task_units
    printed = units["unit_raw"].str.replace("*", "", regex=False)
    aliases = units.assign(unit_raw=printed)[printed != units["unit"]]
    return aliases.groupby(["unit_raw", "unit", "capacity"]).size().rename("tasks").reset_index()


def note_led_tasks(frames: Frames) -> pd.DataFrame:
    """Return the tasks with a remark (备注), with labels and the units the remark makes lead."""
    notes = with_labels(frames.tasks[frames.tasks["note"] != ""])
    units = frames.task_units
    note_units = units[units["source"] == "note"].groupby("task_id")["unit"].agg("、".join).rename("note_units")
    return notes.merge(note_units, on="task_id", how="left")
