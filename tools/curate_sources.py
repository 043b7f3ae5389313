"""Bootstrap data/curated/tasks.csv from the published notices in data/sources/.

This was run once to create the curated task table; the curated file is the
source of truth afterwards (staff correct it in Excel/WPS). It is kept so the
curation is reproducible and reviewable:

    python tools/curate_sources.py --check   # compare with data/curated/tasks.csv
    python tools/curate_sources.py --write   # overwrite it (only for a fresh start)

Text is copied as printed: whitespace collapsed, `<p>` tags (an artefact of the
PDF extraction) removed, nothing else changed.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
TASKS_CSV = ROOT / "data" / "curated" / "tasks.csv"

SOURCE_2020 = "2020_温鹿政办〔2020〕18号_2020年政府工作报告责任分解.txt"
SOURCE_2022 = "2022_温鹿政办〔2022〕4号_2022年政府工作报告重点工作和民生实事责任分解.txt"

COLUMNS = [
    "task_id", "table_id", "section_no", "section", "subsection", "seq", "part",
    "project", "content", "content_missing", "units", "leaders", "note",
    "source_file", "source_line",
]

TASK_NO = re.compile(r"[（(]\s*(\d+)\s*[）)]")
SUBSECTION = re.compile(r"^(\d+)\s*[.．]\s*\S")
HEADING_2022 = re.compile(r"^([一二三四五六七八九十]+)、(.+牵头重点工作)$")
CN_NUMERALS = "一二三四五六七八九十"


def clean(cell: str) -> str:
    """Return the cell with PDF-extraction tags removed and whitespace collapsed."""
    cell = re.sub(r"</?p>", " ", cell)
    return re.sub(r"\s+", " ", cell).strip()


def tidy_text(text: str) -> str:
    """Return text without the spaces the PDF put around Chinese characters.

    A space stays only between two ASCII letters or digits ("扩增 PCR 实验室"
    becomes "扩增PCR实验室").
    """
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text)


def tidy_heading(text: str) -> str:
    """Return a section heading with one spelling of its brackets and commas."""
    text = tidy_text(text)
    return text.replace("(", "（").replace(")", "）").replace(",", "，")


def curate_2020(lines: list[str]) -> list[dict]:
    """Return the task rows of the 2020 table (main targets and tasks (1)-(96))."""
    rows: list[dict] = []
    section = subsection = ""
    missing_seq = 81
    in_table = False
    for line_no, raw in enumerate(lines, start=1):
        if raw.strip().startswith("项 目"):
            in_table = True
            continue
        if not in_table or "\t" not in raw:
            continue
        cells = [clean(c) for c in raw.split("\t")]
        cells = [c for c in cells]
        numbered = [i for i, c in enumerate(cells) if TASK_NO.search(c)]
        filled = [c for c in cells if c]
        if not numbered:
            # rows (81)-(89): units and leaders survive, the text does not
            *heads, units, leaders = filled
            for head in heads:
                section, subsection = _section_or_subsection(head, section, subsection)
            rows.append(_row_2020(missing_seq, section, subsection, "", units, leaders, line_no))
            missing_seq += 1
            continue
        i = numbered[0]
        for head in cells[:i]:
            if head:
                section, subsection = _section_or_subsection(head, section, subsection)
        content_cell = cells[i]
        match = TASK_NO.search(content_cell)
        prefix = content_cell[: match.start()].strip()
        if prefix:  # "3. 提升企业竞争力。 (22) ..." shares one cell
            section, subsection = _section_or_subsection(prefix, section, subsection)
        seq = int(match.group(1))
        content = content_cell[match.end():].strip()
        rest = [c for c in cells[i + 1:] if c]
        if len(rest) == 1:
            # row (34): the units ran into the task text; split at the sentence end
            head, _, tail = content.rpartition("。")
            content, units, leaders = head + "。", tail.strip(), rest[0]
        else:
            units, leaders = rest[0], rest[1]
        content = tidy_text(content)
        if seq <= 5 and not subsection:
            section = tidy_heading(cells[0]) or section
        rows.append(_row_2020(seq, section, subsection, content, units, leaders, line_no))
    return rows


def _section_or_subsection(text: str, section: str, subsection: str) -> tuple[str, str]:
    if SUBSECTION.match(text):
        return section, tidy_heading(text)
    if text.startswith(("(", "（")):
        # "(六)…民生事业。 1. 提高教育服务优质度。" shares one cell
        parts = re.split(r"\s(?=\d+\s*[.．]\s*\S)", text, maxsplit=1)
        return tidy_heading(parts[0]), tidy_heading(parts[1]) if len(parts) > 1 else ""
    return tidy_heading(text), subsection


def _row_2020(seq, section, subsection, content, units, leaders, line_no) -> dict:
    section_no = "0" if seq <= 5 else str(CN_NUMERALS.index(section[1]) + 1)
    return {
        "task_id": f"2020-annual-{seq:03d}",
        "table_id": "2020-annual",
        "section_no": section_no,
        "section": section,
        "subsection": subsection,
        "seq": seq,
        "part": "",
        "project": "",
        "content": content,
        "content_missing": "是" if not content else "",
        "units": units,
        "leaders": leaders,
        "note": "",
        "source_file": SOURCE_2020,
        "source_line": line_no,
    }


def curate_2022(lines: list[str]) -> list[dict]:
    """Return the rows of 附件1 (five-year), 附件2 (2022 annual) and 附件3 (民生实事)."""
    rows: list[dict] = []
    table_id = ""
    section = section_no = ""
    livelihood_seq = 0
    livelihood_part = 0
    for line_no, raw in enumerate(lines, start=1):
        text = raw.strip()
        if text.startswith("附件 1"):
            table_id = "2022-five_year"
        elif text.startswith("附件 2"):
            table_id = "2022-annual"
        elif text.startswith("附件 3"):
            table_id, section, section_no = "2022-livelihood", "", ""
        if not table_id:
            continue
        heading = HEADING_2022.match(text)
        if heading:
            section, section_no = text, str(CN_NUMERALS.index(heading.group(1)[0]) + 1)
            continue
        cells = [clean(c) for c in raw.rstrip("\n").split("\t")]
        if len(cells) < 4 or cells[0] == "序号":
            continue
        if table_id == "2022-livelihood":
            seq_cell, name, content, leaders, units = cells[:5]
            if seq_cell:
                livelihood_seq, livelihood_part = int(seq_cell), 1
            else:
                livelihood_part += 1
            row_name = name
            task_id = f"2022-livelihood-{livelihood_seq:02d}"
            part = ""
            if not seq_cell or _has_sub_rows(lines, line_no):
                part = str(livelihood_part)
                task_id += f"-{livelihood_part}"
            if not row_name:
                row_name = rows[-1]["project"]
            rows.append({
                "task_id": task_id, "table_id": table_id, "section_no": "",
                "section": "", "subsection": "", "seq": livelihood_seq, "part": part,
                "project": row_name, "content": tidy_text(content), "content_missing": "",
                "units": units, "leaders": leaders, "note": "",
                "source_file": SOURCE_2022, "source_line": line_no,
            })
            continue
        seq, content, units, note = cells[:4]
        rows.append({
            "task_id": f"{table_id}-{int(section_no):02d}-{int(seq):02d}",
            "table_id": table_id, "section_no": section_no, "section": section,
            "subsection": "", "seq": int(seq), "part": "", "project": "",
            "content": tidy_text(content), "content_missing": "", "units": units, "leaders": "",
            "note": note, "source_file": SOURCE_2022, "source_line": line_no,
        })
    return rows


def _has_sub_rows(lines: list[str], line_no: int) -> bool:
    following = lines[line_no] if line_no < len(lines) else ""
    return following.startswith("\t\t")


def render(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    rows = curate_2020((SOURCES / SOURCE_2020).read_text("utf-8").splitlines())
    rows += curate_2022((SOURCES / SOURCE_2022).read_text("utf-8").splitlines())
    text = render(rows)
    if args.write:
        TASKS_CSV.write_text(text, encoding="utf-8-sig")
        print(f"wrote {len(rows)} rows to {TASKS_CSV}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
