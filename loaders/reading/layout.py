"""Interpreting the blocks of a notice: its header facts, its tables, and one task per printed row.

Recognised layouts (each table says which one it found, for the messages):
- a table with a 牵头领导 column, or leader group headings (“一、林杰常委、常务副区长牵头重点工作”);
- lead units marked `*` in one 责任单位 column, or separate 牵头单位/牵头部门 and
  责任单位/配合单位/配合部门 columns, or (a per-import choice) the first unit listed leads;
- numbered content ((1), 1., 1、) under 项目 cells ((一)…, 1.…) or a 序号 column;
- a task-name column plus a 指标要求 column, joined as “地区生产总值 增长5.5%”;
- paragraphs instead of a table: numbered tasks with inline brackets
  “（责任领导：X、Y；牵头单位：A；责任单位：B、C）” or a “责任单位：…” line under each task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.problems import Problem
from loaders.reading.blocks import Block
from loaders.text import without_spaces

CN_DIGITS = "零一二三四五六七八九"
_CN = "一二三四五六七八九十百零"

# header text (spaces removed, bracketed remarks dropped) → role of the column
HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "item": ("项目", "板块", "类别", "领域", "项目类别"),
    "content": ("内容和要求", "重点工作", "工作任务", "任务内容", "工作内容", "项目内容", "主要内容", "具体任务",
                "工作目标", "重点任务", "主要任务", "任务", "内容", "工作要求", "目标任务", "建设内容"),
    "name": ("名称", "项目名称", "任务名称", "指标名称", "指标", "工作名称", "实事名称"),
    "metric": ("指标要求", "目标要求", "年度目标", "目标值", "目标", "要求", "预期目标"),
    "lead": ("牵头单位", "牵头部门", "主责单位", "牵头责任单位", "主办单位", "牵头"),
    "support": ("配合单位", "配合部门", "协同单位", "协办单位", "参与单位", "配合"),
    "units": ("责任单位", "责任部门", "承办单位", "实施单位", "主要责任单位"),
    "leaders": ("牵头领导", "责任领导", "分管领导", "联系领导", "区领导", "牵头区领导", "领导"),
    "note": ("备注", "说明"),
}
ROLE_WORDS = {"leaders": ("责任领导", "牵头领导", "分管领导", "联系领导"),
              "lead": ("牵头单位", "牵头部门", "主责单位"),
              "units": ("责任单位", "责任部门"),
              "support": ("配合单位", "配合部门", "协同单位", "协办单位")}
_ROLE_WORD = "|".join(w for words in ROLE_WORDS.values() for w in words)
ROLE_LINE = re.compile(rf"^(?:{_ROLE_WORD})\s*[:：]")
INLINE_ROLES = re.compile(rf"[（(]\s*((?:{_ROLE_WORD})\s*[:：].*)[）)]\s*[。；;]?\s*$")

PAREN_NO = re.compile(r"(?:^|(?<=\s)|(?<=。))[（(]\s*(\d{1,3})\s*[）)]\s*")
DOT_NO = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\S)")
SECTION_PAREN = re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]")
SECTION_COMMA = re.compile(rf"^([{_CN}]+)\s*、")
LEADER_HEADING = re.compile(rf"^([{_CN}]+)、(?P<body>.+?)牵头(?:的)?(?:重点)?工作(?:任务)?$")
ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)$")
DOC_NO = re.compile(r"^(\S*?[〔\[［（(]\d{4}[〕\]］）)]\d+号)$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
TITLE_WORDS = ("常务副区长", "副区长", "区长", "常务副县长", "副县长", "县长", "常务副市长", "副市长", "市长",
               "常委", "副书记", "书记", "副主任", "主任", "部长", "党组成员", "政委", "副秘书长", "秘书长",
               "副镇长", "镇长", "调研员", "副主席", "主席", "区委", "县委", "市委")


def cn_number(text: str) -> int | None:
    """Return the value of a Chinese numeral up to 99 (一 → 1, 十二 → 12, 二十 → 20)."""
    if not text or any(c not in _CN for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS.index(text) if len(text) == 1 and text in CN_DIGITS else None
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


def tidy_text(text: str) -> str:
    """Return text without the spaces the PDF put around Chinese characters (kept between ASCII words)."""
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", re.sub(r"\s+", " ", text).strip())


def tidy_heading(text: str) -> str:
    """Return a heading with one spelling of its brackets and commas."""
    return tidy_text(text).replace("(", "（").replace(")", "）").replace(",", "，")


def header_role(text: str) -> str | None:
    """Return the role of a header cell ("内容和要求" → content), or None when it is not a header word."""
    base = re.sub(r"[（(][^）)]*[）)]", "", without_spaces(text))
    for role, labels in HEADER_LABELS.items():
        if base in labels:
            return role
    for label, role in sorted(((l, r) for r, ls in HEADER_LABELS.items() for l in ls), key=lambda p: -len(p[0])):
        if len(label) >= 2 and label in base and len(base) <= len(label) + 4:
            return role
    return None


@dataclass
class ParsedTask:
    table: int
    section_no: str
    section: str
    subsection: str
    seq: int
    part: str
    project: str
    content: str
    content_missing: bool
    units: str
    leaders: str
    note: str
    line: int
    source: str
    unsure: list[str] = field(default_factory=list)


@dataclass
class ParsedTable:
    attachment: str
    title: str
    columns_printed: str
    scope: str
    leaders_from: str  # column, heading or none
    roles: tuple[str, ...]
    lead_style: str  # star, columns, first, inline, none
    line: int
    layout: str = ""
    number_style: str = ""  # paren for (1), dot for 1. / 1、 (found in the first numbered row)


@dataclass
class ParsedNotice:
    doc_no: str = ""
    year: str = ""
    title: str = ""
    issuer: str = ""
    signed_date: str = ""
    issued_date: str = ""
    publication: str = ""
    attachments: str = ""
    lead_mark: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # where each header fact was found
    tables: list[ParsedTable] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    heading_leaders: dict[str, str] = field(default_factory=dict)  # name → title from group headings
    heading_lines: dict[str, int] = field(default_factory=dict)  # name → line of the heading
    problems: list[Problem] = field(default_factory=list)


def scope_of(title: str) -> str:
    """Return annual, five_year or livelihood from a table title."""
    if "五年" in title:
        return "five_year"
    if "民生实事" in title or "民生实项目" in title or "民生" in title:
        return "livelihood"
    return "annual"


def split_heading_leader(body: str, known: list[str]) -> tuple[str, str] | None:
    """Return (name, title) of a group heading's body "林杰常委、常务副区长", or None."""
    body = without_spaces(body)
    name = next((n for n in sorted(known, key=len, reverse=True) if body.startswith(n)), None)
    if name:
        return name, body[len(name):]
    positions = [body.find(w) for w in TITLE_WORDS if body.find(w) > 0]
    if positions and 2 <= min(positions) <= 4:
        return body[:min(positions)], body[min(positions):]
    if 2 <= len(body) <= 3:
        return body, ""
    return None


