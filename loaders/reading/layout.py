"""Interpreting the blocks of a notice: its header facts, its tables, and one task per printed row.

Recognised layouts (each table says which one it found, for the messages):
- a table with a leaders column (牵头领导, 分管县领导, 牵头市领导…), or leader group headings
  (“一、林杰常委、常务副区长牵头重点工作”, “（一）X副县长主抓的工作”), as paragraphs or as a row
  merged across the table;
- lead units marked `*` in one 责任单位 column, or separate 牵头单位/牵头部门 and
  责任单位/配合单位/配合部门 columns, or (a per-import choice) the first unit listed leads;
- numbered content ((1), 1., 1、) under 项目 cells ((一)…, 1.…) or a 序号 column;
- a task-name column plus a 指标要求 column, joined as “地区生产总值 增长5.5%”;
- paragraphs instead of a table: numbered tasks (1. 1、 (1) （一） ①) with a trailing bracket of
  roles of any kind “（责任领导：X；牵头单位：A；责任单位：B、C）”, “【牵头单位：A；配合单位：B】”,
  “（A牵头，B、C配合）”, “（A负责）”, or role lines under the task (one or several, any wording
  the open grammar of roles.py knows: 牵头负责领导：…, 牵头责任单位：…, 部门分工：A牵头，B配合).
Columns a table has beyond these (完成时限, 目标类型…) are kept in the task's note as “列名：值”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest

from loaders.leaders import HEADING
from loaders.problems import Problem
from loaders.reading.blocks import Block
from loaders.reading.roles import label_role, role_line, trailing_roles
from loaders.reading.unit_names import UNIT_ENDINGS, leader_and_title, only_title, split_names
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
PAREN_NO = re.compile(r"(?:^|(?<=\s)|(?<=。))[（(]\s*(\d{1,3})\s*[）)]\s*")
DOT_NO = re.compile(r"^(\d{1,3})\s*(?:[.．、]|[)）](?!\d))\s*(?=\S)")
CIRCLED_NO = re.compile(r"^([\u2460-\u2473])\s*")
SECTION_PAREN = re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]")
SECTION_COMMA = re.compile(rf"^([{_CN}]+)\s*、")
LEADER_HEADING = HEADING
ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)$")
DOC_NO = re.compile(r"^(?:文件编号|发文字号|发文文号|文号)?[:：]?(\S*?[〔\[［（(]\d{4}[〕\]］）)]\d+号)$")
LEAD_FIRST_RULE = re.compile(r"(?:列|排)(?:在)?第一(?:位|个)的?(?:责任|部门|单位)*(?:单位|部门)?(?:为|是)牵头")
# a page number printed between paragraphs (“— 3 —”, “-3-”, “第3页”, “3/12”): not part of the notice's text
PAGE_MARK = re.compile(r"^(?:[-—–－]*\d{1,3}[-—–－]*|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3})$")
DEADLINE_COLUMN = re.compile(r"时限|完成时间|截止|完成期限|时间要求|完成时点")
# “（6月底前完成）” closing a task's text: its deadline (“（6月底前完成选址）” is a step of the task, not its end)
DEADLINE_IN_TEXT = re.compile(r"[（(]\s*((?:\d{4}年)?[^（）()]{1,10}?前)\s*(?:全面|全部)?完成\s*[）)][。；;]?$")
ROLE_OR_NUMBER = re.compile(rf"^(?:[（(]?\d{{1,3}}[）).．、]|[（(][{_CN}]+[）)]|[{_CN}]+、|[\u2460-\u2473])")
_TITLE_END = ("通知", "方案", "分解表", "分工表", "分解", "清单", "意见", "责任表", "任务表")
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
    if len(tens) > 1 or len(ones) > 1 or "十" in ones or "〇" in tens + ones or "零" in tens + ones:
        return None  # 十三五, 二十十: not a number up to 99
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


def tidy_text(text: str) -> str:
    """Return text without the spaces the PDF put around Chinese characters (kept between ASCII words)."""
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", re.sub(r"\s+", " ", text).strip())


def tidy_heading(text: str) -> str:
    """Return a heading with one spelling of its brackets and commas."""
    return tidy_text(text).replace("(", "（").replace(")", "）").replace(",", "，")


# what a person can say a column is (数据维护 → 表头各列是什么): words on screen → the reader's roles
COLUMN_CHOICES = {"序号": "seq", "板块/项目": "item", "任务内容": "content", "任务名称": "name", "指标要求": "metric",
                  "牵头单位": "lead", "配合单位": "support", "责任单位（* 为牵头）": "units", "牵头领导": "leaders",
                  "备注": "note", "完成时限": "deadline", "不用": "ignore"}
COLUMN_CHOICES_ROLE = dict(COLUMN_CHOICES)


def header_role(text: str) -> str | None:
    """Return the role of a header cell ("内容和要求" → content), or None when it is not a header word."""
    base = re.sub(r"[（(][^）)]*[）)]", "", without_spaces(text))
    for role, labels in HEADER_LABELS.items():
        if base in labels:
            return role
    by_parts = label_role(base)  # 牵头市领导, 分管县领导, 协同责任单位, 主办部门…
    if by_parts in ("leaders", "lead", "support", "units"):
        return by_parts
    for label, role in sorted(((l, r) for r, ls in HEADER_LABELS.items() for l in ls), key=lambda p: -len(p[0])):
        if len(label) >= 2 and label in base and len(base) <= len(label) + 4:
            return role
    return None


def kept_column(text: str) -> str | None:
    """Return "note:<header>" for a header cell the reader keeps in the note (完成时限, 目标类型…), else None."""
    label = tidy_text(text)
    if 1 <= len(label) <= 12 and not re.search(r"\d", label):
        return "note:" + label
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
    roles: dict[str, str] = field(default_factory=dict)  # as printed in paragraphs: leaders, lead, units, support
    deadline: str = ""  # the 完成时限 as printed (a column, or “（6月底前完成）” after the text)


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
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # role lines under no task: (line, text)
    leader_titles: dict[str, str] = field(default_factory=dict)  # name → title printed beside it in a task


def number_level(flat: str) -> int | None:
    """Return the level of a paragraph's numbering: 一、 0, （一） 1, 1. / 1、 2, （1） 3, ① 4; None when unnumbered."""
    for level, pattern in enumerate((SECTION_COMMA, SECTION_PAREN, DOT_NO, PAREN_NO, CIRCLED_NO)):
        match = pattern.match(flat)
        if match and (level > 1 or cn_number(match[1]) is not None):
            return level
    return None


