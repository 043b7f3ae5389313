"""The 进度台账 XLSX and the status columns of the task-list XLSX, on a seeded database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.downloads import xlsx_bytes
from loaders.progress.db import URL_VARIABLE
from loaders.progress.export import stored_progress
from loaders.progress.ledger_export import LEDGER_COLUMNS, applied_filters, ledger_board, ledger_file_name, ledger_xlsx
from loaders.progress.reports import ReportDraft, cadences, milestones_frame, report, reports_frame
from loaders.progress.status import task_status
from loaders.select import Filters
from loaders.vocabulary import STATUS_COLORS, STATUS_LABELS
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
FAR_BEHIND = "2022-annual-01-03"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
SEEDED = {  # task → (percent, 进展情况, 需协调事项)
    "2022-annual-01-01": (95, "按计划推进", "请区领导协调用地"),
    "2022-annual-01-02": (100, "已完成全部工作", ""),
    FAR_BEHIND: (20, FORMULA, "+1 请协调资金"),
}


@pytest.fixture
def seeded(engine, book, lead_of):
    for task_id, (percent, progress, coordination) in SEEDED.items():
        draft = ReportDraft(task_id, "2022-Q4", percent, progress=progress, coordination=coordination,
                            value_reached="-5%" if task_id == FAR_BEHIND else "")
        assert not report(engine, draft, book, lead_of(task_id))
    return engine


def statuses(frames, engine, as_of: date):
    tasks = frames.tasks[frames.tasks["year"] == 2022]
    return task_status(tasks, reports_frame(engine), milestones_frame(engine), cadences(engine), as_of)


def rows_of(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]


def rgb(cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def test_the_ledger_has_a_row_per_task_with_status_colours_and_the_latest_report(seeded, frames):
    as_of = local_today()
    filters = Filters(years=(2022,))
    board = ledger_board(frames, filters, reports_frame(seeded), milestones_frame(seeded), cadences(seeded), as_of)
    applied = applied_filters(filters, board)
    assert ledger_file_name(applied, as_of) == f"进度台账_鹿城区_2022_截至{as_of:%Y-%m-%d}.xlsx"
    book = load_workbook(io.BytesIO(ledger_xlsx(board, applied, as_of)))
    assert book.sheetnames == ["进度台账", "状态图例", "筛选条件"]
    sheet = book["进度台账"]
    assert [cell.value for cell in sheet[1]] == list(LEDGER_COLUMNS.values())
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width > 10
    rows = {row["任务编号"].value: row for row in rows_of(sheet)}
    status = statuses(frames, seeded, as_of).set_index("task_id")
    assert set(rows) == set(status.index)
    for task_id, row in rows.items():
        code = status.at[task_id, "status"]
        assert row["状态"].value == STATUS_LABELS[code]
        assert rgb(row["状态"]) == STATUS_COLORS[code].lstrip("#").upper(), task_id
        latest = status.at[task_id, "latest_percent"]
        assert row["完成进度（%）"].value == ("未填报" if pd.isna(latest) else float(latest))
        assert row["序时进度（%）"].value == pytest.approx(status.at[task_id, "expected_percent"], abs=0.01)
        assert (row["应报报告期"].value or "") == status.at[task_id, "last_period"]
    far = rows[FAR_BEHIND]
    assert far["状态"].value == "严重滞后" and rgb(far["状态"]) == "C0392B"
    # what people wrote starting with = + - stays text: a leading quote, never a formula
    assert far["进展情况"].value == "'" + FORMULA and far["进展情况"].data_type == "s"
    assert far["需协调事项"].value == "'+1 请协调资金" and far["已完成值"].value == "'-5%"
    assert far["填报日期"].value == f"{as_of:%Y-%m-%d}" and far["填报单位"].value
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)
    legend = {row[0].value: rgb(row[0]) for row in book["状态图例"].iter_rows(min_row=2) if row[0].value != "规则"}
    assert {label: legend[label] for label in STATUS_LABELS.values()} == {
        STATUS_LABELS[c]: STATUS_COLORS[c].lstrip("#").upper() for c in STATUS_LABELS}
    info = {row[0].value: row[1].value for row in book["筛选条件"].iter_rows(min_row=2)}
    assert info["截至日期"] == f"{as_of:%Y-%m-%d}" and info["年度"] == "2022" and info["任务数"] == len(rows)
    assert info["区县"] == "鹿城区"
    assert info["严重滞后"] == (status["status"] == "far_behind").sum()


def test_the_ledger_file_name_names_the_filters_and_the_date():
    name = ledger_file_name(applied_filters(Filters(years=(2022,), leader="林杰", district="鹿城区")), date(2022, 9, 30))
    assert name == "进度台账_鹿城区_2022_林杰_截至2022-09-30.xlsx"


def test_the_ledger_command_writes_the_ledger_as_of_a_date(seeded, database_url, frames, tmp_path):
    out = tmp_path / "台账.xlsx"
    done = subprocess.run([sys.executable, "-m", "loaders", "progress", "--database", database_url, "ledger-export",
                           str(out), "--year", "2022", "--as-of", "2022-09-30"], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    rows = rows_of(book["进度台账"])
    assert len(rows) == (frames.tasks["year"] == 2022).sum()
    # reported today, after 2022-09-30: not counted as of then
    assert {row["完成进度（%）"].value for row in rows} == {"未填报"}
    assert {row[0].value: row[1].value for row in book["筛选条件"].iter_rows(min_row=2)}["截至日期"] == "2022-09-30"
    done = subprocess.run([sys.executable, "-m", "loaders", "progress", "--database", database_url, "ledger-export",
                           str(out), "--district", "无此区"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 2 and "无此区" in done.stderr


def test_the_task_list_xlsx_carries_status_and_percent_when_reports_exist(seeded, frames):
    tasks = frames.tasks[frames.tasks["year"] == 2022]
    as_of = local_today()
    status = statuses(frames, seeded, as_of)
    book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "2022")], status=status, as_of=as_of)))
    sheet = book["任务明细"]
    header = [cell.value for cell in sheet[1]]
    assert header[header.index("牵头单位") + 1: header.index("牵头单位") + 3] == ["状态", "完成进度（%）"]
    label = dict(zip(frames.tasks["task_id"], frames.tasks["label"]))  # people's downloads name tasks by label
    rows = {row["任务"].value: row for row in rows_of(sheet)}
    codes = {label[task_id]: code for task_id, code in zip(status["task_id"], status["status"])}
    assert {name: row["状态"].value for name, row in rows.items()} == {
        name: STATUS_LABELS[code] for name, code in codes.items()}
    far_behind = rows[label[FAR_BEHIND]]
    assert rgb(far_behind["状态"]) == "C0392B" and far_behind["完成进度（%）"].value == 20
    info = {row[0].value: row[1].value for row in book["筛选条件"].iter_rows(min_row=2)}
    assert info["落实进度"] == f"状态和完成进度截至 {as_of:%Y-%m-%d}"


def test_without_reports_the_task_list_xlsx_says_so_instead_of_empty_columns(engine, frames):
    tasks = frames.tasks[frames.tasks["year"] == 2022]
    status = statuses(frames, engine, local_today())
    book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "2022")], status=status, as_of=local_today())))
    assert "状态" not in [cell.value for cell in book["任务明细"][1]]
    info = {row[0].value: row[1].value for row in book["筛选条件"].iter_rows(min_row=2)}
    assert "尚无牵头单位填报进度" in info["落实进度"]


@ON_SQLITE_ONLY
def test_the_pages_offer_the_downloads(seeded, database_url, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    for page, label in (("pages/progress.py", "下载进度台账"), ("pages/tasks.py", "含状态")):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        app.query_params.update(year="2022")
        app.run()
        app.switch_page(page).run()
        assert not app.exception, [e.message for e in app.exception]
        assert any(label in button.label for button in app.download_button), page
    assert len(stored_progress(database_url)[0]) == len(SEEDED)


def sheet_values(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values and status fills (导出时间 left out: it is the time of the call)."""
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [[(cell.value, rgb(cell)) for cell in row] for row in sheet.iter_rows()
                          if row[0].value != "导出时间"] for sheet in book}