def parse_roles(text: str) -> dict[str, str]:
    """Return {leaders|lead|units|support: value} of “责任领导：X、Y；牵头单位：A；责任单位：B、C”."""
    found: dict[str, str] = {}
    pieces = re.split(rf"[；;。]?\s*(?=(?:{_ROLE_WORD})\s*[:：])", text)
    for piece in pieces:
        match = re.match(rf"^({_ROLE_WORD})\s*[:：]\s*(.*?)\s*[；;。]?\s*$", piece.strip(), re.S)
        if match:
            role = next(r for r, words in ROLE_WORDS.items() if match[1] in words)
            found[role] = (found.get(role, "") + "、" if role in found else "") + match[2].strip()
    return found


class Reader:
    """Walks the blocks once, keeping the current attachment, table, heading, section and subsection."""

    def __init__(self, name: str, blocks: list[Block], known_leaders: list[str], lead_first: bool):
        self.name = name
        self.blocks = blocks
        self.known_leaders = list(known_leaders)
        self.lead_first = lead_first
        self.notice = ParsedNotice()
        self.attachment = ""
        self.title = ""
        self.title_line = 0
        self.table: ParsedTable | None = None
        self.heading = ("", "")  # (section_no, text) of a leader group heading
        self.section = ("", "")
        self.subsection = ""
        self.in_body = False
        self.attachment_list: list[str] = []
        self.pending_title = ""
        self.stopped = False
        self.headless_reported = False
        self.section_style = ""

    # ----------------------------------------------------------------- walking
    def read(self) -> ParsedNotice:
        for block in self.blocks:
            if self.stopped:
                break
            if block.kind == "para":
                self._paragraph(block)
            else:
                self._row(block)
        self._finish()
        return self.notice

    def _paragraph(self, block: Block) -> None:
        text = block.cells[0]
        flat = without_spaces(text).lstrip("-•·")
        notice = self.notice
        if flat.startswith("抄送") or flat.startswith("抄报"):
            self.stopped = True
            return
        if re.match(r"^注[:：]", flat) and "*" in flat:
            notice.lead_mark = notice.lead_mark or re.sub(r"^注[:：]", "", flat).rstrip("。")
            return
        if not self.in_body and self._header_fact(flat, block):
            return
        marker = ATTACHMENT.match(flat)
        if marker:
            self.in_body = True
            self.attachment = "附件" + marker[1]
            self.title, self.table, self.heading, self.section, self.subsection = "", None, ("", ""), ("", ""), ""
            self.section_style = ""
            return
        heading = LEADER_HEADING.match(flat)
        if heading:
            self.in_body = True
            number = cn_number(heading[1])
            leader = split_heading_leader(heading["body"], self.known_leaders + list(notice.heading_leaders))
            if leader is None or number is None:
                notice.problems.append(Problem(self.name, block.line, None, f"分组标题“{flat}”中找不到领导姓名",
                                               "标题应形如“一、林杰常委、常务副区长牵头重点工作”"))
                return
            notice.heading_leaders.setdefault(leader[0], leader[1])
            notice.heading_lines.setdefault(leader[0], block.line)
            self.heading = (str(number), tidy_heading(text))
            if self.table is not None and self.table.leaders_from == "none":
                self.table.leaders_from = "heading"
            return
        if ROLE_LINE.match(flat) and notice.tasks and self._last_task_open():
            self._attach_roles(notice.tasks[-1], parse_roles(text), "line")
            return
        if self._paragraph_task(text, block):
            return
        if self._structure(text):
            self.in_body = True
            return
        if self.in_body and not self.title and self.table is None:
            self.title, self.title_line = tidy_text(text), block.line
        elif re.search(r"(表|清单|分解)$", flat):  # the title of the next table (another sheet, no 附件 mark)
            self.pending_title, self.title_line = tidy_text(text), block.line

    def _header_fact(self, flat: str, block: Block) -> bool:
        """Record a fact of the notice's head (文号, title, issuer, dates); True when the paragraph was one."""
        notice = self.notice
        if not notice.doc_no and DOC_NO.match(flat):
            notice.doc_no = flat
            notice.lines["doc_no"] = block.line
            return True
        if not notice.issuer and flat.endswith("文件") and len(flat) > 4:
            notice.issuer = flat[:-2]
            return True
        if not notice.title and "关于" in flat and flat.endswith("通知"):
            notice.title = flat
            notice.lines["title"] = block.line
            return True
        date = DATE.fullmatch(flat)
        if date and not notice.signed_date:
            notice.signed_date = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"
            return True
        publication = re.fullmatch(r"[（(](此件.+)[）)]", flat)
        if publication:
            notice.publication = publication[1]
            return True
        listed = re.match(r"^附件[:：](.*)$", flat)
        if listed:
            self.attachment_list = [listed[1]]
            return True
        if self.attachment_list and re.match(r"^\d+[.．]", flat) and not ROLE_LINE.search(flat):
            self.attachment_list.append(flat)
            return True
        return False

    def _structure(self, text: str) -> bool:
        """Take a numbered heading paragraph as the current section or subsection."""
        flat = without_spaces(text)
        if SECTION_PAREN.match(flat) or SECTION_COMMA.match(flat):
            self._set_heads([text])
            return True
        if DOT_NO.match(flat) and self.in_body:
            self._set_heads([text])
            return True
        return False

    def _last_task_open(self) -> bool:
        last = self.notice.tasks[-1]
        return not last.units

    # --------------------------------------------------------- paragraph tasks
    def _paragraph_task(self, text: str, block: Block) -> bool:
        """Take a numbered paragraph with its roles (inline, or on the next line) as a task."""
        number = PAREN_NO.match(text) or DOT_NO.match(text)
        if not number:
            return False
        inline = INLINE_ROLES.search(text)
        following = self._next_paragraph(block)
        if not inline and not (following is not None and ROLE_LINE.match(without_spaces(following.cells[0]))):
            return False
        if self.table is None or self.table.roles:
            self._new_table(block, (), "paragraphs")
        body = text[number.end():]
        roles = {}
        if inline:
            body = body[:inline.start() - number.end()] if inline.start() >= number.end() else body
            roles = parse_roles(inline[1])
        task = self._task(block, int(number[1]), tidy_text(body), "", "", "", "")
        self._attach_roles(task, roles, "inline" if inline else "line")
        return True

    def _next_paragraph(self, block: Block) -> Block | None:
        at = self.blocks.index(block)
        return self.blocks[at + 1] if at + 1 < len(self.blocks) and self.blocks[at + 1].kind == "para" else None

    def _attach_roles(self, task: ParsedTask, roles: dict[str, str], how: str) -> None:
        if "leaders" in roles:
            task.leaders = roles["leaders"]
        lead = roles.get("lead", "")
        others = "、".join(v for k, v in roles.items() if k in ("units", "support") and v)
        task.units = compose_units(lead, others, self.lead_first)
        if self.table is not None:
            self.table.lead_style = "columns" if lead else ("first" if self.lead_first else "star")
            self.table.layout = "段落（每条任务后" + ("括号中写明责任领导和单位）" if how == "inline" else "另起一行写“责任单位：…”）")
            if task.leaders and self.table.leaders_from == "none":
                self.table.leaders_from = "column"

    # ------------------------------------------------------------------- rows
    def _row(self, block: Block) -> None:
        self.in_body = True
        roles = self._header(block.cells)
        if roles is not None:
            if (self.table is not None and self.table.attachment == self.attachment and self.table.roles
                    and not self.pending_title
                    and tuple(dict.fromkeys(self.table.roles)) == tuple(dict.fromkeys(roles))):
                self.table.roles = roles  # the header repeated on the next page: the same table continues
                return
            self._new_table(block, roles, "table")
            if "content" not in roles and "name" not in roles:
                found = "、".join(tidy_text(c) for c in block.cells if c)
                self.notice.problems.append(Problem(
                    self.name, block.line, None, f"表头（{found}）中没有任务内容列",
                    "表头应有“内容和要求”“重点工作”“工作任务”“任务内容”“项目内容”或“指标名称”等列之一；"
                    "若表头写法不同，请改成其中一种后再导入"))
            return
        if self.table is None or not self.table.roles:
            filled = [c for c in block.cells if c]
            if len(filled) == 1 and self._structure(filled[0]):
                return
            if not self.headless_reported:
                self.headless_reported = True
                found = "、".join(tidy_text(c) for c in block.cells if c)[:60]
                self.notice.problems.append(Problem(
                    self.name, block.line, None, f"表格的第一行（{found}）不是可识别的表头",
                    "表格第一行应为表头，写明各列，如“序号、重点工作、责任单位、备注”；任务内容列可叫"
                    + "、".join(f"“{w}”" for w in HEADER_LABELS["content"][:6]) + "等"))
            return
        filled = [c for c in block.cells if c]
        if len(filled) == 1 and len(block.cells) > 1 and not re.fullmatch(r"\d+", filled[0]):
            flat = without_spaces(filled[0])
            heading = LEADER_HEADING.match(flat)
            if heading or SECTION_PAREN.match(flat) or SECTION_COMMA.match(flat):
                self._paragraph(Block("para", (filled[0],), block.line, block.source))
                return
        self._table_row(block)

    def _header(self, cells: tuple[str, ...]) -> tuple[str, ...] | None:
        roles: list[str] = []
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        for cell in cells:
            role = header_role(cell) if cell else None
            if cell and role is None:
                return None
            if not cell:
                role = "item" if roles and roles[-1] == "item" else "empty"
            roles.append(role)
        recognised = [r for r in roles if r not in ("empty",)]
        if len(recognised) < 2 or not {"content", "name", "units", "lead", "leaders"} & set(recognised):
            return None
        # 责任单位 beside a 牵头单位 column lists the other (supporting) units
        if "lead" in roles:
            roles = ["support" if r == "units" else r for r in roles]
        return tuple(roles)

    def _new_table(self, block: Block, roles: tuple[str, ...], kind: str) -> None:
        title = self.pending_title or self.title or self.notice.title
        columns = "、".join(tidy_text(c) for c in block.cells if c) if roles else ""
        if "leaders" in roles:
            leaders_from = "column"
        elif self.heading[0]:
            leaders_from = "heading"
        else:
            leaders_from = "none"
        lead_style = "columns" if "lead" in roles else ("first" if self.lead_first else "star")
        self.table = ParsedTable(self.attachment, title, columns, scope_of(title), leaders_from, roles, lead_style,
                                 self.title_line or block.line, kind)
        self.notice.tables.append(self.table)
        self.pending_title = ""
        self.headless_reported = False
        if kind == "table" and not self.heading[0]:
            self.section, self.subsection, self.section_style = ("", ""), "", ""

    def _table_row(self, block: Block) -> None:
        roles = self.table.roles
        cells = list(block.cells)
        while len(cells) > len(roles) and not cells[-1]:
            cells.pop()
        unsure: list[str] = []
        fields: dict[str, str] = {}
        heads: list[str] = []
        seq: int | None = None
        if "seq" in roles:
            if len(cells) != len(roles):
                unsure.append(f"此行有 {len(cells)} 格，表头有 {len(roles)} 列，已按从左到右对齐")
                cells = (cells + [""] * len(roles))[:len(roles)]
            fields = _by_role(roles, cells)
            heads = [fields.pop("item", "")] if fields.get("item") else []
            number = re.fullmatch(r"[（(]?\s*(\d+)\s*[）)]?[.．、]?", fields.get("seq", ""))
            if number:
                seq = int(number[1])
            elif fields.get("seq"):
                unsure.append(f"序号“{fields['seq']}”不是数字")
        else:
            seq, fields, heads = self._numbered_row(cells, unsure)
        if heads:
            self._set_heads([h for h in heads if h])
        self._row_task(block, seq, fields, unsure)

    def _numbered_row(self, cells: list[str], unsure: list[str]):
        """Align a row of a table without 序号: the task number sits in the content cell."""
        roles = self.table.roles
        content_at = roles.index("content") if "content" in roles else roles.index("name")
        trailing = [r for r in roles[content_at + 1:] if r != "empty"]
        at, match = None, None
        if self.table.number_style != "dot":
            for index, cell in enumerate(cells):
                match = PAREN_NO.search(cell)
                if match:
                    at, self.table.number_style = index, "paren"
                    break
        if at is None and self.table.number_style != "paren" and content_at < len(cells) \
                and DOT_NO.match(cells[content_at]):
            at, match = content_at, DOT_NO.match(cells[content_at])
            self.table.number_style = "dot"
        if at is None:
            filled = [c for c in cells if c]
            count = min(len(trailing), len(filled))
            heads, values = filled[:len(filled) - count], filled[len(filled) - count:]
            fields = dict(zip(trailing[len(trailing) - count:], values))
            fields["content"] = ""
            return None, fields, heads
        heads = [c for c in cells[:at] if c]
        prefix = cells[at][:match.start()].strip()
        if prefix:
            heads.append(prefix)
        content = cells[at][match.end():].strip()
        after = cells[at + 1:]
        if len(after) == len(trailing):
            fields = dict(zip(trailing, after))
        else:
            values = [c for c in after if c]
            count = min(len(values), len(trailing))
            fields = dict(zip(trailing[len(trailing) - count:], values[len(values) - count:]))
            if len(values) < len(trailing) and "units" in trailing and "units" not in fields:
                head, stop, tail = content.rpartition("。")
                if stop and tail.strip():
                    content, fields["units"] = head + "。", tail.strip()
                    unsure.append("责任单位与任务内容连在一起，已在最后一个句号处分开，请核对")
        fields["content"] = content
        return int(match[1]), fields, heads

    def _row_task(self, block: Block, seq: int | None, fields: dict[str, str], unsure: list[str]) -> None:
        table = self.table
        roles = table.roles
        previous = next((t for t in reversed(self.notice.tasks) if t.table == len(self.notice.tables) - 1), None)
        name, metric = fields.get("name", ""), fields.get("metric", "")
        content = fields.get("content", "")
        project = ""
        if "content" in roles:
            project = name
        elif name and metric:
            content = name + " \x00 " + metric  # joined after tidying, with one space kept between
            metric = ""
        elif name:
            content = name
        inline = INLINE_ROLES.search(content)
        roles_found = parse_roles(inline[1]) if inline else {}
        if inline:
            content = content[:inline.start()]
        content = " ".join(tidy_text(part) for part in content.split(" \x00 "))
        if "content" in roles and metric:
            content = content + " " + tidy_text(metric)
        if seq is None:
            if "seq" in roles and previous is not None and not fields.get("seq"):
                seq = previous.seq  # a 序号 merged down, or a second row of the same item
                project = project or previous.project
            else:
                seq = previous.seq + 1 if previous is not None else 1
                if not content:
                    unsure.append("此行没有任务编号，序号按上一行加一")
        if not content:
            unsure.append("原文此行没有任务内容（只有单位和领导），已标为“原文缺少任务内容”")
        task = self._task(block, seq, content, project, fields.get("note", ""), "", "")
        task.unsure += unsure
        task.leaders = fields.get("leaders", "") or roles_found.get("leaders", "")
        lead = fields.get("lead", "") or roles_found.get("lead", "")
        others = "、".join(v for v in (fields.get("support", ""), fields.get("units", ""),
                                      roles_found.get("units", ""), roles_found.get("support", "")) if v)
        task.units = compose_units(lead, others, self.lead_first)

    def _task(self, block: Block, seq: int, content: str, project: str, note: str, units: str, leaders: str) -> ParsedTask:
        section_no, section = self.heading if self.heading[0] else self.section
        task = ParsedTask(len(self.notice.tables) - 1, section_no, section, self.subsection if not self.heading[0] else "",
                          seq, "", project, content, not content, units, leaders, note, block.line, block.source)
        self.notice.tasks.append(task)
        return task

    def _set_heads(self, heads: list[str]) -> None:
        """Take heading cells or paragraphs as the section or subsection.

        The higher numbering style (一、 above （一） above 1.) is the section, the next one
        the subsection; an unnumbered heading (全区经济社会发展的主要预期目标) is a section
        numbered 0. A cell may hold both ("（六）…。 1. 提高教育服务优质度。").
        """
        for head in heads:
            parts = re.split(r"\s(?=\d+\s*[.．、]\s*\S)", head.strip(), maxsplit=1)
            for part in parts:
                flat = without_spaces(part)
                style = "comma" if SECTION_COMMA.match(flat) else "paren" if SECTION_PAREN.match(flat) \
                    else "dot" if DOT_NO.match(flat) else ""
                rank = {"comma": 0, "paren": 1, "dot": 2}.get(style, -1)
                current = {"comma": 0, "paren": 1, "dot": 2}.get(self.section_style, -1)
                if style and self.section[1] and rank > current and current >= 0 or style == "dot":
                    self.subsection = tidy_heading(part)
                    continue
                section = tidy_heading(part)
                number = SECTION_PAREN.match(section) or SECTION_COMMA.match(section)
                value = cn_number(number[1]) if number else None
                self.section = (str(value) if value is not None else "0", section)
                self.section_style = style
                self.subsection = ""

    # ------------------------------------------------------------------ finish
    def _finish(self) -> None:
        notice = self.notice
        if self.attachment_list:
            items = [re.sub(r"^\d+[.．]\s*", "", a) for a in self.attachment_list]
            numbered = [re.match(r"^(\d+)[.．]", a) for a in self.attachment_list]
            if len(items) > 1 or numbered[0]:
                notice.attachments = "；".join(f"附件{m[1] if m else i}：{tidy_text(t)}"
                                               for i, (m, t) in enumerate(zip(numbered, items), start=1))
            else:
                notice.attachments = "附件：" + tidy_text(items[0])
        for block in self.blocks:
            issued = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日印发", without_spaces(block.text))
            if issued:
                notice.issued_date = f"{issued[1]}-{int(issued[2]):02d}-{int(issued[3]):02d}"
        if not notice.issuer and "关于" in notice.title:
            notice.issuer = notice.title.split("关于")[0]
        # rows sharing one printed number are the parts of one item (民生实事 第9项 分两行)
        groups: dict[tuple, list[ParsedTask]] = {}
        for task in notice.tasks:
            groups.setdefault((task.table, task.section_no, task.seq), []).append(task)
        for same in groups.values():
            if len(same) > 1 and "seq" in notice.tables[same[0].table].roles:
                for part, task in enumerate(same, start=1):
                    task.part = str(part)
        for table in notice.tables:
            if not table.layout or table.layout == "table":
                table.layout = describe(table)


