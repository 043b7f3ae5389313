"""Notices written the way offices publish them, for the reader's tests (python-docx, openpyxl).

`printed_docx` lays out a notice already in data/curated/ as its Word original would
be: the head of the notice, one table per attachment (2020: the 项目 cells merged
down and across two columns, the table continued on a second page with its header
row repeated; 2022: the leader group headings between tables, the 民生实事 序号 and
名称 merged down over an item's two rows), the 印发 line at the end. The other
functions write one small file per layout the reader recognises.
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from openpyxl import Workbook

CN = "零一二三四五六七八九十"


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _head(document, doc) -> None:
    document.add_paragraph(doc["issuer"] + "文件")
    document.add_paragraph(doc["doc_no"])
    document.add_paragraph(doc["title"])
    document.add_paragraph("各街道办事处、镇人民政府，区政府直属各单位：")
    document.add_paragraph("现将责任分解印发给你们，请认真抓好落实。")
    items = doc["attachments"].split("；")
    if len(items) == 1:
        document.add_paragraph(items[0])
    else:
        for number, item in enumerate(items, start=1):
            text = item.split("：", 1)[1]
            document.add_paragraph(("附件：" if number == 1 else "") + f"{number}. {text}")
    document.add_paragraph(doc["issuer"])
    document.add_paragraph(_date(doc["signed_date"]))
    document.add_paragraph(f"（{doc['publication']}）")


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    return table


def _merge_down(table, column: int, first_row: int = 1) -> None:
    """Merge runs of equal non-empty cells down a column, keeping the text once (as Word does)."""
    rows = table.rows
    start = first_row
    while start < len(rows):
        text = rows[start].cells[column].text
        end = start
        while end + 1 < len(rows) and rows[end + 1].cells[column].text == text and text:
            end += 1
        if end > start:
            for r in range(start + 1, end + 1):
                rows[r].cells[column].text = ""
            merged = rows[start].cells[column].merge(rows[end].cells[column])
            merged.text = text
        start = end + 1


def printed_docx(curated: dict[str, pd.DataFrame], doc_no: str) -> bytes:
    """Return the .docx of a notice in data/curated/, laid out as published."""
    doc = curated["documents"].set_index("doc_no").loc[doc_no].to_dict() | {"doc_no": doc_no}
    document = Document()
    _head(document, doc)
    tables = curated["tables"][curated["tables"]["doc_no"] == doc_no]
    for table in tables.itertuples():
        tasks = curated["tasks"][curated["tasks"]["table_id"] == table.table_id]
        document.add_paragraph(table.attachment)
        document.add_paragraph(table.title)
        if table.leaders_from == "heading":
            for (_, section), group in tasks.groupby(["section_no", "section"], sort=False):
                document.add_paragraph(section)
                _table(document, ["序号", "重点工作", "责任单位", "备注"],
                       [[t.seq, t.content, t.units, t.note] for t in group.itertuples()])
        elif table.scope == "livelihood":
            printed = _table(document, ["序号", "名称", "项目内容", "牵头领导", "责任单位"],
                             [[t.seq, t.project, t.content, t.leaders, t.units] for t in tasks.itertuples()])
            _merge_down(printed, 0)
            _merge_down(printed, 1)
        else:
            rows = [[t.section, t.subsection, f"（{t.seq}）{t.content}" if t.content else "", t.units, t.leaders]
                    for t in tasks.itertuples()]
            half = len(rows) // 2  # the table runs on to a second page, its header row printed again
            for part in (rows[:half], rows[half:]):
                printed = _table(document, ["项目", "", "内容和要求", "责任单位", "牵头领导"], part)
                header = printed.rows[0].cells
                header[0].merge(header[1]).text = "项目"
                _merge_down(printed, 0)
                _merge_down(printed, 1)
        if table.attachment == "附件":
            document.add_paragraph("注：标*单位为该内容牵头责任单位。")
    document.add_paragraph("抄送：区委各部门。")
    document.add_paragraph(doc["issuer"])
    document.add_paragraph(_date(doc["issued_date"]) + "印发")
    return _save(document)


HEAD_OUHAI = ["温州市瓯海区人民政府办公室文件", "温瓯政办〔2024〕9号",
              "温州市瓯海区人民政府办公室关于印发2024年政府工作报告重点工作责任分解的通知"]


def metric_columns_xlsx() -> bytes:
    """An .xlsx copy of a printed table: a title row above the headers; 任务名称 + 指标要求 columns;
    separate 牵头单位 / 配合单位 columns; units separated by ， and line breaks; no date printed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年主要指标责任分解表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "任务名称", "指标要求", "牵头单位", "配合单位", "牵头领导"])
    sheet.append([1, "地区生产总值", "增长5.5%", "区发改局", "区统计局，区经信局", "李明"])
    sheet.append([2, "一般公共预算收入", "增长6%", "区财政局", "区税务局\n各街道", "李明"])
    sheet.append([3, "城镇新增就业", "1.2万人", "区人力社保局", "", "王芳"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def support_columns_csv() -> bytes:
    """A .csv copy: 牵头部门 / 配合部门 columns, units separated by , inside a cell, 责任领导 column."""
    text = ("温州市瓯海区人民政府办公室关于2024年重点工作责任分解的通知,,,,\n"
            "序号,工作任务,牵头部门,配合部门,责任领导\n"
            "1,推进城市更新，完成老旧小区改造10个。,区住建局,\"区财政局,娄桥街道\",王芳\n"
            "2,新建城市书房2家。,区文化和广电旅游体育局,,张强 王芳\n")
    return text.encode("utf-8-sig")


def inline_brackets_docx() -> bytes:
    """Paragraphs instead of a table: sections 一、/（一）, tasks numbered 1. and （1）, each followed by
    “（责任领导：X、Y；牵头单位：A；责任单位：B、C）”."""
    document = Document()
    for text in HEAD_OUHAI + ["2024年3月1日", "一、稳增长", "（一）扩大有效投资",
                              "1.完成固定资产投资增长6%。（责任领导：李明、王芳；牵头单位：区发改局；责任单位：区财政局、区经信局）",
                              "2.新开工重大项目20个。（责任领导：李明；牵头单位：区发改局）",
                              "（二）促进消费",
                              "（1）社会消费品零售总额增长5%。（责任领导：王芳；牵头单位：区商务局；责任单位：各街道）"]:
        document.add_paragraph(text)
    return _save(document)


def unit_line_docx() -> bytes:
    """Paragraphs: leader group headings, tasks numbered 1、 with a “责任单位：…” line under each
    (lead units marked *), a 民生 section."""
    document = Document()
    for text in HEAD_OUHAI + ["一、李明常委、常务副区长牵头重点工作",
                              "1、加快数字经济发展，数字经济核心产业增加值增长10%。",
                              "责任单位：区经信局*、区科技局、区大数据中心",
                              "2、深化“最多跑一次”改革。",
                              "责任单位：区行政审批局",
                              "二、王芳副区长牵头重点工作",
                              "1、创建省级文明城区。",
                              "责任单位：区委宣传部*、各街道、区文化和广电旅游体育局"]:
        document.add_paragraph(text)
    return _save(document)


def lead_first_text() -> bytes:
    """Text copied from a web page: a table whose 责任单位 marks no lead (the first one listed leads)."""
    lines = ["温州市瓯海区人民政府办公室关于2024年民生实事项目责任分解的通知", "温瓯政办〔2024〕10号",
             "2024年度民生实事项目责任分解表",
             "序号\t项目名称\t项目内容\t责任领导\t责任单位",
             "1\t“暖心食堂”项目\t新建老年食堂5家。\t王芳\t区民政局、区财政局、各街道",
             "2\t“放心菜篮”项目\t改造农贸市场3家。\t张强\t区市场监管局"]
    return "\n".join(lines).encode("utf-8")


def no_tasks_docx() -> bytes:
    """A Word file with neither a table nor numbered tasks."""
    document = Document()
    for text in HEAD_OUHAI + ["各街道办事处：", "请认真抓好落实。"]:
        document.add_paragraph(text)
    return _save(document)


def no_content_column_docx() -> bytes:
    """A table whose header has units and leaders but no column of task text."""
    document = Document()
    for text in HEAD_OUHAI:
        document.add_paragraph(text)
    _table(document, ["序号", "责任单位", "牵头领导"], [["1", "区发改局", "李明"]])
    return _save(document)


def image_only_pdf() -> bytes:
    """A PDF page with no text layer (as a scanner writes it, without the picture)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"]
    stream = b"0.5 g 50 50 495 742 re f"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def no_task_text() -> bytes:
    """Text of a notice's head and body with no task in it."""
    return "\n".join(HEAD_OUHAI + ["各街道办事处：", "现将有关事项通知如下。"]).encode("utf-8")


TEXT_PDF_HTML = """<html><head><meta charset="utf-8"><style>
table{border-collapse:collapse} td{border:1px solid #000;padding:4px}</style></head><body>
<p>温州市瓯海区人民政府办公室文件</p><p>温瓯政办〔2024〕9号</p>
<p>温州市瓯海区人民政府办公室关于印发2024年重点工作责任分解的通知</p><p>2024年3月1日</p>
<p>附件</p><p>2024年重点工作责任分解表</p>
<table><tr><td>序号</td><td>重点工作</td><td>责任单位</td><td>牵头领导</td></tr>
<tr><td>1</td><td>地区生产总值增长5.5%。</td><td>区发改局*、区统计局</td><td>李明</td></tr>
<tr><td>2</td><td>新增城镇就业1.2万人，居民收入增长与经济增长同步。</td><td>区人力社保局</td><td>王芳</td></tr>
</table></body></html>"""


def text_pdf() -> bytes:
    """A PDF with a text layer, printed by Chromium from a page with the notice's head and a ruled table.

    Printed in a child process: a test session may already run Playwright's event loop (the e2e tests).
    """
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from playwright.sync_api import sync_playwright\n"
        "html = sys.stdin.read()\n"
        "with sync_playwright() as p:\n"
        "    b = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox'])\n"
        "    page = b.new_page(); page.set_content(html); data = page.pdf(); b.close()\n"
        "sys.stdout.buffer.write(data)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=TEXT_PDF_HTML.encode("utf-8"),
                          capture_output=True, check=True, timeout=120)
    return done.stdout


def two_sheets_xlsx() -> bytes:
    """An .xlsx with one printed table per worksheet (年度 and 民生实事), each with its title row and the same headers."""
    workbook = Workbook()
    for index, (title, rows) in enumerate((
            ("2024年重点工作责任分解表", [[1, "推进城市更新。", "区住建局", "王芳"]]),
            ("2024年民生实事项目责任分解表", [[1, "新建老年食堂5家。", "区民政局", "王芳"]]))):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.append([title])
        sheet.append(["序号", "重点工作", "责任单位", "牵头领导"])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
