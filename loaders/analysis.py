"""Aggregations behind the screens: counts per leader, per unit, concentration, pairs.

Pure pandas; every function takes (selected) Frames and returns a small frame
that a chart in charts/ draws or a page shows as a table.
"""

from __future__ import annotations

import html
from collections import Counter

import numpy as np
import pandas as pd

from loaders.frames import Frames
from loaders.select import DIRECTION_LABELS, QUALIFIER_LABELS, SCOPE_LABELS, text_start
from loaders.targets import pair_between

HOVER_TASKS = 6
HOVER_LINE = 18  # characters of task text per hover line: the label stays inside a 390-px phone screen


TEXT_START = 28


def with_labels(tasks: pd.DataFrame) -> pd.DataFrame:
    """Return tasks with a `text_start` column beside `label` (how people cite the task)."""
    starts = [text_start(content, TEXT_START) for content in tasks["content"].tolist()]
    return tasks.assign(text_start=pd.Series(starts, index=tasks.index, dtype=str))


def hover_texts(pairs, tasks: pd.DataFrame) -> dict:
    """Return {value: hover text} for (value, task_key) pairs: each value's first tasks.

    Plain Python over the rows: a chart's few hundred rows took 10–20 ms through pandas,
    on every new filter state (bench/load.py at ×100); the text is the same.
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
    small frame (a Series per column with its dtype cost 2 ms a frame); an empty or differently
    inferred column is converted.
    """
    frame = pd.DataFrame({name: values for name, (values, _) in columns.items()})
    wrong = {name: dtype for name, (_, dtype) in columns.items() if frame[name].dtype != pd.api.types.pandas_dtype(dtype)}
    return frame.astype(wrong) if wrong else frame


def task_count(frames: Frames) -> int:
    """Return how many tasks the frames hold (a page with none shows the empty-filter message)."""
    return len(frames.tasks)


def leaders_by_load(frames: Frames) -> list[str]:
    """Return the leaders, most tasks first (a task with two leaders counts for both)."""
    return frames.task_leaders["leader"].value_counts().index.tolist()


NO_LEADER = "未列明牵头领导"


def tasks_without_leader(frames: Frames) -> int:
    """Return how many selected tasks name no leader (notices that print only units): never a person."""
    return int((~frames.tasks["task_key"].isin(frames.task_leaders["task_key"])).sum())


def years_of(frames: Frames) -> list[int]:
    """Return the notice years of the selected tasks, latest first."""
    return sorted((int(y) for y in frames.tasks["year"].unique()), reverse=True)


def target_years(frames: Frames, scope: str = "annual") -> list[int]:
    """Return the years whose notices set targets of a scope in the selected districts, latest first."""
    targets = frames.all_targets
    rows = targets[targets["district"].isin(frames.tasks["district"].unique()) & (targets["scope"] == scope)]
    return sorted((int(y) for y in rows["year"].unique()), reverse=True)


def headline(frames: Frames) -> pd.DataFrame:
    """Return per document: tasks, leaders, units (no placeholders), targets, livelihood projects.

    Counted in plain Python: the same numbers took 15–25 ms through pandas for every new filter state.
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


def tasks_per_leader(frames: Frames) -> pd.DataFrame:
    """Return leader, year, scope, tasks and hover text; a task with two leaders counts for both.

    Each year's leadership is its own ranking: with several years selected, a
    bar is one leader in one year (`who` = 林杰（2022年）), latest year first,
    never a sum over years. With several districts the district names the bar too.
    """
    task_leaders = frames.task_leaders
    # plain Python over a few hundred rows: through pandas this took 20–25 ms for every new filter
    # state (bench/load.py at ×100); the frame is the same, index included
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


def unit_load(frames: Frames, placeholders: bool = False) -> pd.DataFrame:
    """Return per unit the tasks it leads and supports (one count per task and unit).

    With several years selected a row is one unit in one year (`who` = 区发改局（2022年）),
    latest year first: years stand side by side and are never summed into one ranking.
    """
    units = frames.task_units[frames.task_units["is_placeholder"] == placeholders]
    years = units["year"].tolist()
    several = len(set(years)) > 1
    # counted in plain Python (a few hundred rows): through pandas this took 10–15 ms a new filter state
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
    # counted in plain Python (a few dozen rows): through pandas these two tables took 10 ms a leader
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


def target_table(frames: Frames) -> pd.DataFrame:
    """Return every target with the task it came from (label and full text)."""
    tasks = frames.tasks[["task_id", "content", "leaders", "lead_units"]]
    return frames.targets.merge(tasks, on="task_id", how="left")


def one_year_metrics(frames: Frames, years: tuple[int, int], scope: str = "annual") -> pd.DataFrame:
    """Return metrics of a scope set in only one of two years of a district: `dropped` (first only) or `new`."""
    targets = frames.targets[(frames.targets["scope"] == scope) & frames.targets["year"].isin(years)]
    pool = frames.all_targets
    pool = pool[(pool["scope"] == scope) & pool["year"].isin(years)]
    set_in = pool.groupby(["district", "metric", "unit"])["year"].nunique()
    both = set(set_in[set_in > 1].index)
    rows = targets[[k not in both for k in zip(targets["district"], targets["metric"], targets["unit"])]]
    rows = rows.assign(status=rows["year"].map({years[0]: "dropped", years[1]: "new"}))
    return rows.drop_duplicates(["district", "metric", "unit", "year"])


def five_year_year(frames: Frames) -> int | None:
    """Return the latest year whose notice sets five-year targets in the selection, if any."""
    years = frames.targets.loc[frames.targets["scope"] == "five_year", "year"]
    return int(years.max()) if len(years) else None


def five_year_beside_annual(frames: Frames, year: int) -> pd.DataFrame:
    """Return the five-year targets of a notice beside the same metric's annual target of that year."""
    targets = frames.targets[frames.targets["year"] == year]
    five = targets[targets["scope"] == "five_year"]
    annual = targets[targets["scope"] == "annual"].drop_duplicates(["metric", "unit"])
    merged = five.merge(annual[["district", "metric", "unit", "value", "qualifier", "task_id"]],
                        on=["district", "metric", "unit"],
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


def change_table(frames: Frames, years: tuple[int, int] | None = None, scope: str = "annual") -> pd.DataFrame:
    """Return target pairs with both targets written out and qualifier changes named.

    Without years: the pairs between consecutive notices (target_changes). With
    years: the pairs between those two years of each selected district. A pair is
    kept when either of its tasks is selected, so a leader's or a unit's
    comparison includes the pair when either year's task was theirs.
    """
    ids = set(frames.tasks["task_id"].tolist())
    if years is None:
        changes = frames.target_changes
    else:
        changes = pd.concat([pair_between(frames.all_targets, district, scope, *years)
                             for district in frames.tasks["district"].unique()] or [pair_between(
                                 frames.all_targets, "", scope, *years)], ignore_index=True)
    changes = changes[changes["task_id_from"].isin(ids) | changes["task_id_to"].isin(ids)].copy()
    label = dict(zip(frames.all_targets["task_id"], frames.all_targets["label"]))
    changes["label_from"] = changes["task_id_from"].map(label)
    changes["label_to"] = changes["task_id_to"].map(label)
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


def changes_of_kinds(frames: Frames, kinds: tuple[str, ...], years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Return change_table (between two years, or consecutive notices) restricted to these kinds of target."""
    changes = change_table(frames, years)
    return changes[changes["kind"].isin(kinds)]


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