def _by_role(roles: tuple[str, ...], cells: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for role, cell in zip(roles, cells):
        if role == "empty" or not cell:
            continue
        fields[role] = (fields[role] + " " + cell) if role in fields and role == "item" else fields.get(role) or cell
    return fields


def compose_units(lead: str, others: str, lead_first: bool) -> str:
    """Return the curated units cell: lead units marked `*` when other units are listed too.

    A single printed 责任单位 cell is kept as printed (its own `*` marks); with the choice
    “列第一位的责任单位为牵头单位” its first unit is marked.
    """
    if lead:
        leads = [u if u.endswith("*") else u + "*" for u in split_printed(lead)] if others else split_printed(lead)
        return "、".join(leads + split_printed(others))
    if lead_first and others and "*" not in others:
        units = split_printed(others)
        return "、".join([units[0] + "*"] + units[1:]) if len(units) > 1 else units[0] if units else ""
    return others


def split_printed(cell: str) -> list[str]:
    """Return the names of a printed list separated by 、 ， , ； or line breaks (else by spaces)."""
    pieces = [p.strip() for p in re.split(r"[、，,；;\n]+", cell) if p.strip()]
    if len(pieces) == 1 and " " in pieces[0] and not re.search(r"[、，,；;\n]", cell):
        tokens = pieces[0].split()
        pieces = []
        for token in tokens:
            if pieces and (token == "*" or len(pieces[-1]) == 1):
                pieces[-1] += token
            else:
                pieces.append(token)
    return pieces


def describe(table: ParsedTable) -> str:
    """Return how a table was read, in words for the messages."""
    columns = f"表格（列：{table.columns_printed}）" if table.columns_printed else "段落"
    leaders = {"column": "牵头领导在表中一列", "heading": "牵头领导在分组标题中（“一、某某…牵头重点工作”）",
               "none": "表中未列牵头领导"}[table.leaders_from]
    lead = {"columns": "牵头单位、配合单位分列", "star": "牵头单位以 * 标注（一行都未标 * 时所列单位都是牵头）",
            "first": "列第一位的责任单位为牵头单位（导入时选择）"}.get(table.lead_style, "")
    return f"{columns}；{leaders}；{lead}"


def parse_blocks(name: str, blocks: list[Block], known_leaders: list[str], lead_first: bool = False) -> ParsedNotice:
    """Return the notice read from its blocks."""
    return Reader(name, blocks, known_leaders, lead_first).read()
