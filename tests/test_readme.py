"""The README documents every curated column and every export column, and the quick start is real."""

import re
from pathlib import Path

from loaders.curated import SPECS
from loaders.export import CONTRACT, EXTRA

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


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    block = README.split("## 快速开始", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 2
    for command in commands:
        assert (ROOT / command.split()[-1]).exists(), command
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci
