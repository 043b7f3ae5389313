"""Reading a notice as published (.docx, .xlsx/.csv of the printed table, text, .pdf) into curated tables.

    blocks.py   the file → paragraphs and table rows in reading order
    layout.py   blocks → the notice's facts, tables and one task per printed row (layouts recognised)
    build.py    → documents, tables, tasks rows with generated ids (never colliding), dates never invented
    here        new units (category inferred) and leaders, then the existing import path:
                plan_import (importing.py) → save_tables (store.py)
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from loaders.curated import SPECS, read_curated
from loaders.districts import applies_to
from loaders.importing import ImportPlan, plan_import
from loaders.package import PACKAGE_TABLES, UploadedFile
from loaders.problems import Problem
from loaders.reading.blocks import ReadError, decode_text, file_kind, read_blocks
from loaders.reading.build import UNNUMBERED, ReadOptions, Reading, build, district_of, empty_rows
from loaders.reading.categories import FALLBACK, infer_category
from loaders.reading.layout import DOC_NO, LEADER_HEADING, Reader, parse_blocks
from loaders.reading.roles import role_line, trailing_roles
from loaders.reading.unit_names import split_names
from loaders.text import without_spaces
from loaders.units import UnitDictionary, split_unit_list
from loaders.vocabulary import NOT_GIVEN

__all__ = ["NOT_GIVEN", "UNNUMBERED", "ReadOptions", "Reading", "NoticeCheck", "is_notice", "read_notice", "check_notice",
           "district_of", "infer_category", "SEPARATOR_RULES"]

SEPARATOR_RULES = ("单位、领导之间可用“、”“，”“,”“；”或换行分隔；只用空格分隔时，相邻的片段拼起来是词典中的单位就合为一个"
                   "（PDF 断行），单独的 * 属于前一个单位，单字的片段与后一个相连（“张 伟”为一人）")


def is_notice(upload: UploadedFile) -> bool:
    """Return True when a file is a notice as published, False when it is an import package of curated tables."""
    kind = file_kind(upload.name, upload.data)
    if kind in ("pdf", "docx"):
        return True
    if kind == "xlsx":
        from openpyxl import load_workbook

        from loaders.security.workbook import WorkbookRefused, scan_workbook
        try:
            scan_workbook(upload.data)  # the limits hold before openpyxl reads anything
        except WorkbookRefused:
            return False  # the package reader refuses it with the scan's message
        try:
            names = {s.strip().lower() for s in load_workbook(io.BytesIO(upload.data), read_only=True).sheetnames}
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            return False  # the package reader gives the message for a damaged workbook
        import difflib
        return not any(difflib.get_close_matches(n, PACKAGE_TABLES, n=1, cutoff=0.6) for n in names)
    stem = Path(upload.name).stem.strip().lower()
    if stem in PACKAGE_TABLES or b"\x00" in upload.data[:4096]:
        return False
    text = decode_text(upload.data[:200_000])
    if kind == "text" and Path(upload.name).suffix.lower() in (".txt", ".text", ".md", ""):
        # a .txt is a notice copied from a page, unless it is a curated table saved as text
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        return not any(first.replace(" ", "").startswith(f"{SPECS[name].columns[0]},{SPECS[name].columns[1]}")
                       for name in SPECS)
    return looks_like_notice(text)


def looks_like_notice(text: str) -> bool:
    """Return True when text has a notice's marks: a 文号, a “关于…通知” title, a leader group heading,
    or a row of table headers such as 序号、重点工作、责任单位."""
    reader = Reader("", [], [], False)
    for line in text.splitlines()[:400]:
        flat = without_spaces(line).strip(",")
        if DOC_NO.match(flat) or LEADER_HEADING.match(flat) or ("关于" in flat and flat.endswith("通知")) \
                or role_line(flat) or trailing_roles(flat)[1]:
            return True
        cells = tuple(c.strip() for c in re.split(r"[\t,]", line))
        if len([c for c in cells if c]) >= 2 and reader._header(cells) is not None:
            return True
    return False


def read_notice(upload: UploadedFile, options: ReadOptions, current: dict[str, pd.DataFrame],
                accept_new: bool = False, added_units: dict[str, str] | None = None) -> Reading:
    """Return the curated tables of one notice, with every problem found in it.

    Unknown units and leaders are problems unless accept_new (or added_units names them);
    accepted units get the category inferred from their name.
    """
    try:
        blocks = read_blocks(upload.name, upload.data)
    except ReadError as error:
        return Reading(upload.name, options.district, {}, empty_rows(), [], error.problems)
    known_leaders = sorted(set(current["leaders"]["leader"]), key=len, reverse=True)
    notice = parse_blocks(upload.name, blocks, known_leaders, options.lead_first, dict(options.column_roles))
    reading = build(notice, upload.name, upload.data, options, current)
    if reading.problems:
        return reading
    year = reading.tables["documents"]["year"].iloc[0]
    district = reading.district
    leaders, leader_problems = _leaders(reading, notice.heading_leaders, notice.heading_lines, current, year,
                                        district, accept_new, notice.leader_titles)
    units, unit_problems = _units(reading, current, district, accept_new, added_units or {})
    reading.tables["leaders"] = leaders
    reading.tables["units"] = units
    reading.problems += leader_problems + unit_problems
    return reading


def _leaders(reading: Reading, headings: dict[str, str], heading_lines: dict[str, int], current, year: str,
             district: str, accept_new: bool, printed_titles: dict[str, str]):
    """Return the leaders rows of the notice (titles from group headings), and unknown leaders as problems."""
    here = current["leaders"][current["leaders"]["district"] == district]
    known = sorted(set(here["leader"]) | set(headings), key=len, reverse=True)
    listed = {(r.leader, str(r.year)): r.title for r in here.itertuples()}
    found: dict[str, int] = {}
    for row in reading.rows.itertuples():
        for name in leader_names(row.leaders, known):
            found.setdefault(name, row.line)
    tables = reading.tables["tables"]
    if (tables["leaders_from"] == "heading").any():
        for name in headings:
            found.setdefault(name, heading_lines.get(name, 0))
    rows, problems = [], []
    for name, line in found.items():
        title = headings.get(name) or listed.get((name, year)) or printed_titles.get(name, "")
        if (name, year) not in listed and not accept_new:
            problems.append(Problem(reading.file, line or None, "leaders",
                                    f"领导“{name}”不在{district} {year} 年领导名单中",
                                    "核对姓名；确是当年领导时在预览中勾选“加入新领导”把他加入名单",
                                    value=name, code="unknown_leader"))
            continue
        rows.append({"leader": name, "year": year, "title": title, "district": district})
    reading.leaders_found = [(r["leader"], r["title"]) for r in rows]
    return pd.DataFrame(rows, columns=["leader", "year", "title", "district"]), problems


def leader_names(cell: str, known: list[str]) -> list[str]:
    """Return the leader names of a printed cell: known names first, else names split at separators."""
    names: list[str] = []
    for token in split_names(cell, units=False):
        rest = without_spaces(token)
        while rest:
            match = next((n for n in known if rest.startswith(n)), None)
            if match is None:
                names.append(rest)
                break
            names.append(match)
            rest = rest[len(match):]
    return list(dict.fromkeys(names))


def _units(reading: Reading, current, district: str, accept_new: bool, added: dict[str, str]):
    """Return new units rows (category inferred) and unknown units as problems, with suggestions
    from the same district's dictionary only."""
    units = current["units"]
    dictionary = UnitDictionary(units[units["district"].map(lambda d: applies_to(d, district))])
    unknown: dict[str, int] = {}
    for row in reading.rows.itertuples():
        for mention in split_unit_list(row.units, dictionary):
            if not mention.known and mention.unit not in added:
                unknown.setdefault(mention.unit, row.line)
    rows, problems = [], []
    for name, line in unknown.items():
        category = infer_category(name)
        closest = dictionary.closest(name)
        if accept_new:
            rows.append({"unit": name, "category": category or FALLBACK, "aliases": "", "district": district})
            continue
        hint = f"是否为“{'”或“'.join(closest)}”？" if closest else ""
        guess = f"（按名称推断为“{category}”）" if category else f"（名称看不出类别，将记为“{FALLBACK}”）"
        fix = f"{hint}改正原文中的写法；确是新单位时在预览中勾选加入单位词典并选择类别{guess}"
        problems.append(Problem(reading.file, line, "units", f"单位“{name}”不在{district}的单位词典中", fix,
                                value=name, code="unknown_unit"))
    return pd.DataFrame(rows, columns=["unit", "category", "aliases", "district"]), problems


