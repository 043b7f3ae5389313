"""The dashboard on a 390×844 phone screen: no sideways scrolling, the first chart of 总览 in the first screen."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from loaders.frames import load_frames
from loaders.select import Filters, TaskQuery, query_tasks
from tools.screenshot import context_options
from tools.server import open_app, wait_ready

PHONE = {"width": 390, "height": 844}
PAGES = ["", "leaders", "units", "tasks", "targets", "about"]

# the widest scrollable box on the page: Streamlit scrolls inside its own containers, not the document
WIDEST_OVERFLOW = """() => {
    let worst = 0;
    for (const el of [document.documentElement, document.body, ...document.querySelectorAll(
            '[data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"], '
            + '[data-testid="stMainBlockContainer"]')]) {
        worst = Math.max(worst, el.scrollWidth - el.clientWidth);
    }
    return worst;
}"""


@pytest.fixture(scope="module")
def frames_2022():
    frames = load_frames()
    return query_tasks(frames, Filters(years=(2022,)), TaskQuery())




@pytest.fixture
def phone(browser):
    context = browser.new_context(**context_options(PHONE["width"], PHONE["height"]))  # a phone's, as screenshots
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone, server, path):
    open_app(phone, server, path)
    assert phone.locator('[data-testid="stException"]').count() == 0
    assert phone.evaluate(WIDEST_OVERFLOW) <= 1


def test_the_first_chart_of_the_overview_is_in_the_first_screen(phone, server):
    open_app(phone, server, "")
    chart = phone.locator(".js-plotly-plot").first
    chart.locator(".main-svg").first.wait_for()
    top = chart.bounding_box()["y"]
    assert top + 150 < PHONE["height"], f"the first chart starts at {top:.0f} px"
    # the figures are still all there, only smaller and side by side
    assert phone.locator('[data-testid="stMetric"]').count() >= 5
    boxes = [phone.locator('[data-testid="stMetric"]').nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # three to a row


def test_the_task_list_is_cards_on_a_phone_and_a_task_opens_in_place(phone, server, frames_2022):
    open_app(phone, server, "tasks?year=2022")
    assert phone.locator('[data-testid="stDataFrame"]').count() == 0  # the table gives way (not sent at all)
    cards = phone.locator('.st-key-task_cards_box [data-testid="stExpander"]')
    first = frames_2022.iloc[0]
    assert cards.count() == min(30, len(frames_2022))
    header = cards.first.locator("summary")
    assert first["label"] in header.inner_text() and first["lead_units"].split("、")[0] in header.inner_text()
    header.scroll_into_view_if_needed()
    header.tap()
    text = cards.first.get_by_text(first["content"], exact=True)
    text.wait_for()
    # the card opens where it was tapped: its full text starts right under the header, on screen
    below = text.bounding_box()["y"] - header.bounding_box()["y"]
    assert 0 < below < 200
    assert phone.evaluate(WIDEST_OVERFLOW) <= 1


def test_on_a_wide_screen_the_table_is_drawn_and_no_cards(page, server):
    open_app(page, server, "tasks?year=2022")
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()  # waits for the grid to draw
    assert page.locator(".st-key-task_cards_box").count() == 0  # not even sent: the server draws one or the other


def test_the_leader_unit_matrix_is_a_list_per_leader_on_a_phone(phone, server):
    open_app(phone, server, "leaders?year=2022&leaders_view=领导 × 单位")
    listing = phone.locator(".st-key-leader_units_list")
    listing.scroll_into_view_if_needed()
    assert listing.is_visible()
    assert not phone.locator(".st-key-leader_matrix_box").is_visible()
    lines = listing.locator('[data-testid="stText"]')
    assert lines.count() > 1 and "：" in lines.first.inner_text()


def test_the_task_filters_start_closed_on_a_phone_and_the_first_card_is_in_the_first_screen(phone, server):
    open_app(phone, server, "tasks?year=2022")
    assert not phone.get_by_text("只看牵头").is_visible()  # inside the closed filter box
    first_card = phone.locator(".st-key-task_cards_box [data-testid='stExpander']").first
    assert first_card.bounding_box()["y"] < 844
    phone.get_by_text("筛选：责任单位").click()
    expect(phone.get_by_text("只看牵头")).to_be_visible()


def test_metric_labels_are_not_cut_off_on_a_phone(phone, server):
    open_app(phone, server, "?year=2022")
    label = phone.locator('[data-testid="stMetricLabel"]', has_text="责任单位").first
    assert label.inner_text().startswith("责任单位（个）")
    clipped = label.evaluate("e => [...e.querySelectorAll('*')].some(n => n.scrollWidth > n.clientWidth + 1)")
    assert not clipped


def test_one_tap_on_a_leaders_name_opens_their_tasks_and_target_changes(phone, server, frames_2022):
    """Plotly selects a bar only at the second tap on a touch screen (the first shows its numbers): on a phone
    the leaders' names above the chart are buttons, and one tap does what a click on a bar does."""
    open_app(phone, server, "leaders?year=2022")
    leaders = phone.locator('[data-testid="stButtonGroup"] button')
    busiest = frames_2022.assign(leader=frames_2022["leaders"].str.split("、")).explode("leader")
    assert leaders.first.inner_text() == busiest["leader"].value_counts().index[0]  # in the order of the bars
    leaders.filter(has_text="林杰").tap()
    expect(phone.get_by_text("打开任务明细：林杰")).to_be_visible()
    expect(phone.get_by_text("指标变化").first).to_be_attached()  # his portfolio, target changes first
    assert phone.locator(".hoverlayer .hovertext").count() == 0  # nothing left over the chart
    assert phone.evaluate(WIDEST_OVERFLOW) <= 1


