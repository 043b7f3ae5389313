"""Quantitative targets: the targets of a selection, one-year metrics, five-year beside annual, changes between two years.

Pure pandas over (selected) Frames; each function returns a small frame or value that a chart
in charts/ draws or a page shows. Results are shared between sessions: never modify one in place.
"""

from __future__ import annotations

import pandas as pd

from loaders.frames import Frames
from loaders.targets import handover_text, pair_between
from loaders.vocabulary import DIRECTION_LABELS, QUALIFIER_LABELS


def target_years(frames: Frames, scope: str = "annual") -> list[int]:
    """Return the years whose notices set targets of a scope in the selected districts, latest first."""
    targets = frames.all_targets
    rows = targets[targets["district"].isin(frames.tasks["district"].unique()) & (targets["scope"] == scope)]
    return sorted((int(y) for y in rows["year"].unique()), reverse=True)


def target_table(frames: Frames) -> pd.DataFrame:
    """Return every target with the task it came from (label and full text)."""
    tasks = frames.tasks[["task_id", "content"]]  # the targets carry their task's leaders and lead units already
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


def chain_changes(frames: Frames, links: pd.DataFrame, year_from: int | None = None,
                  year_to: int | None = None) -> pd.DataFrame:
    """Return the targets of linked tasks compared along accepted links, not only by metric.

    For each accepted link (a task and the earlier task it carries on, loaders.analysis.links), every
    metric of either task: `raised` / `lowered` / `unchanged` when both set it, `new` (新设) when only
    the later task sets it, `dropped` (取消) when only the earlier one did. `handover` says when the
    earlier task was led by another leader or unit. Optionally only links from year_from to year_to.
    Columns: district, metric, unit, scope, year_from, value_from, qualifier_from, task_id_from, year_to,
    value_to, qualifier_to, task_id_to, change, direction, kind, handover, label_from, label_to.
    """
    accepted = links[links["status"] == "accepted"]
    if year_from is not None:
        accepted = accepted[(accepted["previous_year"] == year_from) & (accepted["year"] == year_to)]
    targets = frames.all_targets.drop_duplicates(["task_id", "metric", "unit"])
    # per task: {(metric, unit): (value, qualifier, kind)}, in the targets' order; plain Python, one pass
    by_task: dict[str, dict[tuple, tuple]] = {}
    for task, metric, unit, value, qualifier, kind in zip(targets["task_id"], targets["metric"], targets["unit"],
                                                          targets["value"], targets["qualifier"], targets["kind"]):
        by_task.setdefault(task, {})[(metric, unit)] = (value, qualifier, kind)
    info = {row.task_id: row for row in frames.tasks[["task_id", "district", "year", "scope", "leaders",
                                                       "lead_units", "label"]].itertuples(index=False)}
    nothing = (float("nan"), float("nan"), float("nan"))
    rows = []
    for task, previous in zip(accepted["task_id"], accepted["previous_task_id"]):
        if task not in info or previous not in info:
            continue
        later, earlier = by_task.get(task, {}), by_task.get(previous, {})
        keys = sorted(set(earlier) | set(later), key=lambda key: (str(key[0]), str(key[1])))  # by metric, then unit
        if not keys:
            continue
        before, after = info[previous], info[task]
        handover = handover_text(int(before.year), before.leaders, after.leaders, before.lead_units, after.lead_units)
        for metric, unit in keys:
            value_from, qualifier_from, kind_from = earlier.get((metric, unit), nothing)
            value_to, qualifier_to, kind_to = later.get((metric, unit), nothing)
            change = value_to - value_from if pd.notna(value_from) and pd.notna(value_to) else None
            if pd.isna(value_from):
                direction = "new"
            elif pd.isna(value_to):
                direction = "dropped"
            else:
                direction = "raised" if change > 1e-9 else "lowered" if change < -1e-9 else "unchanged"
            rows.append({
                "district": after.district, "metric": metric, "unit": unit, "scope": after.scope,
                "year_from": int(before.year), "value_from": value_from, "qualifier_from": qualifier_from,
                "task_id_from": previous, "year_to": int(after.year), "value_to": value_to,
                "qualifier_to": qualifier_to, "task_id_to": task,
                "change": None if change is None else round(change, 6), "direction": direction,
                "kind": kind_to if pd.notna(kind_to) else kind_from, "handover": handover,
                "label_from": before.label, "label_to": after.label})
    columns = ["district", "metric", "unit", "scope", "year_from", "value_from", "qualifier_from", "task_id_from",
               "year_to", "value_to", "qualifier_to", "task_id_to", "change", "direction", "kind", "handover",
               "label_from", "label_to"]
    found = pd.DataFrame(rows, columns=columns)
    # 新设 / 取消 only for a metric the other year of the district does not set in any task (one that moved
    # to another task is compared by metric, not called new or dropped), and once per task and metric
    set_in = {(info[t].district, int(info[t].year), m, u)
              for t, m, u in zip(targets["task_id"], targets["metric"], targets["unit"]) if t in info}
    elsewhere = [(d, y_other, m, u) in set_in for d, y_other, m, u in
                 zip(found["district"], found["year_from"].where(found["direction"] == "new", found["year_to"]),
                     found["metric"], found["unit"])]
    one_sided = found["direction"].isin(["new", "dropped"])
    found = found[~(one_sided & pd.Series(elsewhere, index=found.index, dtype=bool))]
    new = found[found["direction"] == "new"].drop_duplicates(["task_id_to", "metric", "unit"])
    dropped = found[found["direction"] == "dropped"].drop_duplicates(["task_id_from", "metric", "unit"])
    both = found[~found["direction"].isin(["new", "dropped"])]
    return pd.concat([both, new, dropped]).sort_index().reset_index(drop=True)
