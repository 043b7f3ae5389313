"""通报 draft (DOCX) and the unit table for 考核, from the same board as 落实进度, checked against hand-made reports."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

import time_machine
from docx import Document

from loaders.frames import Frames
from loaders.progress.board import build_board
from loaders.progress.bulletin import BLANK_DATE, BLANK_DOC_NO, bulletin_docx, bulletin_subject
from loaders.progress.reports import ReportDraft, report, reports_frame
from loaders.progress.reviews import RETURNED, review, reviews_frame, with_reviews
from loaders.select import Filters, select

AS_OF = date(2022, 10, 20)  # Q1–Q3 of 2022 are due (deadlines 04-05, 07-05, 10-05)
ON_TIME, LATE, BEHIND = "2022-annual-01-01", "2022-annual-01-02", "2022-annual-01-03"


def seeded_board(engine, frames: Frames, book, lead_of):
    """Three tasks of 区发改局's: one reported on time each quarter, one late, one far behind."""
    for task, period, percent, day in ((ON_TIME, "2022-Q1", 25, date(2022, 4, 2)),
                                       (ON_TIME, "2022-Q2", 50, date(2022, 7, 5)),  # the deadline day: on time
                                       (ON_TIME, "2022-Q3", 75, date(2022, 10, 1)),
                                       (LATE, "2022-Q3", 75, date(2022, 10, 9)),  # Q1, Q2 never, Q3 after 10-05
                                       (BEHIND, "2022-Q3", 20, date(2022, 10, 3))):
        assert not report(engine, ReportDraft(task, period, percent, progress="推进", reported_on=day,
                                              coordination="请协调用地" if task == BEHIND else ""),
                          book, lead_of(task), today=AS_OF)
    return engine


def board_of(engine, frames, filters=Filters(years=(2022,))):
    reports = with_reviews(reports_frame(engine), reviews_frame(engine))
    return build_board(select(frames, filters), reports, None, {}, AS_OF)


def test_the_unit_table_counts_punctuality_lag_and_coordination(engine, frames, book, lead_of):
    seeded_board(engine, frames, book, lead_of)
    units = board_of(engine, frames).units
    fgj = units[units["unit"] == "区发改局"].iloc[0]
    led = frames.task_units[(frames.task_units["unit"] == "区发改局") & (frames.task_units["role"] == "lead")
                            & (frames.task_units["year"] == 2022)]["task_id"].nunique()
    assert fgj["tasks"] == led
    annual = frames.tasks[frames.tasks["task_id"].isin(frames.task_units.loc[
        (frames.task_units["unit"] == "区发改局") & (frames.task_units["role"] == "lead"), "task_id"])
        & (frames.tasks["year"] == 2022)]
    due = 3 * len(annual)  # Q1–Q3 of 2022 are due for every task of the 2022 notice, five-year ones too
    assert fgj["due_reports"] == due
    assert fgj["on_time"] == 4  # ON_TIME's three and BEHIND's Q3; LATE's Q3 came after its deadline
    assert fgj["on_time_rate"] == round(100 * 4 / due, 1)
    assert fgj["behind_tasks"] == 1 and fgj["coordination_open"] == 1 and fgj["returned"] == 0
    assert list(units["on_time_rate"].dropna()) == sorted(units["on_time_rate"].dropna())  # worst first
    # a report returned (on 10-15) no longer counts as reported on time from that day
    behind_report = int(reports_frame(engine).query("task_id == @BEHIND")["id"].iloc[0])
    with time_machine.travel(datetime(2022, 10, 15, 2, 0, tzinfo=timezone.utc), tick=False):
        assert review(engine, behind_report, RETURNED, "数据有误", "督查室") == []
    again = board_of(engine, frames).units.set_index("unit").loc["区发改局"]
    assert again["on_time"] == 3 and again["returned"] == 1


def test_the_bulletin_lists_what_the_board_holds_with_a_blank_number_and_date(engine, frames, book, lead_of):
    seeded_board(engine, frames, book, lead_of)
    board = board_of(engine, frames)
    subject = bulletin_subject(board.board)
    assert subject == "鹿城区2022年"
    document = Document(io.BytesIO(bulletin_docx(board, subject, AS_OF, issuer="温州市鹿城区人民政府办公室")))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "温州市鹿城区人民政府办公室" and lines[1] == BLANK_DOC_NO and lines[-1] == BLANK_DATE
    assert lines[2] == "关于鹿城区2022年政府工作报告重点工作落实情况的通报"
    assert f"截至 2022年10月20日，鹿城区2022年政府工作报告确定的 {len(board.board)} 项重点工作中" in lines[3]
    far = board.board[board.board["status"] == "far_behind"]
    section = lines[lines.index("一、严重滞后的任务") + 1: lines.index("二、滞后的任务")]
    assert len(section) == len(far) and any("完成进度 20%" in line for line in section)
    units = lines[lines.index("三、逾期未报送进度的单位") + 1: lines.index("四、需提请区领导协调的事项")]
    assert len(units) == len(board.chase)
    asked = lines[lines.index("四、需提请区领导协调的事项") + 1:]
    assert any(line.endswith("：1 项") for line in asked)
