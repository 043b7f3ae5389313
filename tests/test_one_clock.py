"""One clock: every date and time shown, taken as "today" or written into a file is the district's local time.

The machines run in UTC. At 23:30 UTC on 2026-12-04 it is already 07:30 on 2026-12-05 in the
district (Asia/Shanghai): the sidebar, the downloads and the exports must all say 12-05 07:30.
"""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from loaders import store
from loaders.clock import ZONE_VARIABLE, local_text, local_today
from loaders.curated import DEFAULT_CURATED_DIR, DIR_VARIABLE, read_curated
from loaders.downloads import xlsx_bytes
from loaders.progress.db import URL_VARIABLE, open_database
from loaders.progress.export import progress_tables, stored_progress
from loaders.progress.ledger_export import applied_filters, ledger_board, ledger_xlsx
from loaders.progress.reports import ReportDraft, Writer, report, task_book
from loaders.select import Filters

ROOT = Path(__file__).resolve().parents[1]
LATE_EVENING_UTC = datetime(2026, 12, 4, 23, 30, tzinfo=timezone.utc)
IN_THE_DISTRICT = "2026-12-05 07:30"


@pytest.fixture
def late_evening():
    """The machine's clock at 23:30 UTC (the district's next morning), standing still."""
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        yield


def test_today_is_the_districts_date_not_the_machines(late_evening, monkeypatch):
    monkeypatch.delenv(ZONE_VARIABLE, raising=False)
    assert datetime.now(timezone.utc).date() == date(2026, 12, 4)  # the machine's (UTC) date
    assert local_today() == date(2026, 12, 5)
    monkeypatch.setenv(ZONE_VARIABLE, "America/New_York")  # the setting: another district's zone
    assert local_today() == date(2026, 12, 4)
    assert local_text(datetime(2026, 12, 4, 23, 30)) == "2026-12-04 18:30"  # a stored (UTC) moment, shown
    monkeypatch.setenv(ZONE_VARIABLE, "火星/标准时")
    with pytest.raises(ValueError, match=ZONE_VARIABLE):
        local_today()


def _report_now(url: str, frames) -> None:
    book = task_book(frames.tasks, frames.task_units)
    task = frames.tasks["task_id"].iloc[0]
    period = f"{book[task].year}-Q4"  # the bundled notices are of 2020 and 2022: that quarter began long ago
    problems = report(open_database(url), ReportDraft(task, period, 40, progress="推进中"), book,
                      Writer("办公室", is_admin=True))
    assert problems == [], problems


def test_the_sidebar_says_when_data_and_progress_were_saved_in_the_districts_time(late_evening, tmp_path,
                                                                                   monkeypatch, frames):
    curated = tmp_path / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, curated)
    url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    monkeypatch.setenv(DIR_VARIABLE, str(curated))
    monkeypatch.setenv(URL_VARIABLE, url)  # the one database: the curated versions and the progress
    tables, _ = read_curated(curated)
    store.save_tables(curated, {"tasks": tables["tasks"]}, "测试：导入通知")  # a save at 23:30 UTC
    _report_now(url, frames)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception, [e.message for e in app.exception]
    captions = [c.value.replace("\\", "") for c in app.sidebar.caption]  # as shown: markdown escapes removed
    assert any(f"数据更新于 {IN_THE_DISTRICT}" in c for c in captions), captions
    assert any(f"进度填报更新于 {IN_THE_DISTRICT}" in c for c in captions), captions
    assert not any("2026-12-04" in c for c in captions)


def test_downloads_and_exports_are_stamped_in_the_districts_time(late_evening, tmp_path, frames):
    tasks = frames.tasks.head(3)
    sheet = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "2022")])))["筛选条件"]
    info = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert info["导出时间"] == IN_THE_DISTRICT
    url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    _report_now(url, frames)
    reports, milestones, cadences = stored_progress(url)
    board = ledger_board(frames, Filters(), reports, milestones, cadences, local_today())
    ledger = load_workbook(io.BytesIO(ledger_xlsx(board, applied_filters(Filters(), board), local_today())))
    info = {row[0]: row[1] for row in ledger["筛选条件"].iter_rows(values_only=True)}
    assert info["导出时间"] == IN_THE_DISTRICT and info["截至日期"] == "2026-12-05"
    assert set(board.loc[board["reported_on"].notna(), "reported_on"]) == {date(2026, 12, 5)}  # 填报日期: local
    progress = progress_tables(frames, url)["progress.csv"]
    assert progress["reported_at"].tolist() == ["2026-12-05T07:30:00+08:00"]  # local, with its offset
