"""Task links across years: which earlier task of the same district a task carries on.

    tasks of one district → candidate pairs (a task and a task of the district's
    previous notice year, same horizon) → features (text, metric, named projects,
    units) → confidence in [0, 1] → accepted (≥ ACCEPT_AT) or proposed (≥ PROPOSE_AT)
    → the admins' decisions (the curated table task_links) confirm, reject or add links

Rules:
- Never across districts: each district is scored on its own (its own TF-IDF
  vocabulary too, so importing another district never changes this one's links).
- A task links to tasks of the district's nearest earlier year of the same horizon:
  one-year tasks (年度重点工作, 民生实事) to one-year tasks, five-year tasks (今后五年)
  to five-year tasks. A chain 2020 → 2022 → 2023 is made of such links.
- A task may carry on several earlier tasks (a merged task) and be carried on by several.
- An earlier task whose text the notice does not print (content_missing) is never
  linked by text; only an admin can link it.

The text similarity is scikit-learn's character n-gram TF-IDF cosine, chosen over
rapidfuzz by bench/links_accuracy.py (figures in docs/性能.md); `method="rapidfuzz"`
runs the alternative for that comparison. Pure pandas/numpy; no streamlit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.analysis.targets import written_target
from loaders.frames import Frames
from loaders.progress.periods import span
from loaders.progress.status import task_status
from loaders.vocabulary import DIRECTION_LABELS

ACCEPT_AT = 0.5  # a link at or above this confidence is accepted without an admin
PROPOSE_AT = 0.3  # a link from here up to ACCEPT_AT is proposed to the admins
AUTO = "自动"  # decided_by of a link accepted by the threshold
HORIZON = {"annual": "one_year", "livelihood": "one_year", "five_year": "five_year"}


def horizon_of(scope: str) -> str:
    """Return the horizon a task's table belongs to: one year (annual, livelihood) or five years."""
    return HORIZON.get(scope, "one_year")

LINK_COLUMNS = ["task_id", "previous_task_id", "district", "year", "previous_year", "confidence",
                "text", "metric", "names", "units", "status", "decided_by"]
# status: accepted (by the threshold or an admin), proposed (waits for an admin), rejected (by an admin)

_DIGITS = re.compile(r"[0-9０-９.．%％]+")
_PUNCTUATION = re.compile(r"[\s，。、；：,.;:！!？?（）()【】\[\]《》<>“”\"'‘’—\-－…·*＊+/]+")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")


def comparable_text(text: str) -> str:
    """Return a task text for comparison: numbers and punctuation out (targets change every year)."""
    return _PUNCTUATION.sub("", _DIGITS.sub("", text or ""))


def named_items(text: str, project: str = "") -> frozenset[str]:
    """Return the names a task prints in quotation marks (“大建大美”, “房源超市”) and its project name."""
    names = {m.strip() for m in _QUOTED.findall(text or "")}
    if project:
        names.add(project.strip("“”\" "))
    return frozenset(n for n in names if n and not n.isdigit())


# --- text similarity ---------------------------------------------------------------------------


def text_similarity(later: list[str], earlier: list[str], method: str = "tfidf") -> np.ndarray:
    """Return the similarity in [0, 1] of every later text (rows) to every earlier text (columns)."""
    if not later or not earlier:
        return np.zeros((len(later), len(earlier)))
    if method == "tfidf":  # imported here: 0.4 s, paid only when links are asked for, not by every page
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
        matrix = vectorizer.fit_transform(later + earlier)  # rows are L2-normalised: the product is the cosine
        similarity = (matrix[: len(later)] @ matrix[len(later):].T).toarray()
    elif method == "rapidfuzz":
        from rapidfuzz import fuzz, process

        similarity = process.cdist(later, earlier, scorer=fuzz.ratio, dtype=np.float64) / 100.0
    else:
        raise ValueError(f"unknown similarity method {method!r}")
    empty_later = np.array([not t for t in later])
    empty_earlier = np.array([not t for t in earlier])
    similarity[empty_later, :] = 0.0
    similarity[:, empty_earlier] = 0.0
    return np.clip(similarity, 0.0, 1.0)


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """How the features add up to a confidence (see docs/性能.md for how they were set)."""

    text: float = 0.5  # mutual text similarity (1 when each task is the other's best match)
    raw_text: float = 0.6  # text similarity above what any two texts share
    metric: float = 0.35  # a shared quantitative metric (same metric and unit in the targets frame)
    names: float = 0.3  # a shared quoted name or project
    units: float = 0.15  # shared lead units (Jaccard)
    weak_text: float = 0.1  # below this text similarity, being the best match counts for less
    steepness: float = 1.6  # evidence → confidence: 1 - exp(-steepness × evidence)
    gap: float = 0.25  # a second link of a task counts fully only within this much of its best


