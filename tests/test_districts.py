"""Many districts and any years: the bundled notices plus a next-year 鹿城 notice and a second district.

The two fixtures (tests/fixtures/districts/, curated layout) are imported through
the real command line (plan → check → atomic save with history). Nothing of one
district may be counted, paired or suggested in another; every comparison names
its two real years; tasks without a leader are never a person.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import cli, store
from loaders.analysis.leaders import tasks_per_leader, tasks_without_leader
from loaders.analysis.units import unit_load
from loaders.clock import local_text
from loaders.curated import DEFAULT_CURATED_DIR
from loaders.export import export_frames
from loaders.frames import load_frames
from loaders.select import Filters, select
from loaders.vocabulary import NO_LEADER

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "districts"
LUCHENG, OUHAI = "鹿城区", "瓯海区"


@pytest.fixture(scope="module")
def districts_dir(tmp_path_factory) -> Path:
    """A curated folder: the bundled data, then 鹿城 2023 and 瓯海 2022 imported through the CLI."""
    return imported_districts(tmp_path_factory.mktemp("districts") / "data")


def imported_districts(data: Path) -> Path:
    shutil.copytree(DEFAULT_CURATED_DIR, data / "curated")
    curated = data / "curated"
    for package in ("lucheng_2023", "ouhai_2022"):
        files = sorted(str(p) for p in (FIXTURES / package).glob("*.csv"))
        assert cli.main(["--curated", str(curated), "import", *files]) == 0, package
    return curated


@pytest.fixture(scope="module")
def frames(districts_dir):
    return load_frames(districts_dir)


def test_each_notice_belongs_to_its_district(frames):
    documents = frames.documents.set_index("doc_no")
    # the fixtures leave district empty: it is read from the issuer
    assert documents.loc["温鹿政办〔2023〕3号", "district"] == LUCHENG
    assert documents.loc["温瓯政办〔2022〕9号", "district"] == OUHAI
    assert set(frames.tasks["district"]) == {LUCHENG, OUHAI}
    for name in ("task_units", "task_leaders", "targets"):
        table = getattr(frames, name).merge(frames.tasks[["task_id", "district"]], on="task_id", suffixes=("", "_task"))
        assert (table["district"] == table["district_task"]).all(), name


def test_target_pairs_stay_within_a_district_and_run_between_consecutive_notices(frames):
    pairs = frames.target_changes
    ouhai_ids = set(frames.tasks.loc[frames.tasks["district"] == OUHAI, "task_id"])
    assert not (pairs["task_id_from"].isin(ouhai_ids) | pairs["task_id_to"].isin(ouhai_ids)).any()
    gdp = pairs[(pairs["metric"] == "地区生产总值") & (pairs["scope"] == "annual")]
    assert list(zip(gdp["year_from"], gdp["year_to"], gdp["value_from"], gdp["value_to"])) == [
        (2020, 2022, 7.5, 7.0), (2022, 2023, 7.0, 6.0)]
    assert set(gdp["district"]) == {LUCHENG}
    # the pairs of the bundled notices are unchanged by the new notices
    bundled = load_frames().target_changes
    old = pairs[pairs["year_to"] == 2022].drop(columns="district").reset_index(drop=True)
    pd.testing.assert_frame_equal(old, bundled.drop(columns="district").reset_index(drop=True))


def test_a_unit_name_in_two_districts_is_two_units(frames):
    units = frames.task_units
    ouhai = unit_load(select(frames, Filters(district=OUHAI)))
    lucheng_2022 = unit_load(select(frames, Filters(district=LUCHENG, years=(2022,))))
    expected_ouhai = units[(units["district"] == OUHAI) & (units["unit"] == "区发改局")]["task_id"].nunique()
    assert int(ouhai.set_index("unit").loc["区发改局", "total"]) == expected_ouhai == 2
    expected_lucheng = units[(units["district"] == LUCHENG) & (units["year"] == 2022)
                             & (units["unit"] == "区发改局")]["task_id"].nunique()
    assert int(lucheng_2022.set_index("unit").loc["区发改局", "total"]) == expected_lucheng
    assert set(ouhai["unit"]) == {"区发改局", "区统计局", "区科技局", "区经信局", "娄桥街道"}


def test_tasks_without_leaders_are_counted_apart_and_never_a_person(frames):
    ouhai = select(frames, Filters(district=OUHAI))
    assert tasks_without_leader(ouhai) == 3
    assert tasks_per_leader(ouhai).empty
    assert NO_LEADER not in set(frames.task_leaders["leader"])
    assert tasks_without_leader(select(frames, Filters(district=LUCHENG))) == 0


def test_labels_name_the_district_when_there_are_several(frames):
    labels = frames.tasks.set_index("task_id")["label"]
    assert labels["2023-annual-001"] == "鹿城区·2023年度(1)"
    assert labels["ouhai-2022-annual-003"] == "瓯海区·2022年度(3)"
    assert labels["2022-annual-01-01"] == "鹿城区·2022年度·一(1)"
    assert load_frames().tasks.set_index("task_id")["label"]["2022-annual-01-01"] == "2022年度·一(1)"


def test_the_export_names_the_district_on_every_contract_file(frames):
    exported = export_frames(frames)
    for name in ("tasks.csv", "task_units.csv", "task_leaders.csv", "targets.csv", "target_changes.csv"):
        assert "district" in exported[name].columns, name
    tasks = exported["tasks.csv"].set_index("task_id")
    assert tasks.loc["ouhai-2022-annual-001", "district"] == OUHAI
    assert tasks.loc["ouhai-2022-annual-001", "leaders"] == ""


def test_unknown_units_are_looked_up_in_the_notice_district_only(districts_dir, tmp_path, capsys):
    """区六重办 is a 鹿城 unit: a 瓯海 notice naming it is told it is unknown in 瓯海."""
    package = tmp_path / "ouhai_2023"
    shutil.copytree(FIXTURES / "ouhai_2022", package)
    for name in ("documents.csv", "tables.csv", "tasks.csv"):
        path = package / name
        path.write_text(path.read_text("utf-8").replace("〔2022〕", "〔2023〕").replace("2022", "2023"), "utf-8")
    (package / "units.csv").unlink()
    tasks = package / "tasks.csv"
    tasks.write_text(tasks.read_text("utf-8").replace("区统计局", "区六重办"), "utf-8")
    files = [str(p) for p in sorted(package.glob("*.csv"))]
    assert cli.main(["--curated", str(districts_dir), "validate", *files]) == 1
    captured = capsys.readouterr()
    assert "单位“区六重办”不在瓯海区的单位词典中" in captured.out + captured.err


def test_history_and_restore_work_per_district(tmp_path):
    curated = imported_districts(tmp_path / "data")  # a store of its own: the restore changes it
    history = store.versions(curated)
    assert [v.tasks for v in history][:2] == [261, 257]  # newest first: before 瓯海 2022, before 鹿城 2023
    store.restore(curated, history[0].version)
    restored = load_frames(curated)
    assert set(restored.tasks["district"]) == {LUCHENG} and len(restored.tasks) == 261


# --- the screens -------------------------------------------------------------------------------


def open_page(directory: Path, monkeypatch, page: str, **query) -> AppTest:
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(directory))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params.update(query)
    app.run()
    if page != "pages/overview.py":
        app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def metric(app: AppTest, label: str) -> list[str]:
    return [m.value for m in app.metric if m.label == label]


def test_the_district_filter_appears_and_defaults_to_the_latest_year(districts_dir, monkeypatch):
    app = open_page(districts_dir, monkeypatch, "pages/overview.py")
    assert app.selectbox(key="district").options == [LUCHENG, OUHAI]
    assert app.selectbox(key="year").value == "2023"
    assert metric(app, "任务（项）") == ["4"]
    app = open_page(districts_dir, monkeypatch, "pages/overview.py", district=OUHAI)
    assert app.selectbox(key="year").value == "2022"
    assert metric(app, "任务（项）") == ["3"]
    assert metric(app, "牵头领导（人）") == ["0"]
    # a year of the district, all years: the other district's notices never appear
    app = open_page(districts_dir, monkeypatch, "pages/overview.py", district=OUHAI, year="全部")
    assert metric(app, "任务（项）") == ["3"]


def test_the_leaders_page_says_how_many_tasks_name_no_leader(districts_dir, monkeypatch):
    app = open_page(districts_dir, monkeypatch, "pages/leaders.py", district=OUHAI)
    assert any("3 项任务" in i.value and "未列明牵头领导" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_the_targets_page_compares_the_latest_two_years_and_names_them(districts_dir, monkeypatch):
    app = open_page(districts_dir, monkeypatch, "pages/targets.py")
    assert not app.dataframe  # the change table waits until asked for
    app.session_state["targets_view"] = "变化明细"  # a click on it
    app.run()
    [pairs] = [t.value for t in app.dataframe if "2023年目标" in t.value.columns]
    assert list(pairs.columns[:4]) == ["指标", "计量单位", "2022年目标", "2023年目标"]
    gdp = pairs.set_index("指标").loc["地区生产总值"]
    assert (gdp["2022年目标"], gdp["2023年目标"], gdp["方向"]) == ("7%以上", "6%左右", "降低")
    assert gdp["2023年任务"] == "鹿城区·2023年度(1)"
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert any("2022年 → 2023年" in spec for spec in titles)
    assert not any("2020年 → 2022年" in spec for spec in titles)
    # the user picks other years: the bundled pair
    app.selectbox(key="year_from").select("2020").run()
    app.selectbox(key="year_to").select("2022").run()
    [pairs] = [t.value for t in app.dataframe if "2020年目标" in t.value.columns]
    assert len(pairs) == len(load_frames().target_changes)


def test_a_district_with_one_year_says_it_cannot_compare(districts_dir, monkeypatch):
    app = open_page(districts_dir, monkeypatch, "pages/targets.py", district=OUHAI)
    assert any("至少要有两个年度" in i.value for i in app.info)
    assert not [t for t in app.dataframe if "2022年目标" in t.value.columns]


def test_the_meeting_deck_is_for_one_district(districts_dir, monkeypatch):
    app = open_page(districts_dir, monkeypatch, "pages/meeting.py", deck_district=OUHAI)
    assert app.selectbox(key="deck_year").value == "2022"
    assert any("汇报对象：瓯海区" in t.value for t in app.text)
    assert metric(app, "任务（项）") == ["3"]


def test_every_page_says_when_the_data_were_last_saved(districts_dir, monkeypatch):
    latest = store.versions(districts_dir)[0]
    for page in ("pages/overview.py", "pages/targets.py", "pages/meeting.py"):
        app = open_page(districts_dir, monkeypatch, page)
        stamps = [c.value.replace("\\", "") for c in app.sidebar.caption if c.value.startswith("数据更新于")]
        # saved in UTC, said in the district's time (tests/test_one_clock.py checks the conversion itself)
        assert stamps == [f"数据更新于 {local_text(latest.saved_at)}（{latest.action}）"], page


def test_a_district_with_few_units_shows_them_all_without_a_slider(districts_dir, monkeypatch, frames):
    units = frames.task_units
    ouhai = units.loc[units["district"] == OUHAI, "unit"].nunique()
    app = open_page(districts_dir, monkeypatch, "pages/units.py", district=OUHAI)
    assert not [s for s in app.slider if s.key == "units_top"]
    assert [c.value for c in app.caption if "全部列出" in c.value] == [f"共 {ouhai} 个责任单位（不含统称），全部列出。"]
    [spec] = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    assert f"全部{ouhai}个" in spec["layout"]["title"]["text"]
    assert len(spec["data"][0]["y"]) == ouhai
    # 鹿城 2022 has many units: the slider stays and the chart shows the top 25
    app = open_page(districts_dir, monkeypatch, "pages/units.py", district=LUCHENG, year="2022")
    assert app.slider(key="units_top").value == 25
    [spec] = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    assert "前25个" in spec["layout"]["title"]["text"] and len(spec["data"][0]["y"]) == 25


def test_empty_tables_are_said_in_words_not_drawn_with_streamlits_english_placeholder():
    from loaders.vocabulary import EMPTY_TABLE

    app = AppTest.from_function(_empty_table).run()
    assert not app.exception and not app.dataframe
    assert [t.value for t in app.text] == [EMPTY_TABLE]


def _empty_table():
    import pandas as pd

    from ui.tables import table

    table(pd.DataFrame({"label": pd.Series([], dtype=str)}))
