"""Reading the reports for the pages: only the rows stored since the last read, and never a row missed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from loaders.progress.reports import reports_frame, save_reports
from ui.progress.store import _report_log, _reports


def _row(task_id: str, period: str, percent: float, **extra) -> dict:
    return {"task_id": task_id, "period": period, "percent": percent, "district": "鹿城区", "unit": "区发改局",
            "reported_by": "填报员", **extra}


def test_the_pages_read_new_reports_only_and_see_every_one(engine, database_url):
    _report_log.clear()
    save_reports(engine, [_row("2022-annual-001", "2022-Q1", 20), _row("2022-annual-002", "2022-Q1", 30)])
    first = _reports(database_url)
    assert len(first) == 2
    save_reports(engine, [_row("2022-annual-001", "2022-Q2", 45)])
    second = _reports(database_url)
    assert list(second["percent"]) == [20, 30, 45]
    # the frame read in two steps equals a full read (dates and types included)
    pd.testing.assert_frame_equal(second.reset_index(drop=True), reports_frame(engine))


def test_a_report_committed_out_of_id_order_is_not_missed(engine, database_url):
    # On PostgreSQL a save can get a lower id yet commit after a higher one was read;
    # an explicit lower id written after the first read stands for it.
    _report_log.clear()
    save_reports(engine, [_row("2022-annual-001", "2022-Q1", 20, id=10)])
    assert list(_reports(database_url)["id"]) == [10]
    save_reports(engine, [_row("2022-annual-002", "2022-Q1", 30, id=5)])
    assert sorted(_reports(database_url)["id"]) == [5, 10]


def test_reported_on_is_the_local_date_of_the_stored_utc_time(engine):
    # 2022-03-31 17:30 UTC is already 1 April in China
    save_reports(engine, [_row("2022-annual-001", "2022-Q1", 20)], at=datetime(2022, 3, 31, 17, 30))
    assert str(reports_frame(engine)["reported_on"].iloc[0]) == "2022-04-01"


def test_a_replaced_database_is_read_again_even_with_the_same_count(engine, database_url):
    """A restore (or a test recreating the database) under the same URL: same ids and count, other rows."""
    from sqlalchemy import text

    _report_log.clear()
    save_reports(engine, [_row("2022-annual-001", "2022-Q1", 20)], at=datetime(2022, 4, 1, 8, 0))
    assert list(_reports(database_url)["task_id"]) == ["2022-annual-001"]
    with engine.begin() as connection:  # the append-only triggers refuse DELETE: drop and recreate the rows
        connection.execute(text("ALTER TABLE reports RENAME TO reports_old"))
        connection.execute(text("CREATE TABLE reports AS SELECT * FROM reports_old WHERE 1 = 0"))
    save_reports(engine, [_row("2022-annual-002", "2022-Q1", 30, id=1)], at=datetime(2022, 4, 2, 8, 0))
    assert list(_reports(database_url)["task_id"]) == ["2022-annual-002"]
