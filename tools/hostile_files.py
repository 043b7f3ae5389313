"""Hostile import files, generated on the fly (never committed): zip bombs, huge sheets, XML attacks.

Each generator writes one file under a folder and returns its path. Large content is
streamed into the zip, so generating a 300 MB string or a million rows needs little memory;
the 1 GB file is sparse.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

GOOD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "import" / "good_2024.xlsx"
TASKS_PART = "xl/worksheets/sheet4.xml"  # good_2024.xlsx: 说明, documents, tables, tasks, …
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_TAIL = "</sheetData></worksheet>"
_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>task_id</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>table_id</t></is></c></row>')


def with_tasks_sheet(path: Path, chunks) -> Path:
    """Write good_2024.xlsx with its tasks sheet replaced by the streamed chunks (str)."""
    with zipfile.ZipFile(GOOD) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        assert TASKS_PART in source.namelist()
        for item in source.infolist():
            if item.filename != TASKS_PART:
                out.writestr(item, source.read(item.filename))
        with out.open(TASKS_PART, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk.encode("utf-8"))
    return path


def zip_bomb_string(folder: Path, megabytes: int = 300) -> Path:
    """One cell holding a string of `megabytes` MB (the reported file was 321 KB)."""
    def chunks():
        yield _HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>'
        for _ in range(megabytes):
            yield "A" * (1024 * 1024)
        yield "</t></is></c></row>" + _TAIL
    return with_tasks_sheet(folder / f"string_{megabytes}mb.xlsx", chunks())


def many_rows(folder: Path, rows: int) -> Path:
    """A tasks sheet of `rows` identical rows (1,000,000 rows compress to about 150 KB)."""
    row = '<row><c t="inlineStr"><is><t>2024-annual-01</t></is></c><c t="inlineStr"><is><t>2024-annual</t></is></c></row>'

    def chunks():
        yield _HEAD + _HEADER_ROW
        for start in range(0, rows, 10_000):
            yield row * min(10_000, rows - start)
        yield _TAIL
    return with_tasks_sheet(folder / f"rows_{rows}.xlsx", chunks())


def far_row(folder: Path) -> Path:
    """Two rows, the second numbered 1,000,000 (openpyxl would fill the rows between)."""
    return with_tasks_sheet(folder / "far_row.xlsx", [
        _HEAD + _HEADER_ROW + '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>' + _TAIL])


def lying_dimension(folder: Path) -> Path:
    """A small sheet that claims to span A1:XFD1048576 (read-only openpyxl pads rows to the dimension)."""
    good = zipfile.ZipFile(GOOD).read(TASKS_PART).decode("utf-8")
    start = good.index("<dimension")
    end = good.index("/>", start) + 2
    return with_tasks_sheet(folder / "lying_dimension.xlsx", [good[:start] + '<dimension ref="A1:XFD1048576"/>'
                                                                + good[end:]])


def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    return with_tasks_sheet(folder / "billion_laughs.xlsx", [
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>' + _TAIL])


def external_entity(folder: Path) -> Path:
    return with_tasks_sheet(folder / "external_entity.xlsx", [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>' + _TAIL])


def malformed_sheet(folder: Path) -> Path:
    return with_tasks_sheet(folder / "malformed.xlsx", [_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'])


def one_gigabyte(folder: Path) -> Path:
    """A 1 GB file that starts like an XLSX (sparse: takes no disk space)."""
    path = folder / "one_gigabyte.xlsx"
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(1024 ** 3)
    return path


def utf16_csv(folder: Path) -> Path:
    path = folder / "tasks.csv"
    path.write_bytes("task_id,table_id,seq\r\n2024-annual-01,2024-annual,1\r\n".encode("utf-16"))
    return path


# name → (generator, the message the import must give)
HOSTILE = {
    "300 MB 字符串（压缩后约 0.3 MB）": (zip_bomb_string, "超过 20 MB 的上限"),
    "1,000,000 行": (lambda folder: many_rows(folder, 1_000_000), "超过 20 MB 的上限"),
    "100,000 行": (lambda folder: many_rows(folder, 100_000), "超过 10000 行"),
    "第 1,000,000 行": (far_row, "超过 10000 行"),
    "虚报范围 A1:XFD1048576": (lying_dimension, None),  # read normally: the claim is ignored
    "XML 实体膨胀（billion laughs）": (billion_laughs, "实体或文档类型声明"),
    "外部实体（XXE）": (external_entity, "实体或文档类型声明"),
    "XML 不完整": (malformed_sheet, "XML 内容有误"),
    "1 GB 文件": (one_gigabyte, "文件过大（1024.0 MB"),
    "UTF-16 CSV": (utf16_csv, "编码不对"),
}
