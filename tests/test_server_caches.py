"""The server-side shortcuts found with bench/load.py give the same answers as the long way."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pytest

import ui.data
import ui.show
from bench.scale_data import write_scaled
from loaders.analysis import tasks_per_leader, unit_load
from loaders.frames import load_frames
from loaders.select import Filters, select


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
    ui.data._SHARED_RESULTS.remember(frame)  # as analysed() does with what it returns
    return frame


def test_figures_of_shared_results_are_found_by_identity_and_others_by_content(monkeypatch):
    calls = []
    by_content = ui.show._figure
    monkeypatch.setattr(ui.show, "_figure", lambda *args: calls.append(args) or by_content(*args))
    result = _shared(pd.DataFrame({"name": ["甲", "乙"], "n": [3, 1]}))
    assert ui.data.is_shared_result(result) and not ui.data.is_shared_result(result.copy())
    first = ui.show.figure_of(_bars, result)
    assert list(first.data[0].y) == [3, 1]
    assert ui.show.figure_of(_bars, result) is first and calls == []  # never hashed
    assert ui.show.figure_of(_bars, result, projector=True) is not first  # options are part of the key
    made_this_run = result.copy()  # like frame.head(10): a new object each run, equal content
    by_value = ui.show.figure_of(_bars, made_this_run)
    assert ui.show.figure_of(_bars, made_this_run.copy()) is by_value and len(calls) == 2
    other = ui.show.figure_of(_bars, _shared(result.assign(n=[1, 3])))
    assert list(other.data[0].y) == [1, 3]


def test_a_table_of_a_shared_result_is_prepared_once(monkeypatch):
    prepared = []
    original = ui.show._prepared_table

    def counting(*args):
        prepared.append(original(*args))
        return prepared[-1]

    monkeypatch.setattr(ui.show, "_prepared_table", counting)
    result = _shared(pd.DataFrame({"scope": ["livelihood"], "content": ["=1+1 原样"], "signed_date": [""]}))
    ui.show.table(result)
    ui.show.table(result)
    assert len(prepared) == 1
    shown, _ = prepared[0]
    assert shown.iloc[0].tolist() == ["民生实事", "=1+1 原样", "未注明"]  # codes as words, text literal
    ui.show.table(result, {"content": "内容"})  # other headers: prepared again
    assert len(prepared) == 2 and "内容" in prepared[1][0].columns
    ui.show.table(result.copy())  # made for this run: prepared each time, never kept
    ui.show.table(result.copy())
    assert len(prepared) == 4


def test_the_top_units_bars_come_from_the_shared_result_without_hashing(monkeypatch):
    from charts.units import unit_load_bar
    from loaders.frames import load_frames as load
    from ui.data import curated_dir

    calls = []
    by_content = ui.show._figure
    monkeypatch.setattr(ui.show, "_figure", lambda *args: calls.append(args) or by_content(*args))
    load_ = _shared(unit_load(select(load(curated_dir()), Filters(years=(2022,)))))
    top = ui.show.figure_of(unit_load_bar, load_, "前5个", top=5)
    assert ui.show.figure_of(unit_load_bar, load_, "前5个", top=5) is top and calls == []
    assert list(top.data[0].y)[::-1] == load_["unit"].head(5).tolist()  # the first five, biggest on top
    assert len(ui.show.figure_of(unit_load_bar, load_, "前10个", top=10).data[0].y) == 10
    retitled = ui.show.figure_of(unit_load_bar, load_, "另一个标题", top=5)  # the title is part of the key
    assert retitled is not top and retitled.layout.title.text != top.layout.title.text and calls == []
