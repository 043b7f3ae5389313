"""The README documents every curated column and every export column, and the quick start is real."""

import re
from pathlib import Path

from loaders.curated import SPECS
from loaders.export import CONTRACT, EXTRA
from loaders.progress import export as progress_export
from loaders.progress.status import StatusRules
from loaders.vocabulary import STATUS_LABELS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def documented(column: str) -> bool:
    return f"`{column}`" in README


def test_every_curated_column_is_documented():
    missing = [f"{spec.file}:{c}" for spec in SPECS.values() for c in spec.columns if not documented(c)]
    assert missing == []


def test_every_export_column_is_documented():
    missing = [f"{name}:{c}" for name in CONTRACT for c in CONTRACT[name] + EXTRA[name] if not documented(c)]
    assert missing == []


def test_every_progress_export_column_and_status_code_is_documented():
    contract = {**progress_export.CONTRACT}
    missing = [f"{name}:{c}" for name in contract
               for c in contract[name] + progress_export.EXTRA[name] if not documented(c)]
    missing += [f"file:{name}" for name in contract if not documented(name)]
    missing += [f"status:{code}" for code in STATUS_LABELS if not documented(code)]
    missing += [f"label:{label}" for label in STATUS_LABELS.values() if label not in README]
    assert missing == []


def test_progress_rule_thresholds_in_the_readme_are_the_defaults():
    rules = StatusRules()
    section = README.split("## 落实进度", 1)[1].split("\n## ", 1)[0]
    for value in (rules.behind_from, rules.far_behind_above):
        assert f"{value:g} 个百分点" in section
    assert f"结束后 {rules.deadline_days} 天" in section


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    block = README.split("## 快速开始", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 2
    for command in commands:
        assert (ROOT / command.split()[-1]).exists(), command
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci
