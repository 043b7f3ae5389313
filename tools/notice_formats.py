"""A notice copied as text, laid out again as the Word, Excel and PDF files offices publish.

The text form is the one people copy from a web page: paragraphs on their own lines, table
rows with their cells separated by tabs. Each layout is then also read as

    docx  paragraphs, and each run of rows a Word table; a row with one filled cell (a leader's
          heading inside the table) is one cell merged across the row
    xlsx  one worksheet; paragraphs in column A, rows in columns A…, the heading row merged across
    pdf   printed by Chromium from an HTML page with ruled tables in narrow columns, so long
          unit names wrap inside their cells as they do in published PDFs
"""

from __future__ import annotations

import html
import io
import subprocess
import sys


def parts(text: str) -> list[tuple[str, object]]:
    """Return ("para", text) and ("table", [[cells]]) in order."""
    found: list[tuple[str, object]] = []
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            if found and found[-1][0] == "table":
                found[-1][1].append(cells)
            else:
                found.append(("table", [cells]))
        elif line.strip():
            found.append(("para", line.strip()))
    return found


def _lone(cells: list[str]) -> bool:
    return len([c for c in cells if c.strip()]) == 1 and len(cells) > 1


def as_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for kind, value in parts(text):
        if kind == "para":
            document.add_paragraph(value)
            continue
        width = max(len(r) for r in value)
        table = document.add_table(rows=len(value), cols=width)
        for row, cells in zip(table.rows, value):
            cells = cells + [""] * (width - len(cells))
            if _lone(cells):
                merged = row.cells[0].merge(row.cells[width - 1])
                merged.text = next(c for c in cells if c.strip())
                continue
            for cell, content in zip(row.cells, cells):
                cell.text = content
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_xlsx(text: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解"
    row_number = 0
    for kind, value in parts(text):
        rows = [[value]] if kind == "para" else value
        for cells in rows:
            row_number += 1
            if kind == "table" and _lone(cells):
                sheet.cell(row_number, 1, next(c for c in cells if c.strip()))
                sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=len(cells))
                continue
            for column, content in enumerate(cells, start=1):
                if content:
                    sheet.cell(row_number, column, content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_html(text: str) -> str:
    body = []
    for kind, value in parts(text):
        if kind == "para":
            body.append(f"<p>{html.escape(value)}</p>")
            continue
        rows = []
        width = max(len(r) for r in value)
        for cells in value:
            if _lone(cells):
                rows.append(f"<tr><td colspan='{width}'>{html.escape(next(c for c in cells if c.strip()))}</td></tr>")
            else:
                rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        body.append("<table>" + "".join(rows) + "</table>")
    style = ("body{font-family:'Noto Sans CJK SC',sans-serif;font-size:12px}p{font-size:17px;margin:2px 0}"
             "table{border-collapse:collapse;width:640px;table-layout:fixed}"
             "td{border:1px solid #000;padding:2px;vertical-align:top;word-break:break-all}"
             "td:nth-child(1){width:32px}td:nth-child(2){width:260px}")
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(body)}</body></html>"


def as_pdf(text: str) -> bytes:
    """Print the notice to PDF with Debian's Chromium (in a child process: a test may run Playwright's loop)."""
    script = (
        "import sys\n"
        "from playwright.sync_api import sync_playwright\n"
        "page_html = sys.stdin.read()\n"
        "with sync_playwright() as p:\n"
        "    b = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox'])\n"
        "    page = b.new_page(); page.set_content(page_html); data = page.pdf(); b.close()\n"
        "sys.stdout.buffer.write(data)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=as_html(text).encode("utf-8"),
                          capture_output=True, check=True, timeout=120)
    return done.stdout


FORMATS = {"txt": lambda text: text.encode("utf-8"), "docx": as_docx, "xlsx": as_xlsx, "pdf": as_pdf}