def test_a_task_card_on_a_phone_shows_the_years_it_carries_on(phone, server):
    from loaders.analysis.links import accepted_links, task_links

    frames = load_frames()
    earlier = accepted_links(task_links(frames)).groupby("task_id")["previous_task_id"].first()
    cards = query_tasks(frames, Filters(years=(2022,), scopes=("annual",)), TaskQuery()).head(30)
    carried = cards[cards["task_id"].isin(earlier.index)].iloc[0]
    before = frames.tasks.set_index("task_id").loc[earlier[carried["task_id"]]]
    open_app(phone, server, "tasks?year=2022&scope=年度重点工作")
    card = phone.locator('.st-key-task_cards_box [data-testid="stExpander"]').nth(
        cards["task_id"].tolist().index(carried["task_id"]))
    card.locator("summary").scroll_into_view_if_needed()
    card.locator("summary").tap()
    chain = card.get_by_text("历年延续")
    expect(chain).to_be_visible()
    assert f"{before['label']}：{before['content'][:20]}" in chain.inner_text() and before["label"].startswith("2020")
    assert phone.evaluate(WIDEST_OVERFLOW) <= 1


# the biggest bar of the first chart's first trace, scrolled to the middle of the screen: its centre and name
BIGGEST_BAR = """() => {
    const plot = document.querySelector('.js-plotly-plot');
    const bars = [...plot.querySelector('g.trace.bars').querySelectorAll('g.point')];
    const area = b => { const r = b.getBoundingClientRect(); return r.width * r.height; };
    const bar = bars.reduce((a, b) => area(b) > area(a) ? b : a);
    bar.scrollIntoView({block: 'center'});
    const r = bar.getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y + r.height / 2, name: plot._fullData[0].customdata[bar.__data__.i][0]};
}"""


# how far the page is scrolled: Streamlit scrolls inside one of its containers, or the document
SCROLLED = """() => Math.max(...[document.scrollingElement, ...document.querySelectorAll(
    '[data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"]')].map(e => e.scrollTop))"""


def swipe_up(phone, x: float, y: float, distance: int = 250) -> None:
    """Drag one finger upwards from (x, y), as a thumb scrolls a page (Playwright's touchscreen only taps)."""
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * step / 10}]})
        time.sleep(0.016)  # a frame apart, as a finger moves
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


