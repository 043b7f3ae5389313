"""How well the notice reader does on a set of notices with hand-read answers ("gold").

A notice `X.txt` (or .docx, .xlsx, .pdf) sits beside `X.gold.json`:

    {"district": "青田县", "source": "where it was published, or how it was written",
     "tasks": [{"begins": "全县地区生产总值", "leads": ["县发改局"], "supports": ["县财政局"],
                "leaders": ["王建国"], "note": "完成时限：…", "deadline": "2024-12-31"}]}

Each notice is imported the way a new user would: into a copy of the bundled dictionaries,
with only the district named and new units and leaders accepted. A task is exactly right when
it is found (its text begins with `begins`), its lead units, supporting units and leaders are
the gold's, and (when the gold gives them) its note and deadline are too; a task the reader found that the gold
does not list counts against it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.curated import DEFAULT_CURATED_DIR, SPECS
from loaders.package import UploadedFile
from loaders.reading import ReadOptions, check_notice
from loaders.text import without_spaces
from tools.notice_formats import FORMATS

NOTICE_TABLES = ("documents", "tables", "tasks", "leaders")


@dataclass
class Score:
    """One notice's result."""

    file: str
    imported: bool  # on the first try, with only the district named
    tasks: int  # in the gold
    right: int  # exactly right
    extra: int  # found by the reader, not in the gold
    targets: int = 0  # quantitative targets found in the notice's tasks
    problems: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # what differs, per task


def empty_curated(folder: Path) -> Path:
    """Return a curated folder with the bundled dictionaries and no notice in it."""
    shutil.copytree(DEFAULT_CURATED_DIR, folder)
    for name in NOTICE_TABLES:
        pd.DataFrame(columns=list(SPECS[name].columns)).to_csv(folder / SPECS[name].file, index=False)
    return folder


def score(name: str, data: bytes, gold: dict, curated: Path) -> Score:
    """Import one notice file into `curated` (a folder with no notice in it) and compare it with its gold."""
    upload = UploadedFile(name, data)
    checked = check_notice([upload], curated, ReadOptions(district=gold["district"]), accept_new=True)
    wanted = gold["tasks"]
    if checked.plan is None:
        return Score(name, False, len(wanted), 0, 0, 0, [str(p) for p in checked.problems])
    frames = checked.plan.frames
    tasks = frames.tasks
    units = frames.task_units
    leaders = frames.task_leaders
    found = {row.task_id: without_spaces(row.content) for row in tasks.itertuples()}
    used: set[str] = set()
    right, wrong = 0, []
    for number, task in enumerate(wanted, start=1):
        begins = without_spaces(task["begins"])
        task_id = next((t for t, text in found.items() if t not in used and text.startswith(begins)), None)
        if task_id is None:
            wrong.append(f"{number}. “{task['begins']}”：未读出")
            continue
        used.add(task_id)
        mine = units[units["task_id"] == task_id]
        got = {"leads": sorted(mine.loc[mine["role"] == "lead", "unit"]),
               "supports": sorted(mine.loc[mine["role"] == "support", "unit"]),
               "leaders": sorted(leaders.loc[leaders["task_id"] == task_id, "leader"])}
        for key in ("note", "deadline"):
            if key in task:
                got[key] = tasks.loc[tasks["task_id"] == task_id, key].iloc[0]
        differs = [f"{key} 应为 {want!r}，读出 {got[key]!r}" for key, want in
                   (("leads", sorted(task["leads"])), ("supports", sorted(task.get("supports", []))),
                    ("leaders", sorted(task.get("leaders", []))), ("note", task.get("note")),
                    ("deadline", task.get("deadline")))
                   if key in got and want is not None and got[key] != want]
        if differs:
            wrong.append(f"{number}. “{task['begins']}”：" + "；".join(differs))
        else:
            right += 1
    return Score(name, True, len(wanted), right, len(found) - len(used), len(frames.targets), [], wrong)


def notices(folder: Path) -> list[tuple[Path, dict]]:
    """Return each notice of a folder that has a gold file beside it, with its gold."""
    found = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[:-len(".gold.json")]
        notice = next(p for p in sorted(folder.iterdir()) if p.name.startswith(stem + ".") and p != gold_path)
        found.append((notice, json.loads(gold_path.read_text("utf-8"))))
    return found


def score_folder(folder: Path, formats: tuple[str, ...] = ("txt",)) -> list[Score]:
    """Score every notice of a folder with a gold file, as published (a .txt also laid out in `formats`)."""
    scores = []
    for notice, gold in notices(folder):
        if notice.suffix == ".txt":
            text = notice.read_text("utf-8")
            files = [(f"{notice.stem}.{kind}", FORMATS[kind](text)) for kind in formats]
        else:
            files = [(notice.name, notice.read_bytes())]
        for name, data in files:
            with tempfile.TemporaryDirectory() as scratch:
                scores.append(score(name, data, gold, empty_curated(Path(scratch) / "curated")))
    return scores
