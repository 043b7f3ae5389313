"""Looking inside an XLSX before reading it: every limit is checked before the work it bounds.

An XLSX is a zip of XML parts. Its compressed size says little: 321 KB can hold
one 300 MB string, 153 KB a million rows. `scan_workbook` checks, in order:

    the zip directory: number of parts, the uncompressed size of each part and of all
    → every XML part parsed as a stream with defusedxml (no DTD, so no entity expansion
      and no external entities; malformed XML is a clear problem, not a traceback)
    → per worksheet: rows and cells counted while streaming, stopping at the limit;
      merged cells collected (openpyxl's read-only mode does not report them)

Only a workbook that passes is handed to openpyxl (read-only, streamed).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import column_index_from_string

MAX_PARTS = 500
MAX_PART_BYTES = 20 * 1024 * 1024  # a sheet of a few thousand tasks is about 2 MB of XML
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_ROWS = 10_000  # per worksheet; a notice has at most a few thousand tasks
MAX_CELLS = 200_000  # per worksheet: 10,000 rows of 20 columns
MAX_COLUMNS = 200  # the last column a cell may be in (openpyxl pads every row to the widest one)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_FIX_SAVE = "用 Excel 或 WPS 打开后重新“另存为”.xlsx，只保留 documents、tables、tasks 等工作表"


class WorkbookRefused(Exception):
    """The workbook breaks a limit or is not well-formed; the message says which and how to fix it."""

    def __init__(self, message: str, fix: str = _FIX_SAVE, sheet: str | None = None):
        super().__init__(message)
        self.message, self.fix, self.sheet = message, fix, sheet


@dataclass
class WorkbookScan:
    """What the scan learnt: per worksheet title, its rows and its merged ranges (A1:B2)."""

    rows: dict[str, int] = field(default_factory=dict)
    merged: dict[str, list[str]] = field(default_factory=dict)


def scan_workbook(data: bytes) -> WorkbookScan:
    """Return the rows and merged ranges of each worksheet; WorkbookRefused when a limit or the XML is broken."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise WorkbookRefused(f"无法作为 XLSX 工作簿打开（{error.__class__.__name__}）") from None
    with archive:
        _check_sizes(parts)
        sheets = _sheet_parts(archive)
        scan = WorkbookScan()
        for part in parts:
            if not part.filename.endswith((".xml", ".rels")):
                continue
            title = sheets.get(part.filename)
            if title is None:
                _parse(archive, part.filename, None)
            else:
                rows, merged = _parse(archive, part.filename, title)
                scan.rows[title], scan.merged[title] = rows, merged
        return scan


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise WorkbookRefused(f"工作簿内部有 {len(parts)} 个部件，超过 {MAX_PARTS} 个的上限")
    for part in parts:
        # zipfile never inflates a part beyond its declared size (a larger stream fails its CRC check)
        if part.file_size > MAX_PART_BYTES:
            raise WorkbookRefused(
                f"工作簿内部的“{part.filename}”解压后有 {part.file_size / 1024 / 1024:.0f} MB，"
                f"超过 {MAX_PART_BYTES // 1024 // 1024} MB 的上限（一份通知的表解压后不到 5 MB）",
                "检查是否误粘贴了整篇文件或大量空行；一次导入一份通知")
    total = sum(part.file_size for part in parts)
    if total > MAX_TOTAL_BYTES:
        raise WorkbookRefused(f"工作簿解压后共 {total / 1024 / 1024:.0f} MB，超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB 的上限",
                              "删去与责任分解表无关的工作表、图片和格式后再试")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return {part name: worksheet title} from xl/workbook.xml and its relationships."""
    try:
        names = archive.namelist()
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return {}
        targets = {}
        for _, element in _events(archive, "xl/_rels/workbook.xml.rels"):
            if element.tag.endswith("Relationship"):
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[element.get("Id")] = target
        return {targets[element.get(_RELATIONSHIP)]: element.get("name", "")
                for _, element in _events(archive, "xl/workbook.xml")
                if element.tag == f"{_MAIN}sheet" and element.get(_RELATIONSHIP) in targets}
    except (ParseError, DefusedXmlException) as error:
        raise _xml_refused("xl/workbook.xml", None, error) from None


def _events(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as stream:
        yield from iterparse(stream, events=("end",), forbid_dtd=True)


def _parse(archive: zipfile.ZipFile, name: str, title: str | None) -> tuple[int, list[str]]:
    """Stream one XML part; for a worksheet, count rows and cells and collect merged ranges."""
    rows = cells = 0
    merged: list[str] = []
    try:
        for _, element in _events(archive, name):
            if title is None:
                element.clear()
                continue
            tag = element.tag
            if tag == f"{_MAIN}c":
                cells += 1
                if cells > MAX_CELLS:
                    raise WorkbookRefused(f"单元格超过 {MAX_CELLS} 个", _fix_rows(), sheet=title)
                if _column_of(element.get("r", "")) > MAX_COLUMNS:
                    raise WorkbookRefused(f"单元格 {element.get('r')} 超出第 {MAX_COLUMNS} 列",
                                          "删去表格右侧的无关内容", sheet=title)
            elif tag == f"{_MAIN}row":
                rows += 1
                number = _number(element.get("r"))
                element.clear()
                # openpyxl fills the rows skipped before a numbered row: the number counts, not the elements
                if max(rows, number) > MAX_ROWS:
                    raise WorkbookRefused(f"超过 {MAX_ROWS} 行（一份通知最多几千项任务）",
                                          _fix_rows(), sheet=title)
            elif tag == f"{_MAIN}mergeCell":
                merged.append(element.get("ref", ""))
    except (ParseError, DefusedXmlException) as error:
        raise _xml_refused(name, title, error) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:  # a damaged or lying part
        where = "工作表内容" if title else f"工作簿内部的“{name}”"
        raise WorkbookRefused(f"{where}已损坏（{error.__class__.__name__}）", sheet=title) from None
    return rows, merged


def _column_of(reference: str) -> int:
    letters = re.match(r"[A-Za-z]{1,3}", reference)
    return column_index_from_string(letters.group(0).upper()) if letters else 0


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0


def _fix_rows() -> str:
    return "删去表格下方的空行和无关内容（Excel/WPS：选中多余的行 → 删除），一次导入一份通知"


def _xml_refused(name: str, title: str | None, error: Exception) -> WorkbookRefused:
    where = "工作表内容" if title else f"工作簿内部的“{name}”"  # the problem names the sheet
    if isinstance(error, DefusedXmlException):
        return WorkbookRefused(f"{where}含有 XML 实体或文档类型声明（DTD），出于安全原因不予读取",
                               "正常的 Excel/WPS 文件不含这些声明；" + _FIX_SAVE, sheet=title)
    position = getattr(error, "position", None)
    at = f"（第 {position[0]} 行第 {position[1]} 列）" if position else ""
    return WorkbookRefused(f"{where}的 XML 内容有误{at}，文件可能已损坏", _FIX_SAVE, sheet=title)
