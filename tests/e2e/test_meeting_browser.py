"""汇报模式 on a projector: keys a clicker sends, full screen, one screen per slide at 1366×768 and 1920×1080."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from datetime import date

from loaders.clock import local_today
from loaders.frames import load_frames
from loaders.meeting.deck import VIEWS, DeckChoice, build_deck, progress_of
from loaders.progress.db import URL_VARIABLE, open_database
from loaders.progress.export import stored_progress
from loaders.progress.reports import ReportDraft, Writer, report, task_book
from tools.server import start_server, wait_ready

SIZES = [(1366, 768), (1920, 1080)]
REQUEST = "请区领导协调建设用地指标和专项资金缺口，" * 4


@pytest.fixture(scope="module")
def frames():
    return load_frames()


@pytest.fixture(scope="module")
def database(frames, tmp_path_factory) -> str:
    """A progress database where a third of the latest year's tasks reported (some far behind, some with 需协调事项)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'progress.sqlite3'}"
    engine = open_database(url)
    book = task_book(frames.tasks, frames.task_units)
    lead = frames.task_units[frames.task_units["role"] == "lead"].drop_duplicates("task_id").set_index("task_id")
    tasks = frames.tasks[(frames.tasks["year"] == frames.tasks["year"].max()) & (frames.tasks["scope"] == "annual")]
    for number, task_id in enumerate(tasks["task_id"].iloc[::3]):
        period = f"{int(tasks['year'].iloc[0])}-Q4"
        draft = ReportDraft(task_id, period, (20, 100, 95, 80)[number % 4], progress="按计划推进",
                            coordination=REQUEST if number % 4 == 0 else "")
        writer = Writer("填报员", lead.at[task_id, "district"], lead.at[task_id, "unit"])
        assert not report(engine, draft, book, writer, today=date(2030, 1, 1))
    return url


@pytest.fixture(scope="module")
def server(database):
    """A dashboard server on the seeded progress database (the progress slides have charts and tables)."""
    running = start_server({URL_VARIABLE: database})
    yield running
    running.stop()


def screen_deck(frames, choice: DeckChoice, database: str):
    """The deck as the page shows it: progress as of today (the page's default date)."""
    progress = progress_of(frames, choice, *stored_progress(database), local_today())
    return build_deck(frames, choice, progress)


@pytest.fixture(scope="module")
def deck(frames, database):
    year = int(frames.tasks["year"].max())
    return year, screen_deck(frames, DeckChoice(year), database)


def heading(page) -> str:
    return page.locator("h2").first.inner_text().strip()


def press(page, key: str) -> None:
    before = heading(page)
    page.keyboard.press(key)
    page.wait_for_function("before => document.querySelector('h2') && "
                           "document.querySelector('h2').innerText.trim() !== before", arg=before, timeout=30_000)
    wait_ready(page)


def open_meeting(browser, server, size, query):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}/meeting?{query}")
    wait_ready(page)
    page.locator("iframe").first.wait_for()  # the component that listens for the keys
    return context, page


def test_clicker_keys_turn_the_slides_and_f_goes_full_screen(browser, server, deck):
    year, slides = deck
    context, page = open_meeting(browser, server, SIZES[1], f"deck_year={year}")
    title = lambda n: f"{n}/{len(slides)} {slides[n - 1].heading}"  # noqa: E731
    assert heading(page) == title(1)
    for key, number in [("ArrowRight", 2), ("PageDown", 3), (" ", 4), ("ArrowLeft", 3), ("PageUp", 2)]:
        press(page, key)
        assert heading(page) == title(number), key
    press(page, "PageUp")
    press(page, "PageUp")  # from the first slide back to the last
    assert heading(page) == title(len(slides))
    assert not page.evaluate("() => !!document.fullscreenElement")
    page.keyboard.press("f")
    page.wait_for_function("() => !!document.fullscreenElement", timeout=10_000)
    page.keyboard.press("F")
    page.wait_for_function("() => !document.fullscreenElement", timeout=10_000)
    context.close()


OVERFLOW = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return main.scrollHeight - main.clientHeight; }"""
FONT_PX = """selector => [...document.querySelectorAll(selector)].filter(e => e.innerText.trim())
  .map(e => parseFloat(getComputedStyle(e).fontSize))"""


def unit_deck(frames, database):
    """The earliest year's deck for the unit with most tasks that year."""
    year = int(frames.tasks["year"].min())
    units = frames.task_units[(frames.task_units["year"] == year) & ~frames.task_units["is_placeholder"]]
    unit = units["unit"].value_counts().index[0]
    return f"deck_year={year}&deck_unit={quote(unit)}", screen_deck(frames, DeckChoice(year, unit=unit), database)


