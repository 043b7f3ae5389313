"""A published notice as a sequence of blocks: paragraphs and table rows, in reading order.

Every input format (plain text copied from a PDF or web page, .docx, .xlsx/.csv,
.pdf with a text layer) becomes the same list of blocks, so one interpreter
(layout.py) reads them all. A block remembers where it came from (line, paragraph
or row number) and its text as printed, for the preview.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from loaders.problems import Problem

_TAGS = re.compile(r"</?p>")
# PDF text often carries radical code points instead of the characters (⼈ for 人, ⺠ for 民):
# Kangxi radicals fold by NFKC; the CJK radicals supplement has no decomposition, so it is listed here
_SUPPLEMENT = str.maketrans(dict(zip(
    "⺁⺇⺊⺌⺎⺒⺓⺔⺖⺗⺘⺙⺛⺝⺟⺠⺡⺢⺣⺤⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺲⺳⺶⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻞⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂几卜小兀巳幺彐忄心扌攵旡月母民氵氺灬爫牛犭王疋目示礻竹糸纟罒网羊耂肀聿月臼艹艹艹虎衤西西见角讠贝足车辶辶辶阝钅長长门阝雨青韦页风飞食食饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟")))
_KANGXI = re.compile("[\u2f00-\u2fd5]")


# a glyph the CJK fonts share between two code points, which a PDF's text layer may name by the other one
_SHARED_GLYPHS = str.maketrans({"戶": "户"})


def fold_radicals(text: str) -> str:
    """Return text with radical code points (as PDFs write them) turned into the ordinary characters."""
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)
    return text.translate(_SUPPLEMENT).translate(_SHARED_GLYPHS)


@dataclass(frozen=True)
class Block:
    """One paragraph (one cell) or one table row (its cells) of a notice."""

    kind: str  # "para" or "row"
    cells: tuple[str, ...]
    line: int  # line of a text file, row of a sheet, paragraph/row count of a .docx, line of a PDF's text
    source: str  # as printed, for showing beside the parsed row

    @property
    def text(self) -> str:
        return self.cells[0] if self.kind == "para" else " ".join(c for c in self.cells if c)


class ReadError(Exception):
    """Raised when a file cannot be read as a notice; holds the problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def clean_cell(cell: str) -> str:
    """Return a cell without PDF-extraction tags, whitespace collapsed (line breaks kept as one space)."""
    return re.sub(r"[ \t\u3000\xa0]+", " ", _TAGS.sub(" ", fold_radicals(cell))).strip()


def clean_lines(cell: str) -> str:
    """Return a cell cleaned like clean_cell but keeping its line breaks (they may separate units)."""
    lines = [clean_cell(part) for part in re.split(r"[\r\n]+", _TAGS.sub(" ", fold_radicals(cell)))]
    return "\n".join(line for line in lines if line)


