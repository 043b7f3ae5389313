"""审核: the office checks reports before they count; a report is 待审核 until reviewed, then 已审核 or 退回.

Reviews are append-only rows (a later review of the same report decides). A 退回 report
never counts for the lights from the day it was returned: the unit reports again (a new
report of the same period). Whether a report not yet reviewed counts is a setting
(WORK_REPORT_COUNT_UNREVIEWED, default 1: it counts, and the board marks it 未审核).
"""

from __future__ import annotations

import os

import pandas as pd
from sqlalchemy import Engine, select

from loaders.clock import local_zone, utc_now
from loaders.problems import Problem
from loaders.progress.db import transaction
from loaders.progress.models import MAX_TEXT, Report, Review

APPROVED, RETURNED, PENDING = "approved", "returned", "pending"
DECISIONS = (APPROVED, RETURNED)
COUNT_UNREVIEWED_VARIABLE = "WORK_REPORT_COUNT_UNREVIEWED"
REVIEW_COLUMNS = ["report_id", "review", "review_reason", "reviewed_by", "review_on"]


def unreviewed_count() -> bool:
    """Return whether reports not yet reviewed count for the lights (WORK_REPORT_COUNT_UNREVIEWED, default yes)."""
    return os.environ.get(COUNT_UNREVIEWED_VARIABLE, "1").strip() not in ("0", "否", "false", "no")


def review(engine: Engine, report_id: int, decision: str, reason: str, reviewer: str) -> list[Problem]:
    """Record the office's decision on one report; return the problems (nothing is stored then)."""
    reason = str(reason or "").strip()
    problems = []
    if decision not in DECISIONS:
        problems.append(Problem("审核", None, "审核结果", f"“{decision}”不是审核结果", "选“通过”或“退回”"))
    if decision == RETURNED and not reason:
        problems.append(Problem("审核", None, "退回理由", "退回时没有写理由", "写明要补充或更正什么，单位会在填报页看到"))
    if len(reason) > MAX_TEXT:
        problems.append(Problem("审核", None, "退回理由", f"理由超过 {MAX_TEXT} 字", "精简理由"))
    with engine.connect() as connection:
        if connection.execute(select(Report.id).where(Report.id == int(report_id))).first() is None:
            problems.append(Problem("审核", None, None, f"没有编号为 {report_id} 的填报", "刷新页面后重新选择"))
    if problems:
        return problems
    with transaction(engine) as session:
        session.add(Review(report_id=int(report_id), decision=decision, reason=reason, reviewed_by=reviewer,
                           reviewed_at=utc_now()))
    return []


def reviews_frame(engine: Engine) -> pd.DataFrame:
    """Return every stored review (oldest first), with review_on, the local date of reviewed_at."""
    columns = ["id", "report_id", "decision", "reason", "reviewed_by", "reviewed_at"]
    with engine.connect() as connection:
        frame = pd.read_sql(select(*(getattr(Review, c) for c in columns)).order_by(Review.id), connection)
    frame = frame.reindex(columns=columns)
    local = pd.to_datetime(frame["reviewed_at"]).dt.tz_localize("UTC").dt.tz_convert(local_zone().key)
    frame["review_on"] = local.dt.date if len(frame) else pd.Series([], dtype=object)
    return frame


def with_reviews(reports: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """Return the reports with their latest review: review (pending, approved, returned), its reason, who, when."""
    if not len(reviews):
        return reports.assign(review=PENDING, review_reason="", reviewed_by="", review_on=None)
    latest = reviews.sort_values("id").groupby("report_id").tail(1).rename(
        columns={"decision": "review", "reason": "review_reason"})[REVIEW_COLUMNS]
    joined = reports.merge(latest, left_on="id", right_on="report_id", how="left").drop(columns="report_id")
    joined["review"] = joined["review"].fillna(PENDING)
    joined["review_reason"] = joined["review_reason"].fillna("")
    joined["reviewed_by"] = joined["reviewed_by"].fillna("")
    joined.index = reports.index
    return joined


def counting(reports: pd.DataFrame, as_of, count_unreviewed: bool | None = None) -> pd.DataFrame:
    """Return the reports that count for the lights as of a date: none returned by then, unreviewed ones by the setting.

    Reports without review columns (read without reviews) all count, as before reviews existed.
    """
    if "review" not in reports.columns or not len(reports):
        return reports
    count_unreviewed = unreviewed_count() if count_unreviewed is None else count_unreviewed
    decided = reports["review_on"].map(lambda day: day is not None and not pd.isna(day) and day <= as_of)
    returned = (reports["review"] == RETURNED) & decided
    keep = ~returned
    if not count_unreviewed:
        keep &= (reports["review"] == APPROVED) & decided
    return reports[keep]


def returned_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Return the reports returned and not yet reported again (no later report of the same task and period)."""
    if "review" not in reports.columns or not len(reports):
        return reports.iloc[0:0]
    later = reports.groupby(["task_id", "period"])["id"].transform("max")
    return reports[(reports["review"] == RETURNED) & (reports["id"] == later)]


def pending_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Return the reports waiting for review: the latest report of each task and period, not yet reviewed."""
    if "review" not in reports.columns or not len(reports):
        return reports.iloc[0:0]
    later = reports.groupby(["task_id", "period"])["id"].transform("max")
    return reports[(reports["review"] == PENDING) & (reports["id"] == later)]
