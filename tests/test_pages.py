"""Every screen renders on the bundled data, and the shared filters change what is counted.

Filters live in the URL as their Chinese labels (?year=2022&scope=民生实事&leader=林杰).

Expected numbers come from the export (`python -m loaders export`), not from the pages.
"""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from loaders.export import export_frames

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/overview.py", "pages/leaders.py", "pages/units.py", "pages/targets.py", "pages/about.py",
         "pages/tasks.py"]


@pytest.fixture(scope="module")
def exported(frames) -> dict[str, pd.DataFrame]:
    return export_frames(frames)


def open_page(page: str, **query) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params.update(query)
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    return app


def metric_values(app: AppTest) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for metric in app.metric:
        values.setdefault(metric.label, []).append(metric.value)
    return values


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page):
    app = open_page(page)
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error
    assert (app.title or app.header)[0].value


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_every_filter_set(page):
    app = open_page(page, year="2022", scope=["年度重点工作", "民生实事"], leader="林杰")
    assert not app.exception, [e.message for e in app.exception]


def test_without_a_year_the_pages_show_the_latest_year(exported):
    tasks = exported["tasks.csv"]
    latest = tasks["year"].max()
    app = open_page(PAGES[0])
    assert app.selectbox(key="year").value == str(latest)
    assert metric_values(app)["任务（项）"] == [str((tasks["year"] == latest).sum())]


def test_overview_counts_match_the_export(exported):
    tasks = exported["tasks.csv"]
    years = sorted(tasks["year"].unique())
    app = open_page(PAGES[0], year="全部")
    assert metric_values(app)["任务（项）"] == [str((tasks["year"] == y).sum()) for y in years]
    targets = exported["targets.csv"]
    assert metric_values(app)["量化指标（个）"] == [str((targets["year"] == y).sum()) for y in years]


def test_year_filter_changes_what_is_counted(exported):
    app = open_page(PAGES[0])
    app.selectbox(key="year").select("2020").run()
    assert metric_values(app)["任务（项）"] == [str((exported["tasks.csv"]["year"] == 2020).sum())]


def test_leader_filter_changes_what_is_counted(exported):
    leaders = exported["task_leaders.csv"]
    tasks = exported["tasks.csv"].merge(leaders, on="task_id")
    expected = tasks[(tasks["leader"] == "林杰") & (tasks["year"] == 2022)]
    app = open_page(PAGES[0], year="2022")
    app.selectbox(key="leader").select("林杰").run()
    assert metric_values(app)["任务（项）"] == [str(len(expected))]
    assert metric_values(app)["民生实事（项）"] == [str(expected.loc[expected["scope"] == "livelihood", "seq"].nunique())]


def test_table_filter_changes_what_is_counted(exported):
    tasks = exported["tasks.csv"]
    app = open_page(PAGES[0], scope=["今后五年重点工作"])
    assert metric_values(app)["任务（项）"] == [str((tasks["scope"] == "five_year").sum())]


def test_empty_selection_shows_a_message_not_a_chart():
    app = open_page(PAGES[2], year="2020", scope=["民生实事"])
    assert any("没有任务" in info.value for info in app.info)
    assert not app.exception


def test_leader_portfolio_counts(exported):
    leaders = exported["task_leaders.csv"]
    app = open_page(PAGES[1], leader="陈允岳", year="全部")
    expected = (leaders["leader"] == "陈允岳").sum()
    assert metric_values(app)["牵头任务（项）"] == [str(expected)]


def test_units_page_counts_units_without_placeholders(exported):
    units = exported["task_units.csv"]
    tasks = exported["tasks.csv"][["task_id", "year"]]
    real = units[units["is_placeholder"] == False].merge(tasks, on="task_id")  # noqa: E712
    app = open_page(PAGES[2])  # the latest year
    assert metric_values(app)["责任单位（个，不含统称）"] == [str(real.loc[real["year"] == real["year"].max(), "unit"].nunique())]
    app = open_page(PAGES[2], year="全部")  # one tab per year, latest first, each counted on its own
    per_year = [str(real.loc[real["year"] == y, "unit"].nunique()) for y in sorted(real["year"].unique(), reverse=True)]
    assert metric_values(app)["责任单位（个，不含统称）"] == per_year


def test_targets_page_lists_paired_metrics_with_both_values(exported):
    changes = exported["target_changes.csv"]
    app = open_page(PAGES[3], targets_view="变化明细")
    shown = next(df.value for df in app.dataframe if "2020年目标" in df.value.columns)
    assert len(shown) == len(changes)
    row = shown.set_index("指标").loc["地区生产总值"]
    assert (row["2020年目标"], row["2022年目标"], row["方向"]) == ("7.5%左右", "7%以上", "降低")
    row = shown.set_index("指标").loc["新增高新技术企业"]
    assert (row["2020年目标"], row["2022年目标"]) == ("25家", "50家")


