"""Task links across years (loaders/analysis/links.py): accuracy on the hand-read set, unchanged wording,
districts kept apart, the admins' decisions saved with history, what carries on, target changes by chain."""

from pathlib import Path

import pandas as pd
import pytest

from bench.links_accuracy import GOLD, accuracy, read_gold
from loaders.analysis.links import (AUTO, accepted_links, carry_on, carry_on_counts, chains, export_links,
                                    invalid_decisions, record_decision, suggested_links, task_links, text_changes)
from loaders.analysis.targets import chain_changes
from loaders.curated import SPECS, read_curated, read_csv_text, table_bytes
from loaders.frames import load_frames
from loaders.store import restore, save_tables, versions
from tools.scale_data import write_scaled


@pytest.fixture(scope="module")
def links(frames) -> pd.DataFrame:
    return task_links(frames)


def test_hand_read_links_found_with_precision_and_recall(frames):
    gold, scored = read_gold(GOLD)
    assert len(gold) >= 40 and len(scored - {t for t, _ in gold}) >= 10  # links and clear non-links
    result = accuracy(suggested_links(frames), gold, scored)
    assert result["precision"] >= 0.9, result["false"]
    assert result["recall"] >= 0.8, result["missed"]


def test_every_link_is_within_a_district_to_an_earlier_year_of_the_same_horizon(frames, links):
    info = frames.tasks.set_index("task_id")
    assert (links["district"] == links["previous_task_id"].map(info["district"])).all()
    assert (links["previous_year"] < links["year"]).all()
    five = info["scope"] == "five_year"
    assert (links["task_id"].map(five) == links["previous_task_id"].map(five)).all()
    assert links["confidence"].between(0, 1).all()
    assert set(links["status"]) <= {"accepted", "proposed", "rejected"}
    assert (links.loc[links["status"] == "accepted", "decided_by"] == AUTO).all()
    # a task whose text the notice does not print is never linked by text
    missing = set(info.index[info["content_missing"]])
    assert not set(accepted_links(links)["previous_task_id"]) & missing


def _next_year_copy(curated: Path) -> None:
    """Add a fake 2023 notice whose tasks are 2022's, word for word."""
    tables = {name: read_csv_text(curated / spec.file) for name, spec in SPECS.items()}
    documents, table_list, tasks = tables["documents"], tables["tables"], tables["tasks"]
    doc = documents[documents["year"] == "2022"].assign(doc_no="温鹿政办〔2023〕1号", year="2023",
                                                       source_sha256="", source_file="")
    new_tables = table_list[table_list["year"] == "2022"]
    renamed = {t: t.replace("2022", "2023") for t in new_tables["table_id"]}
    new_tables = new_tables.assign(table_id=new_tables["table_id"].map(renamed), doc_no="温鹿政办〔2023〕1号", year="2023")
    new_tasks = tasks[tasks["table_id"].isin(renamed)]
    new_tasks = new_tasks.assign(task_id=new_tasks["task_id"].str.replace("2022", "2023", n=1),
                                 table_id=new_tasks["table_id"].map(renamed))
    leaders = tables["leaders"]
    leaders = pd.concat([leaders, leaders[leaders["year"] == "2022"].assign(year="2023")])
    for name, frame in (("documents", pd.concat([documents, doc])), ("tables", pd.concat([table_list, new_tables])),
                        ("tasks", pd.concat([tasks, new_tasks])), ("leaders", leaders)):
        (curated / SPECS[name].file).write_bytes(table_bytes(frame))


def test_unchanged_wording_next_year_links_every_task(curated_copy):
    _next_year_copy(curated_copy)
    frames = load_frames(curated_copy)
    links = accepted_links(task_links(frames))
    new = frames.tasks[frames.tasks["year"] == 2023]
    found = links[links["task_id"].isin(new["task_id"])]
    expected = {(t, t.replace("2023", "2022", 1)) for t in new["task_id"]}
    assert expected <= set(zip(found["task_id"], found["previous_task_id"]))
    # its own text is each task's strongest link
    strongest = found.sort_values("confidence", ascending=False).drop_duplicates("task_id")
    assert set(zip(strongest["task_id"], strongest["previous_task_id"])) == expected
    # the chain runs 2020 → 2022 → 2023
    counted = chains(frames.tasks, task_links(frames)).set_index("task_id")
    assert counted.loc["2023-annual-01-01", "years_listed"] == 3
    assert counted.loc["2023-annual-01-01", "first_year"] == 2020
    marks = carry_on(frames.tasks, task_links(frames), "鹿城区", 2020, 2023)
    assert marks.set_index("task_id").loc["2023-annual-01-01", "linked"] == ["2020-annual-001"]


