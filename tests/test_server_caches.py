"""The server-side shortcuts found with bench/load.py give the same answers as the long way."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pyarrow as pa
import pytest

import ui.cache
import ui.tables
from loaders.analysis.leaders import tasks_per_leader
from loaders.analysis.units import unit_load
from loaders.frames import load_frames
from loaders.select import Filters, select
from loaders.vocabulary import SCOPE_LABELS
from tools.scale_data import write_scaled


@pytest.fixture(scope="module")
def three_districts(tmp_path_factory):
    return load_frames(write_scaled(3, tmp_path_factory.mktemp("x3")))


def test_selecting_the_district_first_gives_the_same_rows(three_districts):
    frames = three_districts
    district = frames.documents["district"].iloc[-1]
    leaders = frames.task_leaders
    leader = leaders.loc[(leaders["district"] == district) & (leaders["year"] == 2022), "leader"].iloc[0]
    for filters in (Filters(district=district), Filters(district=district, years=(2020,)),
                    Filters(district=district, years=(2022,), leader=leader),
                    Filters(district=district, scopes=("livelihood",))):
        direct, via_district = select(frames, filters), select(select(frames, Filters(district=district)), filters)
        assert len(direct.tasks) > 0
        for name in ("tasks", "task_units", "task_leaders", "targets"):
            pdt.assert_frame_equal(getattr(direct, name), getattr(via_district, name))
        pdt.assert_frame_equal(unit_load(direct), unit_load(via_district))
        pdt.assert_frame_equal(tasks_per_leader(direct), tasks_per_leader(via_district))


def _bars(frame: pd.DataFrame):
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=frame["name"], y=frame["n"]))


def _shared(frame: pd.DataFrame) -> pd.DataFrame:
    ui.cache._SHARED_RESULTS.remember(frame)  # as analysed() does with what it returns
    return frame


def test_figures_of_shared_results_are_found_by_identity_and_others_by_content(monkeypatch):
    calls = []
    by_content = ui.cache._figure
    monkeypatch.setattr(ui.cache, "_figure", lambda *args: calls.append(args) or by_content(*args))
    result = _shared(pd.DataFrame({"name": ["甲", "乙"], "n": [3, 1]}))
    assert ui.cache.is_shared_result(result) and not ui.cache.is_shared_result(result.copy())
    first = ui.cache.figure_of(_bars, result)
    assert list(first.data[0].y) == [3, 1]
    assert ui.cache.figure_of(_bars, result) is first and calls == []  # never hashed
    assert ui.cache.figure_of(_bars, result, projector=True) is not first  # options are part of the key
    made_this_run = result.copy()  # like frame.head(10): a new object each run, equal content
    by_value = ui.cache.figure_of(_bars, made_this_run)
    assert ui.cache.figure_of(_bars, made_this_run.copy()) is by_value and len(calls) == 2
    other = ui.cache.figure_of(_bars, _shared(result.assign(n=[1, 3])))
    assert list(other.data[0].y) == [1, 3]


def test_a_table_of_a_shared_result_is_prepared_once(monkeypatch):
    prepared = []
    original = ui.tables._prepared_table

    def counting(*args):
        prepared.append(original(*args))
        return prepared[-1]

    monkeypatch.setattr(ui.tables, "_prepared_table", counting)
    result = _shared(pd.DataFrame({"scope": ["livelihood"], "content": ["=1+1 原样"], "signed_date": [""]}))
    ui.tables.table(result)
    ui.tables.table(result)
    assert len(prepared) == 1
    shown, _ = prepared[0]
    assert isinstance(shown, pa.Table)  # converted for st.dataframe once, with the preparing
    assert shown.to_pandas().iloc[0].tolist() == ["民生实事", "=1+1 原样", "未注明"]  # codes as words, text literal
    ui.tables.table(result, {"content": "内容"})  # other headers: prepared again
    assert len(prepared) == 2 and "内容" in prepared[1][0].column_names
    ui.tables.table(result, only=["content", "scope"])  # other columns, in this order: prepared again, then kept
    ui.tables.table(result, only=["content", "scope"])
    assert len(prepared) == 3 and prepared[2][0].column_names == ["任务内容", "表格"]
    ui.tables.table(result.copy())  # made for this run: prepared each time, never kept
    ui.tables.table(result.copy())
    assert len(prepared) == 5


def test_a_column_arrow_cannot_hold_is_left_to_streamlit():
    mixed = pd.DataFrame({"value": pd.Series([1, "二"], dtype=object)})  # a number and a word in one column
    shown, _ = ui.tables._prepared_table(mixed, (), (), None)
    assert isinstance(shown, pd.DataFrame) and shown.iloc[:, 0].tolist() == [1, "二"]


def test_a_shared_figure_sends_the_same_json_without_copying_and_copies_stay_apart():
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.tools import return_figure_from_figure_or_data  # what st.plotly_chart calls

    def figure():
        return go.Figure(go.Bar(x=["甲", "乙<b>"], y=[3, 1], customdata=[["甲"], ["乙<b>"]]), layout={"title": "标题"})

    plain, to_share = figure(), figure()
    shared = ui.cache.SharedFigure.of(to_share)
    assert shared is to_share  # the figure itself, not a copy
    as_sent = [pio.to_json(return_figure_from_figure_or_data(f, True), validate=False) for f in (plain, shared)]
    assert as_sent[0] == as_sent[1]
    assert shared.to_dict() is shared.to_dict()  # made once, not a deep copy per run
    copy = go.Figure(shared)
    copy.update_layout(title="别的标题")
    assert pio.to_json(return_figure_from_figure_or_data(shared, True), validate=False) == as_sent[0]
    assert ui.cache.figure_of(_bars, _shared(pd.DataFrame({"name": ["甲"], "n": [1]}))).__class__ is ui.cache.SharedFigure


def test_what_a_page_derives_from_a_shared_result_is_made_once():
    made = []

    def double(frame):
        made.append(frame)
        return frame.assign(n=frame["n"] * 2)

    result = _shared(pd.DataFrame({"name": ["甲"], "n": [2]}))
    first = ui.cache.derived(double, result)
    assert ui.cache.derived(double, result) is first and len(made) == 1 and first["n"].tolist() == [4]
    assert ui.cache.is_shared_result(first)  # a chart of it is found by identity in turn
    assert ui.cache.derived(double, result.copy()) is not first and len(made) == 2  # made for this run: anew


def test_a_task_list_joined_with_the_shared_progress_board_is_made_once_per_board_and_statuses():
    from loaders.select import with_status

    tasks = _shared(pd.DataFrame({"task_id": ["a", "b", "c"], "n": [1, 2, 3]}))
    board = _shared(pd.DataFrame({"task_id": ["a", "b"], "status": ["red", "green"]}))
    joined = ui.cache.derived(with_status, tasks, board, ())
    assert ui.cache.derived(with_status, tasks, board, ()) is joined and ui.cache.is_shared_result(joined)
    reds = ui.cache.derived(with_status, tasks, board, ("red",))
    assert reds is not joined and reds["task_id"].tolist() == ["a"]
    assert ui.cache.derived(with_status, tasks, board, ("red",)) is reds
    assert ui.cache.derived(with_status, tasks, board, ("green",))["task_id"].tolist() == ["b"]
    new_board = board.assign(status=["green", "green"])  # a report saved: a new board object, joined anew
    assert ui.cache.derived(with_status, tasks, new_board, ("red",)).empty
    assert ui.cache.derived(with_status, tasks, _shared(new_board), ("green",))["task_id"].tolist() == ["a", "b"]


def test_a_result_is_found_by_its_plain_arguments_and_computed_again_for_new_data(tmp_path, monkeypatch):
    import shutil
    import time

    from loaders.curated import DEFAULT_CURATED_DIR, DIR_VARIABLE

    shutil.copytree(DEFAULT_CURATED_DIR, tmp_path / "curated")
    monkeypatch.setenv(DIR_VARIABLE, str(tmp_path / "curated"))
    asked = []
    cached = ui.cache._analysed
    monkeypatch.setattr(ui.cache, "_analysed", lambda *key: asked.append(key) or cached(*key))
    filters = Filters(years=(2022,))
    first = ui.cache.analysed(tasks_per_leader, filters)
    assert ui.cache.analysed(tasks_per_leader, Filters(years=(2022,))) is first and len(asked) == 1
    assert ui.cache.is_shared_result(first)
    assert ui.cache.analysed(tasks_per_leader, Filters(years=(2020,))) is not first and len(asked) == 2
    time.sleep(0.01)
    (tmp_path / "curated" / "tasks.csv").touch()  # a save changes the files: the data key, and the result
    ui.cache.analysed(tasks_per_leader, filters)
    assert len(asked) == 3 and asked[2][2] != asked[0][2]  # (function, name, data key, …)


def test_the_top_units_bars_come_from_the_shared_result_without_hashing(monkeypatch):
    from charts.units import unit_load_bar
    from loaders.frames import load_frames as load
    from loaders.curated import configured_dir

    calls = []
    by_content = ui.cache._figure
    monkeypatch.setattr(ui.cache, "_figure", lambda *args: calls.append(args) or by_content(*args))
    load_ = _shared(unit_load(select(load(configured_dir()), Filters(years=(2022,)))))
    top = ui.cache.figure_of(unit_load_bar, load_, "前5个", top=5)
    assert ui.cache.figure_of(unit_load_bar, load_, "前5个", top=5) is top and calls == []
    assert list(top.data[0].y)[::-1] == load_["unit"].head(5).tolist()  # the first five, biggest on top
    assert len(ui.cache.figure_of(unit_load_bar, load_, "前10个", top=10).data[0].y) == 10
    retitled = ui.cache.figure_of(unit_load_bar, load_, "另一个标题", top=5)  # the title is part of the key
    assert retitled is not top and retitled.layout.title.text != top.layout.title.text and calls == []


def _asks_for_the_data_key_three_times():
    import streamlit as st

    from ui.cache import data_key, forget_data_key

    keys = [data_key(), data_key()]
    forget_data_key()  # as after a save in this run
    keys.append(data_key())
    st.text("\n".join(keys))


def test_the_data_key_is_worked_out_once_per_run_and_again_after_a_save(monkeypatch):
    from streamlit.testing.v1 import AppTest

    scans = []
    scan = ui.cache._scan_data_key
    monkeypatch.setattr(ui.cache, "_scan_data_key", lambda: scans.append(1) or scan())
    app = AppTest.from_function(_asks_for_the_data_key_three_times).run()
    assert not app.exception and len(set(app.text[0].value.split("\n"))) == 1
    assert len(scans) == 2  # the first ask and the one after forget_data_key
    app.run()
    assert len(scans) == 4  # a new run looks at the files again
    assert ui.cache.data_key() and len(scans) == 5  # outside a run (a command, a test): every time


def test_charts_carry_the_shared_template_and_leader_bars_add_up_rows_of_one_bar():
    from charts.leaders import tasks_per_leader_bar
    from charts.theme import FONT_FAMILY, TEMPLATE_NAME
    from loaders.frames import load_frames as load
    from loaders.curated import configured_dir

    per_leader = tasks_per_leader(select(load(configured_dir()), Filters(years=(2022,))))
    figure = tasks_per_leader_bar(per_leader, "各位领导牵头的任务数")
    assert figure.layout.template.layout.font.family == FONT_FAMILY  # the template, though styled() no longer sets it
    import plotly.io as pio
    assert pio.templates.default == TEMPLATE_NAME
    # one row per bar (as tasks_per_leader gives) is drawn as it is; two rows of one bar are added up
    annual = per_leader[per_leader["scope"] == "annual"]
    first = figure.data[0]
    assert sorted(zip(first.y, first.x)) == sorted(zip(annual["who"], annual["tasks"]))
    doubled = pd.concat([per_leader, per_leader.head(1)])
    again = tasks_per_leader_bar(doubled, "各位领导牵头的任务数")
    row = per_leader.iloc[0]
    trace = next(t for t in again.data if t.name == SCOPE_LABELS[row["scope"]])
    assert dict(zip(trace.y, trace.x))[row["who"]] == 2 * row["tasks"]


def test_a_table_never_drops_a_column_whose_header_repeats_another():
    frame = pd.DataFrame({"unit": ["区发改局"], "单位": ["区经信局"]})  # "unit" is shown as 单位 too
    with pytest.raises(ValueError, match="单位"):
        ui.tables._prepared_table(frame, (), (), None)
