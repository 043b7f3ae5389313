"""Untrusted text is shown literally everywhere, and downloads neutralize formula injection.

A copy of the curated tables gets hostile text: HTML and script tags, markdown,
a 30,000-character task, cells starting with = + - @, and unit and leader names
with markdown and HTML characters. Every page renders it; no element that
Streamlit renders as markdown may contain it unescaped, and the exact text
appears in tables and plain-text elements. The hostile data also goes through
the import (XLSX) and the downloads.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

import ui.layout
from loaders import cli
from loaders.curated import read_curated, table_bytes
from loaders.downloads import csv_bytes, xlsx_bytes
from loaders.frames import load_frames
from loaders.importing import notice_workbook, plan_import
from loaders.package import read_package

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert('x')</script>**粗体**_斜体_ [链接](javascript:alert(1)) <img src=x onerror=alert(1)> :red[红] $x^2$"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
STARTS = {"2020-annual-003": "+86 0577 财政", "2020-annual-004": "-1 表示减少", "2020-annual-005": "@SUM(A1:A9)"}
LONG = "长" * 29_990 + "（长文本结束）"
UNIT = "区发改局<b>粗</b>_甲_"
LEADER = "虞立清**"
MARKERS = ("<script>", "**粗体**", "<b>粗</b>", "虞立清**", "_甲_", "javascript:alert")
MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                  "toast", "exception")


def make_hostile(directory: Path) -> None:
    raw, problems = read_curated(directory)
    assert not problems
    tasks, units, leaders = raw["tasks"], raw["units"], raw["leaders"]
    by_id = tasks.set_index("task_id").index
    tasks.loc[by_id.get_loc("2020-annual-001"), "content"] = SCRIPT + " 地区生产总值增长7.5%左右。"
    tasks.loc[by_id.get_loc("2020-annual-002"), "content"] = FORMULA
    for task_id, text in STARTS.items():
        tasks.loc[by_id.get_loc(task_id), "content"] = text
    tasks.loc[by_id.get_loc("2020-annual-006"), "content"] = LONG
    tasks.loc[by_id.get_loc("2020-annual-007"), "note"] = "# 标题\n- 列表 <i>斜</i>"
    tasks["units"] = tasks["units"].str.replace("区发改局", UNIT, regex=False)
    units.loc[units["unit"] == "区发改局", "unit"] = UNIT
    in_2020 = tasks["table_id"] == "2020-annual"
    tasks.loc[in_2020, "leaders"] = tasks.loc[in_2020, "leaders"].str.replace("虞立清", LEADER, regex=False)
    leaders.loc[(leaders["leader"] == "虞立清") & (leaders["year"] == "2020"), "leader"] = LEADER
    for name, frame in (("tasks", tasks), ("units", units), ("leaders", leaders)):
        (directory / f"{name}.csv").write_bytes(table_bytes(frame))


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    import shutil

    from loaders.curated import DEFAULT_CURATED_DIR

    directory = tmp_path_factory.mktemp("hostile") / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, directory)
    make_hostile(directory)
    return directory


@pytest.fixture
def hostile_app(hostile_dir, monkeypatch):
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(hostile_dir))

    def open_page(page: str, **query) -> AppTest:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        app.query_params.update(query)
        app.run()
        if page != "pages/overview.py":
            app.switch_page(page).run()
        assert not app.exception, [e.message for e in app.exception]
        return app

    return open_page


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def markdown_texts(app: AppTest) -> list[str]:
    """Return every string Streamlit renders as markdown: markdown-like elements and widget labels."""
    found = []
    for node in walk(app._tree):
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_KINDS and isinstance(getattr(node, "value", None), str):
            found.append(node.value)
        if isinstance(getattr(node, "label", None), str):
            found.append(node.label)
    return found


def assert_nothing_unescaped(app: AppTest) -> None:
    for text in markdown_texts(app):
        for marker in MARKERS:
            assert marker not in text, (marker, text[:200])


def table_cells(app: AppTest) -> set[str]:
    return {str(v) for df in app.dataframe for column in df.value.columns for v in df.value[column]}


def test_the_hostile_data_loads(hostile_dir):
    frames = load_frames(hostile_dir)
    task = frames.tasks.set_index("task_id")
    assert task.loc["2020-annual-001", "content"].startswith(SCRIPT)
    assert task.loc["2020-annual-006", "content"] == LONG
    assert UNIT in set(frames.task_units["unit"]) and LEADER in set(frames.task_leaders["leader"])


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/leaders.py", "pages/units.py", "pages/targets.py",
                                  "pages/about.py", "pages/tasks.py", "pages/meeting.py"])
def test_every_page_shows_hostile_text_literally(hostile_app, page):
    app = hostile_app(page, year="2020")
    assert_nothing_unescaped(app)


def test_the_leader_and_unit_pages_with_hostile_names(hostile_app):
    app = hostile_app("pages/leaders.py", year="2020", leader=LEADER)
    assert_nothing_unescaped(app)
    assert app.selectbox(key="leader").value == LEADER
    assert any(LEADER in t.value for t in app.text)  # shown, as plain text
    assert SCRIPT + " 地区生产总值增长7.5%左右。" in table_cells(app)
    app = hostile_app("pages/tasks.py", year="2020", unit=UNIT)
    assert_nothing_unescaped(app)
    assert UNIT in app.selectbox(key="unit").value


def test_the_task_list_reading_view_and_card_show_the_exact_text(hostile_app, monkeypatch):
    app = hostile_app("pages/tasks.py", year="2020", reading="true")
    assert_nothing_unescaped(app)
    shown = [t.value for t in app.text]
    assert any(SCRIPT in t for t in shown) and any(LONG in t for t in shown)
    assert {FORMULA, *STARTS.values()} <= table_cells(app)
    app = hostile_app("pages/tasks.py", year="2020", q="粗体")
    table = next(df for df in app.dataframe if "任务内容" in df.value.columns)
    assert len(table.value) == 1
    assert not any(SCRIPT in t.value for t in app.text)  # nothing selected yet: no card
    assert not any(SCRIPT in t.value for e in app.expander for t in e.text)  # no phone cards on a wide screen
    monkeypatch.setattr(ui.layout, "on_phone", lambda: True)  # a phone's browser: the cards instead of the table
    app = hostile_app("pages/tasks.py", year="2020", q="粗体")
    assert_nothing_unescaped(app)
    assert not [df for df in app.dataframe if "任务内容" in df.value.columns]
    assert any(SCRIPT in t.value for e in app.expander for t in e.text)  # the phone card shows it literally


def test_the_meeting_deck_for_a_hostile_leader(hostile_app):
    app = hostile_app("pages/meeting.py", deck_year="2020", deck_leader=LEADER, slide="领导分工")
    assert_nothing_unescaped(app)


def test_charts_show_hostile_names_as_text(hostile_app):
    app = hostile_app("pages/units.py", year="2020")
    figures = [node.proto.spec for node in walk(app._tree) if getattr(node, "type", "") == "plotly_chart"]
    assert figures
    labels = {str(y) for spec in figures for trace in json.loads(spec)["data"] for y in trace.get("y", []) or []}
    assert "区发改局&lt;b&gt;粗&lt;/b&gt;_甲_" in labels  # plotly shows the entities as < and >
    assert not [label for label in labels if "<b>" in label]
    hovers = [str(c) for spec in figures for trace in json.loads(spec)["data"] for c in trace.get("customdata", []) or []]
    assert any("&lt;script&gt;" in h for h in hovers) and not any("<script>" in h for h in hovers)


def test_downloads_neutralize_formulas_and_keep_the_text(hostile_dir):
    frames = load_frames(hostile_dir)
    tasks = frames.tasks[frames.tasks["year"] == 2020]
    text = csv_bytes(tasks).decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text
    for value in STARTS.values():
        assert "'" + value in text
    assert SCRIPT.replace('"', '""') in text
    book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "2020")])))
    cells = {c.value: c for row in book["任务明细"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert "'" + FORMULA in cells and cells["'" + FORMULA].data_type == "s"
    assert not [c for c in cells.values() if c.data_type == "f"]
    assert LONG in cells and SCRIPT + " 地区生产总值增长7.5%左右。" in cells
    unit_cells = {c.value for row in book["单位分工"].iter_rows(min_row=2) for c in row}
    assert UNIT in unit_cells


def test_hostile_text_survives_the_import_literally(hostile_dir, tmp_path):
    """Text that looks like a formula is written to the import workbook as text and read back unchanged."""
    workbook = tmp_path / "2020.xlsx"
    workbook.write_bytes(notice_workbook(hostile_dir, "温鹿政办〔2020〕18号"))
    book = load_workbook(workbook)
    assert not [c for row in book["tasks"].iter_rows() for c in row if c.data_type == "f"]
    package, problems = read_package(cli.read_files([workbook]))
    assert not problems
    plan, problems = plan_import(package, hostile_dir, replace=True)
    assert not problems and plan.changed == ()  # the same text, byte for byte
    imported = package.tables["tasks"].set_index("task_id")
    assert imported.loc["2020-annual-002", "content"] == FORMULA
    assert imported.loc["2020-annual-006", "content"] == LONG