def test_targets_kind_filter(exported):
    targets = exported["targets.csv"]
    app = open_page(PAGES[3], kind=["金额"], year="全部", targets_view="全部量化指标")
    everything = next(df.value for df in app.dataframe if "任务内容" in df.value.columns and "原句" in df.value.columns)
    assert len(everything) == (targets["kind"] == "amount").sum()


def test_about_page_lists_the_rows_without_text():
    app = open_page(PAGES[4])
    missing = next(df.value for df in app.dataframe if list(df.value.columns) == ["任务", "小节", "责任单位", "牵头领导"])
    assert len(missing) == 9


def test_pages_never_render_data_as_html_or_markdown():
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        source = path.read_text("utf-8")
        assert "unsafe_allow_html" not in source, path
        assert "st.markdown(f" not in source and "st.write(f" not in source, path


TASKS_PAGE = "pages/tasks.py"


def test_task_page_filters_from_the_url(frames):
    units = frames.task_units
    expected = units[(units["unit"] == "区经信局") & (units["role"] == "lead") & (units["year"] == 2022)]
    app = open_page(TASKS_PAGE, year="2022", unit="区经信局", lead_only="true")
    assert not app.exception
    assert app.selectbox(key="unit").value == "区经信局"
    assert app.toggle(key="lead_only").value is True
    assert len(app.dataframe[0].value) == expected["task_id"].nunique()


def test_task_page_keyword_search_narrows():
    app = open_page(TASKS_PAGE)
    everything = len(app.dataframe[0].value)
    app.text_input(key="q").input("鞋都 产业").run()
    narrowed = app.dataframe[0].value
    assert 0 < len(narrowed) < everything
    assert all("鞋都" in c and "产业" in c for c in narrowed["任务内容"])


def test_task_page_offers_csv_and_xlsx():
    app = open_page(TASKS_PAGE, year="2020", leader="项晓")
    labels = [b.label for b in app.download_button]
    assert any("CSV" in label for label in labels) and any("XLSX" in label for label in labels)


def test_task_card_opens_for_the_selected_row(frames):
    app = open_page(TASKS_PAGE, year="2020")
    app.session_state["task_table"] = {"selection": {"rows": [80], "columns": [], "cells": []}}
    app.run()
    texts = [t.value for t in app.text]
    assert any("原文缺少任务内容" in t for t in texts)  # row 81 of 2020 lost its text in the notice
    assert any("区卫生健康局" in str(df.value.values) for df in app.dataframe[1:])


def test_unknown_url_parameters_do_not_break_the_page():
    app = open_page(TASKS_PAGE, year="1999", unit="不存在的单位", foo="bar")
    assert not app.exception


def click_bar(app: AppTest, key: str, name: str) -> AppTest:
    """Send what the browser sends when a bar of the chart `key` is clicked (first customdata: its name)."""
    chart = next(e for e in app.get("plotly_chart") if e.key == key)
    states = app._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(
        {"selection": {"points": [{"customdata": [name, ""]}], "point_indices": [0], "box": [], "lasso": []}})))
    return app._run(states)


def drill_links(app: AppTest) -> list[tuple[str, dict[str, list[str]]]]:
    return [(link.proto.label, parse_qs(link.proto.query_string)) for link in app.get("page_link")
            if "任务明细" in link.proto.label]


def test_picking_a_unit_offers_its_task_list():
    app = open_page(PAGES[2], year="2022")
    app.selectbox(key="units_load_picker").select("区经信局").run()
    assert not app.exception
    assert drill_links(app) == [("打开任务明细：区经信局", {"unit": ["区经信局"]})]


def test_clicking_a_leader_bar_links_to_the_tasks_and_keeps_the_sidebar_filter(exported):
    leaders = exported["task_leaders.csv"]
    app = open_page(PAGES[1], year="2022")
    click_bar(app, "leaders_bar", "王永林")
    assert not app.exception
    assert app.selectbox(key="leader").value == "全部"  # the app-wide filter is untouched
    assert drill_links(app) == [("打开任务明细：王永林", {"leader": ["王永林"]})]
    # the leader shown below the chart follows the click; the chart still shows every leader
    assert app.selectbox(key="leader_focus").value == "王永林"
    assert metric_values(app)["牵头任务（项）"] == [str((leaders["leader"] == "王永林").sum())]
    assert app.session_state["leaders_bar_picker"] == "王永林"


