"""The review-meeting deck: slides per deck, continuation, the PPTX and PDF files, the CLI, the page."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.export import export_frames
from loaders.meeting.deck import (CONTINUED, LINE_BUDGET, MAX_BARS, ROW_PADDING, VIEWS, DeckChoice, build_deck,
                                  deck_file_name, progress_of, row_lines)
from loaders.meeting.pdf import pptx_to_pdf
from loaders.meeting.powerpoint import FONT, deck_pptx
from loaders.progress.db import URL_VARIABLE
from loaders.progress.export import stored_progress
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def empty_progress_database(tmp_path, monkeypatch):
    """The page and the deck command read progress from their own empty database (nothing reported yet)."""
    monkeypatch.setenv(URL_VARIABLE, f"sqlite:///{tmp_path / 'progress.sqlite3'}")


def screen_deck(frames, choice: DeckChoice):
    """The deck as the page shows it: progress as stored, as of today (the page's default date)."""
    today = local_today()
    return build_deck(frames, choice, progress_of(frames, choice, *stored_progress(), today))


@pytest.fixture(scope="module")
def exported(frames) -> dict[str, pd.DataFrame]:
    """The export contract's tables, as `python -m loaders export` writes them."""
    return {name: frame.astype(str) for name, frame in export_frames(frames).items()}


@pytest.fixture(scope="module")
def years(frames) -> list[int]:
    return sorted(int(y) for y in frames.tasks["year"].unique())


def busiest(exported, column: str, year: int) -> str:
    tasks = exported["tasks.csv"]
    ids = tasks.loc[tasks["year"] == str(year), "task_id"]
    rows = exported["task_leaders.csv" if column == "leader" else "task_units.csv"]
    return rows.loc[rows["task_id"].isin(ids), column].value_counts().index[0]


def slides_of(deck, view):
    return [s for s in deck if s.view == view]


def bar_counts(slides) -> dict[tuple[str, str], float]:
    """{(category, series name): value} over a view's chart slides."""
    return {(c, s.name): v for slide in slides for s in slide.bars.series
            for c, v in zip(slide.bars.categories, s.values)}


def test_every_view_is_in_order_and_continued_slides_are_marked(frames, years):
    for year in years:
        deck = build_deck(frames, DeckChoice(year))
        assert [s.view for s in deck] == sorted((s.view for s in deck), key=VIEWS.index)
        assert {s.view for s in deck} == set(VIEWS)
        for before, slide in zip(deck, deck[1:]):
            same = before.view == slide.view and before.title == slide.title
            assert slide.continued == same, (before.heading, slide.heading)
            assert slide.heading.endswith(CONTINUED) == same


def test_charts_and_tables_fit_one_slide(frames, years):
    for year in years:
        for slide in build_deck(frames, DeckChoice(year)):
            if slide.bars:
                assert 0 < len(slide.bars.categories) <= MAX_BARS
            if slide.table:
                lines = sum(row_lines(r, slide.table.widths) + ROW_PADDING
                            for r in (slide.table.columns, *slide.table.rows))
                assert lines <= LINE_BUDGET or len(slide.table.rows) == 1


def test_the_district_deck_counts_match_the_export(frames, exported, years):
    tasks = exported["tasks.csv"]
    for year in years:
        deck = build_deck(frames, DeckChoice(year))
        of_year = tasks[tasks["year"] == str(year)]
        leaders = exported["task_leaders.csv"].merge(of_year[["task_id", "scope"]], on="task_id")
        expected = leaders.groupby(["leader", "scope"]).size()
        shown = bar_counts(slides_of(deck, "领导分工"))
        labels = {"年度重点工作": "annual", "今后五年重点工作": "five_year", "民生实事": "livelihood"}
        assert {(leader, labels[name]): v for (leader, name), v in shown.items() if v} == expected.to_dict()
        units = exported["task_units.csv"].merge(of_year[["task_id"]], on="task_id")
        units = units[units["is_placeholder"] == "False"]
        per_unit = units.drop_duplicates(["task_id", "unit", "role"]).groupby(["unit", "role"]).size()
        shown = bar_counts(slides_of(deck, "单位负荷"))
        assert len({c for c, _ in shown}) == min(20, units["unit"].nunique())
        for (unit, name), value in shown.items():
            assert value == per_unit.get((unit, {"牵头": "lead", "配合": "support"}[name]), 0)
        overall = slides_of(deck, "总体情况")[0].metrics
        assert dict(overall)["任务（项）"] == len(of_year)


def test_every_livelihood_project_is_shown_once_with_its_whole_text(frames, exported):
    tasks = exported["tasks.csv"]
    projects = tasks[tasks["scope"] == "livelihood"]
    assert len(projects) > 5
    year = int(projects["year"].iloc[0])
    slides = slides_of(build_deck(frames, DeckChoice(year)), "民生实事")
    rows = [row for slide in slides for row in slide.table.rows]
    of_year = projects[projects["year"] == str(year)]
    assert sorted(row[2] for row in rows) == sorted(of_year["content"].replace("", "（原文缺少任务内容）"))
    assert len(slides) > 1 and all(s.continued for s in slides[1:])


def test_slides_fit_the_deck_they_belong_to(frames, exported, years):
    year = years[0]
    unit = busiest(exported, "unit", year)
    unit_deck = build_deck(frames, DeckChoice(year, unit=unit))
    assert all("各位领导" not in s.title for s in unit_deck)
    assert all(unit in s.subject and "全区" not in s.subject for s in unit_deck)
    assert slides_of(unit_deck, "领导分工")[0].title == f"{unit}承担的任务由哪些领导牵头"
    leader = busiest(exported, "leader", years[-1])
    leader_deck = build_deck(frames, DeckChoice(years[-1], leader=leader))
    assert all(s.subject == f"{years[-1]}年 {leader}牵头的任务" for s in leader_deck)
    assert slides_of(leader_deck, "领导分工")[0].title.startswith(leader)
    district = build_deck(frames, DeckChoice(years[-1]))
    assert slides_of(district, "领导分工")[0].title == "各位领导牵头的任务数"
    assert all(s.subject == f"{years[-1]}年 全区" for s in district)


def test_empty_slides_say_why_without_pointing_to_a_sidebar(frames, exported, years):
    leaders = exported["task_leaders.csv"].merge(exported["tasks.csv"][["task_id", "year"]], on="task_id")
    only_once = leaders.groupby("leader")["year"].nunique()
    leader = only_once[only_once == 1].index[0]
    other = next(y for y in years if str(y) not in set(leaders.loc[leaders["leader"] == leader, "year"]))
    deck = build_deck(frames, DeckChoice(other, leader=leader))
    assert len(deck) == len(VIEWS) and all(s.note for s in deck)
    for slide in build_deck(frames, DeckChoice(years[0])) + deck:
        assert "侧边栏" not in slide.note and "左侧" not in slide.note


def run_texts(element):
    return [r for r in element.iter(qn("a:r"))]


@pytest.fixture(scope="module")
def district_deck(frames, years):
    deck = build_deck(frames, DeckChoice(years[-1]))
    return deck, Presentation(__import__("io").BytesIO(deck_pptx(deck)))


def test_the_pptx_has_one_slide_per_view_with_titles_native_charts_and_tables(district_deck):
    deck, presentation = district_deck
    assert len(presentation.slides) == len(deck)
    for number, (slide, page) in enumerate(zip(deck, presentation.slides), start=1):
        texts = [shape.text_frame.text for shape in page.shapes if shape.has_text_frame]
        assert texts[0] == f"{number}/{len(deck)} {slide.heading}"
        assert slide.title in texts[1] and slide.subject in texts[1]
        charts = [shape.chart for shape in page.shapes if shape.has_chart]
        tables = [shape.table for shape in page.shapes if shape.has_table]
        assert len(charts) == (slide.bars is not None) and len(tables) == (slide.table is not None)
        assert not [shape for shape in page.shapes if shape.shape_type == 13]  # no pictures
        if slide.bars:
            plot = charts[0].plots[0]
            assert list(plot.categories) == list(reversed(slide.bars.categories))
            order = slide.bars.series if slide.bars.stacked else slide.bars.series[::-1]  # earlier year on top
            assert [(s.name, list(s.values)) for s in plot.series] == [
                (s.name, [float(v) for v in reversed(s.values)]) for s in order]
        if slide.table:
            cells = [[tables[0].cell(r, c).text for c in range(len(slide.table.columns))]
                     for r in range(len(slide.table.rows) + 1)]
            assert cells == [list(slide.table.columns), *map(list, slide.table.rows)]
        for value in (v for _, v in slide.metrics):
            assert str(value) in texts


def test_every_run_of_text_names_a_chinese_font(district_deck):
    _, presentation = district_deck
    runs = 0
    for page in presentation.slides:
        parts = [page.part] + [rel.target_part for rel in page.part.rels.values() if "chart" in rel.reltype]
        for part in parts:
            element = part._element
            for run in element.iter(qn("a:r")):
                runs += 1
                ea = run.find(qn("a:rPr") + "/" + qn("a:ea"))
                assert ea is not None and ea.get("typeface") == FONT, run.findtext(qn("a:t"))
            for default in element.iter(qn("a:defRPr")):
                assert default.find(qn("a:ea")).get("typeface") == FONT
    assert runs > 100


def test_the_pdf_has_the_same_slides_rendered(district_deck, tmp_path):
    deck, _ = district_deck
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(pptx_to_pdf(deck_pptx(deck)))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(deck)
    from PIL import Image

    for path in pages:
        image = Image.open(path).convert("L")
        assert image.width > image.height  # 16:9
        assert image.getextrema()[0] < 100  # something dark (text) is drawn on every page


def test_the_deck_command_writes_the_chosen_deck(frames, exported, years, tmp_path):
    leader = busiest(exported, "leader", years[-1])
    out = tmp_path / "deck.pptx"
    done = subprocess.run([sys.executable, "-m", "loaders", "deck", str(out), "--year", str(years[-1]),
                           "--leader", leader], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    deck = screen_deck(frames, DeckChoice(years[-1], leader=leader))
    assert len(Presentation(str(out)).slides) == len(deck)
    done = subprocess.run([sys.executable, "-m", "loaders", "deck", str(out), "--leader", "无此人"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "无此人" in done.stderr


MEETING_PAGE = "pages/meeting.py"


def open_meeting(**query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params.update(query)
    app.run()
    app.switch_page(MEETING_PAGE).run()
    return app


def test_the_page_steps_through_every_slide_of_a_unit_deck(frames, exported, years):
    unit = busiest(exported, "unit", years[0])
    deck = screen_deck(frames, DeckChoice(years[0], unit=unit))
    app = open_meeting(deck_year=str(years[0]), deck_unit=unit)
    seen = []
    for _ in deck:
        assert not app.exception, [e.message for e in app.exception]
        seen.append((app.header[0].value, app.text[0].value))
        next(b for b in app.button if b.label == "下一页").click().run()
    assert seen == [(f"{n}/{len(deck)} {s.heading}", f"{s.title}　｜　汇报对象：{s.subject}")
                    for n, s in enumerate(deck, start=1)]
    assert app.header[0].value == f"1/{len(deck)} 总体情况"  # wraps around
    next(b for b in app.button if b.label == "上一页").click().run()
    assert app.header[0].value == f"{len(deck)}/{len(deck)} {deck[-1].heading}"
    parts = len(slides_of(deck, deck[-1].view))
    assert app.query_params.get("deck_part") == ([str(parts)] if parts > 1 else None)


def test_the_page_shows_livelihood_projects_as_wrapped_tables(frames, years):
    deck = build_deck(frames, DeckChoice(years[-1]))
    app = open_meeting(deck_year=str(years[-1]), slide="民生实事", deck_part="2")
    second = slides_of(deck, "民生实事")[1]
    assert app.header[0].value.endswith("民生实事（续）")
    shown = app.table[0].value
    assert len(shown) == len(second.table.rows) and not app.dataframe


def labels_in(block) -> list[str]:
    """The labels of the widgets inside a block of the page (its own label left out)."""
    return [node.label for node in block if node is not block and isinstance(getattr(node, "label", None), str)]


def test_export_is_its_own_control_on_the_slide_bar_not_inside_the_subject_choice(years):
    app = open_meeting(deck_year=str(years[-1]))
    assert not app.exception, [e.message for e in app.exception]
    popovers = {node.proto.popover.label: node for node in app.main if node.type == "popover"}
    assert list(popovers) == ["汇报对象", "导出"]  # side by side on the bar, 导出 after 汇报对象
    bar = next(node for node in app.main.children.values() if node.key == "deck_bar")
    assert all(any(node is popover for node in bar) for popover in popovers.values())
    exports = labels_in(popovers["导出"])
    assert exports[0] == "下载 PPTX（图表可编辑）" and set(exports[1:]) <= {"生成 PDF"}  # no LibreOffice: a note
    subject = labels_in(popovers["汇报对象"])
    assert "进度截至" in subject and not [label for label in subject if "PPTX" in label or "PDF" in label]


def test_with_several_districts_the_deck_names_its_district(tmp_path, monkeypatch):
    from tools.scale_data import write_scaled
    from loaders.frames import load_frames
    from loaders.meeting.deck import districts_of

    folder = write_scaled(2, tmp_path / "x2")
    frames = load_frames(folder)
    districts = districts_of(frames)
    assert len(districts) == 2
    year = int(frames.tasks["year"].max())
    for district in districts:
        deck = build_deck(frames, DeckChoice(year, district=district))
        assert all(s.subject == f"{district} {year}年" for s in deck)
        tasks = frames.tasks
        assert dict(deck[0].metrics)["任务（项）"] == ((tasks["district"] == district) & (tasks["year"] == year)).sum()
    from loaders.cli import main

    out = tmp_path / "deck.pptx"
    assert main(["--curated", str(folder), "deck", str(out)]) == 2  # which district is not guessed
    assert main(["--curated", str(folder), "deck", str(out), "--district", districts[1]]) == 0
    assert len(Presentation(str(out)).slides) == len(build_deck(frames, DeckChoice(year, district=districts[1])))
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(folder))
    app = open_meeting(deck_district=districts[1])
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox(key="deck_district").value == districts[1]
    assert app.text[0].value.endswith(f"汇报对象：{districts[1]} {year}年")


def test_table_cells_are_escaped_so_that_markdown_shows_literally():
    from loaders.meeting.deck import Slide, Table

    text = "**粗体** _斜_ [链接](javascript:alert(1)) <b>x</b> =1+1"

    import textwrap

    script = textwrap.dedent(f'''
        from loaders.meeting.deck import Slide, Table
        from ui.meeting import show_slide
        show_slide(Slide("民生实事", "民生实事项目", "测试",
                         table=Table(("序号", "任务内容"), (0.2, 0.8), (("1", {text!r}),))), 1, 1)
    ''')
    app = AppTest.from_string(script, default_timeout=30).run()
    assert not app.exception, [e.message for e in app.exception]
    cell = app.table[0].value.iloc[0, 1]
    assert cell != text and cell.replace("\\", "") == text  # every markdown character escaped, nothing lost
    assert "**" not in cell and "](" not in cell


def test_names_in_the_charts_workbook_stay_text(frames, years):
    """A chart's data sits in an embedded workbook; a name like =HYPERLINK(…) must not become a formula there."""
    import io
    import zipfile

    from loaders.meeting.deck import Bars, Series, Slide

    name = '=HYPERLINK("http://evil.example","点我")'
    bars = Bars((name, "区经信局"), (Series("牵头", "lead", (3, 1)),), "任务数（项）")
    presentation = Presentation(io.BytesIO(deck_pptx([Slide("单位负荷", "单位", "测试", bars=bars)])))
    chart = next(shape.chart for shape in presentation.slides[0].shapes if shape.has_chart)
    assert name in list(chart.plots[0].categories)
    workbook = chart.part.chart_workbook.xlsx_part.blob
    with zipfile.ZipFile(io.BytesIO(workbook)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in strings


@pytest.mark.parametrize("key,value", [("slide", "不存在的页"), ("deck_part", "0"), ("deck_year", "1999"),
                                       ("deck_leader", "无此人"), ("deck_unit", "无此单位"), ("deck_district", "无此区"),
                                       ("deck_as_of", "2022-13-45")])
def test_an_invalid_deck_parameter_is_dropped_with_a_notice(frames, years, key, value):
    app = open_meeting(**{key: value})
    assert not app.exception, [e.message for e in app.exception]
    notices = [toast.value for toast in app.toast]
    assert len(notices) == 1 and "网址中的参数无效" in notices[0] and f"{key}={value}" in notices[0]
    assert app.query_params.get(key) in (None, [])  # dropped from the link, so a copied link is clean
    deck = screen_deck(frames, DeckChoice(years[-1]))
    assert app.header[0].value == f"1/{len(deck)} 总体情况"  # the default deck: the latest year, whole district
    app.run()
    assert not app.toast  # said once, not on every rerun


def test_valid_deck_parameters_raise_no_notice(frames, years):
    app = open_meeting(slide="进度亮灯", deck_year=str(years[0]), deck_as_of="2022-09-30")
    assert not app.exception, [e.message for e in app.exception]
    assert not app.toast
    assert app.date_input(key="deck_as_of").value.isoformat() == "2022-09-30"
    assert app.header[0].value.endswith("进度亮灯") and "截至2022-09-30" in app.text[0].value


def test_deck_file_names_name_whom_and_when_and_only_hold_safe_characters():
    """The names the 会议汇报 page has always given, and hostile names (data) made safe by the shared rule."""
    as_of = date(2022, 12, 31)
    assert deck_file_name("2022年 全区", as_of, "pptx") == "汇报材料_2022年_全区_进度截至20221231.pptx"
    assert deck_file_name("瓯海区 2022年 林杰牵头的任务", as_of, "pdf") == \
        "汇报材料_瓯海区_2022年_林杰牵头的任务_进度截至20221231.pdf"
    assert deck_file_name("2022年 区经信局承担的任务（牵头或配合）", as_of, "pptx") == \
        "汇报材料_2022年_区经信局承担的任务（牵头或配合）_进度截至20221231.pptx"
    hostile = deck_file_name('2022年 =HYPERLINK("x")牵头的任务 -rf a/b\\c:d*e?f<g>h|i\t+1 @j', as_of, "pptx")
    assert not set(hostile) & set('\\/:*?"<>| \t=+@'), hostile
    assert all(not part.startswith("-") for part in hostile.split("_")), hostile
    assert hostile.startswith("汇报材料_2022年_") and hostile.endswith("_进度截至20221231.pptx")


def test_the_carry_on_slide_counts_apart_the_kind_of_task_one_notice_does_not_list(frames):
    from loaders.meeting.deck import DeckChoice, build_deck

    slide = next(s for s in build_deck(frames, DeckChoice(2022)) if s.view == "延续与变化" and s.metrics)
    counts = dict(slide.metrics)
    five = int(((frames.tasks["year"] == 2022) & (frames.tasks["scope"] == "five_year")).sum())
    assert counts["不作比较（项）"] == five  # 2020 lists no five-year tasks
    assert counts["延续（项）"] + counts["新增（项）"] + five == int((frames.tasks["year"] == 2022).sum())
    assert "不作比较" in slide.title
