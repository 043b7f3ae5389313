"""The server-side shortcuts found with bench/load.py give the same answers as the long way."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pytest

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


def test_a_figure_of_the_same_object_is_not_hashed_again(monkeypatch):
    calls = []
    by_content = ui.show._figure

    def counting(*args):
        calls.append(args)
        return by_content(*args)

    monkeypatch.setattr(ui.show, "_figure", counting)
    shared = pd.DataFrame({"name": ["甲", "乙"], "n": [3, 1]})
    first = ui.show.figure_of(_bars, shared)
    assert ui.show.figure_of(_bars, shared) is first and len(calls) == 1  # by identity: no content hash
    assert ui.show.figure_of(_bars, shared.copy()) is first and len(calls) == 2  # equal content: the shared figure
    changed = shared.assign(n=[1, 3])
    other = ui.show.figure_of(_bars, changed)
    assert other is not first and list(other.data[0].y) == [1, 3]
    assert ui.show.figure_of(_bars, shared, projector=True) is not first  # options are part of the key


def test_a_figure_of_a_new_shared_result_is_built_without_hashing(monkeypatch):
    import ui.data

    calls = []
    by_content = ui.show._figure
    monkeypatch.setattr(ui.show, "_figure", lambda *args: calls.append(args) or by_content(*args))
    result = pd.DataFrame({"name": ["丙", "丁"], "n": [2, 5]})
    ui.data._SHARED_RESULTS.remember(result)  # as analysed() does with what it returns
    assert ui.data.is_shared_result(result) and not ui.data.is_shared_result(result.copy())
    figure = ui.show.figure_of(_bars, result)
    assert calls == [] and list(figure.data[0].y) == [2, 5]
    assert ui.show.figure_of(_bars, result) is figure and calls == []
    ui.show.figure_of(_bars, result.copy())  # not a shared result: looked up by content
    assert len(calls) == 1


def test_a_table_of_the_same_object_is_prepared_once(monkeypatch):
    prepared = []
    original = ui.show._prepared_table

    def counting(*args):
        prepared.append(original(*args))
        return prepared[-1]

    monkeypatch.setattr(ui.show, "_prepared_table", counting)
    shared = pd.DataFrame({"scope": ["livelihood"], "content": ["=1+1 原样"], "signed_date": [""]})
    ui.show.table(shared)
    ui.show.table(shared)
    assert len(prepared) == 1
    shown, _ = prepared[0]
    assert shown.iloc[0].tolist() == ["民生实事", "=1+1 原样", "未注明"]  # codes as words, text literal
    ui.show.table(shared.copy())  # another object: prepared again (its content is not hashed)
    ui.show.table(shared, {"content": "内容"})  # other headers: prepared again
    assert len(prepared) == 3
    assert list(prepared[1][0].columns) == list(shown.columns) and "内容" in prepared[2][0].columns