def test_clicking_a_bar_on_the_overview_keeps_every_filter():
    app = open_page(PAGES[0], year="2022", overview_more="任务最多的10个责任单位")
    click_bar(app, "overview_units", "区经信局")
    assert not app.exception
    assert drill_links(app) == [("打开任务明细：区经信局", {"unit": ["区经信局"]})]
    assert app.selectbox(key="leader").value == "全部" and app.selectbox(key="year").value == "2022"


def test_clear_filters_restores_the_latest_year_and_keeps_the_district():
    app = open_page(PAGES[2], year="2020", scope=["民生实事"], leader="林杰")
    latest = app.selectbox(key="year").options[0]
    app.button(key="clear_filters").click().run()
    assert not app.exception
    assert app.selectbox(key="year").value == latest != "2020"
    assert app.multiselect(key="scope").value == [] and app.selectbox(key="leader").value == "全部"
    assert not [b for b in app.button if b.key == "clear_filters"]  # nothing left to clear


def test_the_task_list_names_and_clears_its_own_filters():
    app = open_page(TASKS_PAGE, year="2022", unit="区经信局", lead_only="true", q="项目")
    summary = app.text[0].value
    assert "单位：区经信局" in summary and "只看牵头：是" in summary and "关键词：项目" in summary
    app.button(key="clear_unit_lead_only_category_has_target_section_q_status").click().run()
    assert not app.exception
    assert app.selectbox(key="unit").value is None and app.text_input(key="q").value == ""
    assert "单位：" not in app.text[0].value and app.selectbox(key="year").value == "2022"


MEETING_PAGE = "pages/meeting.py"


@pytest.mark.parametrize("query", [{}, {"deck_year": "2022", "deck_leader": "林杰"},
                                   {"deck_year": "2020", "deck_unit": "区经信局"}])
def test_meeting_mode_steps_through_every_view(query, frames):
    from loaders.meeting.deck import VIEWS, DeckChoice, build_deck

    year = int(query.get("deck_year") or frames.tasks["year"].max())
    deck = build_deck(frames, DeckChoice(year, query.get("deck_leader"), query.get("deck_unit")))
    app = open_page(MEETING_PAGE, **query)
    seen = []
    for _ in deck:
        assert not app.exception, [e.message for e in app.exception]
        seen.append(app.header[0].value)
        next(b for b in app.button if b.label == "下一页").click().run()
    assert seen == [f"{n}/{len(deck)} {slide.heading}" for n, slide in enumerate(deck, start=1)]
    assert list(dict.fromkeys(h.split(" ", 1)[1] for h in seen if "（续）" not in h)) == list(VIEWS)
    assert app.header[0].value == f"1/{len(deck)} 总体情况"  # wraps around
    next(b for b in app.button if b.label == "上一页").click().run()
    assert app.header[0].value == f"{len(deck)}/{len(deck)} {deck[-1].heading}"


def test_meeting_mode_counts_for_the_chosen_leader(exported):
    leaders = exported["task_leaders.csv"].merge(exported["tasks.csv"][["task_id", "year"]], on="task_id")
    app = open_page(MEETING_PAGE, deck_year="2022", deck_leader="林杰")
    expected = ((leaders["leader"] == "林杰") & (leaders["year"].astype(str) == "2022")).sum()
    assert metric_values(app)["任务（项）"] == [str(expected)]


def test_meeting_mode_hides_the_shared_filters():
    app = open_page(MEETING_PAGE)
    assert "year" not in [s.key for s in app.sidebar.selectbox]


def test_reading_view_shows_full_text_literally(frames):
    app = open_page(TASKS_PAGE, year="2020", unit="区综合行政执法局")
    app.toggle(key="reading").set_value(True).run()
    texts = [t.value for t in app.text]
    task = frames.tasks.set_index("task_id").loc["2020-annual-060"]
    assert task["content"] in texts


def test_unknown_and_invalid_parameters_are_named_in_a_notice(exported):
    tasks = exported["tasks.csv"]
    app = open_page(PAGES[0], year="1999", foo="bar")
    assert not app.exception
    notices = " ".join(t.value for t in app.toast)
    assert "year=1999" in notices and "foo" in notices
    # the bad year is ignored, not applied: the latest year is shown
    assert metric_values(app)["任务（项）"] == [str((tasks["year"] == tasks["year"].max()).sum())]


def test_large_selections_draw_a_limited_table_but_download_everything(tmp_path, monkeypatch):
    from tools.scale_data import write_scaled

    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(write_scaled(10, tmp_path / "x10", one_district=True)))
    app = open_page(TASKS_PAGE, year="全部")
    assert not app.exception
    assert len(app.dataframe[0].value) == 2000
    assert any("共 2570 项" in c.value for c in app.caption)


