"""How the load spreads over units: lead and support counts, categories, concentration, pairs, two years side by side.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

import pandas as pd

from loaders.analysis.common import hover_texts, typed_frame
from loaders.frames import Frames


def unit_load(frames: Frames, placeholders: bool = False) -> pd.DataFrame:
    """Return per unit the tasks it leads and supports (one count per task and unit).

    With several years selected a row is one unit in one year (`who` = 区发改局（2022年）),
    latest year first: years stand side by side and are never summed into one ranking.
    """
    units = frames.task_units[frames.task_units["is_placeholder"] == placeholders]
    years = units["year"].tolist()
    several = len(set(years)) > 1
    # counted in plain Python: a few hundred rows, where pandas' fixed costs outweigh the work
    names = list(zip(units["unit"].tolist(), units["category"].tolist(), years)) if several else \
        list(zip(units["unit"].tolist(), units["category"].tolist()))
    tasks: dict[tuple, dict[str, set]] = {}
    for name, role, task_key in zip(names, units["role"].tolist(), units["task_key"].tolist()):
        tasks.setdefault(name, {"lead": set(), "support": set()}).setdefault(role, set()).add(task_key)
    hover = hover_texts(zip((name[::2] if several else name[0] for name in names), units["task_key"].tolist()),
                        frames.tasks)
    rows = []
    for name in sorted(tasks):
        lead, support = len(tasks[name]["lead"]), len(tasks[name]["support"])
        who = f"{name[0]}（{name[2]}年）" if several else name[0]
        rows.append((*name, lead, support, lead + support, hover[name[::2] if several else name[0]], who))
    # latest year first, then the most loaded (stable: ties stay in unit order, as pandas sorts them)
    rows.sort(key=lambda row: (-row[2], -row[5], -row[3]) if several else (-row[4], -row[2]))
    columns = ["unit", "category"] + (["year"] if several else []) + ["lead", "support", "total", "hover", "who"]
    types = {"unit": str, "category": str, "year": "int64", "lead": "int64", "support": "int64", "total": "int64",
             "hover": str, "who": str}
    return typed_frame({column: ([row[i] for row in rows], types[column]) for i, column in enumerate(columns)})


def category_load(frames: Frames) -> pd.DataFrame:
    """Return per unit category: lead and support assignments and how many units."""
    units = frames.task_units
    table = units.pivot_table(index="category", columns="role", values="task_id", aggfunc="count", fill_value=0)
    table = table.reindex(columns=["lead", "support"], fill_value=0)
    table["units"] = units.groupby("category")["unit"].nunique()
    table["total"] = table["lead"] + table["support"]
    table.columns.name = None
    return table.reset_index().sort_values("total", ascending=False).reset_index(drop=True)


def concentration(load: pd.DataFrame) -> pd.DataFrame:
    """Return the Pareto curve: units by rank with their cumulative share of all assignments."""
    ranked = load.sort_values("total", ascending=False).reset_index(drop=True)
    total = ranked["total"].sum()
    return ranked.assign(
        rank=range(1, len(ranked) + 1),
        share=ranked["total"] / total if total else 0.0,
        cumulative_share=ranked["total"].cumsum() / total if total else 0.0,
    )


def top_share(curve: pd.DataFrame, n: int) -> float:
    """Return the share of all unit assignments that the n most loaded units carry."""
    if curve.empty:
        return 0.0
    return float(curve["cumulative_share"].iloc[min(n, len(curve)) - 1])


def co_assignments(frames: Frames, top: int = 15) -> pd.DataFrame:
    """Return the unit pairs most often assigned to the same task (placeholders left out)."""
    units = frames.task_units.loc[~frames.task_units["is_placeholder"], ["task_key", "unit"]].drop_duplicates()
    pairs = units.merge(units, on="task_key", suffixes=("_a", "_b"))
    pairs = pairs[pairs["unit_a"] < pairs["unit_b"]]
    table = pairs.groupby(["unit_a", "unit_b"]).size().rename("tasks").reset_index()
    return table.sort_values(["tasks", "unit_a", "unit_b"], ascending=[False, True, True]).head(top).reset_index(drop=True)


def unit_years(frames: Frames, years: tuple[int, int]) -> pd.DataFrame:
    """Return per unit the tasks it carries in each of two chosen years (aliases already merged).

    Call it on one district's frames: a unit is one unit only within its district.
    """
    units = frames.task_units[~frames.task_units["is_placeholder"] & frames.task_units["year"].isin(years)]
    table = units.pivot_table(index="unit", columns="year", values="task_id", aggfunc="nunique", fill_value=0)
    table = table.reindex(columns=list(years), fill_value=0)
    table.columns = [f"tasks_{y}" for y in years]
    table["change"] = table[f"tasks_{years[1]}"] - table[f"tasks_{years[0]}"]
    return table.reset_index().sort_values(f"tasks_{years[1]}", ascending=False).reset_index(drop=True)
