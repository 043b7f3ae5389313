"""Who carries what: tasks per leader (each year its own ranking), one leader's portfolio, leaders across years.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from loaders.analysis.common import hover_texts, typed_frame, with_labels
from loaders.frames import Frames
from loaders.vocabulary import SCOPE_LABELS


def leaders_by_load(frames: Frames) -> list[str]:
    """Return the leaders, most tasks first (a task with two leaders counts for both)."""
    return frames.task_leaders["leader"].value_counts().index.tolist()




def tasks_without_leader(frames: Frames) -> int:
    """Return how many selected tasks name no leader (notices that print only units): never a person."""
    return int((~frames.tasks["task_key"].isin(frames.task_leaders["task_key"])).sum())


def tasks_per_leader(frames: Frames) -> pd.DataFrame:
    """Return leader, year, scope, tasks and hover text; a task with two leaders counts for both.

    Each year's leadership is its own ranking: with several years selected, a
    bar is one leader in one year (`who` = 林杰（2022年）), latest year first,
    never a sum over years. With several districts the district names the bar too.
    """
    task_leaders = frames.task_leaders
    # plain Python over a few hundred rows (pandas' fixed costs outweigh the work, docs/性能.md);
    # the frame is the one pandas would give, index included (tests/test_daily_use.py)
    groups = list(zip(task_leaders["district"].tolist(), task_leaders["leader"].tolist(),
                      task_leaders["year"].tolist(), task_leaders["scope"].tolist()))
    counts = Counter(groups)  # bars in the order they first appear
    totals = Counter(group[:3] for group in groups)  # each leader's tasks in a year, all tables
    hover = hover_texts(zip(groups, task_leaders["task_key"].tolist()), frames.tasks)
    bars = list(counts)
    result = typed_frame({"district": ([g[0] for g in bars], str), "leader": ([g[1] for g in bars], str),
                          "year": ([g[2] for g in bars], "int64"), "scope": ([g[3] for g in bars], str),
                          "tasks": (list(counts.values()), "int64"), "hover": ([hover[g] for g in bars], str),
                          "leader_total": ([totals[g[:3]] for g in bars], "int64")})
    who = result["leader"]
    if result["district"].nunique() > 1:
        who = result["district"] + "·" + who
    if result["year"].nunique() > 1:
        who = who + "（" + result["year"].astype(str) + "年）"
    return (result.assign(who=who)
            .sort_values(["year", "leader_total", "leader"], ascending=[False, False, True]))


def leader_unit_matrix(frames: Frames, top_units: int = 20) -> pd.DataFrame:
    """Return a leader × unit table of shared tasks, for the most loaded units (a row per leader and year
    when several years are selected, in the order of the leader bars)."""
    units = frames.task_units[~frames.task_units["is_placeholder"]]
    leaders = frames.task_leaders[["task_id", "leader", "year"]]
    if leaders["year"].nunique() > 1:
        leaders = leaders.assign(leader=leaders["leader"] + "（" + leaders["year"].astype(str) + "年）")
    joined = leaders.merge(units[["task_id", "unit"]], on="task_id")
    if joined.empty:
        return pd.DataFrame()
    keep = joined["unit"].value_counts().head(top_units).index
    matrix = pd.crosstab(joined["leader"], joined["unit"]).reindex(columns=keep)
    order = tasks_per_leader(frames)["who"].drop_duplicates()
    return matrix.reindex([w for w in order if w in matrix.index] +
                          [w for w in matrix.index if w not in set(order)])


def leader_portfolio(frames: Frames, leader: str) -> dict[str, pd.DataFrame]:
    """Return one leader's tasks, sections, lead units, targets and livelihood projects."""
    ids = frames.task_leaders.loc[frames.task_leaders["leader"] == leader, "task_id"]
    tasks = with_labels(frames.tasks[frames.tasks["task_id"].isin(ids)])
    # counted in plain Python: a few dozen rows, where pandas' fixed costs outweigh the work
    # a task outside any section is listed under its table's name (民生实事), never its code
    sections = Counter((year, scope, section or SCOPE_LABELS[scope]) for year, scope, section in zip(
        tasks["year"].tolist(), tasks["scope"].tolist(), tasks["section"].tolist()))
    keys = sorted(sections)
    sections = typed_frame({"year": ([k[0] for k in keys], "int64"), "scope": ([k[1] for k in keys], str),
                            "section": ([k[2] for k in keys], str), "tasks": ([sections[k] for k in keys], "int64")})
    units = frames.task_units[frames.task_units["task_id"].isin(ids) & (frames.task_units["role"] == "lead")]
    led: dict[tuple[str, str], set] = {}
    for unit, category, task_id in zip(units["unit"].tolist(), units["category"].tolist(), units["task_id"].tolist()):
        led.setdefault((unit, category), set()).add(task_id)
    keys = sorted(led)
    lead_units = typed_frame({"unit": ([k[0] for k in keys], str), "category": ([k[1] for k in keys], str),
                              "tasks": ([len(led[k]) for k in keys], "int64")}).sort_values("tasks", ascending=False)
    targets = frames.targets[frames.targets["task_id"].isin(ids)]
    livelihood = tasks[tasks["scope"] == "livelihood"]
    return {"tasks": tasks, "sections": sections, "lead_units": lead_units,
            "targets": targets, "livelihood": livelihood}


def leaders_across_years(frames: Frames) -> pd.DataFrame:
    """Return leaders named in notices of several years of their district, with their tasks per year and table."""
    leaders = frames.task_leaders
    years = leaders.groupby(["district", "leader"])["year"].transform("nunique")
    rows = leaders[years > 1]
    return rows.groupby(["district", "leader", "year", "scope"]).size().rename("tasks").reset_index()


def leader_names(frames: Frames, district: str | None, year: int | None) -> list[str]:
    """Return the leaders of a district and year (or all), in the order the notices first name them."""
    leaders = frames.task_leaders[["leader", "year", "district"]]
    if district is not None:
        leaders = leaders[leaders["district"] == district]
    if year is not None:
        leaders = leaders[leaders["year"] == year]
    return leaders["leader"].drop_duplicates().tolist()