WEIGHTS = Weights()


def _task_features(frames: Frames) -> pd.DataFrame:
    """Return per task: district, year, horizon, comparable text, names, metrics and lead units."""
    tasks = frames.tasks
    metrics = frames.targets.assign(key=frames.targets["metric"] + "|" + frames.targets["unit"].astype(str))
    metrics_of = metrics.groupby("task_id")["key"].agg(frozenset)
    lead = frames.task_units[(frames.task_units["role"] == "lead") & ~frames.task_units["is_placeholder"]]
    lead_of = lead.groupby("task_id")["unit"].agg(frozenset)
    missing = tasks["content_missing"].astype(bool)
    text = [("" if m else comparable_text(p + c)) for p, c, m in zip(tasks["project"], tasks["content"], missing)]
    return pd.DataFrame({
        "task_id": tasks["task_id"].to_numpy(),
        "district": tasks["district"].to_numpy(),
        "year": tasks["year"].astype(int).to_numpy(),
        "horizon": tasks["scope"].map(horizon_of).to_numpy(),
        "text": text,
        "names": [frozenset() if m else named_items(c, p)
                  for c, p, m in zip(tasks["content"], tasks["project"], missing)],
        "metrics": tasks["task_id"].map(metrics_of).to_numpy(),
        "lead_units": tasks["task_id"].map(lead_of).to_numpy(),
    })


def _overlap(first, second) -> float:
    if not isinstance(first, frozenset) or not isinstance(second, frozenset) or not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _jaccard(first, second) -> float:
    if not isinstance(first, frozenset) or not isinstance(second, frozenset) or not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def pair_features(later: pd.DataFrame, earlier: pd.DataFrame, method: str = "tfidf") -> pd.DataFrame:
    """Return the features of every (later task, earlier task) pair with some text in common.

    later and earlier are rows of _task_features of one district and horizon, one year each.
    text: the similarity less the later task's median similarity to the earlier year (what any
    two texts of these notices share), rescaled to [0, 1]; mutual: text relative to the best match
    of either task (1 when each is the other's best); metric: a shared metric; names: shared
    quoted names or project (overlap); units: shared lead units (Jaccard).
    """
    raw = text_similarity(later["text"].tolist(), earlier["text"].tolist(), method)
    if raw.size:
        baseline = np.median(raw, axis=1, keepdims=True)
        raw = np.clip((raw - baseline) / np.maximum(1.0 - baseline, 1e-9), 0.0, 1.0)
    best = np.maximum(raw.max(axis=1, keepdims=True) if raw.size else raw, raw.max(axis=0, keepdims=True) if raw.size else raw)
    mutual = np.divide(raw, best, out=np.zeros_like(raw), where=best > 0)
    pairs = np.argwhere(raw > 0.02)
    rows = []
    later_records = later.to_dict("records")
    earlier_records = earlier.to_dict("records")
    for i, j in pairs:
        a, b = later_records[i], earlier_records[j]
        rows.append((a["task_id"], b["task_id"], a["district"], a["year"], b["year"], float(raw[i, j]),
                     float(mutual[i, j]), 1.0 if _overlap(a["metrics"], b["metrics"]) > 0 else 0.0,
                     _overlap(a["names"], b["names"]), _jaccard(a["lead_units"], b["lead_units"])))
    return pd.DataFrame(rows, columns=["task_id", "previous_task_id", "district", "year", "previous_year",
                                       "text", "mutual", "metric", "names", "units"])