@dataclass
class NoticeCheck:
    """A notice read and checked against the curated data: its reading, the plan, every problem."""

    readings: list[Reading]
    plan: ImportPlan | None
    problems: list[Problem]

    @property
    def new_units(self) -> pd.DataFrame:
        frames = [r.tables.get("units") for r in self.readings if "units" in r.tables]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["unit", "category"])


def check_notice(uploads: list[UploadedFile], directory: Path, options: ReadOptions, accept_new: bool = False,
                 replace_existing: bool = False, added_units: dict[str, str] | None = None) -> NoticeCheck:
    """Return the notices read and the plan of importing them (or every problem found)."""
    current, problems = read_curated(Path(directory))
    if problems:
        return NoticeCheck([], None, [replace(p, message="现有规范表有问题：" + p.message)
                                      for p in problems])
    if len(uploads) != 1:
        return NoticeCheck([], None, [Problem("、".join(u.name for u in uploads), None, None,
                                              "一次只能导入一份通知的原文", "逐个导入")])
    readings = [read_notice(u, options, current, accept_new, added_units) for u in uploads]
    problems = list(readings[0].problems)
    if problems and all(p.code in ("unknown_unit", "unknown_leader") for p in problems) and not accept_new:
        # only names new to the dictionaries: check the rest now too, so every problem shows in one pass
        trial = read_notice(uploads[0], options, current, True, added_units)
        if not trial.problems:
            _, more = plan_import(trial.package(), directory, replace=replace_existing, added_units=added_units or {})
            problems += [p for p in more if p.code not in ("unknown_unit", "unknown_leader")]
    if problems:
        return NoticeCheck(readings, None, problems)
    package = readings[0].package()
    plan, problems = plan_import(package, directory, replace=replace_existing, added_units=added_units or {})
    return NoticeCheck(readings, plan, problems)

