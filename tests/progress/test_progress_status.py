"""序时进度 and status codes: periods, deadlines, thresholds (exact boundaries), five-year spans, cadences."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from loaders.progress.periods import elapsed_percent, parse_period, periods, quarter, span
from loaders.progress.status import StatusRules, light, rule_text, task_status

RULES = StatusRules()


def tasks_frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["task_id", "year", "scope", "doc_no"])


def reports_frame(*rows) -> pd.DataFrame:
    """rows: (task_id, period, percent, reported_on)"""
    frame = pd.DataFrame(rows, columns=["task_id", "period", "percent", "reported_on"])
    frame["id"] = range(1, len(frame) + 1)
    return frame


NO_REPORTS = reports_frame()


def status_of(task, reports=NO_REPORTS, as_of=date(2022, 12, 31), **kwargs) -> dict:
    return task_status(tasks_frame(task), reports, as_of=as_of, **kwargs).iloc[0].to_dict()


def test_period_labels_parse_in_the_forms_offices_write():
    assert parse_period("2022-Q2") == quarter(2022, 2)
    assert parse_period("2022年第二季度").label == "2022-Q2"
    assert parse_period("2022-06").label == "2022-06"
    assert parse_period("2022年6月").label == "2022-06"
    assert parse_period("2022-13") is None
    assert parse_period("上半年") is None


def test_spans_and_periods_of_annual_and_five_year_tasks():
    assert span(2022, "annual") == (date(2022, 1, 1), date(2022, 12, 31))
    assert span(2022, "livelihood") == (date(2022, 1, 1), date(2022, 12, 31))
    assert span(2022, "five_year") == (date(2022, 1, 1), date(2026, 12, 31))
    assert [p.label for p in periods(2022, "annual")] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]
    assert len(periods(2022, "annual", "month")) == 12
    five = periods(2022, "five_year")
    assert len(five) == 20 and five[0].label == "2022-Q1" and five[-1].label == "2026-Q4"


def test_elapsed_share_counts_days():
    assert elapsed_percent(date(2022, 1, 1), date(2022, 12, 31), date(2022, 6, 30)) == round(100 * 181 / 365, 2)
    assert elapsed_percent(date(2022, 1, 1), date(2022, 12, 31), date(2022, 12, 31)) == 100.0
    assert elapsed_percent(date(2022, 1, 1), date(2022, 12, 31), date(2021, 12, 31)) == 0.0


@pytest.mark.parametrize("gap, expected", [(0, "on_track"), (9.99, "on_track"), (10, "behind"), (30, "behind"),
                                           (30.01, "far_behind"), (-5, "on_track")])
def test_thresholds_at_their_exact_boundaries(gap, expected):
    assert light(60.0, 60.0 - gap) == expected


def test_thresholds_are_settings():
    strict = StatusRules(behind_from=5, far_behind_above=15)
    assert light(60, 54, strict) == "behind"
    assert light(60, 44, strict) == "far_behind"
    assert light(60, 54) == "on_track"


def test_hundred_percent_is_done_whatever_the_date():
    assert light(10, 100) == "done"
    row = status_of(("t", 2022, "annual", "D"), reports_frame(("t", "2022-Q1", 100, date(2022, 3, 20))),
                    as_of=date(2022, 12, 31))
    assert row["status"] == "done" and row["overdue_periods"] == ""


def test_deadline_day_and_the_day_after():
    """Q1 ends 31 March; the report is due by 5 April; from 6 April Q1 counts."""
    task = ("t", 2022, "annual", "D")
    on_deadline = status_of(task, as_of=date(2022, 4, 5))
    assert on_deadline["status"] == "not_started" and on_deadline["expected_percent"] == 0
    day_after = status_of(task, as_of=date(2022, 4, 6))
    assert day_after["status"] == "not_reported" and day_after["last_period"] == "2022-Q1"
    assert day_after["expected_percent"] == round(100 * 90 / 365, 2)
    assert day_after["overdue_periods"] == "2022-Q1"
    assert status_of(task, as_of=date(2022, 4, 4))["status"] == "not_started"


def test_deadline_days_is_a_setting():
    task = ("t", 2022, "annual", "D")
    assert status_of(task, as_of=date(2022, 4, 2), rules=StatusRules(deadline_days=1))["status"] == "not_reported"
    assert status_of(task, as_of=date(2022, 4, 1), rules=StatusRules(deadline_days=1))["status"] == "not_started"


@pytest.mark.parametrize("gap, expected", [(9.99, "on_track"), (10, "behind"), (30, "behind"), (30.01, "far_behind")])
def test_status_boundaries_through_the_whole_rule(gap, expected):
    expected_q2 = round(100 * 181 / 365, 2)  # 49.59: end of June, as of 6 July
    reports = reports_frame(("t", "2022-Q2", round(expected_q2 - gap, 2), date(2022, 7, 3)))
    row = status_of(("t", 2022, "annual", "D"), reports, as_of=date(2022, 7, 6))
    assert row["expected_percent"] == expected_q2
    assert row["status"] == expected


def test_five_year_task_expects_a_fifth_per_year():
    reports = reports_frame(("t", "2022-Q4", 15, date(2023, 1, 3)))
    row = status_of(("t", 2022, "five_year", "D"), reports, as_of=date(2023, 1, 10))
    assert row["last_period"] == "2022-Q4"
    assert row["expected_percent"] == round(100 * 365 / 1826, 2)  # 19.99: 2024 is a leap year
    assert row["status"] == "on_track"
    # the same 15% would be far behind for an annual task (expected 100)
    annual = status_of(("t", 2022, "annual", "D"), reports, as_of=date(2023, 1, 10))
    assert annual["expected_percent"] == 100 and annual["status"] == "far_behind"


def test_monthly_notice_counts_months_and_quarterly_ignores_monthly_labels():
    reports = reports_frame(("t", "2022-01", 8, date(2022, 2, 3)))
    monthly = status_of(("t", 2022, "annual", "D"), reports, as_of=date(2022, 2, 6), cadences={"D": "month"})
    assert monthly["last_period"] == "2022-01"
    assert monthly["expected_percent"] == round(100 * 31 / 365, 2)
    assert monthly["status"] == "on_track"
    quarterly = status_of(("t", 2022, "annual", "D"), reports, as_of=date(2022, 2, 6))
    assert quarterly["status"] == "not_started" and quarterly["last_period"] == ""


def test_missing_period_is_not_reported_and_later_period_covers_it():
    task = ("t", 2022, "annual", "D")
    only_q1 = reports_frame(("t", "2022-Q1", 30, date(2022, 4, 1)))
    row = status_of(task, only_q1, as_of=date(2022, 7, 6))
    assert row["status"] == "not_reported" and row["overdue_periods"] == "2022-Q2"
    assert row["latest_percent"] == 30
    both = reports_frame(("t", "2022-Q1", 30, date(2022, 4, 1)), ("t", "2022-Q2", 45, date(2022, 7, 2)))
    assert status_of(task, both, as_of=date(2022, 7, 6))["status"] == "on_track"


def test_a_correction_replaces_the_earlier_report_of_the_same_period():
    task = ("t", 2022, "annual", "D")
    reports = reports_frame(("t", "2022-Q2", 10, date(2022, 7, 1)), ("t", "2022-Q2", 48, date(2022, 7, 2)))
    row = status_of(task, reports, as_of=date(2022, 7, 6))
    assert row["latest_percent"] == 48 and row["status"] == "on_track"


def test_as_of_ignores_what_was_recorded_later():
    task = ("t", 2022, "annual", "D")
    reports = reports_frame(("t", "2022-Q2", 48, date(2022, 7, 2)), ("t", "2022-Q2", 100, date(2022, 8, 1)))
    assert status_of(task, reports, as_of=date(2022, 7, 6))["status"] == "on_track"
    assert status_of(task, reports, as_of=date(2022, 8, 1))["status"] == "done"


def test_milestone_past_due_and_not_done_is_far_behind():
    task = ("t", 2022, "annual", "D")
    reports = reports_frame(("t", "2022-Q2", 48, date(2022, 7, 2)))
    plan = datetime(2022, 3, 1)
    late = pd.DataFrame([("t", date(2022, 6, 1), None, date(2022, 3, 1), plan)],
                        columns=["task_id", "due_date", "done_on", "plan_on", "plan_at"])
    assert status_of(task, reports, as_of=date(2022, 7, 6), milestones=late)["status"] == "far_behind"
    reached = late.assign(done_on=[date(2022, 5, 30)])
    assert status_of(task, reports, as_of=date(2022, 7, 6), milestones=reached)["status"] == "on_track"
    # due on the as-of day itself is not yet past due
    assert status_of(task, reports, as_of=date(2022, 6, 1), milestones=late)["status"] != "far_behind"


def test_rule_text_states_the_settings_in_force():
    text = rule_text(StatusRules(behind_from=5, far_behind_above=20, deadline_days=7))
    assert "超过 20 个百分点" in text and "落后不到 5 个百分点" in text and "结束后 7 天" in text
    assert "超过 30 个百分点" in rule_text()