def confidence_of(features: pd.DataFrame, weights: Weights = WEIGHTS) -> pd.Series:
    """Return the confidence of each pair: its evidence, less when another pair of the same task is much stronger.

    A task may carry on several earlier tasks (and be carried on by several), but a second
    link must be nearly as strong as the task's best one (within weights.gap) to count.
    """
    if features.empty:
        return pd.Series(dtype=float)
    mutual = features["mutual"] * np.minimum(features["text"] / weights.weak_text, 1.0)
    evidence = (weights.text * mutual + weights.raw_text * features["text"] + weights.metric * features["metric"]
                + weights.names * features["names"] + weights.units * features["units"])
    confidence = 1.0 - np.exp(-weights.steepness * evidence)
    best_later = confidence.groupby(features["task_id"]).transform("max")
    best_earlier = confidence.groupby(features["previous_task_id"]).transform("max")
    behind = np.maximum(best_later, best_earlier) - confidence
    confidence = confidence - np.maximum(behind - weights.gap, 0.0)
    return confidence.clip(0.0, 1.0).round(3)


def suggested_links(frames: Frames, method: str = "tfidf", weights: Weights = WEIGHTS) -> pd.DataFrame:
    """Return the links found from the texts alone (before any admin's decision), every district on its own.

    Columns: LINK_COLUMNS; status `accepted` (confidence ≥ ACCEPT_AT, decided_by 自动) or `proposed`.
    """
    features = _task_features(frames)
    found = []
    for (_, _), group in features.groupby(["district", "horizon"], sort=False):
        years = sorted(group["year"].unique())
        for previous_year, year in zip(years, years[1:]):
            later, earlier = group[group["year"] == year], group[group["year"] == previous_year]
            found.append(pair_features(later.reset_index(drop=True), earlier.reset_index(drop=True), method))
    pairs = pd.concat(found, ignore_index=True) if found else pair_features(features.iloc[:0], features.iloc[:0])
    links = pairs.assign(confidence=confidence_of(pairs, weights))
    links = links[links["confidence"] >= PROPOSE_AT]
    accepted = links["confidence"] >= ACCEPT_AT
    return links.assign(status=np.where(accepted, "accepted", "proposed"),
                        decided_by=np.where(accepted, AUTO, ""))[LINK_COLUMNS].reset_index(drop=True)


# --- the admins' decisions -------------------------------------------------------------------------

DECISION_COLUMNS = ["task_id", "previous_task_id", "confidence", "decided_by", "status"]


