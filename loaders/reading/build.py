"""From a parsed notice to the curated tables of an import: bookkeeping generated, nothing invented.

Task ids, table ids, section numbers and seq are generated (ids never collide with
ids in use); 文号, year and dates come from the notice or the options, and a date
the notice does not print stays empty (shown as 未注明).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from loaders.curated import SPECS
from loaders.districts import district_of_issuer
from loaders.package import Location, Package
from loaders.problems import Problem
from loaders.progress.due_dates import due_date
from loaders.reading.layout import ParsedNotice, describe



@dataclass(frozen=True)
class ReadOptions:
    """Choices made once per import (command-line flags, or fields of the preview)."""

    district: str = ""
    doc_no: str = ""
    year: str = ""
    lead_first: bool = False  # 列第一位的责任单位为牵头单位
    column_roles: tuple[tuple[str, str], ...] = ()  # (header text, what the column is: a COLUMN_CHOICES word)
    signed_date: str = ""
    issued_date: str = ""
    issuer: str = ""


@dataclass
class Reading:
    """One notice read as published: the curated tables for it and how it was read."""

    file: str
    district: str
    tables: dict[str, pd.DataFrame]
    rows: pd.DataFrame  # one row per task: parsed fields beside the source text, with 请核对 notes
    layouts: list[str]
    problems: list[Problem]
    leaders_found: list[tuple[str, str]] = field(default_factory=list)  # (name, title) as read
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # role text under no task: (line, text)
    facts: dict[str, str] = field(default_factory=dict)  # what the notice prints (文号, 年度…), even when a problem stops it

    def package(self) -> Package:
        """Return the tables as an import package whose problems point at lines of the notice."""
        package = Package(tables={k: v.copy() for k, v in self.tables.items()})
        rows = self.rows
        package.locations = {
            "tasks": Location(self.file, None, tuple(int(x) for x in rows["line"])),
            "documents": Location(self.file, None, (int(self.tables["documents"].attrs.get("line", 1)),)),
            "tables": Location(self.file, None, tuple(self.tables["tables"].attrs.get("lines", ()))),
        }
        return package

    @property
    def unsure(self) -> pd.DataFrame:
        return self.rows[self.rows["check"] != ""]


def empty_rows() -> pd.DataFrame:
    """Return the parsed-rows frame of a notice in which nothing was read."""
    return pd.DataFrame(columns=["line", "source", "check", *SPECS["tasks"].columns])


def district_of(issuer: str) -> str:
    """Return the district named by an issuer: 温州市鹿城区人民政府办公室 → 鹿城区 ("" when none)."""
    return district_of_issuer(issuer) or ""


def build(notice: ParsedNotice, file: str, data: bytes, options: ReadOptions,
          current: dict[str, pd.DataFrame]) -> Reading:
    """Return the curated tables of a parsed notice, with ids that do not collide with current ones."""
    problems = list(notice.problems)
    year = options.year or _year(options.doc_no or notice.doc_no) or _year(notice.title) or next(
        (y for y in (_year(t.title) for t in notice.tables) if y), "") or notice.year
    district = options.district or district_of(options.issuer or notice.issuer) \
        or district_of(notice.title.split("关于")[0])
    title = notice.title or (notice.tables[0].title if notice.tables else "")
    doc_no = options.doc_no or notice.doc_no or unnumbered(title, district, year)
    if not notice.tasks and not any(p.code in ("no_header", "headless_table") for p in problems):
        problems.append(Problem(file, None, None, "找不到任何任务：" + (
            "文件中没有表格，也没有带责任单位的编号段落" if not notice.tables else "表格中没有任务行"),
            "任务应在带表头的表格中（表头如“序号、重点工作、责任单位”），或是编号段落（1. /（1））"
            "后跟“（牵头单位：…；责任单位：…）”或另起一行“责任单位：…”；扫描件请先转成文字", code="no_tasks"))
    if not title:
        title = f"{district}{year}年任务分解（原文未印标题）"
    issuer = options.issuer or notice.issuer  # may be absent: shown as 未注明
    if not district:
        problems.append(Problem(file, None, None, "无法从发文机关判断行政区（区县）",
                                "在“通知信息”中填写区县（如 鹿城区）", code="no_district"))
    if not year:
        problems.append(Problem(file, None, None, "无法确定年度（文号、标题、表名和正文开头都没有年份）",
                                "在“通知信息”中填写年度", code="no_year"))
    facts = {"doc_no": options.doc_no or notice.doc_no, "year": year, "issuer": issuer, "title": title,
             "signed_date": options.signed_date or notice.signed_date,
             "issued_date": options.issued_date or notice.issued_date}
    if problems:
        return Reading(file, district, {}, empty_rows(), [layout_line(t) for t in notice.tables],
                       problems, facts=facts)

    table_ids = _table_ids(notice, year, doc_no, current)
    task_rows, view_rows = [], []
    taken = set(current["tasks"]["task_id"]) - set(_tasks_of(doc_no, current)["task_id"])
    for table_index, table in enumerate(notice.tables):
        tasks = [t for t in notice.tasks if t.table == table_index]
        grouped = table.leaders_from == "heading"
        blocks = restart_blocks(tasks) if not grouped else [0] * len(tasks)
        width = 2 if grouped or max((t.seq for t in tasks), default=0) < 50 else 3
        restarts = max(blocks, default=0) > 1
        for task, block in zip(tasks, blocks):
            base = table_ids[table_index]
            if grouped and task.section_no:
                task_id = f"{base}-{int(task.section_no):02d}-{task.seq:0{width}d}"
            elif restarts:  # numbering restarts under each section: 2024-annual-02-01
                task_id = f"{base}-{block:02d}-{task.seq:0{width}d}"
            else:
                task_id = f"{base}-{task.seq:0{width}d}"
            if task.part:
                task_id += f"-{task.part}"
            while task_id in taken:
                task_id += "b"
            taken.add(task_id)
            row = {
                "task_id": task_id, "table_id": base, "section_no": task.section_no if task.section else "",
                "section": task.section, "subsection": task.subsection, "seq": str(task.seq), "part": task.part,
                "project": task.project, "content": task.content, "content_missing": "是" if task.content_missing else "",
                "units": task.units, "leaders": task.leaders, "note": task.note,
                "source_file": file, "source_line": str(task.line),
                "deadline": deadline_of(task.deadline, int(year)),
            }
            task_rows.append(row)
            unsure = list(task.unsure)
            if table.leaders_from == "column" and not task.leaders:
                unsure.append("原文此条未列牵头领导（其他任务列了），不计入任何领导，显示为“未列明牵头领导”")
            view_rows.append({"line": task.line, "source": task.source, "check": "；".join(unsure), **row})
    documents = pd.DataFrame([{
        "doc_no": doc_no, "year": year, "title": title,
        "issuer": issuer, "signed_date": options.signed_date or notice.signed_date,
        "issued_date": options.issued_date or notice.issued_date, "publication": notice.publication,
        "source_file": file, "attachments": notice.attachments, "lead_mark": _lead_mark(notice),
        "source_sha256": hashlib.sha256(data).hexdigest(),
    }])
    documents.attrs["line"] = notice.lines.get("doc_no", 1)
    tables = pd.DataFrame([{
        "table_id": table_ids[i], "doc_no": doc_no, "year": year, "scope": t.scope, "attachment": t.attachment,
        "title": t.title or title, "columns_printed": t.columns_printed, "leaders_from": t.leaders_from,
    } for i, t in enumerate(notice.tables) if any(task.table == i for task in notice.tasks)])
    tables.attrs["lines"] = tuple(t.line for i, t in enumerate(notice.tables) if any(x.table == i for x in notice.tasks))
    tasks = pd.DataFrame(task_rows, columns=list(SPECS["tasks"].columns))
    documents["district"] = district
    return Reading(file, district, {"documents": documents, "tables": tables, "tasks": tasks},
                   pd.DataFrame(view_rows), [layout_line(t) for i, t in enumerate(notice.tables)
                                             if any(x.table == i for x in notice.tasks)], [],
                   unplaced=list(notice.unplaced), facts=facts)


_PHRASE_START = re.compile(r"[，,；;、。\s]|开工|完工|完成|启动|建成|投用|前|底")


def deadline_of(printed: str, year: int) -> str:
    """Return a printed 完成时限 (“2024年10月底”, “6月底前”, “年底前”, “全年” = the year's end) as 年-月-日,
    or "" when it names no day (“长期坚持”). Of several (“6月底前开工，年底前完工”) the last day counts."""
    text = (printed or "")[:200]
    starts = [0, *(m.end() for m in _PHRASE_START.finditer(text))]
    found = [due[0] for start in dict.fromkeys(starts) if (due := due_date(text[start:], year))]
    return max(found).isoformat() if found else ""


def restart_blocks(tasks) -> list[int]:
    """Return, per task, the run of numbering it belongs to: a new run starts where the number
    goes back to 1 under a new section or subsection (1, 2, 1 … under （一）, （二）)."""
    blocks, block, previous = [], 1, None
    for task in tasks:
        if previous is not None and task.seq <= previous.seq and not task.part \
                and (task.section, task.subsection) != (previous.section, previous.subsection):
            block += 1
        blocks.append(block)
        previous = task
    return blocks


def layout_line(table) -> str:
    """Return "附件1《表名》：how it was read" for the messages."""
    name = table.attachment + (f"《{table.title}》" if table.title else "")
    return f"{name or '表格'}：{describe(table)}"


UNNUMBERED = "（未注明文号）"


def unnumbered(title: str, district: str, year: str) -> str:
    """Return the key of a notice printed without a 文号: says so, and names the notice (never a made-up 文号)."""
    return f"{UNNUMBERED}{title or f'{district}{year}年通知'}"


def _year(text: str) -> str:
    match = re.search(r"(20\d\d|19\d\d)", text or "")
    return match[1] if match else ""


def _lead_mark(notice: ParsedNotice) -> str:
    if notice.lead_mark:
        return notice.lead_mark
    styles = {t.lead_style for t in notice.tables}
    if "columns" in styles:
        return "牵头单位单独一列（导入时记为 *）"
    if "first" in styles:
        return "列第一位的责任单位为牵头单位（导入时选择，记为 *）"
    return ""


def _tasks_of(doc_no: str, current: dict[str, pd.DataFrame]) -> pd.DataFrame:
    tables = current["tables"][current["tables"]["doc_no"] == doc_no]["table_id"]
    return current["tasks"][current["tasks"]["table_id"].isin(tables)]


def _table_ids(notice: ParsedNotice, year: str, doc_no: str, current: dict[str, pd.DataFrame]) -> list[str]:
    """Return year-scope ids (2024-annual), with -2, -3… when another notice (or table) already has one."""
    taken = set(current["tables"].loc[current["tables"]["doc_no"] != doc_no, "table_id"])
    ids = []
    for table in notice.tables:
        base = f"{year}-{table.scope}"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids.append(candidate)
    return ids
