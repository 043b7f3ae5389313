"""Aggregations behind the screens: counts per leader, per unit, concentration, pairs.

Pure pandas; every function takes (selected) Frames and returns a small frame
that a chart in charts/ draws or a page shows as a table.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from loaders.frames import Frames
from loaders.select import DIRECTION_LABELS, QUALIFIER_LABELS, task_label, text_start

HOVER_TASKS = 6


def with_labels(tasks: pd.DataFrame) -> pd.DataFrame:
    """Return tasks with `label` (how people cite the task) and `text_start` columns."""
    return tasks.assign(
        label=[task_label(t) for t in tasks.itertuples()],
        text_start=[text_start(c) for c in tasks["content"]],
    )


def _hover(task_ids: pd.Series, labelled: pd.DataFrame) -> str:
    rows = labelled.loc[labelled.index.intersection(task_ids)]
    lines = [f"{r.label} {r.text_start}" for r in rows.head(HOVER_TASKS).itertuples()]
    if len(rows) > HOVER_TASKS:
        lines.append(f"……共{len(rows)}项")
    return "<br>".join(lines)


def headline(frames: Frames) -> pd.DataFrame:
    """Return per document: tasks, leaders, units (no placeholders), targets, livelihood projects."""
    rows = []
    for doc in frames.documents.itertuples():
        tasks = frames.tasks[frames.tasks["doc_no"] == doc.doc_no]
        ids = tasks["task_id"]
        units = frames.task_units[frames.task_units["task_id"].isin(ids) & ~frames.task_units["is_placeholder"]]
        livelihood = tasks[tasks["scope"] == "livelihood"]
        rows.append({
            "doc_no": doc.doc_no, "year": doc.year,
            "tasks": int(len(tasks)),
            "leaders": int(frames.task_leaders[frames.task_leaders["task_id"].isin(ids)]["leader"].nunique()),
            "units": int(units["unit"].nunique()),
            "targets": int(frames.targets["task_id"].isin(ids).sum()),
            "livelihood_projects": int(livelihood["seq"].nunique()),
            "content_missing": int(tasks["content_missing"].sum()),
        })
    return pd.DataFrame(rows)


def tasks_per_leader(frames: Frames) -> pd.DataFrame:
    """Return leader, year, scope, tasks and hover text; a task with two leaders counts for both."""
    labelled = with_labels(frames.tasks).set_index("task_id")
    joined = frames.task_leaders.merge(frames.tasks[["task_id", "seq"]], on="task_id")
    grouped = joined.groupby(["leader", "year", "scope"], sort=False)
    result = grouped["task_id"].agg(tasks="count", hover=lambda ids: _hover(ids, labelled)).reset_index()
    totals = result.groupby("leader")["tasks"].transform("sum")
    return result.assign(leader_total=totals).sort_values(["leader_total", "leader"], ascending=[False, True])


def unit_load(frames: Frames, placeholders: bool = False) -> pd.DataFrame:
    """Return per unit the tasks it leads and supports (one count per task and unit)."""
    units = frames.task_units[frames.task_units["is_placeholder"] == placeholders]
    labelled = with_labels(frames.tasks).set_index("task_id")
    counts = units.pivot_table(index=["unit", "category"], columns="role", values="task_id",
                               aggfunc="nunique", fill_value=0)
    counts = counts.reindex(columns=["lead", "support"], fill_value=0).reset_index()
    counts.columns.name = None
    hover = units.groupby("unit")["task_id"].agg(lambda ids: _hover(ids, labelled))
    counts["total"] = counts["lead"] + counts["support"]
    counts["hover"] = counts["unit"].map(hover)
    return counts.sort_values(["total", "lead", "unit"], ascending=[False, False, True]).reset_index(drop=True)


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
    units = frames.task_units[~frames.task_units["is_placeholder"]]
    pairs: dict[tuple[str, str], int] = {}
    for _, group in units.groupby("task_id"):
        for a, b in combinations(sorted(set(group["unit"])), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    table = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["unit_a", "unit_b", "tasks"])
    return table.sort_values(["tasks", "unit_a", "unit_b"], ascending=[False, True, True]).head(top).reset_index(drop=True)


def unit_years(frames: Frames, years: tuple[int, int] = (2020, 2022)) -> pd.DataFrame:
    """Return per unit the tasks it carries in each of two years (aliases already merged)."""
    units = frames.task_units[~frames.task_units["is_placeholder"] & frames.task_units["year"].isin(years)]
    table = units.pivot_table(index="unit", columns="year", values="task_id", aggfunc="nunique", fill_value=0)
    table = table.reindex(columns=list(years), fill_value=0)
    table.columns = [f"tasks_{y}" for y in years]
    table["change"] = table[f"tasks_{years[1]}"] - table[f"tasks_{years[0]}"]
    return table.reset_index().sort_values(f"tasks_{years[1]}", ascending=False).reset_index(drop=True)


def leader_unit_matrix(frames: Frames, top_units: int = 20) -> pd.DataFrame:
    """Return a leader × unit table of shared tasks, for the most loaded units."""
    units = frames.task_units[~frames.task_units["is_placeholder"]]
    joined = frames.task_leaders[["task_id", "leader"]].merge(units[["task_id", "unit"]], on="task_id")
    if joined.empty:
        return pd.DataFrame()
    keep = joined["unit"].value_counts().head(top_units).index
    matrix = pd.crosstab(joined["leader"], joined["unit"]).reindex(columns=keep)
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    return matrix.loc[order]


def leader_portfolio(frames: Frames, leader: str) -> dict[str, pd.DataFrame]:
    """Return one leader's tasks, sections, lead units, targets and livelihood projects."""
    ids = frames.task_leaders.loc[frames.task_leaders["leader"] == leader, "task_id"]
    tasks = with_labels(frames.tasks[frames.tasks["task_id"].isin(ids)])
    sections = (tasks.assign(section=tasks["section"].where(tasks["section"] != "", tasks["scope"]))
                .groupby(["year", "scope", "section"]).size().rename("tasks").reset_index())
    units = frames.task_units[frames.task_units["task_id"].isin(ids) & (frames.task_units["role"] == "lead")]
    lead_units = (units.groupby(["unit", "category"])["task_id"].nunique().rename("tasks")
                  .reset_index().sort_values("tasks", ascending=False))
    targets = frames.targets[frames.targets["task_id"].isin(ids)].merge(
        tasks[["task_id", "label"]], on="task_id")
    livelihood = tasks[tasks["scope"] == "livelihood"]
    return {"tasks": tasks, "sections": sections, "lead_units": lead_units,
            "targets": targets, "livelihood": livelihood}


