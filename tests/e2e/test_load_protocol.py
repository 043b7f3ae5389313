"""The load test's protocol client (bench/load.py) against a live server: it must see real pages, not nothing.

Not timed: these tests check that a session opened over `/_stcore/stream` gets the
page's own elements and a finished script, that a filter change reaches the page
script (the filter summary names the new value), and that the driver records
filter changes without errors — so the benchmark cannot silently measure
connection refusals or empty runs.
"""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor

from bench.load import FLOOR, FLOOR_SCRIPT, PAGES, Plan, Session, drive, session_plan
from tools.server import Server

OVERVIEW, LEADERS = PAGES[0], PAGES[1]


def in_own_thread(function):
    """Run function in a fresh thread: the browser tests' Playwright keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


def test_two_sessions_open_their_pages_and_apply_a_filter(fresh_server):
    # a fresh server: two first visitors at once once ran 领导分工 without app.py (no sidebar, see ui.data)
    async def scenario():
        sessions = [Session(fresh_server.url, OVERVIEW), Session(fresh_server.url, LEADERS)]
        opened = await asyncio.gather(*(s.open() for s in sessions))
        changed = await asyncio.gather(*(s.change_filter(random.Random(7)) for s in sessions))
        chosen = [s.value(s.page.widget) for s in sessions]
        await asyncio.gather(*(s.close() for s in sessions))
        return opened, changed, chosen

    opened, changed, chosen = in_own_thread(lambda: asyncio.run(scenario()))
    for page, run in zip((OVERVIEW, LEADERS), opened):
        assert page.title in run.headings, run.headings  # the page's own st.title, not an error page
        assert any(t.startswith("当前筛选：") for t in run.texts)
        assert run.exceptions == []
        assert page.widget in run.selectboxes and len(run.selectboxes[page.widget].options) > 1
        assert "筛选" in run.headings and "年度" in run.selectboxes  # the sidebar of app.py is there
    (overview_run, old_year), (leaders_run, old_leader) = changed
    year, leader = chosen
    assert year != old_year and leader != old_leader
    # the rerun carried the widget state: the page script saw the new year and the new leader
    summary = next(t for t in overview_run.texts if t.startswith("当前筛选："))
    assert (f"{year}年" if year != "全部" else "全部年度") in summary, summary
    if leader != "全部":
        assert leader in next(t for t in leaders_run.texts if t.startswith("当前筛选："))
    assert LEADERS.title in leaders_run.headings


def test_driver_records_filter_changes_on_every_page(server):
    plan = Plan(session_plan(4, ["鹿城区"], PAGES, [server.url]), duration=20, interval=(0.2, 0.5), ramp=0.2,
                timeout=60, seed=1)
    records = in_own_thread(lambda: drive(plan))
    assert records["errors"] == [] and records["timeouts"] == []
    assert sorted(title for title, _ in records["open"]) == sorted(p.title for p in PAGES)
    assert {title for title, _, _ in records["change"]} == {p.title for p in PAGES}
    assert all(0 < seconds < 60 for _, seconds, _ in records["change"])


def test_sessions_are_spread_over_pages_districts_and_replicas():
    plan = session_plan(6, ["甲区", "乙区", "丙区"], PAGES, ["http://a", "http://b"])
    assert [url for url, _, _ in plan] == ["http://a", "http://b"] * 3
    assert [page for _, page, _ in plan] == [*PAGES, *PAGES[:2]]
    assert [query["district"] for _, _, query in plan] == ["甲区", "乙区", "丙区"] * 2


def test_the_floor_page_is_driven_like_the_dashboard():
    floor = Server(script=FLOOR_SCRIPT)
    try:
        floor.wait_healthy()
        plan = Plan(session_plan(2, ["鹿城区"], (FLOOR,), [floor.url]), duration=6, interval=(0.2, 0.5), ramp=0.2,
                    timeout=60, seed=2)
        records = in_own_thread(lambda: drive(plan))
    finally:
        floor.stop()
    assert records["errors"] == [] and records["timeouts"] == [] and len(records["open"]) == 2
    assert len(records["change"]) >= 2 and {title for title, _, _ in records["change"]} == {FLOOR.title}
