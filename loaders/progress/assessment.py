"""A reference for 考核: per lead unit, how punctually it reported, how many of its tasks lag, what it raised.

Counted per (task, due period) of the tasks a unit leads, as of a date: a period is due
once its deadline (end + the rule's days) has passed; it was reported on time when a
report of that period that counts (not 退回) came in by the deadline. Only the office
decides how these figures weigh in an assessment: the page labels them as a reference.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from loaders.progress.periods import DEFAULT_CADENCE, periods
from loaders.progress.reviews import counting
from loaders.progress.status import StatusRules

COLUMNS = ["district", "unit", "tasks", "due_reports", "on_time", "on_time_rate", "behind_tasks", "behind_rate",
           "coordination_open", "returned"]
LABELS = {"district": "区县", "unit": "牵头单位", "tasks": "牵头任务（项）", "due_reports": "应报（次）",
          "on_time": "按时报送（次）", "on_time_rate": "按时报送率（%）", "behind_tasks": "滞后任务（项）",
          "behind_rate": "滞后率（%）", "coordination_open": "需协调事项（项）", "returned": "被退回（次）"}
BEHIND = ("behind", "far_behind")


def unit_assessment(board: pd.DataFrame, lead: pd.DataFrame, reports: pd.DataFrame, cadences: dict[str, str],
                    as_of: date, rules: StatusRules = StatusRules()) -> pd.DataFrame:
    """Return one row per lead unit (named units only, placeholders left out), worst punctuality first.

    board: the status board of the selected tasks as of as_of; lead: their lead rows of task_units;
    reports: every stored report, with reviews when read with them.
    """
    tasks = board.set_index("task_id")
    lead = lead[lead["task_id"].isin(tasks.index)]
    if lead.empty:
        return pd.DataFrame(columns=COLUMNS)
    known = reports[(reports["reported_on"] <= as_of) & reports["task_id"].isin(tasks.index)] if len(reports) \
        else reports
    counted = counting(known, as_of)
    first_on = counted.groupby(["task_id", "period"])["reported_on"].min().to_dict() if len(counted) else {}
    due_of, on_time_of = {}, {}
    for task_id, row in tasks.iterrows():
        cadence = (cadences or {}).get(row["doc_no"], DEFAULT_CADENCE)
        due = [p for p in periods(int(row["year"]), row["scope"], cadence) if p.deadline(rules.deadline_days) < as_of]
        due_of[task_id] = len(due)
        on_time_of[task_id] = sum(1 for p in due if (task_id, p.label) in first_on
                                  and first_on[(task_id, p.label)] <= p.deadline(rules.deadline_days))
    returned = known[(known["review"] == "returned") & known["review_on"].map(
        lambda day: day is not None and not pd.isna(day) and day <= as_of)].groupby("task_id").size().to_dict() \
        if "review" in known.columns and len(known) else {}  # returned by then
    open_items = set(board.loc[board["coordination"].fillna("").str.strip() != "", "task_id"]) \
        if "coordination" in board.columns else set()
    rows = []
    for (district, unit), ids in lead.groupby(["district", "unit"], sort=False)["task_id"]:
        ids = list(dict.fromkeys(ids))
        due = sum(due_of[t] for t in ids)
        on_time = sum(on_time_of[t] for t in ids)
        behind = sum(1 for t in ids if tasks.at[t, "status"] in BEHIND)
        rows.append({"district": district, "unit": unit, "tasks": len(ids), "due_reports": due, "on_time": on_time,
                     "on_time_rate": round(100 * on_time / due, 1) if due else None,
                     "behind_tasks": behind, "behind_rate": round(100 * behind / len(ids), 1),
                     "coordination_open": sum(1 for t in ids if t in open_items),
                     "returned": sum(returned.get(t, 0) for t in ids)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["on_time_rate", "behind_rate", "unit"], ascending=[True, False, True],
                             na_position="last").reset_index(drop=True)
