"""通报 draft (DOCX) of a period's progress, in the usual layout of an office's bulletin, from the board.

Title, a blank 文号 and date for the office to fill, the overall counts, the tasks 严重滞后
and 滞后 (label, lead units, percent against 序时进度), the units that did not report a due
period, and the 需协调事项 per leader. Built from the same board as 落实进度 and the deck.
Every value is data and goes in as text (python-docx writes it literally).
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from loaders.progress.board import Board
from loaders.progress.status import STATUS_ORDER
from loaders.select import text_start
from loaders.vocabulary import NOT_GIVEN, NOT_REPORTED, STATUS_LABELS

BLANK_DOC_NO = "〔　　〕　　号"
BLANK_DATE = "　　　　年　　月　　日"
FONT = "仿宋_GB2312"  # the usual body font of official documents; Word falls back when it is missing


def bulletin_docx(board: Board, subject: str, as_of: date, issuer: str = "") -> bytes:
    """Return the 通报 draft as DOCX bytes: subject names the district and year (e.g. 鹿城区 2022年)."""
    document = Document()
    _font(document)
    _paragraph(document, issuer or "（发文机关）", size=16, center=True)
    _paragraph(document, BLANK_DOC_NO, center=True)
    _paragraph(document, f"关于{subject}政府工作报告重点工作落实情况的通报", size=18, center=True, bold=True)
    tasks = board.board
    counts = tasks["status"].value_counts()
    summary = "、".join(f"{STATUS_LABELS[s]} {int(counts.get(s, 0))} 项" for s in STATUS_ORDER if counts.get(s, 0))
    _paragraph(document, f"截至 {as_of:%Y年%m月%d日}，{subject}政府工作报告确定的 {len(tasks)} 项重点工作中，"
                         f"{summary or '尚无可统计的任务'}。现将有关情况通报如下。")
    _section(document, "一、严重滞后的任务", _task_lines(tasks[tasks["status"] == "far_behind"]),
             "没有严重滞后的任务。")
    _section(document, "二、滞后的任务", _task_lines(tasks[tasks["status"] == "behind"]), "没有滞后的任务。")
    _section(document, "三、逾期未报送进度的单位",
             [f"{row.unit}：{row.tasks} 项任务逾期未报（最近应报 {row.last_period}）"
              for row in board.chase.itertuples(index=False)], "没有逾期未报送的单位。")
    by_leader = board.coordination.groupby("leader").size() if len(board.coordination) else {}
    _section(document, "四、需提请区领导协调的事项",
             [f"{leader}：{count} 项" for leader, count in dict(by_leader).items()], "没有需提请协调的事项。")
    _paragraph(document, "请上述任务的牵头单位对照序时进度加快推进，逾期未报送的单位于通报印发后三个工作日内补报。")
    _paragraph(document, BLANK_DATE, right=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _task_lines(rows) -> list[str]:
    return [f"{row.label}　{text_start(row.content, 40)}（牵头单位：{row.lead_units or NOT_GIVEN}；"
            f"{_progress(row.latest_shown)}，序时进度 {row.expected_percent:g}%）" for row in rows.itertuples(index=False)]


def _progress(shown: str) -> str:
    return "未填报进度" if shown == NOT_REPORTED else f"完成进度 {shown}%"


def bulletin_subject(board) -> str:
    """Return what a bulletin is about: the district and the years of the board's tasks (鹿城区2022年)."""
    districts = board["district"].dropna().unique()
    years = "、".join(f"{int(y)}年" for y in sorted(board["year"].dropna().unique()))
    return (districts[0] if len(districts) == 1 else "") + years


def _section(document, heading: str, lines: list[str], none: str) -> None:
    _paragraph(document, heading, bold=True)
    for number, line in enumerate(lines or [none], start=1):
        _paragraph(document, f"{number}. {line}" if lines else line)


def _paragraph(document, text: str, size: int = 14, center: bool = False, right: bool = False, bold: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # CJK text uses the east-Asian font slot