def test_the_task_list_xlsx_takes_the_status_of_the_rows_on_screen_from_the_cached_board(seeded, database_url, frames):
    """The download reuses the board of the page (no second status computation) and equals task_status of its rows."""
    from loaders.progress.board import download_status
    from ui.cache import data_key
    from ui.progress.store import _board

    as_of = local_today()
    records = (reports_frame(seeded), milestones_frame(seeded), cadences(seeded), None)
    board = _board(data_key(), f"{database_url}|test", Filters(years=(2022,)), as_of)
    selection = frames.tasks[frames.tasks["year"] == 2022]
    on_screen = selection[selection["task_id"].isin([*SEEDED, "2022-annual-02-01"])].iloc[::-1]  # any order
    status = download_status(on_screen, board, records)
    assert sorted(status["task_id"]) == sorted(on_screen["task_id"])
    expected = task_status(on_screen, *records[:3], as_of)
    pd.testing.assert_frame_equal(status.sort_values("task_id").reset_index(drop=True),
                                  expected.sort_values("task_id").reset_index(drop=True))
    applied = [("年度", "2022")]
    assert sheet_values(xlsx_bytes(frames, on_screen, applied, status=status, as_of=as_of)) == \
        sheet_values(xlsx_bytes(frames, on_screen, applied, status=expected, as_of=as_of))
    assert download_status(on_screen, board, None) is None  # the database cannot be read: no status


def test_before_anything_is_stored_the_task_list_xlsx_needs_no_board(engine, frames):
    from loaders.progress.board import download_status

    tasks = frames.tasks[frames.tasks["year"] == 2022]
    records = (reports_frame(engine), milestones_frame(engine), cadences(engine), None)
    applied = [("年度", "2022")]
    assert sheet_values(xlsx_bytes(frames, tasks, applied, status=download_status(tasks, None, records),
                                   as_of=local_today())) == \
        sheet_values(xlsx_bytes(frames, tasks, applied, status=statuses(frames, engine, local_today()), as_of=local_today()))