@pytest.mark.parametrize("size,which", [(SIZES[0], "district"), (SIZES[1], "district"), (SIZES[0], "unit")],
                         ids=["1366x768", "1920x1080", "unit-1366x768"])
def test_every_slide_fits_one_screen_with_axis_legend_and_large_text(browser, server, deck, frames, database, size,
                                                                     which):
    query, slides = (f"deck_year={deck[0]}", deck[1]) if which == "district" else unit_deck(frames, database)
    if which == "district":  # the progress slides are drawn from the seeded reports, not said to be missing
        assert any(s.view == "进度亮灯" and s.bars for s in slides)
        assert any(s.view == "需协调事项" and s.table for s in slides)
    context, page = open_meeting(browser, server, size, query)
    for number, slide in enumerate(slides, start=1):
        assert heading(page) == f"{number}/{len(slides)} {slide.heading}"
        if slide.bars:
            chart = page.locator(".js-plotly-plot").first
            chart.locator(".legend").first.wait_for()
            assert chart.locator(".g-xtitle").text_content().strip() == slide.bars.axis_title
            assert chart.locator(".legend .traces").count() == len(slide.bars.series)
            assert chart.locator(".ytick").count() == len(slide.bars.categories)
        assert page.evaluate(OVERFLOW) <= 1, f"{slide.heading} scrolls at {size}"
        if size == (1920, 1080):
            texts = (page.evaluate(FONT_PX, '[data-testid="stMetricLabel"] p')
                     + page.evaluate(FONT_PX, '[data-testid="stTable"] td p, [data-testid="stTable"] th p')
                     + page.evaluate(FONT_PX, '[data-testid="stButtonGroup"] button p'))
            assert texts and min(texts) >= 24, (slide.heading, texts)
        if number < len(slides):
            press(page, "ArrowRight")
    context.close()


BAR_CONTROLS = """() => [...document.querySelectorAll(
    '.st-key-deck_previous button, .st-key-deck_next button, .st-key-deck_bar [data-testid="stButtonGroup"] button, '
    + '.st-key-deck_bar [data-testid="stPopoverButton"]')]
  .map(b => [b.getBoundingClientRect().height, parseFloat(getComputedStyle(b.querySelector('p')).fontSize),
             b.innerText.replace(/arrow_\\w+|expand_more/g, '').trim(), b.getBoundingClientRect().top])"""
FULL_BUTTON = """e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize), '全屏',
                       window.frameElement.getBoundingClientRect().top + e.getBoundingClientRect().top]"""


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
def test_the_bar_shows_export_and_its_controls_are_one_size(browser, server, deck, size):
    year, slides = deck
    context, page = open_meeting(browser, server, size, f"deck_year={year}")
    controls = [c for c in page.evaluate(BAR_CONTROLS) if c[0] > 0]  # drawn ones (a hidden copy has no height)
    assert [c[2] for c in controls if c[2] in ("汇报对象", "导出")] == ["汇报对象", "导出"]  # 导出 on the bar itself
    full = page.frame_locator("iframe").first.locator("#full")
    page.wait_for_timeout(1200)  # the frame copies the bar's size twice a second
    controls.append(full.evaluate(FULL_BUTTON))
    assert len(controls) == 2 + len(VIEWS) + 2 + 1, controls  # arrows, views, 汇报对象 and 导出, 全屏
    heights = [c[0] for c in controls]
    assert max(heights) - min(heights) <= 1, controls  # the views, arrows, 汇报对象, 导出 and 全屏 alike
    tops = [c[3] for c in controls]
    assert max(tops) - min(tops) <= 1, controls  # on one line
    fonts = [c[1] for c in controls if c[2]]  # the arrows' words are for screen readers only
    assert max(fonts) - min(fonts) <= 0.5, controls
    if size == (1920, 1080):
        assert min(fonts) >= 24
    page.get_by_role("button", name="导出").click()
    page.get_by_text("下载 PPTX（图表可编辑）").wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="汇报对象").click()
    page.get_by_text("进度截至").wait_for()
    assert not page.get_by_text("下载 PPTX（图表可编辑）").is_visible()  # no longer hidden under 汇报对象
    context.close()