def leaders_across_years(frames: Frames) -> pd.DataFrame:
    """Return leaders named in more than one notice, with their tasks per year and table."""
    years = frames.task_leaders.groupby("leader")["year"].nunique()
    several = years[years > 1].index
    rows = frames.task_leaders[frames.task_leaders["leader"].isin(several)]
    return rows.groupby(["leader", "year", "scope"]).size().rename("tasks").reset_index()


def target_table(frames: Frames) -> pd.DataFrame:
    """Return every target with the task it came from (label and full text)."""
    tasks = with_labels(frames.tasks)[["task_id", "label", "content", "leaders", "lead_units"]]
    return frames.targets.merge(tasks, on="task_id", how="left")


def one_year_metrics(frames: Frames, scope: str = "annual", years: tuple[int, int] = (2020, 2022)) -> pd.DataFrame:
    """Return metrics of a scope set in only one of two years: `dropped` (first only) or `new`."""
    targets = frames.targets[frames.targets["scope"] == scope]
    paired = set(map(tuple, frames.target_changes[["metric", "unit"]].values.tolist()))
    rows = targets[targets["year"].isin(years)]
    rows = rows[[(m, u) not in paired for m, u in zip(rows["metric"], rows["unit"])]]
    rows = rows.assign(status=rows["year"].map({years[0]: "dropped", years[1]: "new"}))
    return rows.drop_duplicates(["metric", "unit", "year"])


def five_year_beside_annual(frames: Frames, year: int = 2022) -> pd.DataFrame:
    """Return the five-year targets of a notice beside the same metric's annual target."""
    targets = frames.targets[frames.targets["year"] == year]
    five = targets[targets["scope"] == "five_year"]
    annual = targets[targets["scope"] == "annual"].drop_duplicates(["metric", "unit"])
    merged = five.merge(annual[["metric", "unit", "value", "qualifier", "task_id"]], on=["metric", "unit"],
                        how="left", suffixes=("_five_year", "_annual"))
    return merged.assign(
        target_five_year=[written_target(v, q, u) for v, q, u in
                          zip(merged["value_five_year"], merged["qualifier_five_year"], merged["unit"])],
        target_annual=[written_target(v, q, u) for v, q, u in
                       zip(merged["value_annual"], merged["qualifier_annual"], merged["unit"])],
        basis=merged["per_year_average"].map({True: "年均", False: "期末总量"}),
    )


def written_target(value: float, qualifier: str, unit: str) -> str:
    """Return a target as the notice would write it: 7.5%左右, 50家, 16亿元以上; “—” if none."""
    if pd.isna(value):
        return "—"
    number = f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{number}{unit}{QUALIFIER_LABELS.get(qualifier, '')}"


def change_table(frames: Frames) -> pd.DataFrame:
    """Return target_changes with both targets written out and qualifier changes named."""
    changes = frames.target_changes.copy()
    written = written_target

    changes["target_from"] = [written(v, q, u) for v, q, u in
                              zip(changes["value_from"], changes["qualifier_from"], changes["unit"])]
    changes["target_to"] = [written(v, q, u) for v, q, u in
                            zip(changes["value_to"], changes["qualifier_to"], changes["unit"])]
    changes["direction_word"] = changes["direction"].map(DIRECTION_LABELS)
    changes["qualifier_change"] = [
        "" if a == b else f"{QUALIFIER_LABELS.get(a) or '（无）'} → {QUALIFIER_LABELS.get(b) or '（无）'}"
        for a, b in zip(changes["qualifier_from"], changes["qualifier_to"])]
    return changes
