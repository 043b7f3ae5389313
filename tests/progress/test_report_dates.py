"""A ledger says when units reported: 填报日期 per row, or one date for the whole file; statuses as of a past day.

The 督查室 brings in last quarter's paper ledger in the autumn: the reports of Q1 and Q2 must count
from the days the units handed them in, not from the import day.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from loaders.cli import main
from loaders.progress.ledger import IMPORT_DAY, check_ledger, import_ledger, ledger_preview
from loaders.progress.reports import cadences, reports_frame
from loaders.progress.status import task_status
from tests.progress.conftest import ON_SQLITE_ONLY
from tests.progress.test_progress_ledger import ADMIN, CHINESE, workbook

IMPORTED_ON = date(2022, 10, 20)  # the day the ledger is brought in
TASK, OTHER = "2022-annual-01-01", "2022-annual-01-02"
DATED = CHINESE + ["填报日期"]


def row(task: str, period: str, percent, reported) -> tuple:
    return (task, period, percent, "推进中", "", "", "", "", reported)


def status_on(engine, frames, day: date) -> dict[str, str]:
    tasks = frames.tasks[frames.tasks["task_id"].isin([TASK, OTHER])]
    status = task_status(tasks, reports_frame(engine), None, cadences(engine), as_of=day)
    return dict(zip(status["task_id"], status["status"]))


def test_a_back_dated_ledger_counts_from_the_days_units_reported(engine, book, frames):
    ledger = workbook(DATED, row(TASK, "2022-Q1", 25, date(2022, 4, 3)),  # an Excel date cell
                      row(TASK, "2022-Q2", 50, "2022-07-04"),  # text
                      row(OTHER, "2022-Q1", 25, "2022年4月2日"),
                      row(OTHER, "2022-Q2", 50, datetime(2022, 7, 8, 15, 30)))  # a date and time cell
    stored, problems = import_ledger(engine, ledger, "台账.xlsx", book, ADMIN, IMPORTED_ON)
    assert problems == [] and stored == 4
    saved = reports_frame(engine)
    assert saved["reported_on"].tolist() == [date(2022, 4, 3), date(2022, 7, 4), date(2022, 4, 2), date(2022, 7, 8)]
    # 15:30 in the district is 07:30 UTC: stored in UTC, shown and counted in the district's time
    assert saved["reported_at"].iloc[3] == datetime(2022, 7, 8, 7, 30)
    assert saved["reported_at"].iloc[0] == datetime(2022, 4, 2, 16, 0)  # 2022-04-03 00:00 in Beijing
    # as of 2022-07-10 both tasks had reported Q2 (50% against about 52% elapsed): on track, not 未报送
    assert status_on(engine, frames, date(2022, 7, 10)) == {TASK: "on_track", OTHER: "on_track"}
    # as of 2022-07-06 the second task's Q2 report was not in yet, and Q2's deadline (07-05) had passed
    assert status_on(engine, frames, date(2022, 7, 6)) == {TASK: "on_track", OTHER: "not_reported"}


def test_rows_without_a_date_take_the_files_date_or_the_import_day(engine, book):
    ledger = workbook(DATED, row(TASK, "2022-Q1", 25, "2022-04-03"), row(OTHER, "2022-Q1", 25, None))
    rows, problems = check_ledger(ledger, "台账.xlsx", book, {}, ADMIN, IMPORTED_ON, reported_on=date(2022, 4, 6))
    assert problems == []
    labels = pd.DataFrame({"task_id": [TASK, OTHER], "label": ["甲", "乙"]})
    preview = ledger_preview(rows, labels, reports_frame(engine))
    assert preview["reported_on"].tolist() == ["2022-04-03", "2022-04-06"]  # its own date wins
    rows, _ = check_ledger(ledger, "台账.xlsx", book, {}, ADMIN, IMPORTED_ON)
    assert ledger_preview(rows, labels, reports_frame(engine))["reported_on"].tolist() == ["2022-04-03", IMPORT_DAY]
    stored, _ = import_ledger(engine, workbook(CHINESE, row(TASK, "2022-Q1", 25, "")[:8]), "旧台账.xlsx", book, ADMIN,
                              IMPORTED_ON)
    assert stored == 1  # a ledger without the column imports as before, dated the day it is stored


def test_impossible_report_dates_are_named_with_their_row_and_column(engine, book):
    ledger = workbook(DATED, row(TASK, "2022-Q1", 25, "上个月"), row(TASK, "2022-Q2", 50, "2022-11-02"),
                      row(OTHER, "2022-Q2", 50, "2022-03-30"), row(OTHER, "2022-Q1", 20, "2022-02-30"))
    stored, problems = import_ledger(engine, ledger, "台账.xlsx", book, ADMIN, IMPORTED_ON)
    assert stored == 0 and len(problems) == 4
    assert [(p.row, p.column) for p in problems] == [(2, "填报日期"), (3, "填报日期"), (4, "填报日期"), (5, "填报日期")]
    assert "无法识别" in problems[0].message and "今天" in problems[1].message
    assert "早于报告期 2022-Q2" in problems[2].message and "无法识别" in problems[3].message
    assert reports_frame(engine).empty


@ON_SQLITE_ONLY
def test_the_command_dates_a_whole_paper_ledger(database_url, tmp_path, curated_copy, capsys):
    path = tmp_path / "纸质台账.xlsx"
    path.write_bytes(workbook(CHINESE, row(TASK, "2022-Q1", 25, None)[:8], row(OTHER, "2022-Q1", 20, None)[:8]))
    code = main(["--curated", str(curated_copy), "progress", "--database", database_url, "import", str(path),
                 "--reported-on", "2022-04-08"])
    assert code == 0, capsys.readouterr().err
    from loaders.progress.db import open_database

    assert set(reports_frame(open_database(database_url))["reported_on"]) == {date(2022, 4, 8)}
    code = main(["--curated", str(curated_copy), "progress", "--database", database_url, "import", str(path),
                 "--reported-on", "2022-03-01"])  # within Q1 itself: allowed (a correction, the first kept)
    assert code == 0
    code = main(["--curated", str(curated_copy), "progress", "--database", database_url, "import", str(path),
                 "--reported-on", "2021-12-31"])  # before the period began: refused, nothing stored
    assert code == 1 and "早于报告期" in capsys.readouterr().err
    assert len(reports_frame(open_database(database_url))) == 4
