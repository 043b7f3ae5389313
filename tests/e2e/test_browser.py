"""The dashboard in a real browser: pages, filters, drill-down, shared links, downloads, meeting mode."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pandas as pd
import pytest
from openpyxl import load_workbook

from loaders.frames import load_frames
from loaders.select import Filters, TaskQuery, query_tasks
from tools.server import open_app, wait_ready

PAGES = ["", "leaders", "units", "tasks", "targets", "about", "meeting"]


@pytest.fixture(scope="module")
def frames():
    return load_frames()


def first_text(page) -> str:
    return page.locator('[data-testid="stText"]').first.inner_text()


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def task_count(page) -> int:
    return int(re.search(r"共 (\d+) 项任务", first_text(page)).group(1))


def choose(page, label: str, option: str) -> None:
    """Pick an option in the selectbox with this label and wait for the rerun."""
    page.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)


def test_a_shared_deep_link_works_on_a_fresh_server(page, fresh_server):
    # the very first session of a new server opens a page other than the default
    open_app(page, fresh_server, "tasks?year=2022&unit=" + quote("区经信局") + "&lead_only=true")
    assert first_text(page).startswith("当前筛选：2022年")
    assert page.locator('[data-testid="stSidebar"]').is_visible()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_without_an_exception(page, server, path):
    open_app(page, server, path)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1, h2").first.inner_text().strip()


def test_choosing_a_leader_changes_figures_and_table(page, server, frames):
    open_app(page, server, "tasks?year=2022")
    before = task_count(page)
    choose(page, "牵头领导", "林杰")
    expected = query_tasks(frames, Filters(years=(2022,), leader="林杰"), TaskQuery())
    assert task_count(page) == len(expected) < before
    assert "leader=" in page.url
    open_app(page, server, "?year=2022&leader=" + quote("林杰"))
    assert metric(page, "任务（项）") == str(len(expected))


def click_top_bar(page) -> None:
    chart = page.locator(".js-plotly-plot").first
    chart.locator(".main-svg").first.wait_for()
    top_bar = chart.locator("g.point path").last  # bars are drawn bottom-up: the last is the top one
    box = top_bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_ready(page)


def drill_link(page):
    link = page.locator('[data-testid="stPageLink"] a[href*="tasks"]', has_text="打开任务明细").first
    link.wait_for()
    return link, link.inner_text().split("：", 1)[1].strip()


def test_clicking_a_bar_drills_down(page, server, frames):
    open_app(page, server, "units?year=2022")
    click_top_bar(page)
    link, unit = drill_link(page)
    link.click()
    page.wait_for_url("**/tasks**")
    wait_ready(page)
    expected = query_tasks(frames, Filters(years=(2022,)), TaskQuery(unit=unit))
    assert task_count(page) == len(expected) > 0


def test_clicking_a_leader_bar_keeps_the_sidebar_and_links_to_exactly_that_leader(page, server, frames):
    open_app(page, server, "leaders?year=2022")
    led = frames.task_leaders[frames.task_leaders["year"] == 2022].merge(frames.tasks[["task_id", "scope"]])
    bars = len(led[["leader", "scope"]].drop_duplicates())  # one bar segment per leader and table
    click_top_bar(page)
    link, leader = drill_link(page)
    # nothing app-wide changed: the sidebar still says 全部 and the chart still has every bar
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="牵头领导")
    assert sidebar.locator("input").first.input_value() == "全部"
    assert "leader=" not in page.url
    assert page.locator(".js-plotly-plot").first.locator("g.point path").count() == bars
    # every segment of the picked leader stays coloured (plotly alone keeps only the clicked one), the rest fade
    opacities = page.locator(".js-plotly-plot").first.locator("g.point path").evaluate_all(
        "paths => paths.map(p => Number(getComputedStyle(p).opacity))")
    assert sorted(opacities).count(1.0) == len(led[led["leader"] == leader]["scope"].unique()) >= 2
    assert all(o < 1 for o in opacities if o != 1.0)
    # the link sits right under the chart, within the first screen
    assert link.bounding_box()["y"] < page.viewport_size["height"]
    assert parse_qs(urlsplit(link.get_attribute("href")).query) == {"leader": [leader]}
    link.click()
    page.wait_for_url("**/tasks**")
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query)["leader"] == [leader]  # once, not leader=…&leader=…
    expected = query_tasks(frames, Filters(years=(2022,), leader=leader), TaskQuery())
    assert task_count(page) == len(expected) > 0
    # the filter is shown and can be cleared in one click
    page.get_by_role("button", name="清除筛选").click()
    wait_ready(page)
    assert "leader=" not in page.url
    assert task_count(page) > len(expected)


def test_a_shared_link_restores_its_filters(page, server, frames):
    link = "tasks?year=2020&unit=" + quote("区综合行政执法局") + "&lead_only=true&q=" + quote("垃圾")
    open_app(page, server, link)
    expected = query_tasks(frames, Filters(years=(2020,)),
                           TaskQuery(unit="区综合行政执法局", lead_only=True, keywords="垃圾"))
    assert task_count(page) == len(expected) > 0
    page.reload()
    wait_ready(page)
    assert task_count(page) == len(expected)


def download(page, label: str):
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"]', has_text=label).first.click()
    return info.value


def test_downloads_hold_exactly_the_rows_on_screen(page, server, frames):
    open_app(page, server, "tasks?year=2022&unit=" + quote("区经信局"))
    expected = query_tasks(frames, Filters(years=(2022,)), TaskQuery(unit="区经信局"))
    shown = task_count(page)
    assert shown == len(expected)

    csv = download(page, "CSV")
    assert csv.suggested_filename == "任务明细_2022_区经信局.csv"
    data = open(csv.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert rows["任务"].tolist() == expected["label"].tolist() and "任务编号" not in rows  # labels, never ids

    xlsx = download(page, "XLSX")
    assert xlsx.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(xlsx.path(), "rb").read()))
    labels = [row[0] for row in book["任务明细"].iter_rows(min_row=2, values_only=True)]
    assert labels == expected["label"].tolist() and len(labels) == shown
    # downloading did not rerun or reset the page
    assert task_count(page) == shown


def test_meeting_mode_steps_through_every_view(page, server, frames):
    from loaders.meeting.deck import DeckChoice, build_deck

    deck = build_deck(frames, DeckChoice(2022, leader="张伟"))
    open_app(page, server, "meeting?deck_year=2022&deck_leader=" + quote("张伟"))
    seen = []
    for _ in deck:
        seen.append(page.locator("h2").first.inner_text().strip())
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("button", name="下一页").click()
        wait_ready(page)
    assert seen == [f"{n}/{len(deck)} {slide.heading}" for n, slide in enumerate(deck, start=1)]
    assert "slide=" in page.url


def test_sections_below_the_first_chart_open_on_request(page, server, frames):
    # 总览: the notice table is sent when its box is opened
    open_app(page, server, "?year=2022")
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.get_by_text("通知原文（标题、成文和印发日期、附件）").click()
    wait_ready(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    # 领导分工: clicking a bar while another tab is open opens the leader's tab with that leader's tasks
    open_app(page, server, "leaders?year=2022&leaders_view=" + quote("领导 × 单位"))
    assert page.locator(".js-plotly-plot").count() == 2  # the bars and the leader × unit matrix
    click_top_bar(page)
    wait_ready(page)
    page.get_by_text("全部任务", exact=True).wait_for(state="visible")
    assert "leaders_view=" + quote("一位领导的任务") in page.url or "leaders_view" not in page.url


@pytest.mark.parametrize("query", ["tasks?year=2022", "tasks?year=2022&lead_only=true&category=" + quote("街道")])
def test_the_task_filters_take_at_most_a_third_of_a_laptop_screen(browser, server, query):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        open_app(page, server, query)
        keyword = page.locator('[data-testid="stTextInput"]').first.bounding_box()
        table = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        assert table["y"] - keyword["y"] <= 768 / 3  # keyword, unit, 更多筛选 (closed), 清除, 当前筛选
        assert table["y"] + 200 < 768  # several rows of tasks in the first screen
        more = page.get_by_text(re.compile("^更多筛选：")).first
        assert ("已设 2 项" in more.inner_text()) == ("lead_only" in query)
        more.click()  # the rest of the filters are one click away
        page.get_by_text("只看有量化指标的任务").wait_for()
    finally:
        context.close()
