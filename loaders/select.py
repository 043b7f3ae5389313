"""Selecting rows for a screen: the shared filters (year, table, leader) as pure functions."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from loaders.frames import Frames
from loaders.vocabulary import MISSING_TEXT


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects; an empty tuple means “all”."""

    years: tuple[int, ...] = ()
    scopes: tuple[str, ...] = ()
    leader: str | None = None
    district: str | None = None


def task_keys(frames: Frames, filters: Filters) -> pd.Series:
    """Return the integer keys of the tasks the filters select."""
    tasks = frames.tasks
    keep = pd.Series(True, index=tasks.index)
    if filters.district:
        keep &= tasks["district"] == filters.district
    if filters.years:
        keep &= tasks["year"].isin(filters.years)
    if filters.scopes:
        keep &= tasks["scope"].isin(filters.scopes)
    if filters.leader:
        leaders = frames.task_leaders
        led = leaders.loc[leaders["leader"] == filters.leader, "task_key"]
        keep &= tasks["task_key"].isin(led)
    return tasks.loc[keep, "task_key"]


def task_ids(frames: Frames, filters: Filters) -> pd.Index:
    """Return the ids of the tasks the filters select."""
    return pd.Index(frames.tasks.loc[frames.tasks["task_key"].isin(task_keys(frames, filters)), "task_id"])


def select(frames: Frames, filters: Filters) -> Frames:
    """Return the frames restricted to the selected tasks (dictionaries stay whole)."""
    if filters == Filters():
        return frames
    return restrict(frames, task_keys(frames, filters))


def restrict(frames: Frames, keys) -> Frames:
    """Return the frames restricted to the tasks with these integer keys."""
    return replace(
        frames,
        tasks=frames.tasks[frames.tasks["task_key"].isin(keys)],
        task_units=frames.task_units[frames.task_units["task_key"].isin(keys)],
        task_leaders=frames.task_leaders[frames.task_leaders["task_key"].isin(keys)],
        targets=frames.targets[frames.targets["task_key"].isin(keys)],
    )


def text_start(text: str, length: int = 28) -> str:
    """Return the start of a task text for hover labels (or say the text is missing)."""
    if not text:
        return MISSING_TEXT
    return text if len(text) <= length else text[:length] + "…"


@dataclass(frozen=True)
class TaskQuery:
    """The drill-down filters of the task list, on top of the shared Filters."""

    sections: tuple[str, ...] = ()
    unit: str | None = None
    lead_only: bool = False
    categories: tuple[str, ...] = ()
    with_target: bool = False
    keywords: str = ""


def query_tasks(frames: Frames, filters: Filters, query: TaskQuery) -> pd.DataFrame:
    """Return the tasks that match the shared filters and the drill-down query, in notice order.

    Several words in `keywords` (separated by spaces) must all occur in the task
    text, project name or note; matching is plain substring matching.
    """
    tasks = frames.tasks[frames.tasks["task_key"].isin(task_keys(frames, filters))]
    keep = pd.Series(True, index=tasks.index)
    if query.sections:
        keep &= tasks["section"].isin(query.sections) | tasks["subsection"].isin(query.sections)
    units = frames.task_units
    if query.unit:
        rows = units[units["unit"] == query.unit]
        if query.lead_only:
            rows = rows[rows["role"] == "lead"]
        keep &= tasks["task_key"].isin(rows["task_key"])
    if query.categories:
        rows = units[units["category"].isin(query.categories)]
        if query.lead_only:
            rows = rows[rows["role"] == "lead"]
        keep &= tasks["task_key"].isin(rows["task_key"])
    if query.with_target:
        keep &= tasks["n_targets"] > 0
    words = query.keywords.split()
    if words:  # the text is joined only when there is something to look for
        searchable = tasks["content"] + "\n" + tasks["project"] + "\n" + tasks["note"]
        for word in words:
            keep &= searchable.str.contains(word, regex=False)
    return tasks[keep]


def with_status(tasks: pd.DataFrame, status: pd.DataFrame, codes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the tasks with their status code (a task_status frame), only those with one of codes (all when empty).

    Order and index of tasks are kept; a task the status frame does not list has no
    status (None) and is dropped when codes are given.
    """
    codes_of = dict(zip(status["task_id"], status["status"]))
    tasks = tasks.assign(status=tasks["task_id"].map(codes_of))
    return tasks[tasks["status"].isin(codes)] if codes else tasks