@pytest.mark.parametrize("page", PAGES + ["pages/meeting.py"])
def test_a_second_visit_shows_the_same_tables_and_figures(page):
    """Aggregates and figures are shared objects (st.cache_resource): a page that changed one
    in place would show something else to the next visitor."""
    def shown(app: AppTest) -> tuple[list[str], list[str], list[str]]:
        return ([table.value.to_csv() for table in app.dataframe], [m.value for m in app.metric],
                [c.proto.spec for c in app.get("plotly_chart")])

    query = {"year": "2022"}
    first = shown(open_page(page, **query))
    assert any(first), "the page shows neither tables, metrics nor charts"
    assert shown(open_page(page, **query)) == first


def test_overview_of_many_notices_is_one_table_of_the_selected_notices(tmp_path, monkeypatch, exported):
    """With more than four notices of one district (here 5 copies × 2 years) the overview shows
    totals and one row per selected notice instead of a box each."""
    from tools.scale_data import write_scaled

    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(write_scaled(5, tmp_path / "x5", one_district=True)))
    app = open_page(PAGES[0], year="全部")
    tasks = exported["tasks.csv"]
    assert metric_values(app)["通知（份）"] == ["10"]
    assert metric_values(app)["任务（项）"] == [str(5 * len(tasks))]
    [notices] = [t.value for t in app.dataframe if "标题" in t.value.columns]
    assert len(notices) == 10 and set(notices["年度"]) == {2020, 2022}
    assert notices["任务（项）"].sum() == 5 * len(tasks)

    app = open_page(PAGES[0], year="2022")
    [notices] = [t.value for t in app.dataframe if "标题" in t.value.columns]
    assert list(notices["年度"]) == [2022] * 5
    assert list(notices["任务（项）"]) == [int((tasks["year"] == 2022).sum())] * 5


def test_about_page_names_tables_and_downloads_in_words(frames):
    app = open_page(PAGES[4])
    shown = json.dumps([df.value.astype(str).values.tolist() for df in app.dataframe], ensure_ascii=False)
    assert not any(f'"{table_id}"' in shown for table_id in frames.tables["table_id"])
    assert "民生实事" in shown and '"livelihood"' not in shown
    labels = [button.proto.label for button in app.get("download_button")]
    assert len(labels) == 7 and "任务" in labels and "任务链接决定" in labels
    assert not any(re.search("[A-Za-z]", label) for label in labels), labels


def test_the_uploader_reads_in_chinese_and_its_english_is_where_the_stylesheet_hides_it():
    """数据维护's uploaders: ui/style.css shrinks Streamlit's "Upload", "5MB per file" and "Drag and drop
    files here" to nothing and draws Chinese in their place. Checked without a browser: the rules are in
    the stylesheet, the limit they state is the configured one, and the pinned Streamlit still renders
    that English inside the elements the rules select (an upgrade that moves it fails here)."""
    import tomllib

    import streamlit

    css = (ROOT / "ui" / "style.css").read_text(encoding="utf-8")
    button = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    dragging = '[data-testid="stFileUploaderDropzone"] > input + div:not([data-testid]) > span:only-child'
    rules = {selectors.strip(): body for selectors, body in
             re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))}
    [(shrunk, hidden)] = [(selectors, body) for selectors, body in rules.items() if button in selectors.split(",\n")]
    assert set(shrunk.split(",\n")) == {button, instructions, dragging}
    assert re.search(r"font-size:\s*0\b", hidden)
    replaced = {selector: re.search(r'content:\s*"([^"]+)"', rules[selector + "::after"])[1]
                for selector in (button, instructions, dragging)}
    assert replaced == {button: "选择文件", instructions: "每个文件不超过 5 MB，也可把文件拖到这里",
                        dragging: "松开鼠标即可上传"}
    assert all(re.search(r"font-size:\s*0\.875rem", rules[s + "::after"]) for s in replaced)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert f"不超过 {config['server']['maxUploadSize']} MB" in replaced[instructions]

    [bundle] = (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("FileUploader.*.js")
    code = bundle.read_text(encoding="utf-8")
    assert "`stFileUploaderDropzoneInstructions`" in code and "`stFileUploaderDropzone`" in code
    assert "} per file`" in code  # the limit line: inside the instructions' span
    assert "label:l?`Upload directories`:`Upload`" in code  # the button: an icon and a markdown label
    assert "`Drag and drop files here`" in code and "`Drag and drop a file here`" in code
