"""Daily use (issue 15): only Chinese on screen, readable charts, notices for every bad URL parameter."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from charts.leaders import leader_unit_heatmap, tasks_per_leader_bar
from charts.targets import change_dumbbell
from charts.theme import TITLE_LINE, TITLE_LINE_PX, text_width
from charts.units import unit_load_bar
from loaders.analysis.leaders import leader_portfolio, leader_unit_matrix
from loaders.select import Filters, select
from loaders.vocabulary import SCOPE_LABELS
from tests.test_pages import PAGES, TASKS_PAGE, click_bar, open_page


def test_the_heatmap_leaves_empty_cells_blank_and_keeps_the_numbers(frames):
    matrix = leader_unit_matrix(frames)
    figure = leader_unit_heatmap(matrix, "t")
    texts = [str(t) for row in figure.data[0].text for t in row]
    zeros = int((matrix.values == 0).sum())
    assert zeros > 0 and texts.count("") == zeros and "0" not in texts
    assert sorted(int(t) for t in texts if t) == sorted(int(v) for v in matrix.values.ravel() if v > 0)


def test_the_count_and_amount_dumbbell_writes_its_ticks_out_in_full():
    changes = pd.DataFrame({"metric": ["新增就业", "固定资产投资"], "unit": ["人", "亿元"],
                            "value_from": [12000.0, 3.0], "value_to": [15000.0, 5.0],
                            "direction": ["raised", "raised"], "year_from": [2021, 2021], "year_to": [2022, 2022],
                            "qualifier_from": ["approx", "approx"], "qualifier_to": ["approx", "approx"],
                            "label_from": ["2021年度(1)", "2021年度(2)"], "label_to": ["2022年度(1)", "2022年度(2)"]})
    axis = change_dumbbell(changes, "t", log_scale=True).layout.xaxis
    assert axis.type == "log" and axis.dtick == 1 and axis.exponentformat == "none" and axis.separatethousands


def test_a_long_chart_title_is_broken_into_lines_that_fit_a_phone_and_data_stays_literal():
    load = pd.DataFrame({"unit": ["甲<b>乙</b>", "丙"], "lead": [3, 1], "support": [1, 2], "hover": ["", ""]})
    short = unit_load_bar(load, "按单位类别的牵头与配合次数")
    title = "甲<b>乙</b>&丙承担的任务数（前25个，牵头/配合）"  # names are data
    figure = unit_load_bar(load, title)
    lines = figure.layout.title.text.split("<br>")
    assert lines == ["甲&lt;b&gt;乙&lt;/b&gt;&amp;丙承担的任务数", "（前25个，牵头/配合）"]
    assert short.layout.title.text == "按单位类别的牵头与配合次数"  # short enough: one line
    shown = [line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for line in lines]
    assert "".join(shown) == title  # nothing lost, the name shows with its "<b>" as written
    assert all(text_width(line) <= TITLE_LINE for line in shown)
    # the extra line is added above the plot, which keeps its height
    assert figure.layout.margin.t - short.layout.margin.t == TITLE_LINE_PX
    assert figure.layout.height - short.layout.height == TITLE_LINE_PX
    # plotly lifts a title of several lines: padded down, its first line is not cut off on a short chart
    assert figure.layout.title.pad.t > 0 and not short.layout.title.pad.t


def test_a_title_is_broken_after_a_colon_and_never_inside_brackets():
    from charts.theme import title_lines

    assert title_lines("增速目标：2020年 → 2022年（增长%）") == ["增速目标：2020年 → 2022年", "（增长%）"]
    assert title_lines("数量与金额目标：2020年 → 2022年") == ["数量与金额目标：", "2020年 → 2022年"]
    assert title_lines("单位组合（前15组，牵头单位与配合单位各自计入）") == ["单位组合", "（前15组，牵头单位与配合单位各自计入）"]
    assert title_lines("负荷集中度：按单位排名的累计占比") == ["负荷集中度：按单位排名的累计占比"]


def test_a_leader_portfolio_names_tables_not_codes(frames):
    leaders = frames.task_leaders.merge(frames.tasks[["task_id", "scope", "section"]], on="task_id")
    unsectioned = leaders[leaders["section"] == ""]["leader"]
    assert not unsectioned.empty
    sections = leader_portfolio(frames, unsectioned.iloc[0])["sections"]["section"].tolist()
    assert not set(sections) & set(SCOPE_LABELS) and set(sections) & set(SCOPE_LABELS.values())


def shown_values(app) -> str:
    return json.dumps([df.value.astype(str).values.tolist() for df in app.dataframe], ensure_ascii=False)


def test_the_task_card_says_where_a_role_was_read_in_words(frames):
    app = open_page(TASKS_PAGE, year="2020")
    app.session_state["task_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert not app.exception
    values = shown_values(app)
    assert "责任单位栏" in values and '"table"' not in values


@pytest.mark.parametrize("page", [PAGES[1], PAGES[3]])
def test_tables_show_task_labels_not_ids_nor_codes(frames, page):
    app = open_page(page, year="2020", year_from="2020", year_to="2022",
                    **({"targets_view": "变化明细"} if page == PAGES[3] else {}))
    if page == PAGES[1]:  # 领导分工 lists a leader's tasks once one is chosen
        app.selectbox(key="leader_focus").set_value(app.selectbox(key="leader_focus").options[0]).run()
    values = shown_values(app)
    assert not any(task_id in values for task_id in frames.tasks["task_id"])
    assert any(label in values for label in frames.tasks["label"])
    assert not any(f'"{code}"' in values for code in SCOPE_LABELS)


def test_count_axes_tick_at_whole_numbers_only(frames):
    per_leader = pd.DataFrame({"leader": ["甲", "乙"], "year": [2022, 2022], "scope": ["annual", "annual"],
                               "tasks": [3, 1], "hover": ["", ""]})
    axis = tasks_per_leader_bar(per_leader, "t").layout.xaxis
    assert axis.dtick == 1 and axis.tick0 == 0 and axis.tickformat == ",d"
    long = per_leader.assign(tasks=[30, 12])
    axis = tasks_per_leader_bar(long, "t").layout.xaxis
    assert axis.dtick is None and axis.tickformat == ",d"  # plotly's own steps (5, 10 …) are whole


def test_an_invalid_kind_is_named_in_a_notice():
    app = open_page(PAGES[3], kind=["增速", "速度"])
    assert not app.exception
    notices = " ".join(t.value for t in app.toast)
    assert "kind=速度" in notices and "kind=增速" not in notices


def test_an_empty_task_list_names_the_filters_that_emptied_it():
    app = open_page(TASKS_PAGE, year="2022", q="这个词不会出现在任何任务里")
    message = " ".join(i.value for i in app.info)
    assert "关键词" in message and "清除筛选" in message
    assert "年度" in message  # the sidebar year is in effect too


def _empty_without_filters():
    from ui.text import empty_message

    empty_message("所选对象在该年度没有任务")


def test_an_empty_message_without_filters_points_to_no_sidebar():
    # 汇报模式 has no sidebar and calls empty_message(what) alone
    app = AppTest.from_function(_empty_without_filters).run()
    message = app.info[0].value
    assert "所选对象在该年度没有任务" in message and "左侧" not in message



def test_the_phone_list_holds_the_numbers_of_the_heatmap(frames):
    matrix = leader_unit_matrix(select(frames, Filters(years=(2022,))))
    app = open_page(PAGES[1], year="2022", leaders_view="领导 × 单位")
    parts = [t.value.partition("：") for t in app.text]
    lines = {name: rest for name, _, rest in parts if name in matrix.index}
    assert list(lines) == list(matrix.index)  # the order of the bars
    for leader, row in matrix.iterrows():
        shared = row[row > 0]
        assert lines[leader] == "、".join(f"{unit} {int(n)}" for unit, n in
                                         shared.sort_values(ascending=False, kind="stable").items())


def test_leaders_page_draws_only_the_open_tab_below_the_first_chart():
    app = open_page(PAGES[1], year="2022")
    assert not app.exception
    assert [chart.proto.spec for chart in app.get("plotly_chart")][:1]  # the bar chart is drawn
    assert len(app.get("plotly_chart")) == 1  # the heatmap and the years chart are not sent
    assert not app.dataframe  # no leader chosen yet: the portfolio's tables are not sent either
    app.session_state["leaders_view"] = "领导 × 单位"  # a click on that part
    app.run()
    assert len(app.get("plotly_chart")) == 2 and not app.exception


def test_clicking_a_leader_bar_opens_the_portfolio_tab():
    app = open_page(PAGES[1], year="2022", leaders_view="领导 × 单位")
    click_bar(app, "leaders_bar", "王永林")
    assert app.session_state["leaders_view"] == "一位领导的任务"
    assert app.selectbox(key="leader_focus").value == "王永林"
    assert app.dataframe  # the portfolio's tables


def test_an_unknown_part_in_the_url_is_named_and_the_default_opens():
    app = open_page(PAGES[1], year="2022", leaders_view="不存在")
    assert not app.exception
    assert app.selectbox(key="leader_focus") is not None
    assert [t.value for t in app.toast] == ["网址中的参数无效，已忽略：leaders_view=不存在"]
    app.run()
    assert not app.toast  # said once, not on every rerun


def test_units_page_sends_the_sections_below_the_first_chart_one_at_a_time_on_request():
    app = open_page(PAGES[2], year="2022")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert len(titles) == 1 and titles[0].startswith("各责任单位承担的任务数") and not app.dataframe
    app = open_page(PAGES[2], year="2022", units_view="负荷集中度与类别")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert any("负荷集中度" in t for t in titles) and not any("2020年与2022年" in t for t in titles)
    app = open_page(PAGES[2], year="2022", units_view="两个年度对比（别名已合并）")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert any("2020年与2022年" in t for t in titles) and not any("负荷集中度" in t for t in titles)
    app = open_page(PAGES[2], year="2022", units_view="统称与全部单位")
    assert any("统称" in df.value.columns for df in app.dataframe)


def test_targets_page_draws_its_first_chart_alone_and_the_change_table_on_request():
    app = open_page(PAGES[3], year="2022")
    assert len(app.get("plotly_chart")) == 1 and not app.dataframe  # the growth targets, nothing else
    app = open_page(PAGES[3], year="2022", targets_view="变化明细")
    assert any("2020年目标" in df.value.columns for df in app.dataframe)
    app = open_page(PAGES[3], year="2022", targets_view="更多对比图")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert titles[0].startswith("增速目标") and any(t.startswith("比率目标") for t in titles[1:])
    assert any(t.startswith("数量与金额目标") for t in titles[1:])


def test_hover_lines_are_short_enough_for_a_phone(frames):
    from loaders.analysis.common import HOVER_LINE
    from loaders.analysis.leaders import tasks_per_leader

    per_leader = tasks_per_leader(select(frames, Filters(years=(2022,))))
    lines = [line for text in per_leader["hover"] for line in text.split("<br>")]
    assert max(len(line) for line in lines) <= HOVER_LINE + 2  # indent + text + "…"
    assert any(line.endswith("…") for line in lines)  # a long task is cut, and says so


def test_the_overview_draws_one_chart_and_sends_the_rest_only_when_asked():
    app = open_page(PAGES[0], year="2022")
    assert len(app.get("plotly_chart")) == 1  # tasks per leader
    assert not [df for df in app.dataframe if "成文日期" in df.value.columns]
    app.session_state["overview_more"] = "通知原文（标题、成文和印发日期、附件）"  # a click on it (also in tests/e2e)
    app.run()
    assert [df for df in app.dataframe if "成文日期" in df.value.columns] and len(app.get("plotly_chart")) == 1
    app.session_state["overview_more"] = "任务最多的10个责任单位"
    app.run()
    assert len(app.get("plotly_chart")) == 2 and not app.dataframe
    app.session_state["overview_more"] = "延续与变化（与上一份通知相比）"
    app.run()
    assert [m.label for m in app.metric][-3:] == ["延续（项）", "新增（项）", "不再列出（项）"]
    assert len(app.get("plotly_chart")) == 1 and app.dataframe  # the 连续多年列入 list


def test_a_leader_of_another_year_in_the_url_is_named_in_the_notice(frames):
    leaders = frames.task_leaders
    only_2022 = sorted(set(leaders.loc[leaders["year"] == 2022, "leader"]) - set(leaders.loc[leaders["year"] == 2020, "leader"]))[0]
    app = open_page(PAGES[0], year="2020", leader=only_2022)
    assert f"leader={only_2022}" in " ".join(t.value for t in app.toast)
    app = open_page(PAGES[0], year="2022", leader=only_2022)  # the same leader in their year: kept, no notice
    assert app.selectbox(key="leader").value == only_2022 and not app.toast


def test_on_a_phone_the_dumbbell_writes_each_name_above_its_line(monkeypatch):
    changes = pd.DataFrame({"metric": ["甲<b>乙</b>", "丙"], "unit": ["%", "%"], "value_from": [6.0, 7.0],
                            "value_to": [8.0, 7.5], "direction": ["raised", "raised"], "year_from": [2021, 2021],
                            "year_to": [2022, 2022], "qualifier_from": ["approx", "approx"],
                            "qualifier_to": ["approx", "approx"], "label_from": ["2021年度(1)", "2021年度(2)"],
                            "label_to": ["2022年度(1)", "2022年度(2)"]})
    wide, narrow = change_dumbbell(changes, "t"), change_dumbbell(changes, "t", narrow=True)
    assert wide.layout.yaxis.showticklabels is not False and not wide.layout.annotations
    assert narrow.layout.yaxis.showticklabels is False
    names = [a.text for a in narrow.layout.annotations]
    assert names == ["丙（%）", "甲&lt;b&gt;乙&lt;/b&gt;（%）"]  # bottom-up as the rows, and data stays literal
    import ui.layout

    monkeypatch.setattr(ui.layout, "on_phone", lambda: True)
    app = open_page(PAGES[3], year_from="2020", year_to="2022")
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["showticklabels"] is False and len(spec["layout"]["annotations"]) > 5


def test_bars_made_from_plain_dicts_pass_plotlys_validation(frames):
    import plotly.graph_objects as go

    from charts.theme import for_projector
    from loaders.analysis.leaders import tasks_per_leader
    from loaders.analysis.units import unit_load

    several_years = select(frames, Filters())
    figures = [tasks_per_leader_bar(tasks_per_leader(several_years), "各位领导牵头的任务数"),
               unit_load_bar(unit_load(several_years), "各责任单位承担的任务数（前25个，牵头/配合）", top=25),
               for_projector(tasks_per_leader_bar(tasks_per_leader(select(frames, Filters(years=(2022,)))), "t")),
               tasks_per_leader_bar(tasks_per_leader(several_years), "t", highlight="林杰"),
               unit_load_bar(unit_load(several_years), "t", top=25, highlight="区发改局"),
               tasks_per_leader_bar(tasks_per_leader(several_years), "t", narrow=True)]
    for figure in figures:
        checked = go.Figure(figure.to_dict())  # plotly's validation: raises on any property it does not know
        assert [t.type for t in checked.data] == [t["type"] for t in figure.to_dict()["data"]]
    with pytest.raises(ValueError):  # what the check would catch
        go.Figure({"data": [{"type": "bar", "colour": "red"}]})


def test_a_picked_leader_keeps_every_segment_coloured_in_every_year(frames):
    from loaders.analysis.leaders import tasks_per_leader

    per_leader = tasks_per_leader(select(frames, Filters()))  # 2020 and 2022 side by side
    figure = tasks_per_leader_bar(per_leader, "t", highlight="林杰")
    picked = [(trace.name, i) for trace in figure.data for i, data in enumerate(trace.customdata) if data[0] == "林杰"]
    assert len(picked) == len(per_leader[per_leader["leader"] == "林杰"].groupby(["year", "scope"]))
    assert [(trace.name, i) for trace in figure.data for i in trace.selectedpoints] == picked
    assert all(trace.unselected.marker.opacity < 1 for trace in figure.data)
    assert all(trace.selectedpoints is None for trace in tasks_per_leader_bar(per_leader, "t").data)
    # a name no bar is drawn for (a unit past the top N, a leader of other filters) fades nothing
    assert all(trace.selectedpoints is None for trace in tasks_per_leader_bar(per_leader, "t", highlight="无此人").data)


def test_on_a_phone_numbers_too_small_to_read_are_left_out_of_their_segments(frames):
    from charts.theme import NARROW_LABEL_SHARE
    from loaders.analysis.leaders import tasks_per_leader

    per_leader = tasks_per_leader(select(frames, Filters(years=(2022,))))
    wide, narrow = tasks_per_leader_bar(per_leader, "t"), tasks_per_leader_bar(per_leader, "t", narrow=True)
    longest = per_leader.groupby("leader")["tasks"].sum().max()
    for before, after in zip(wide.data, narrow.data):
        for value, text_before, text_after in zip(before.x, before.text, after.text):
            assert text_after == (text_before if value >= NARROW_LABEL_SHARE * longest else "")
    assert sum(t == "" for trace in narrow.data for t in trace.text) > sum(t == "" for trace in wide.data for t in trace.text)


def test_a_leaders_carry_on_counts_only_the_tasks_that_leader_leads(frames):
    from loaders.analysis.links import carry_on, task_links

    links = task_links(frames)
    marks = carry_on(frames.tasks, links, frames.tasks["district"].iloc[0], 2020, 2022)
    led = frames.task_leaders
    leader = led.loc[led["year"] == 2022, "leader"].value_counts().index[0]
    own = set(led.loc[(led["year"] == 2022) & (led["leader"] == leader), "task_id"])
    later = marks[(marks["year"] == 2022) & marks["task_id"].isin(own)]
    expected = [int((later["status"] == "continued").sum()), int((later["status"] == "new").sum())]
    compared = marks.loc[marks["task_id"].isin(own) & (marks["status"] != "not_compared"), "task_id"]
    assert expected[0] and expected[1] and sum(expected) == len(compared)

    app = open_page(PAGES[1], year="2022", leaders_view="延续与变化")
    whole = [m.value for m in app.metric if m.label in ("延续（项）", "新增（项）")]
    app.selectbox(key="leader_carry_on").select(leader).run()
    assert not app.exception
    shown = [int(m.value) for m in app.metric if m.label in ("延续（项）", "新增（项）")]
    assert shown == expected and [int(v) for v in whole] != shown
    assert any(leader in c.value for c in app.caption)


def test_one_click_on_a_leader_bar_shows_that_leaders_target_changes_with_handovers(frames):
    app = open_page(PAGES[1], year="2022")
    click_bar(app, "leaders_bar", "林杰")
    assert not app.exception
    texts = [m.value for m in app.markdown]
    changes_at = next(i for i, t in enumerate(texts) if t.startswith("**指标变化**"))
    assert changes_at < next(i for i, t in enumerate(texts) if t == "**所在板块/分组**")  # first, under the counts
    table = next(df.value for df in app.dataframe if "变化" in df.value.columns)
    # 2020's 地区生产总值 was led by 虞立清: a change of 林杰's task that says so, never mixed silently
    gdp = table[table["metric"] == "地区生产总值"] if "metric" in table else table[table["指标"] == "地区生产总值"]
    assert list(gdp["变化"]) == ["降低"] and gdp["交接"].iloc[0] == "2020 年由虞立清牵头"
    assert table["变化"].iloc[0] == "降低"  # lowered targets first
    led = set(frames.task_leaders.loc[(frames.task_leaders["leader"] == "林杰")
                                      & (frames.task_leaders["year"] == 2022), "task_id"])
    labels = set(frames.tasks.loc[frames.tasks["task_id"].isin(led), "label"])
    assert set(table["任务"]) <= labels  # only the tasks he leads


def test_new_and_dropped_name_only_metrics_the_other_year_does_not_set(frames):
    from loaders.analysis.links import task_links
    from loaders.analysis.targets import chain_changes

    changes = chain_changes(frames, task_links(frames))
    targets = frames.all_targets.merge(frames.tasks[["task_id", "year"]], on="task_id", suffixes=("", "_task"))
    set_in = {(int(y), m, u) for y, m, u in zip(targets["year_task"], targets["metric"], targets["unit"])}
    new, dropped = changes[changes["direction"] == "new"], changes[changes["direction"] == "dropped"]
    assert len(new) and len(dropped)
    assert not any((y, m, u) in set_in for y, m, u in zip(new["year_from"], new["metric"], new["unit"]))
    assert not any((y, m, u) in set_in for y, m, u in zip(dropped["year_to"], dropped["metric"], dropped["unit"]))
    assert not new.duplicated(["task_id_to", "metric", "unit"]).any()


def _two_lines():
    import pandas as pd

    from ui.tables import two_line_list

    two_line_list(pd.DataFrame({"label": ["2022年度·一(1)"], "scope": ["five_year"], "value": [7.50],
                                "content": ["*不是强调* <b>原文</b>"], "note": [None], "handover": ["交接：2020 年由甲牵头"]}),
                  {"value": "目标值", "handover": "交接"}, ["label", "scope"], ["value", "content", "note", "handover"])


def test_a_phone_list_writes_codes_as_words_and_text_literally():
    app = AppTest.from_function(_two_lines).run()
    assert [t.value for t in app.text] == ["2022年度·一(1) · 今后五年重点工作", "目标值：7.5；任务内容：*不是强调* <b>原文</b>；交接：2020 年由甲牵头"]
    assert not app.markdown and not app.dataframe


def test_on_a_phone_a_leaders_targets_and_tasks_are_lists_not_tables(monkeypatch, frames):
    import ui.layout
    import ui.portfolio
    import ui.tables

    app = open_page(PAGES[1], year="2022")
    click_bar(app, "leaders_bar", "林杰")
    wide_tables = len(app.dataframe)
    monkeypatch.setattr(ui.layout, "on_phone", lambda: True)
    monkeypatch.setattr(ui.tables, "on_phone", lambda: True)
    monkeypatch.setattr(ui.portfolio, "on_phone", lambda: True)
    app = open_page(PAGES[1], year="2022")
    click_bar(app, "leaders_bar", "林杰")
    assert not app.exception
    tables = [list(df.value.columns) for df in app.dataframe]
    assert len(tables) == wide_tables - 4  # target changes, targets, livelihood and every task became lists
    # the two small ones fit a phone: sections (year, table, section, count), lead units (category, count)
    assert [len(columns) for columns in tables] == [4, 3] and not {"任务内容", "原文表述"} & set(sum(tables, []))
    led = frames.task_leaders[(frames.task_leaders["leader"] == "林杰") & (frames.task_leaders["year"] == 2022)]
    contents = set(frames.tasks.loc[frames.tasks["task_id"].isin(led["task_id"]), "content"])
    shown = " ".join(t.value for t in app.text)
    assert all(content in shown for content in contents)  # every task's text, without sideways scrolling
