"""Checks of what a report says: a claim of completion while behind, a 进展情况 copied from last period,
a 需协调事项 that has stood too long. Built from reports as a unit writes them, checked on 落实进度."""

from __future__ import annotations

from datetime import date

import pandas as pd

from loaders.progress.board import status_board
from loaders.progress.checks import (CLAIM_BEHIND, COORDINATION_AGING, REPEATED, claim_in,
                                     coordination_age_by_leader, report_checks)
from loaders.progress.status import reported_as_of, status_of
from tests.progress.conftest import ON_SQLITE_ONLY
from tests.progress.test_progress_pages import open_page, seeded  # noqa: F401  (a fixture)

TASKS = pd.DataFrame({"task_id": ["a", "b", "c", "d"], "label": ["甲", "乙", "丙", "丁"], "district": "鹿城区",
                      "year": 2022, "scope": "annual", "doc_no": "文号", "leaders": ["林杰", "林杰", "张伟", ""],
                      "lead_units": "区发改局", "content": "任务"})


def reports(*rows) -> pd.DataFrame:
    """Rows of (task, period, percent, progress, coordination, reported_on), stored in this order."""
    frame = pd.DataFrame(rows, columns=["task_id", "period", "percent", "progress", "coordination", "reported_on"])
    return frame.assign(id=range(1, len(frame) + 1), problems="", next_steps="", value_reached="", unit="区发改局",
                        reported_by="填报员", district="鹿城区")


def checks_of(stored: pd.DataFrame, as_of: date) -> pd.DataFrame:
    reported = reported_as_of(stored, as_of)
    board = status_board(TASKS, status_of(TASKS, reported, None, {}), reported.latest)
    return report_checks(board, stored, as_of)


def flagged(checks: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(checks["task_id"], checks["check"]))


AS_OF = date(2022, 10, 10)  # Q3 is due: 序时进度 is the share of the year gone by at its end, 74.8%


def test_a_claim_of_completion_while_far_behind_is_flagged_and_a_negated_one_is_not():
    stored = reports(("a", "2022-Q3", 40, "各项工作进展顺利，已完成年度目标的大部分", "", date(2022, 10, 3)),
                     ("b", "2022-Q3", 40, "部分项目尚未完成，未按序时推进", "", date(2022, 10, 3)),
                     ("c", "2022-Q3", 70, "按序时推进", "", date(2022, 10, 3)),  # 5 points behind: within the rule
                     ("d", "2022-Q3", 100, "已完成", "", date(2022, 10, 3)))
    checks = checks_of(stored, AS_OF)
    assert flagged(checks) == {("a", CLAIM_BEHIND)}
    assert claim_in("未发现问题，进展顺利") == "进展顺利" and claim_in("难以如期完成") is None
    detail = checks.iloc[0]["detail"]
    assert detail == "进展情况写“进展顺利”，完成进度 40%，序时进度 74.8%，落后 34.8 个百分点"  # 273 of 365 days


def test_a_progress_copied_word_for_word_from_the_last_period_is_flagged():
    stored = reports(("a", "2022-Q2", 50, "正在推进项目前期工作", "", date(2022, 7, 3)),
                     ("a", "2022-Q3", 75, " 正在推进项目前期工作", "", date(2022, 10, 3)),  # same words, a blank more
                     ("b", "2022-Q2", 50, "完成立项", "", date(2022, 7, 3)),
                     ("b", "2022-Q3", 75, "开工建设", "", date(2022, 10, 3)),
                     ("c", "2022-Q3", 75, "开工建设", "", date(2022, 10, 3)))  # another task's words: not a repeat
    checks = checks_of(stored, AS_OF)
    assert flagged(checks) == {("a", REPEATED)}
    assert "2022-Q3 的进展情况与 2022-Q2 一字不差" in checks.iloc[0]["detail"]
    # a correction of Q3 with new words ends the repeat (the latest row of a period counts)
    corrected = pd.concat([stored, reports(("a", "2022-Q3", 76, "完成可研批复", "", date(2022, 10, 5)))
                           .assign(id=99)], ignore_index=True)
    assert (("a", REPEATED)) not in flagged(checks_of(corrected, AS_OF))


def test_a_coordination_item_is_aged_from_the_first_report_that_raised_it():
    same = "请区领导协调项目用地指标"
    stored = reports(("a", "2022-Q1", 25, "推进", "请协调资金", date(2022, 4, 2)),
                     ("a", "2022-Q2", 50, "推进中", same, date(2022, 7, 2)),
                     ("a", "2022-Q3", 75, "继续推进", same, date(2022, 10, 2)),
                     ("b", "2022-Q3", 75, "推进", "请协调审批", date(2022, 10, 2)),  # raised 8 days ago
                     ("d", "2022-Q2", 50, "推进", "请协调", date(2022, 7, 1)),
                     ("d", "2022-Q3", 75, "继续推进", "请协调", date(2022, 10, 1)))
    checks = checks_of(stored, AS_OF)
    assert flagged(checks) == {("a", COORDINATION_AGING), ("d", COORDINATION_AGING)}
    detail = checks.set_index("task_id").loc["a", "detail"]
    assert detail.startswith("自 2022-07-02 提出，已 100 天")  # not from Q1, whose item was another
    by_leader = coordination_age_by_leader(checks)
    assert by_leader.values.tolist() == [["未注明", 1], ["林杰", 1]]
    # as of a day before Q3's reports came in, only what was reported by then counts
    assert ("a", COORDINATION_AGING) not in flagged(checks_of(stored, date(2022, 8, 1)))


@ON_SQLITE_ONLY
def test_the_progress_page_lists_the_flagged_reports(seeded):
    app = open_page("pages/progress.py", progress_as_of="2022-10-10", progress_list="填报核查")
    assert not app.exception, [e.message for e in app.exception]
    assert any("核查只提示，不改变亮灯" in c.value for c in app.caption)