def test_never_linked_across_districts(tmp_path):
    frames = load_frames(write_scaled(2, tmp_path / "curated"))
    links = task_links(frames)
    district = frames.tasks.set_index("task_id")["district"]
    assert (links["task_id"].map(district) == links["previous_task_id"].map(district)).all()
    # each district's links are its own: the same as the district alone (its own vocabulary)
    first = links[links["district"] == "鹿城区"]
    alone = task_links(load_frames())
    assert set(zip(first["task_id"], first["previous_task_id"])) == set(zip(alone["task_id"], alone["previous_task_id"]))


def test_carry_on_counts_add_up(frames, links):
    counts = carry_on_counts(frames.tasks, links, "鹿城区", 2020, 2022)
    marks = carry_on(frames.tasks, links, "鹿城区", 2020, 2022).set_index("task_id")
    # 2020 lists no five-year tasks: 2022's five-year list is not compared (neither new nor dropped)
    five = frames.tasks.loc[(frames.tasks["year"] == 2022) & (frames.tasks["scope"] == "five_year"), "task_id"]
    assert len(five) and (marks.loc[five, "status"] == "not_compared").all()
    assert counts["continued"] + counts["new"] == (frames.tasks["year"] == 2022).sum() - len(five)
    assert marks.loc["2022-annual-01-01", "status"] == "continued"
    assert marks.loc["2022-annual-01-14", "status"] == "new"  # 枫桥经验: not in 2020
    dropped = marks[marks["status"] == "dropped"]
    assert counts["dropped"] == len(dropped) and (dropped["year"] == 2020).all()


def test_a_five_year_list_of_one_notice_only_is_neither_new_nor_dropped():
    tasks = pd.DataFrame({"task_id": ["a21-1", "f21-1", "f21-2", "a22-1"], "district": ["甲区"] * 4,
                          "year": [2021, 2021, 2021, 2022], "scope": ["annual", "five_year", "five_year", "annual"]})
    links = pd.DataFrame({"task_id": ["a22-1"], "previous_task_id": ["a21-1"], "district": ["甲区"],
                          "status": ["accepted"]})
    marks = carry_on(tasks, links, "甲区", 2021, 2022).set_index("task_id")["status"].to_dict()
    assert marks == {"a22-1": "continued", "a21-1": "continued_from", "f21-1": "not_compared",
                     "f21-2": "not_compared"}
    assert carry_on_counts(tasks, links, "甲区", 2021, 2022) == {"continued": 1, "new": 0, "dropped": 0}


def test_admin_decisions_confirm_reject_and_add_with_history(curated_copy, frames, links):
    proposed = links[links["status"] == "proposed"].iloc[0]
    accepted = links[links["status"] == "accepted"].iloc[0]
    decisions, _ = read_curated(curated_copy)
    table = record_decision(decisions["task_links"], proposed["task_id"], proposed["previous_task_id"], "accepted",
                            "管理员甲", proposed["confidence"])
    table = record_decision(table, accepted["task_id"], accepted["previous_task_id"], "rejected", "管理员乙", None)
    table = record_decision(table, "2022-annual-01-14", "2020-annual-075", "accepted", "管理员甲", None)
    save_tables(curated_copy, {"task_links": table}, "任务链接", "管理员甲")
    saved = load_frames(curated_copy)
    after = task_links(saved).set_index(["task_id", "previous_task_id"])
    assert after.loc[(proposed["task_id"], proposed["previous_task_id"]), "status"] == "accepted"
    assert after.loc[(proposed["task_id"], proposed["previous_task_id"]), "decided_by"] == "管理员甲"
    assert after.loc[(accepted["task_id"], accepted["previous_task_id"]), "status"] == "rejected"
    assert after.loc[("2022-annual-01-14", "2020-annual-075"), "decided_by"] == "管理员甲"
    exported = export_links(task_links(saved))
    assert list(exported.columns) == ["task_id", "previous_task_id", "confidence", "decided_by"]
    pairs = set(zip(exported["task_id"], exported["previous_task_id"]))
    assert (accepted["task_id"], accepted["previous_task_id"]) not in pairs
    assert ("2022-annual-01-14", "2020-annual-075") in pairs
    assert set(exported["decided_by"]) == {AUTO, "管理员甲"}
    # the earlier state is a version that can be put back
    restore(curated_copy, versions(curated_copy)[0].version, by="管理员甲")
    assert load_frames(curated_copy).task_links.empty