@pytest.mark.parametrize("path", ["", "units"])
def test_one_tap_on_a_bar_selects_it_and_leaves_no_tooltip(phone, server, path):
    """Plotly selects the point under the last hover, and a finger does not hover: without ui/touch_select.js
    the first tap only shows the tooltip and the second selects."""
    open_app(phone, server, path)
    bar = phone.evaluate(BIGGEST_BAR)
    phone.touchscreen.tap(bar["x"], bar["y"])
    expect(phone.get_by_text(f"打开任务明细：{bar['name']}")).to_be_visible()
    wait_ready(phone)
    assert phone.locator(".hoverlayer .hovertext").count() == 0  # nothing left over the chart


@pytest.mark.parametrize("path", ["", "units"])
def test_a_swipe_on_a_bar_chart_scrolls_the_page_and_selects_nothing(phone, server, path):
    """Plotly cancels the touch of its drag modes: a thumb landing on a bar used not to move the page."""
    open_app(phone, server, path)
    bar = phone.evaluate(BIGGEST_BAR)
    before = phone.evaluate(SCROLLED)
    swipe_up(phone, bar["x"], bar["y"])
    phone.wait_for_function(f"({SCROLLED})() > {before + 100}")
    wait_ready(phone)
    assert phone.get_by_text("打开任务明细：").count() == 0


def test_a_pinch_on_a_bar_chart_selects_nothing(phone, server):
    open_app(phone, server, "units")
    bar = phone.evaluate(BIGGEST_BAR)
    x, y = bar["x"], bar["y"]
    cdp = phone.context.new_cdp_session(phone)
    touch = lambda kind, *points: cdp.send("Input.dispatchTouchEvent", {  # noqa: E731
        "type": kind, "touchPoints": [{"x": px, "y": py, "id": i} for i, (px, py) in points]})
    touch("touchStart", (0, (x, y)))
    time.sleep(0.03)  # the second finger lands a moment later
    touch("touchStart", (0, (x, y)), (1, (x, y + 20)))
    for step in range(1, 11):
        touch("touchMove", (0, (x, y - 6 * step)), (1, (x, y + 20 + 6 * step)))
        time.sleep(0.016)
    touch("touchEnd", (0, (x, y - 60)))  # one finger lifts, then the other
    time.sleep(0.03)
    touch("touchEnd")
    cdp.detach()
    time.sleep(1)
    wait_ready(phone)
    assert phone.get_by_text("打开任务明细：").count() == 0


def test_after_a_cancelled_touch_the_next_tap_selects_and_no_tooltip_is_left(phone, server):
    """The browser may cancel a touch (a call comes in, a system gesture); plotly listens for touchend only."""
    open_app(phone, server, "units")
    bar = phone.evaluate(BIGGEST_BAR)
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": bar["x"], "y": bar["y"]}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchCancel", "touchPoints": []})
    cdp.detach()
    phone.wait_for_function("() => !document.querySelector('.hoverlayer .hovertext')")
    # a new tap, not the second half of a double tap (plotly counts touches within its doubleClickDelay as one)
    phone.wait_for_timeout(phone.evaluate("document.querySelector('.js-plotly-plot')._context.doubleClickDelay") + 100)
    phone.touchscreen.tap(bar["x"], bar["y"])
    expect(phone.get_by_text(f"打开任务明细：{bar['name']}")).to_be_visible()


def test_the_meeting_bar_takes_two_rows_on_a_phone_and_the_slide_starts_in_the_first_screen(phone, server):
    open_app(phone, server, "meeting")
    row = [phone.locator(f".st-key-deck_bar {selector}:visible").first.bounding_box() for selector in (
        ".st-key-deck_previous button", '[data-testid="stPopover"] button', ".st-key-deck_next button")]
    assert len({round(box["y"]) for box in row}) == 1  # ← 汇报对象 导出 → on one row (columns used to stack)
    label = phone.locator('.st-key-deck_bar [data-testid="stPopover"] button p').first
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # "汇报对象" whole, not "汇报对…"
    heading = phone.locator('[data-testid="stMain"] h2').first
    assert heading.bounding_box()["y"] < PHONE["height"] / 3
    assert phone.evaluate(WIDEST_OVERFLOW) <= 1