def scope_of(title: str) -> str:
    """Return annual, five_year or livelihood from a table title (a title naming both 重点工作 and
    民生实事, the notice's own title, is annual: its tables say which is which)."""
    if re.search(r"五年|十[三四五六]五", title):
        return "five_year"
    if re.search(r"民生|实事", title) and not re.search(r"重点工作|目标任务|主要任务|工作任务|工作报告(?!.*实事)", title):
        return "livelihood"
    return "annual"


def split_heading_leader(body: str, known: list[str]) -> tuple[str, str] | None:
    """Return (name, title) of a group heading's body "林杰常委、常务副区长", or None."""
    body = without_spaces(body)
    name = next((n for n in sorted(known, key=len, reverse=True) if body.startswith(n)), None)
    if name:
        return name, body[len(name):]
    name, title = leader_and_title(body)
    if title and body.startswith(title) and 2 <= len(name) <= 4:  # title first: “常务副县长王五”
        return name, title
    positions = [body.find(w) for w in TITLE_WORDS if body.find(w) > 0]
    if positions and 2 <= min(positions) <= 4:
        return body[:min(positions)], body[min(positions):]
    if 2 <= len(body) <= 3:
        return body, ""
    return None


class Reader:
    """Walks the blocks once, keeping the current attachment, table, heading, section and subsection."""

    def __init__(self, name: str, blocks: list[Block], known_leaders: list[str], lead_first: bool,
                 column_roles: dict[str, str] | None = None):
        self.name = name
        self.column_roles = {tidy_text(k): v for k, v in (column_roles or {}).items()}
        blocks = [b for b in blocks if not (b.kind == "para" and PAGE_MARK.match(without_spaces(b.cells[0])))]
        self.blocks = blocks
        self.known_leaders = list(known_leaders)
        # “列第一位的（责任）单位为牵头单位”, wherever the notice says it, is the notice's own rule
        self.lead_first = lead_first or any(LEAD_FIRST_RULE.search(without_spaces(b.text)) for b in blocks)
        self.notice = ParsedNotice()
        self.attachment = ""
        self.title = ""
        self.title_line = 0
        self.table: ParsedTable | None = None
        self.heading = ("", "")  # (section_no, text) of a leader group heading
        self.heading_level: int | None = None  # number_level of that heading
        self.section = ("", "")
        self.subsection = ""
        self.in_body = False
        self.attachment_list: list[str] = []
        self.pending_title = ""
        self.stopped = False
        self.headless_reported = False
        self.section_style = ""
        self.open_task: ParsedTask | None = None  # the paragraph task role lines below it belong to
        self.taken: set[int] = set()  # blocks read ahead (a title printed over several lines)
        self.at = 0
        self.header_above: Block | None = None  # a row of column names waiting for the row below it
        self.inherited: tuple[int, dict[str, str]] | None = None  # (level, roles) a heading gave the tasks under it
        self.header_block: Block | None = None  # the header row of the current table, and its position
        self.header_at = -1

    # ----------------------------------------------------------------- walking
    def read(self) -> ParsedNotice:
        for index, block in enumerate(self.blocks):
            if self.stopped:
                break
            if index in self.taken:
                continue
            self.at = index
            if block.kind == "para":
                self._flush_header_above()
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
        if self._leader_heading(text, flat, block):
            return
        roles = role_line(text)
        if roles:
            if self.open_task is not None:
                self._attach_roles(self.open_task, roles, "line")
            else:
                notice.unplaced.append((block.line, tidy_text(text)))
            return
        if self._paragraph_task(text, block):
            return
        if self._structure(text):
            self.in_body = True
            self.open_task = None
            return
        self.open_task = None
        if self.in_body and not self.title and self.table is None:
            self.title, self.title_line = tidy_text(text), block.line
        elif re.search(r"(表|清单|分解|分工)$", flat) and len(flat) <= 60:  # the next table's title (no 附件 mark)
            self.pending_title, self.title_line = tidy_text(text), block.line

    def _leader_heading(self, text: str, flat: str, block: Block) -> bool:
        """Take a group heading naming the leader of the tasks below (“一、X副市长牵头重点工作”,
        “（二）X副县长主抓的工作”); False when the heading names no leader (then it is a section)."""
        heading = LEADER_HEADING.match(flat)
        if not heading:
            return False
        number = cn_number(heading[1] or heading[2])
        leader = split_heading_leader(heading["body"], self.known_leaders + list(self.notice.heading_leaders))
        if leader is None or number is None:
            return False
        self.in_body = True
        self.open_task = None
        self.notice.heading_leaders.setdefault(leader[0], leader[1])
        self.notice.heading_lines.setdefault(leader[0], block.line)
        self.heading = (str(number), tidy_heading(text))
        self.heading_level = number_level(flat)
        if self.table is not None and self.table.leaders_from == "none":
            self.table.leaders_from = "heading"
        return True

    def _header_fact(self, flat: str, block: Block) -> bool:
        """Record a fact of the notice's head (文号, title, issuer, dates); True when the paragraph was one."""
        notice = self.notice
        doc_no = DOC_NO.match(flat)
        if not notice.doc_no and doc_no:
            notice.doc_no = doc_no[1]
            notice.lines["doc_no"] = block.line
            return True
        if not notice.issuer and flat.endswith("文件") and len(flat) > 4:
            notice.issuer = flat[:-2]
            return True
        if not notice.title and self._title(flat, block):
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
        if self.attachment_list and re.match(r"^\d+[.．]", flat) and not role_line(flat):
            self.attachment_list.append(flat)
            return True
        return False

    def _title(self, flat: str, block: Block) -> bool:
        """Take the notice's title: “…关于…的通知”, printed on one line or over several, or a plain
        title naming the year and the work (“X区2023年区《政府工作报告》确定的重点工作任务责任分解方案”)."""
        if flat.endswith("：") or flat.endswith(":") or ROLE_OR_NUMBER.match(flat):
            return False
        at = self.at
        if "关于" in flat:
            title, used = flat, []
            for ahead in range(at + 1, min(at + 4, len(self.blocks))):
                if title.endswith(_TITLE_END) or self.blocks[ahead].kind != "para":
                    break
                following = without_spaces(self.blocks[ahead].cells[0])
                if following.endswith(("：", ":")) or len(following) > 40:
                    break
                title, used = title + following, used + [ahead]
            if title.endswith(_TITLE_END):
                self.notice.title = title
                self.notice.lines["title"] = block.line
                self.taken.update(used)
                return True
            return False
        if re.search(r"(19|20)\d\d", flat) and len(flat) <= 80 and flat.endswith(_TITLE_END) \
                and re.search(r"工作报告|责任分解|分工|任务|实事", flat):
            self.notice.title = flat
            self.notice.lines["title"] = block.line
            return True
        return False

    def _structure(self, text: str) -> bool:
        """Take a numbered heading paragraph as the current section or subsection."""
        flat = without_spaces(text)
        level = number_level(flat)
        if self.inherited and level is not None and level <= self.inherited[0]:
            self.inherited = None
        if self.heading[0] and level is not None and self.heading_level is not None and level <= self.heading_level:
            self.heading = ("", "")  # “三、民生实事” after “二、X副县长负责的工作”: the leader's group has ended
        if SECTION_PAREN.match(flat) or SECTION_COMMA.match(flat):
            self._set_heads([text])
            return True
        if DOT_NO.match(flat) and self.in_body:
            self._set_heads([text])
            return True
        return False

    # --------------------------------------------------------- paragraph tasks
    def _paragraph_task(self, text: str, block: Block) -> bool:
        """Take a paragraph with its roles (a trailing bracket, or role lines below it) as a task.

        Numbered 1. 1、 (1) ① as tasks; （一） or 一、 only when roles follow it (no deeper level);
        an unnumbered paragraph only with a trailing bracket of roles.
        """
        flat = without_spaces(text)
        body, roles = trailing_roles(text)
        following = self._next_paragraph()
        roles_below = following is not None and bool(role_line(following.cells[0]))
        level = number_level(flat)
        deeper_below = following is not None and level is not None \
            and (number_level(without_spaces(following.cells[0])) or -1) > level
        if roles and deeper_below:
            # a heading whose roles hold for the numbered tasks under it (“一、稳增长（责任领导：X；牵头单位：A）”)
            self._structure(body)
            self.inherited = (level, roles)
            self.open_task = None
            return True
        if self.inherited and level is not None and level <= self.inherited[0]:
            self.inherited = None
        if self.heading[0] and level is not None and self.heading_level is not None and level <= self.heading_level:
            self.heading = ("", "")  # “三、民生实事” after “二、X副县长负责的工作”: the leader's group has ended  # a heading of the same or a higher level ends what the last one said
        if not roles and deeper_below:
            return False  # a heading with numbered items under it (read by _structure)
        inherited = self.inherited[1] if self.inherited and level is not None else {}
        if not roles and not roles_below and not inherited:
            return False
        roles = {**inherited, **roles}
        number = PAREN_NO.match(body) or DOT_NO.match(body) or CIRCLED_NO.match(body)
        seq = None
        if number:
            seq = int(number[1]) if number[1].isdigit() else ord(number[1]) - 0x245F
            body = body[number.end():]
        else:
            chinese = SECTION_PAREN.match(flat) or SECTION_COMMA.match(flat)
            if chinese and cn_number(chinese[1]) is not None:
                seq = cn_number(chinese[1])
                body = re.sub(rf"^\s*(?:[（(]\s*[{_CN}]+\s*[）)]|[{_CN}]+\s*、)\s*", "", body)
            elif not roles or len(flat) < 8:
                return False
        if self.table is None or self.table.roles:
            self._new_table(block, (), "paragraphs")
        if seq is None:
            previous = next((t for t in reversed(self.notice.tasks) if t.table == len(self.notice.tables) - 1), None)
            seq = previous.seq + 1 if previous is not None else 1
        task = self._task(block, seq, tidy_text(body), "", "", "", "")
        self._attach_roles(task, roles, "inline" if roles else "line")
        self.open_task = task
        return True

    def _next_paragraph(self) -> Block | None:
        at = self.at + 1
        return self.blocks[at] if at < len(self.blocks) and self.blocks[at].kind == "para" else None

    def _attach_roles(self, task: ParsedTask, roles: dict[str, str], how: str) -> None:
        """Add roles to a task (a second role line adds to the first, never replaces it)."""
        for role, value in roles.items():
            task.roles[role] = task.roles[role] + "、" + value if task.roles.get(role) else value
        task.leaders = self._leaders_cell(task.roles.get("leaders", ""))
        lead = task.roles.get("lead", "")
        others = "、".join(v for k, v in task.roles.items() if k in ("units", "support") and v)
        task.units = compose_units(lead, others, self.lead_first)
        if self.table is not None:
            if lead:
                self.table.lead_style = "columns"
            elif self.table.lead_style != "columns":
                self.table.lead_style = "first" if self.lead_first else "star"
            self.table.layout = "段落（每条任务后" + ("括号中写明责任领导和单位）" if how == "inline" else "另起一行写“责任单位：…”）")
            if task.leaders and self.table.leaders_from == "none":
                self.table.leaders_from = "column"

    # ------------------------------------------------------------------- rows
    def _row(self, block: Block) -> None:
        self.in_body = True
        roles = self._header(block.cells)
        above, self.header_above = self.header_above, None
        if above is not None:
            if roles is None or not {"content", "name"} & set(roles):
                # a header printed over two rows (“责任分工” above “牵头单位 | 配合单位”): read as one
                merged = tuple(lower or upper for upper, lower in zip_longest(above.cells, block.cells, fillvalue=""))
                both = self._header(merged)
                if both is not None and {"content", "name"} & set(both):
                    block, roles, above = Block("row", merged, above.line, above.source + "\n" + block.source), both, None
            if above is not None:
                self._body_row(above)  # the row kept back was not the first row of a header after all
        if roles is not None and not {"content", "name"} & set(roles) and self.header_block is not None \
                and self.at - 1 == self.header_at:
            # the second row of a header whose first row was read as a whole header: join them
            merged = tuple(lower or upper for upper, lower in
                           zip_longest(self.header_block.cells, block.cells, fillvalue=""))
            both = self._header(merged)
            if both is not None and {"content", "name"} & set(both):
                self.table.roles = both
                self.table.columns_printed = "、".join(tidy_text(c) for c in merged if c)
                if "leaders" in both:
                    self.table.leaders_from = "column"
                self.table.lead_style = "columns" if "lead" in both else self.table.lead_style
                return
        if roles is None and self._header_like(block.cells):
            self.header_above = block  # perhaps the first row of a two-row header: the next row decides
            return
        if roles is None:
            self._body_row(block)
            return
        if (self.table is not None and self.table.attachment == self.attachment and self.table.roles
                and not self.pending_title
                and tuple(dict.fromkeys(self.table.roles)) == tuple(dict.fromkeys(roles))):
            self.table.roles = roles  # the header repeated on the next page: the same table continues
            return
        self._new_table(block, roles, "table")
        self.header_block, self.header_at = block, self.at
        if "content" not in roles and "name" not in roles:
            found = "、".join(tidy_text(c) for c in block.cells if c)
            self.notice.problems.append(Problem(
                self.name, block.line, None, f"表头（{found}）中没有任务内容列",
                "在上方“表头各列是什么”中指出哪一列是任务内容",
                value="\t".join(c for c in block.cells if c), code="no_header"))

    def _flush_header_above(self) -> None:
        if self.header_above is not None:
            above, self.header_above = self.header_above, None
            self._body_row(above)

    def _body_row(self, block: Block) -> None:
        """Read a row that is not a header: a task, a heading in a cell, or (before any header) the one
        problem of a table without a header."""
        filled = [c for c in block.cells if c]
        if self.table is None or not self.table.roles:
            if len(filled) == 1:  # a title or heading printed in the table's first row, merged across
                self._paragraph(Block("para", (filled[0],), block.line, block.source))
                return
            if not self.headless_reported:
                self.headless_reported = True
                found = "、".join(tidy_text(c) for c in filled)[:60]
                self.notice.problems.append(Problem(
                    self.name, block.line, None, f"表格的第一行（{found}）不是可识别的表头",
                    "在上方“表头各列是什么”中为每一列选择它的内容（任务内容、牵头单位、责任单位、牵头领导…）",
                    value="\t".join(filled), code="headless_table"))
            return
        if not {"content", "name"} & set(self.table.roles):
            return  # a table without a content column: said once, at its header
        if len(filled) == 1 and (len(block.cells) > 1 or len(self.table.roles) > 1) \
                and not re.fullmatch(r"\d+", filled[0]):
            flat = without_spaces(filled[0])
            heading = LEADER_HEADING.match(flat)
            if heading or SECTION_PAREN.match(flat) or SECTION_COMMA.match(flat):
                self._paragraph(Block("para", (filled[0],), block.line, block.source))
                return
        heading = self._heading_row(block)
        if heading:
            self._paragraph(Block("para", (heading,), block.line, block.source))
            return
        self._table_row(block)

    def _heading_row(self, block: Block) -> str:
        """Return the heading a table row prints instead of a task (“一 | 稳增长 | | |”), or ""."""
        roles = self.table.roles
        cells = dict(zip(roles, block.cells))
        if any(cells.get(r) for r in ("units", "lead", "support", "leaders")):
            return ""
        number = without_spaces(cells.get("seq", ""))
        text = tidy_text(cells.get("content", "") or cells.get("name", "") or cells.get("item", ""))
        if not text:
            return ""
        if re.fullmatch(rf"[{_CN}]+、?", number) and cn_number(number.rstrip("、")) is not None:
            return f"{number.rstrip('、')}、{text}"
        if re.fullmatch(rf"[（(][{_CN}]+[）)]", number) and cn_number(number[1:-1]) is not None:
            return f"（{number[1:-1]}）{text}"
        return ""

    def _classify_by_content(self, cells: tuple[str, ...]) -> None:
        """Give a kept column (a header no word list knows, “责任主体”, “包抓”) the role its first values show:
        names of units → units, when the table has no units column; people's names → leaders, when it has none."""
        roles = list(self.table.roles)
        if not any(r.startswith("note:") for r in roles):
            return
        for index, (role, value) in enumerate(zip(roles, cells)):
            if not role.startswith("note:") or not value.strip() or DEADLINE_COLUMN.search(role):
                continue
            names = split_names(value)
            if not {"units", "lead"} & set(roles) and names and all(
                    len(n.rstrip("*")) >= 3 and n.rstrip("*").endswith(UNIT_ENDINGS) for n in names):
                roles[index] = "units"
            elif "leaders" not in roles and names and all(
                    re.fullmatch(r"[\u4e00-\u9fff]{2,3}", leader_and_title(n)[0]) and not n.endswith(UNIT_ENDINGS)
                    for n in split_names(value, units=False)):
                roles[index] = "leaders"
                self.table.leaders_from = "column"
        self.table.roles = tuple(roles)

    def _header_like(self, cells: tuple[str, ...]) -> bool:
        """True for a row of column names that is not a whole header (“序号 | 重点任务 | 责任分工 | | 完成时限”)."""
        filled = [tidy_text(c) for c in cells if c]
        return len(filled) >= 2 and all(len(c) <= 12 and not re.search(r"\d", c) for c in filled) \
            and sum(header_role(c) is not None for c in filled) >= 2

    def _header(self, cells: tuple[str, ...]) -> tuple[str, ...] | None:
        roles: list[str] = []
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        unknown = 0
        # the person's choice is for the row they were shown: every filled cell one of its texts
        filled = [tidy_text(c) for c in cells if c]
        chosen = bool(self.column_roles) and len(filled) >= 2 and all(c in self.column_roles for c in filled)
        for cell in cells:
            role = header_role(cell) if cell else None
            if chosen and cell:  # the person said what each column is (数据维护 → 表头各列是什么)
                role = COLUMN_CHOICES_ROLE.get(self.column_roles.get(tidy_text(cell), ""), role) \
                    if tidy_text(cell) in self.column_roles else role
                if role == "deadline":
                    role = "note:完成时限"
                elif role == "ignore":
                    role = "empty"
            if cell and role is None:
                role = kept_column(cell)
                if role is None:
                    return None
                unknown += 1
            if not cell:
                role = "item" if roles and roles[-1] == "item" else "empty"
            roles.append(role)
        if not {"content", "name"} & set(roles) and {"units", "lead", "leaders", "support"} & set(roles):
            # a content column under a name no list has (“主要目标任务及举措”): the kept column that
            # speaks of the work, else the first kept column left of the units
            kept = [i for i, r in enumerate(roles) if r.startswith("note:")]
            wordy = [i for i in kept if re.search(r"任务|工作|内容|事项|目标|措施|举措|要求|项目", roles[i])]
            chosen = (wordy or kept)[:1]
            if chosen:
                roles[chosen[0]] = "content"
                unknown -= 1
        recognised = [r for r in roles if r != "empty" and not r.startswith("note:")]
        if len(recognised) < 2 or not {"content", "name", "units", "lead", "leaders"} & set(recognised):
            return None
        if unknown and not {"content", "name"} & set(recognised):
            return None  # unknown words and no content column: a row of the table, not its header
        if unknown and not {"units", "lead", "leaders", "support"} & set(recognised) and unknown > len(recognised) + 1:
            return None  # mostly unknown words; kept columns get their roles from their values (_classify_by_content)
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
        self._classify_by_content(block.cells)
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
        # roles written into the text count only where the unit columns are empty (a bracket beside
        # filled unit cells is a remark: “（居民参与）”)
        roles_found: dict[str, str] = {}
        if not any(fields.get(key) for key in ("units", "lead", "support")):
            content, roles_found = trailing_roles(content)
        for key in ("units", "lead", "support"):
            inside = role_line(re.sub(r"\n(?=[\u4e00-\u9fff]{0,8}(?:单位|部门|领导)\s*[:：])", "；", fields.get(key, "")))
            if inside:  # a units cell that labels its own roles: “牵头单位：A；配合单位：B”
                fields.pop(key)
                for role, value in inside.items():
                    if role == "leaders" and not fields.get("leaders"):
                        fields["leaders"] = value
                    elif role != "leaders":
                        fields[role] = fields[role] + "、" + value if fields.get(role) else value
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
        kept = [f"{role[5:]}：{tidy_text(value)}" for role, value in fields.items() if role.startswith("note:") and value]
        note = "；".join(v for v in [fields.get("note", "")] + kept if v)
        task = self._task(block, seq, content, project, note, "", "")
        task.deadline = next((tidy_text(value) for role, value in fields.items()
                              if role.startswith("note:") and DEADLINE_COLUMN.search(role) and value), "")
        task.unsure += unsure
        task.leaders = self._leaders_cell(fields.get("leaders", "") or roles_found.get("leaders", ""))
        lead = fields.get("lead", "") or roles_found.get("lead", "")
        others = "、".join(v for v in (fields.get("support", ""), fields.get("units", ""),
                                      roles_found.get("units", ""), roles_found.get("support", "")) if v)
        task.units = compose_units(lead, others, self.lead_first)

    def _leaders_cell(self, printed: str) -> str:
        """Return a leaders cell as printed, or its names alone when titles were printed with them
        (“常务副市长王五”, “刘洋（副市长）”: the titles go to the leaders' list)."""
        names = split_names(printed, units=False)
        # “张三 副市长”: a title printed apart from its name belongs to the name before it;
        # “县委常委、常务副县长王五”: a title before a titled name is part of that name's title
        joined: list[str] = []
        carried = ""
        for name in names:
            if only_title(name):
                if joined and leader_and_title(joined[-1])[1] == "":
                    joined[-1] += name
                else:
                    carried += name + "、"
            else:
                joined.append(carried + name if carried and leader_and_title(name)[1] else name)
                carried = ""
        names = joined
        pairs = [leader_and_title(n) for n in names]
        if all(title == "" for _, title in pairs):
            return printed
        for name, title in pairs:
            if title:
                self.notice.leader_titles.setdefault(name, title)
        return "、".join(name for name, _ in pairs)

    def _task(self, block: Block, seq: int, content: str, project: str, note: str, units: str, leaders: str) -> ParsedTask:
        section_no, section = self.heading if self.heading[0] else self.section
        task = ParsedTask(len(self.notice.tables) - 1, section_no, section, self.subsection if not self.heading[0] else "",
                          seq, "", project, content, not content, units, leaders, note, block.line, block.source)
        printed = DEADLINE_IN_TEXT.search(content)
        if printed:
            task.deadline = printed[1]
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
        self._flush_header_above()
        notice = self.notice
        opening = next((re.search(r"((?:19|20)\d\d)年", b.text) for b in self.blocks[:30]
                        if re.search(r"((?:19|20)\d\d)年", b.text)), None)
        notice.year = opening[1] if opening else ""
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
        leads = [u if u.endswith("*") else u + "*" for u in split_names(lead)] if others else split_names(lead)
        return "、".join(leads + split_names(others))
    if lead_first and others and "*" not in others:
        units = split_names(others)
        return "、".join([units[0] + "*"] + units[1:]) if len(units) > 1 else units[0] if units else ""
    return others


def describe(table: ParsedTable) -> str:
    """Return how a table was read, in words for the messages."""
    columns = f"表格（列：{table.columns_printed}）" if table.columns_printed else "段落"
    leaders = {"column": "牵头领导在表中一列", "heading": "牵头领导在分组标题中（“一、某某…牵头重点工作”）",
               "none": "表中未列牵头领导"}[table.leaders_from]
    lead = {"columns": "牵头单位、配合单位分列", "star": "牵头单位以 * 标注（一行都未标 * 时所列单位都是牵头）",
            "first": "列第一位的责任单位为牵头单位（导入时选择）"}.get(table.lead_style, "")
    return f"{columns}；{leaders}；{lead}"


def parse_blocks(name: str, blocks: list[Block], known_leaders: list[str], lead_first: bool = False,
                 column_roles: dict[str, str] | None = None) -> ParsedNotice:
    """Return the notice read from its blocks (column_roles: header text → role, chosen by a person)."""
    return Reader(name, blocks, known_leaders, lead_first, column_roles).read()
