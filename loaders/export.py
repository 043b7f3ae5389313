"""The CSV export contract (see README “导出约定”): files, columns and codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.analysis.links import export_links, task_links
from loaders.frames import Frames

# Users' scripts rely on these names: columns may be added, never renamed.
CONTRACT: dict[str, list[str]] = {
    "tasks.csv": ["task_id", "year", "doc_no", "scope", "section", "subsection", "seq", "project",
                  "content", "content_missing", "leaders", "units", "lead_units", "note", "district"],
    "task_units.csv": ["task_id", "unit", "unit_raw", "capacity", "category", "role", "source", "district"],
    "task_leaders.csv": ["task_id", "leader", "title", "district"],
    "targets.csv": ["task_id", "year", "scope", "metric", "value", "unit", "qualifier", "phrase", "district"],
    "target_changes.csv": ["metric", "unit", "scope", "year_from", "value_from", "year_to",
                           "value_to", "change", "district"],
    # accepted links across years (loaders/analysis/links.py); decided_by 自动 or the admin who decided
    "task_links.csv": ["task_id", "previous_task_id", "confidence", "decided_by"],
}
EXTRA: dict[str, list[str]] = {
    "tasks.csv": ["table_id", "section_no", "part", "support_units", "source_file", "source_line", "n_targets",
                  "deadline"],
    "task_units.csv": ["is_placeholder"],
    "task_leaders.csv": [],
    "targets.csv": ["target_no", "kind", "per_year_average"],
    "target_changes.csv": ["qualifier_from", "qualifier_to", "direction", "task_id_from", "task_id_to", "kind",
                           "handover"],
    "task_links.csv": [],
}


def plain_number(value: float) -> str:
    """Return a number as written by people: 16000 not 16000.0, 7.5 stays 7.5."""
    if pd.isna(value):
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


NUMBER_COLUMNS = ("value", "value_from", "value_to", "change", "confidence")


def export_frames(frames: Frames) -> dict[str, pd.DataFrame]:
    """Return the contract tables, contract columns first, numbers written plainly."""
    sources = {
        "tasks.csv": frames.tasks,
        "task_units.csv": frames.task_units,
        "task_leaders.csv": frames.task_leaders,
        "targets.csv": frames.targets,
        "target_changes.csv": frames.target_changes,
        "task_links.csv": export_links(task_links(frames)),
    }
    tables = {}
    for name, frame in sources.items():
        table = frame[CONTRACT[name] + EXTRA[name]].copy()
        for column in NUMBER_COLUMNS:
            if column in table:
                table[column] = table[column].map(plain_number)
        tables[name] = table
    return tables


def write_export(frames: Frames, out_dir: Path) -> list[Path]:
    """Write the contract CSVs (UTF-8) into out_dir and return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in export_frames(frames).items():
        path = out_dir / name
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written
