"""The caching contract of ui/cache.py: a shared result is never modified after it is made.

Every page is rendered, with each part shown on request opened in turn and several
filter states, while WORK_REPORT_CHECK_SHARED=1 makes ui.cache fingerprint every
shared result (frames, selections, analyses, derived tables, figures, boards) when
it is made; afterwards every fingerprint must still match. A page that modified a
shared frame in place (a column added, a cell filled, a sort in place) fails here,
naming what changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.cache
from loaders.curated import DEFAULT_CURATED_DIR, DIR_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/overview.py", "pages/leaders.py", "pages/units.py", "pages/targets.py", "pages/about.py",
         "pages/tasks.py", "pages/progress.py", "pages/meeting.py"]
FILTER_STATES = [{}, {"year": "全部"}, {"year": "2022", "scope": ["年度重点工作", "民生实事"], "leader": "林杰"}]


@pytest.fixture
def checking(tmp_path, monkeypatch):
    """Fingerprint every shared result made from here on, on a copy of the data no earlier test has cached."""
    shutil.copytree(DEFAULT_CURATED_DIR, tmp_path / "curated")
    monkeypatch.setenv(DIR_VARIABLE, str(tmp_path / "curated"))  # a new data key: every result is made anew
    monkeypatch.setenv(ui.cache.CHECK_VARIABLE, "1")


def rendered(page: str, query: dict) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params.update(query)
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception, (page, query, [e.message for e in app.exception])
    return app


def every_part(page: str, query: dict) -> int:
    """Render a page, then again with each of its on-request parts opened (by URL); return the number of renders."""
    parts = [(group.key, option) for group in rendered(page, query).button_group if group.key
             for option in group.options]
    for key, option in parts:
        rendered(page, {**query, key: option})
    return 1 + len(parts)


def test_no_page_modifies_a_shared_result(checking):
    runs = sum(every_part(page, query) for page in PAGES for query in FILTER_STATES)
    assert runs > 3 * len(PAGES)  # the parts shown on request were opened, not only the first screens
    assert ui.cache.check_shared() == []


def test_the_check_finds_a_shared_frame_modified_in_place(checking):
    frame = ui.cache.shared(pd.DataFrame({"unit": ["区发改局", "区财政局"], "tasks": [3, 1]}))
    untouched = ui.cache.shared(pd.DataFrame({"unit": ["区教育局"], "tasks": [2]}))
    assert ui.cache.check_shared() == []
    frame.loc[0, "tasks"] = 4  # what a page must never do to a shared result
    changed = ui.cache.check_shared()
    assert len(changed) == 1 and "unit" in changed[0]
    frame.loc[0, "tasks"] = 3
    frame["share"] = 0.5  # a column added in place changes it too
    assert len(ui.cache.check_shared()) == 1
    assert untouched["tasks"].tolist() == [2]


def test_without_the_setting_nothing_is_fingerprinted(monkeypatch):
    monkeypatch.delenv(ui.cache.CHECK_VARIABLE, raising=False)
    frame = ui.cache.shared(pd.DataFrame({"n": [1]}))  # a server in production: marked shared, no digest made
    assert ui.cache.is_shared_result(frame) and not ui.cache.fingerprinted(frame)
