"""The export contract of `python -m loaders export OUTDIR` (shared/DESIGN.md)."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders.export import CONTRACT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("export")
    result = subprocess.run([sys.executable, "-m", "loaders", "export", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {name: pd.read_csv(out / name, dtype=str, keep_default_na=False, encoding="utf-8")
            for name in CONTRACT}


def test_files_and_contract_columns(exported):
    assert set(exported) == {"tasks.csv", "task_units.csv", "task_leaders.csv", "targets.csv",
                             "target_changes.csv", "task_links.csv"}
    for name, columns in CONTRACT.items():
        assert list(exported[name].columns[: len(columns)]) == columns, name


def test_codes(exported):
    assert set(exported["tasks.csv"]["scope"]) == {"annual", "five_year", "livelihood"}
    assert set(exported["task_units.csv"]["role"]) == {"lead", "support"}
    assert set(exported["task_units.csv"]["source"]) == {"table", "note"}
    assert set(exported["targets.csv"]["qualifier"]) <= {"approx", "at_least", "at_most", "exact"}
    assert set(exported["tasks.csv"]["content_missing"]) == {"True", "False"}


def test_counts(exported):
    tasks = exported["tasks.csv"]
    assert tasks.groupby(["year", "scope"]).size().to_dict() == {
        ("2020", "annual"): 96, ("2022", "annual"): 104, ("2022", "five_year"): 43, ("2022", "livelihood"): 14}
    assert tasks["task_id"].is_unique
    assert set(exported["task_units.csv"]["task_id"]) == set(tasks["task_id"])


def test_lists_are_joined_with_enumeration_comma(exported):
    row = exported["tasks.csv"].set_index("task_id").loc["2020-annual-012"]
    assert row["units"] == "区发改局、区经信局、市自然资源和规划局鹿城分局"
    assert row["lead_units"] == "区发改局、区经信局"
    assert row["leaders"] == "虞立清、全一凡"


def test_values_are_plain(exported):
    targets = exported["targets.csv"]
    row = targets[(targets["task_id"] == "2022-annual-04-02") & (targets["metric"] == "新增高校毕业生")].iloc[0]
    assert (row["value"], row["unit"]) == ("16000", "人")
    row = targets[targets["task_id"] == "2020-annual-009"].iloc[0]
    assert (row["value"], row["unit"]) == ("900", "亿元")
    row = targets[targets["task_id"] == "2020-annual-001"].iloc[0]
    assert (row["value"], row["unit"], row["qualifier"]) == ("7.5", "%", "approx")


def test_task_links_are_the_accepted_links(exported):
    links = exported["task_links.csv"]
    assert list(links.columns) == ["task_id", "previous_task_id", "confidence", "decided_by"]
    assert set(links["decided_by"]) == {"自动"}  # the bundled data holds no admin decision
    assert ("2022-annual-01-01", "2020-annual-001") in set(zip(links["task_id"], links["previous_task_id"]))
    assert links["confidence"].astype(float).between(0.5, 1).all()
    years = exported["tasks.csv"].set_index("task_id")["year"]
    assert (links["previous_task_id"].map(years) < links["task_id"].map(years)).all()
    changes = exported["target_changes.csv"]
    assert changes.set_index("metric").loc["地区生产总值", "handover"] == "交接：2020 年由虞立清牵头"