def decode_text(data: bytes) -> str:
    """Return the text of a file saved as UTF-8 or in the Chinese Windows code page (GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")  # pragma: no cover - gb18030 decodes anything


def from_text(text: str) -> list[Block]:
    """Return the blocks of plain text: a line with tabs is a table row, any other non-empty line a paragraph.

    Text copied from a PDF breaks lines inside sentences: a line continues the paragraph before
    when that paragraph is a numbered item or a role line still open (it ends on no stop, colon
    or closing bracket) and the line starts nothing new (no number, no role label, no 附件).
    """
    blocks: list[Block] = []
    paragraph_ends = 0  # the line the last paragraph ends on
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw:
            cells = tuple(clean_cell(c) for c in raw.rstrip("\r\n").split("\t"))
            if any(cells):
                blocks.append(Block("row", cells, number, raw.strip("\r\n")))
        elif raw.strip():
            line = clean_cell(raw)
            last = blocks[-1] if blocks and blocks[-1].kind == "para" and paragraph_ends == number - 1 else None
            if last is not None and _still_open(last.cells[0]) and not _NEW_ITEM.match(line):
                blocks[-1] = Block("para", (last.cells[0] + line,), last.line, last.source + raw.strip())
            else:
                blocks.append(Block("para", (line,), number, raw.strip()))
            paragraph_ends = number
    return blocks


_OPEN_END = re.compile(r"[。；;：:！!？?）)】\]」』”]$")
_DOC_NO_END = re.compile(r"[〔\[［（(]\d{4}[〕\]］）)]\d+号$")  # “文件编号：丽政办发〔2021〕12号” is whole


def _still_open(paragraph: str) -> bool:
    """True when a paragraph is an item or role line cut short (it ends on no stop, colon or closing bracket)."""
    return (bool(_NEW_ITEM.match(paragraph)) and not _OPEN_END.search(paragraph) and len(paragraph) >= 12
            and not _DOC_NO_END.search(paragraph))


def from_rows(rows: list[list[str]], first_line: int = 1) -> list[Block]:
    """Return the blocks of a sheet: a row with one filled cell is a paragraph (a title), others table rows.

    Cells continuing a merged cell arrive empty; the interpreter carries the value down.
    """
    blocks = []
    for number, row in enumerate(rows, start=first_line):
        cells = tuple(clean_lines(str(c)) if c is not None else "" for c in row)
        while cells and not cells[-1]:
            cells = cells[:-1]
        filled = [c for c in cells if c]
        if not filled:
            continue
        source = "\t".join(cells)
        if len(filled) == 1 and cells[0] == filled[0] and not re.fullmatch(r"\d+", filled[0]) and len(cells) == 1:
            blocks.append(Block("para", (filled[0],), number, source))
        else:
            blocks.append(Block("row", cells, number, source))
    return blocks


def from_csv(data: bytes, name: str) -> list[Block]:
    """Return the blocks of a CSV copy of the printed table."""
    try:
        rows = list(csv.reader(io.StringIO(decode_text(data), newline="")))
    except csv.Error as error:
        raise ReadError([Problem(name, None, None, f"无法按 CSV 读取（{error}）",
                                 "在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”")]) from error
    return from_rows(rows)


def from_xlsx(data: bytes, name: str) -> list[Block]:
    """Return the blocks of every worksheet of an .xlsx copy of the printed table, merged cells carried down."""
    from openpyxl import load_workbook

    from loaders.security.workbook import WorkbookRefused, scan_workbook
    try:
        scan_workbook(data)  # sizes, rows and XML checked (no entity expansion) before openpyxl reads it
    except WorkbookRefused as refused:
        raise ReadError([Problem(name, None, None, refused.message, refused.fix, sheet=refused.sheet)]) from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReadError([Problem(name, None, None, f"无法作为 XLSX 工作簿打开（{error.__class__.__name__}）",
                                 "用 Excel 或 WPS 打开后重新“另存为”.xlsx")]) from error
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        # a merged cell's value sits in its top-left cell: a merge across a row is a title,
        # a merge down a column (项目, 序号) continues the value, as printed
        for merged in sheet.merged_cells.ranges:
            if merged.min_row == merged.max_row:
                continue
            for r in range(merged.min_row + 1, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    rows[r - 1][c - 1] = _CONTINUED if c == merged.min_col else None
        blocks += from_rows([[_cell_value(v) for v in row] for row in rows])
    return blocks


_CONTINUED = "\x00continued"  # a cell covered by the merged cell above


def _cell_value(value) -> str | None:
    if value is None:
        return None
    if value == _CONTINUED:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_docx(data: bytes, name: str) -> list[Block]:
    """Return the paragraphs and table rows of a .docx (Word/WPS) in document order.

    A cell merged down (a 项目 spanning rows) is read once, in its first row; a cell
    merged across repeats in python-docx and is read once too.
    """
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a damaged package
        raise ReadError([Problem(name, None, None, f"无法作为 Word 文档打开（{error.__class__.__name__}）",
                                 "用 Word 或 WPS 打开后另存为 .docx（Word 文档）")]) from error
    blocks: list[Block] = []
    number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            number += 1
            text = clean_cell(item.text)
            if text:
                blocks.append(Block("para", (text,), number, item.text))
            continue
        assert isinstance(item, Table)
        above: list = []
        for row in item.rows:
            number += 1
            cells, seen, elements = [], set(), []
            for position, cell in enumerate(row.cells):
                element = cell._tc
                elements.append(element)
                if id(element) in seen:  # merged across: python-docx repeats the cell
                    continue
                seen.add(id(element))
                # merged down: python-docx gives the top cell again in the rows below it
                continued = position < len(above) and above[position] is element
                cells.append("" if continued else clean_lines(cell.text))
            above = elements
            if any(cells):
                blocks.append(Block("row", tuple(cells), number, "\t".join(c.replace("\n", " ") for c in cells)))
    return blocks


# the start of a new paragraph, where a PDF line is not the continuation of the one before
_NEW_ITEM = re.compile(r"^(?:\d{1,3}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+、|[\u2460-\u2473]"
                       r"|附\s*件|[\u4e00-\u9fff]{0,8}(?:领导|单位|部门|负责人|分工)\s*[:：]|[\u4e00-\u9fff]{1,6}[:：])")


def _char_width(line: dict) -> float:
    text = line["text"].replace(" ", "")
    return (line["x1"] - line["x0"]) / max(len(text), 1)


def _cell_text(page, box) -> str | None:
    """Return a table cell's text with the lines that wrapped at the cell's edge joined again, and a line
    break kept only where the line ended before the edge (“省人力资源社 / 会保障厅” is one name)."""
    try:
        x0, top, x1, bottom = box  # a character belongs to the cell its centre is in (a wide “）” may stick out)
        lines = page.filter(lambda obj: x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1
                            and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom).extract_text_lines()
    except ValueError:
        return None
    text = ""
    for line in lines:
        if text and not text.endswith("\x00"):
            text += "\n"
        text = text.rstrip("\x00") + line["text"]
        if line["x1"] >= box[2] - 1.6 * _char_width(line) - 2:
            text += "\x00"  # ran to the edge: the next line continues it
    return text.replace("\x00", "")


def from_pdf(data: bytes, name: str) -> list[Block]:
    """Return the text lines and table rows of a PDF with a text layer (pdfplumber), page by page."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the reader's business

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises several kinds (PDFSyntaxError, PdfminerException…) for a damaged file
        raise ReadError([Problem(name, None, None, f"无法作为 PDF 打开（{error.__class__.__name__}）",
                                 "用原始的 Word/WPS 文件导入，或重新导出 PDF")]) from error
    blocks: list[Block] = []
    number = 0
    with pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj, boxes=boxes):
                return not any(b[0] <= obj["x0"] and obj["x1"] <= b[2] and b[1] <= obj["top"] and obj["bottom"] <= b[3]
                               for b in boxes)

            lines = page.filter(outside).extract_text_lines()
            right = max((line["x1"] for line in lines), default=0)
            items = [(line["top"], "para", (line["text"], line["x1"] >= right - 2 * _char_width(line)))
                     for line in lines]
            for table in tables:
                for top, row in zip((r.bbox[1] for r in table.rows), table.extract()):
                    items.append((top, "row", row))
                for position, row in enumerate(table.rows):  # where a cell's line ran to its edge, it wrapped
                    texts = [_cell_text(page, box) if box else None for box in row.cells]
                    found = next(i for i, item in enumerate(items) if item[1] == "row" and item[0] == row.bbox[1])
                    items[found] = (row.bbox[1], "row", [t if t is not None else c
                                                         for t, c in zip(texts, items[found][2])])
            full_before = False  # the line before ran to the right margin: a paragraph wrapped there
            for _, kind, value in sorted(items, key=lambda item: item[0]):
                number += 1
                if kind == "para":
                    value, full = value
                    text = clean_cell(value)
                    if text and full_before and blocks and blocks[-1].kind == "para" and not _NEW_ITEM.match(text) \
                            and not blocks[-1].cells[0].endswith(("：", ":", "通知", "方案", "分解", "分解表", "清单")):
                        last = blocks[-1]
                        blocks[-1] = Block("para", (last.cells[0] + text,), last.line, last.source + value)
                    elif text:
                        blocks.append(Block("para", (text,), number, value))
                    full_before = full
                else:
                    cells = tuple(clean_lines(c or "") for c in value)
                    if any(cells):
                        blocks.append(Block("row", cells, number, "\t".join(c.replace("\n", " ") for c in cells)))
                    full_before = False
    if not any(b for b in blocks):
        raise ReadError([Problem(name, None, None, "这个 PDF 没有文字层（是扫描件或图片），读不出任何文字",
                                 "改用发文单位的 Word/WPS 原件（.docx），或网页上的通知全文（复制为 .txt）；"
                                 "也可先用 OCR 软件转成文字并核对后再导入")])
    return blocks


def file_kind(name: str, data: bytes) -> str:
    """Return docx, xlsx, pdf, csv or text, judged by the content (the extension only breaks a tie)."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "xlsx" if name.lower().endswith(".xlsx") else "docx"
        if "word/document.xml" in names:
            return "docx"
        return "xlsx"
    if name.lower().endswith(".csv"):
        return "csv"
    return "text"


def read_blocks(name: str, data: bytes) -> list[Block]:
    """Return the blocks of a notice file of any supported kind."""
    kind = file_kind(name, data)
    if kind == "pdf":
        return from_pdf(data, name)
    if kind == "docx":
        return from_docx(data, name)
    if kind == "xlsx":
        return from_xlsx(data, name)
    if kind == "csv":
        return from_csv(data, name)
    return from_text(decode_text(data))
