"""汇报模式 on a projector: keys a clicker sends, full screen, one screen per slide at 1366×768 and 1920×1080."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from loaders.frames import load_frames
from loaders.meeting.deck import DeckChoice, build_deck
from tests.e2e.conftest import wait_ready

SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def frames():
    return load_frames()


@pytest.fixture(scope="module")
def deck(frames):
    year = int(frames.tasks["year"].max())
    return year, build_deck(frames, DeckChoice(year))


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


def unit_deck(frames):
    """The earliest year's deck for the unit with most tasks that year."""
    year = int(frames.tasks["year"].min())
    units = frames.task_units[(frames.task_units["year"] == year) & ~frames.task_units["is_placeholder"]]
    unit = units["unit"].value_counts().index[0]
    return f"deck_year={year}&deck_unit={quote(unit)}", build_deck(frames, DeckChoice(year, unit=unit))


@pytest.mark.parametrize("size,which", [(SIZES[0], "district"), (SIZES[1], "district"), (SIZES[0], "unit")],
                         ids=["1366x768", "1920x1080", "unit-1366x768"])
def test_every_slide_fits_one_screen_with_axis_legend_and_large_text(browser, server, deck, frames, size, which):
    query, slides = (f"deck_year={deck[0]}", deck[1]) if which == "district" else unit_deck(frames)
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