def apply_decisions(suggested: pd.DataFrame, decisions: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    """Return the links with the admins' decisions applied: confirmed, rejected and added by hand.

    decisions: the curated table task_links (status `accepted` or `rejected`; empty means accepted).
    A decision whose tasks are no longer in the data, lie in two districts, or whose
    earlier task is not of an earlier year is left out (invalid_decisions lists them).
    """
    valid = _valid_decisions(decisions, frames)
    if valid.empty:
        return suggested
    key = ["task_id", "previous_task_id"]
    decided = valid.set_index(key)
    links = suggested.set_index(key)
    common = links.index.intersection(decided.index)
    links.loc[common, "status"] = decided.loc[common, "status"]
    links.loc[common, "decided_by"] = decided.loc[common, "decided_by"]
    added = decided.loc[decided.index.difference(links.index)]
    if len(added):
        info = frames.tasks.set_index("task_id")
        added = added.reset_index().assign(
            district=lambda t: t["task_id"].map(info["district"]),
            year=lambda t: t["task_id"].map(info["year"]).astype(int),
            previous_year=lambda t: t["previous_task_id"].map(info["year"]).astype(int),
            text=np.nan, metric=np.nan, names=np.nan, units=np.nan)
        links = pd.concat([links.reset_index(), added[LINK_COLUMNS]], ignore_index=True)
    else:
        links = links.reset_index()
    return links[LINK_COLUMNS].reset_index(drop=True)


def decision_status(value: str) -> str:
    """Return the status a decision row stands for (an empty cell is a confirmation)."""
    return "rejected" if value == "rejected" else "accepted"


def _valid_decisions(decisions: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    problems = invalid_decisions(decisions, frames)
    rows = decisions.drop(index=problems.index)
    confidence = pd.to_numeric(rows["confidence"], errors="coerce").fillna(1.0).clip(0, 1)
    return rows.assign(status=rows["status"].map(decision_status), confidence=confidence)[DECISION_COLUMNS]


def invalid_decisions(decisions: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    """Return the decisions that cannot apply, with a reason in Chinese (`reason`)."""
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=[*DECISION_COLUMNS, "reason"])
    info = frames.tasks.set_index("task_id")
    district, year = info["district"], info["year"]
    reasons = []
    for row in decisions.itertuples():
        if row.task_id not in info.index or row.previous_task_id not in info.index:
            reasons.append("所指的任务已不在数据中（可能已重新导入该通知）")
        elif district[row.task_id] != district[row.previous_task_id]:
            reasons.append("两项任务不属于同一区县，不能连接")
        elif int(year[row.previous_task_id]) >= int(year[row.task_id]):
            reasons.append("前一项任务不是更早年度的任务")
        else:
            reasons.append("")
    out = decisions.assign(reason=reasons)
    return out[out["reason"] != ""]


def task_links(frames: Frames, method: str = "tfidf") -> pd.DataFrame:
    """Return every link of every district, with the admins' decisions applied (accepted, proposed, rejected).

    Needs every year of a district (pass the district's frames, not a selection of years).
    """
    return apply_decisions(suggested_links(frames, method), frames.task_links, frames)


def accepted_links(links: pd.DataFrame) -> pd.DataFrame:
    """Return the links that hold: accepted by the threshold or by an admin."""
    return links[links["status"] == "accepted"]


def export_links(links: pd.DataFrame) -> pd.DataFrame:
    """Return the accepted links as the export file task_links.csv has them."""
    rows = accepted_links(links)
    return pd.DataFrame({"task_id": rows["task_id"].to_numpy(), "previous_task_id": rows["previous_task_id"].to_numpy(),
                         "confidence": rows["confidence"].to_numpy(),
                         "decided_by": rows["decided_by"].replace("", AUTO).to_numpy()})


# --- what carries on ---------------------------------------------------------------------------


def _later_of(links: pd.DataFrame) -> dict[str, list[str]]:
    later: dict[str, list[str]] = {}
    for task, previous in zip(links["task_id"], links["previous_task_id"]):
        later.setdefault(previous, []).append(task)
    return later


def _earlier_of(links: pd.DataFrame) -> dict[str, list[str]]:
    earlier: dict[str, list[str]] = {}
    for task, previous in zip(links["task_id"], links["previous_task_id"]):
        earlier.setdefault(task, []).append(previous)
    return earlier


def ancestors(links: pd.DataFrame, task_id: str) -> set[str]:
    """Return every earlier task a task carries on, through any number of years (accepted links)."""
    earlier = _earlier_of(accepted_links(links))
    seen: set[str] = set()
    stack = list(earlier.get(task_id, []))
    while stack:
        task = stack.pop()
        if task not in seen:
            seen.add(task)
            stack += earlier.get(task, [])
    return seen


def carry_on(tasks: pd.DataFrame, links: pd.DataFrame, district: str, year_from: int,
             year_to: int) -> pd.DataFrame:
    """Return the tasks of two years of a district, each marked 延续 (continued), 新增 (new) or 不再列出 (dropped).

    Only horizons both notices list are compared (links join one-year tasks to one-year tasks,
    five-year to five-year): a five-year list in one of the two years only is `not_compared`, never
    counted new or dropped. A later task continues when an accepted chain of links reaches back to
    a task of year_from; an earlier task is dropped when no chain reaches it from year_to.
    Columns: task_id, year, status (`continued`, `new`, `continued_from`, `dropped`, `not_compared`),
    linked (the task ids on the other side).
    """
    own = tasks[(tasks["district"] == district)]
    horizon = own["scope"].map(horizon_of)
    compared = set(horizon[own["year"] == year_from]) & set(horizon[own["year"] == year_to])
    first = own.loc[(own["year"] == year_from) & horizon.isin(compared), "task_id"].tolist()
    second = own.loc[(own["year"] == year_to) & horizon.isin(compared), "task_id"].tolist()
    aside = own.loc[own["year"].isin([year_from, year_to]) & ~horizon.isin(compared), ["task_id", "year"]]
    accepted = accepted_links(links[links["district"] == district])
    earlier = _earlier_of(accepted)
    first_set = set(first)
    reached: dict[str, list[str]] = {}
    for task in second:
        found, stack, seen = [], list(earlier.get(task, [])), set()
        while stack:
            previous = stack.pop()
            if previous in seen:
                continue
            seen.add(previous)
            if previous in first_set:
                found.append(previous)
            else:
                stack += earlier.get(previous, [])
        reached[task] = sorted(found)
    carried: dict[str, list[str]] = {}
    for task, found in reached.items():
        for previous in found:
            carried.setdefault(previous, []).append(task)
    rows = [(t, year_to, "continued" if reached[t] else "new", reached[t]) for t in second]
    rows += [(t, year_from, "continued_from" if t in carried else "dropped", carried.get(t, [])) for t in first]
    rows += [(t, int(y), "not_compared", []) for t, y in zip(aside["task_id"], aside["year"])]
    return pd.DataFrame(rows, columns=["task_id", "year", "status", "linked"])


def carry_on_counts(tasks: pd.DataFrame, links: pd.DataFrame, district: str, year_from: int,
                    year_to: int) -> dict[str, int]:
    """Return the numbers of continued, new and dropped tasks between two years of a district."""
    marks = carry_on(tasks, links, district, year_from, year_to)
    counts = marks["status"].value_counts()
    return {"continued": int(counts.get("continued", 0)), "new": int(counts.get("new", 0)),
            "dropped": int(counts.get("dropped", 0))}


def chains(tasks: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Return, per task, the number of consecutive notice years it has been listed (itself included).

    Columns: task_id, district, year, years_listed (1 for a task with no accepted predecessor),
    first_year (the year the chain starts).
    """
    accepted = accepted_links(links)
    earlier = _earlier_of(accepted)
    year_of = dict(zip(tasks["task_id"], tasks["year"].astype(int)))
    memo: dict[str, tuple[int, int]] = {}

    def depth(task: str) -> tuple[int, int]:
        if task in memo:
            return memo[task]
        memo[task] = (1, year_of.get(task, 0))  # guards against a cycle in hand-made links
        best = (1, year_of.get(task, 0))
        for previous in earlier.get(task, []):
            if previous in year_of:
                d, first = depth(previous)
                if d + 1 > best[0]:
                    best = (d + 1, first)
        memo[task] = best
        return best

    found = [depth(t) for t in tasks["task_id"]]
    return pd.DataFrame({"task_id": tasks["task_id"].to_numpy(), "district": tasks["district"].to_numpy(),
                         "year": tasks["year"].astype(int).to_numpy(),
                         "years_listed": [d for d, _ in found], "first_year": [f for _, f in found]})


def chain_of(links: pd.DataFrame, task_id: str) -> list[str]:
    """Return the task ids of a task's chain, sorted (the task itself included).

    Follows accepted links backwards (every ancestor) and forwards (every descendant).
    """
    return chains_of(links, [task_id])[task_id]


def chains_of(links: pd.DataFrame, task_ids) -> dict[str, list[str]]:
    """Return chain_of for many tasks at once (the links read once)."""
    accepted = accepted_links(links)
    earlier, later = _earlier_of(accepted), _later_of(accepted)
    found = {}
    for task_id in task_ids:
        members = {task_id}
        for graph in (earlier, later):
            stack = list(graph.get(task_id, []))
            while stack:
                task = stack.pop()
                if task not in members:
                    members.add(task)
                    stack += graph.get(task, [])
        found[task_id] = sorted(members)
    return found


_TOKENS = re.compile(r"\d+(?:\.\d+)?[%％]?|[A-Za-z]+|\s+|.", re.S)


def text_changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Return the words taken out of and put into a task's text between two years, in order.

    Compared by characters, a number (7.5%) counting as one; consecutive changes are joined
    (7.5%左右 → 7%以上). Shown literally next to both texts, never as markup.
    """
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        taken, put = "".join(a[a0:a1]), "".join(b[b0:b1])
        if operation in ("delete", "replace") and taken.strip("，。、；：,.;: "):
            removed.append(taken)
        if operation in ("insert", "replace") and put.strip("，。、；：,.;: "):
            added.append(put)
    return removed, added


# --- lists for the screens (first parameter: the frames of one district, every year) --------------


def selected_keys(frames: Frames) -> pd.Series:
    """Return the integer keys of the selected tasks (for ui.cache.analysed: the selection of a filter state)."""
    return frames.tasks["task_key"]


def district_links(frames: Frames) -> pd.DataFrame:
    """Return task_links(frames) (for ui.cache.analysed with the district's filters: every year of it)."""
    return task_links(frames)


def listed_again(frames: Frames) -> pd.DataFrame:
    """Return the tasks listed in two or more consecutive notices of their district (accepted links).

    Columns: task_id, task_key, label, district, year, scope, content, leaders, lead_units,
    years_listed, first_year, previous (the task ids of its predecessors, accepted links).
    """
    links = task_links(frames)
    counted = chains(frames.tasks, links)
    earlier = _earlier_of(accepted_links(links))
    tasks = frames.tasks[["task_id", "task_key", "label", "district", "year", "scope", "content", "content_missing",
                          "leaders", "lead_units", "doc_no", "deadline"]]
    rows = tasks.merge(counted[["task_id", "years_listed", "first_year"]], on="task_id")
    rows = rows[rows["years_listed"] >= 2]
    return rows.assign(previous=rows["task_id"].map(lambda t: tuple(sorted(earlier.get(t, ())))))


def last_year_unfinished(again: pd.DataFrame, tasks: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """Return the tasks listed again whose earlier year's task was reported but not finished by its year's end.

    again: listed_again's rows; statuses: task_id, status, latest_percent per earlier task as of the
    end of its period (final_statuses). A predecessor without any report is never counted as unfinished.
    Columns: those of again, plus previous_status and previous_percent (of the first unfinished predecessor).
    """
    status_of = dict(zip(statuses["task_id"], statuses["status"]))
    percent_of = dict(zip(statuses["task_id"], statuses["latest_percent"]))
    picked, words, percents = [], [], []
    for row in again.itertuples():
        unfinished = [p for p in row.previous if pd.notna(percent_of.get(p)) and status_of.get(p) != "done"]
        if unfinished:
            picked.append(row.Index)
            words.append(status_of[unfinished[0]])
            percents.append(percent_of[unfinished[0]])
    out = again.loc[picked]
    return out.assign(previous_status=words, previous_percent=percents)


def final_statuses(tasks: pd.DataFrame, reports: pd.DataFrame, milestones: pd.DataFrame | None,
                   cadences: dict | None, today) -> pd.DataFrame:
    """Return each task's progress status at the end of its period (or today, for a period not over).

    Columns: task_id, as_of, status, latest_percent (empty when nothing was reported).
    """
    if tasks.empty:
        return pd.DataFrame(columns=["task_id", "as_of", "status", "latest_percent"])
    found = []
    for (year, scope), group in tasks.groupby(["year", "scope"], sort=False):
        _, last_day = span(int(year), scope)
        found.append(task_status(group, reports, milestones, cadences, min(last_day, today)))
    return pd.concat(found, ignore_index=True)[["task_id", "as_of", "status", "latest_percent"]]


def chain_rows(frames: Frames, links: pd.DataFrame, task_id: str) -> pd.DataFrame:
    """Return the tasks of a task's chain, earliest year first, with their targets written out.

    Columns: task_id, year, label, content, content_missing, leaders, lead_units, targets (“指标 值” joined
    with “；”), confidence (of its link to the task before it in the chain, empty for the first).
    """
    members = chain_of(links, task_id)
    tasks = frames.tasks[frames.tasks["task_id"].isin(members)]
    written = {}
    for tid, group in frames.all_targets[frames.all_targets["task_id"].isin(members)].groupby("task_id"):
        written[tid] = "；".join(f"{m} {_plain(v)}{u}{_QUALIFIER_WORDS.get(q, '')}"
                                for m, v, u, q in zip(group["metric"], group["value"], group["unit"], group["qualifier"]))
    accepted = accepted_links(links)
    accepted = accepted[accepted["task_id"].isin(members)]
    confidence = accepted.groupby("task_id")["confidence"].max()
    rows = tasks[["task_id", "year", "label", "content", "content_missing", "leaders", "lead_units", "scope",
                  "doc_no", "deadline"]]
    rows = rows.assign(targets=rows["task_id"].map(lambda t: written.get(t, "")),
                       confidence=rows["task_id"].map(confidence))
    return rows.sort_values(["year", "task_id"], kind="stable").reset_index(drop=True)


_QUALIFIER_WORDS = {"approx": "左右", "at_least": "以上", "at_most": "以内", "exact": ""}


def _plain(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.6f}".rstrip("0").rstrip(".")


def record_decision(decisions: pd.DataFrame, task_id: str, previous_task_id: str, status: str, by: str,
                    confidence: float | None) -> pd.DataFrame:
    """Return the curated task_links table with one admin decision put in (a new row, or the pair's row replaced).

    status: `accepted` (confirm or add) or `rejected`. Pure: the caller saves the table (store.save_tables).
    """
    if status not in ("accepted", "rejected"):
        raise ValueError(status)
    columns = DECISION_COLUMNS
    rows = decisions[columns] if len(decisions) else pd.DataFrame(columns=columns)
    rows = rows[~((rows["task_id"] == task_id) & (rows["previous_task_id"] == previous_task_id))]
    value = "" if confidence is None or pd.isna(confidence) else f"{float(confidence):.3f}"
    new = pd.DataFrame([{"task_id": task_id, "previous_task_id": previous_task_id, "confidence": value,
                         "decided_by": by, "status": status}])
    return pd.concat([rows, new], ignore_index=True).astype(str)


def changes_of_tasks(changes: pd.DataFrame, task_ids: set[str]) -> pd.DataFrame:
    """Return the chain changes whose later task is one of these (a leader's tasks), written out for people.

    Adds: target_from / target_to (as the notices write them), direction_word (提高/降低/持平/新设/取消).
    Lowered targets first, then dropped, new, raised and unchanged; within them by the later task's label.
    """
    rows = changes[changes["task_id_to"].isin(task_ids)]
    order = {"lowered": 0, "dropped": 1, "new": 2, "raised": 3, "unchanged": 4}
    rows = rows.assign(
        target_from=[written_target(v, q, u) for v, q, u in zip(rows["value_from"], rows["qualifier_from"], rows["unit"])],
        target_to=[written_target(v, q, u) for v, q, u in zip(rows["value_to"], rows["qualifier_to"], rows["unit"])],
        direction_word=rows["direction"].map(DIRECTION_LABELS), rank=rows["direction"].map(order))
    return rows.sort_values(["rank", "label_to", "metric"], kind="stable").drop(columns="rank").reset_index(drop=True)