def test_a_folder_without_task_links_reads_as_no_decisions(curated_copy):
    (curated_copy / "task_links.csv").unlink()
    assert load_frames(curated_copy).task_links.empty
    save_tables(curated_copy, {"task_links": record_decision(pd.DataFrame(columns=SPECS["task_links"].columns),
                                                             "2022-annual-01-14", "2020-annual-075", "accepted",
                                                             "管理员甲", None)}, "任务链接", "管理员甲")
    assert len(load_frames(curated_copy).task_links) == 1


def test_decisions_that_cannot_apply_are_listed_not_applied(frames, links):
    decisions = pd.DataFrame({"task_id": ["2022-annual-01-01", "2020-annual-001", "gone"],
                              "previous_task_id": ["2020-annual-002", "2022-annual-01-01", "2020-annual-001"],
                              "confidence": ["", "", ""], "decided_by": ["甲"] * 3, "status": ["", "", ""]})
    invalid = invalid_decisions(decisions, frames)
    assert list(invalid["task_id"]) == ["2020-annual-001", "gone"]


def test_text_changes_name_the_words_that_changed():
    assert text_changes("地区生产总值增长7.5%左右。", "地区生产总值增长7%以上。") == (["7.5%左右"], ["7%以上"])
    assert text_changes("同样的文字。", "同样的文字。") == ([], [])


def test_target_changes_by_chain_named_and_handed_over(frames, links):
    changes = chain_changes(frames, links, 2020, 2022).set_index(["task_id_to", "metric"])
    gdp = changes.loc[("2022-annual-01-01", "地区生产总值")]
    assert (gdp["direction"], gdp["value_from"], gdp["value_to"]) == ("lowered", 7.5, 7.0)
    assert gdp["handover"] == "交接：2020 年由虞立清牵头"
    assert set(changes["direction"]) <= {"raised", "lowered", "unchanged", "new", "dropped"}
    assert {"new", "dropped"} <= set(changes["direction"])
    # the metric pairs say it too
    pairs = frames.target_changes.set_index("metric")
    assert pairs.loc["地区生产总值", "handover"] == "交接：2020 年由虞立清牵头"
    assert pairs.loc["地区生产总值", "direction"] == "lowered"


def test_a_task_without_a_chain_is_told_why(frames, links):
    from ui.links import _no_chain

    five_year = frames.tasks[(frames.tasks["scope"] == "five_year") & (frames.tasks["year"] == 2022)]["task_id"].iloc[0]
    said = _no_chain(frames, links, five_year)
    assert "只有2022年的通知列有今后五年重点工作" in said and "新增" not in said  # nothing to compare, not "new"
    waiting = links[links["status"] == "proposed"]
    lone = set(waiting["task_id"]) - set(accepted_links(links)["task_id"]) - set(links["previous_task_id"])
    said = _no_chain(frames, links, sorted(lone)[0])
    assert "2020年的通知中没有与它对应的任务（2022年新增）" in said and "待管理员" in said


def test_the_links_page_shows_a_chosen_links_two_texts_in_full(curated_copy, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated_copy))
    password = "链接-password"
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    app.secrets["admin"] = {"password": password}
    app.run().switch_page("pages/admin.py").run()
    app.text_input(key="admin_password_input").input(password)
    next(b for b in app.button if b.label == "登录").click()
    app.run()
    app.radio(key="admin_job").set_value("跨年度任务链接").run()
    assert not app.exception, [e.message for e in app.exception]
    frames = load_frames(curated_copy)
    pending = task_links(frames)
    pending = pending[pending["status"] == "proposed"].sort_values("confidence", ascending=False)
    app.selectbox(key="links_choice").set_value(1).run()
    later, earlier = pending["task_id"].iloc[1], pending["previous_task_id"].iloc[1]
    content = frames.tasks.set_index("task_id")["content"]
    shown = [t.value for t in app.text]
    assert any(content[later] in t and t.startswith("本年任务：") for t in shown)  # the whole text, not its start
    assert any(content[earlier] in t and t.startswith("它接续的任务：") for t in shown)
    assert not any("task_id" in t or later in t for t in shown)  # labels, never ids
