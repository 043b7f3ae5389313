"""Who carries a task, as notices print it: an open grammar of role labels and role sentences.

Notices word the same roles in many ways, so labels are recognised by their parts rather
than from a list of whole words:

    label ending in 领导 / 负责人 (牵头负责领导, 分管县领导, 责任领导, 区领导)   → leaders
    label ending in 单位 / 部门 with 牵头 / 主办 / 主责 / 主抓 (牵头责任单位)    → lead units
    ... with 配合 / 协同 / 协办 / 参与 / 协作 / 协助 (协同责任单位)               → supporting units
    ... otherwise (责任单位, 承办部门, 实施单位)                                  → units as printed
    部门分工 / 责任分工 / 分工 followed by a sentence                            → the sentence's roles

and sentences inside brackets of any kind (（）()【】[]) or as a task's last sentence: “A牵头，B、C配合”,
“由A牵头”, “A负责”, “A牵头负责”, each name ending like a unit's. A role written anywhere else is left in the text.
"""

from __future__ import annotations

import re

from loaders.reading.unit_names import UNIT_ENDINGS

_LABEL_BODY = r"[\u4e00-\u9fff]{0,8}?"
LABEL = re.compile(rf"({_LABEL_BODY}(?:领导|负责人|责任人|单位|部门)|部门分工|责任分工|任务分工|分工)\s*[:：]")
BRACKETED_LABEL = re.compile(r"[【\[［]\s*([\u4e00-\u9fff]{0,8}(?:领导|负责人|责任人|单位|部门|主体))\s*[】\]］]\s*[:：]?")
_NAME_ENDINGS = (*UNIT_ENDINGS, "单位", "部门", "企业", "公司", "集团", "机构", "*")
_LEAD_WORDS = ("牵头", "主办", "主责", "主抓", "主要责任")
_SUPPORT_WORDS = ("配合", "协同", "协办", "参与", "协作", "协助", "会同")
_OPEN = "（([【［"
_CLOSE = "）)]】］"
_BRACKET_AT_END = re.compile(rf"[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*(?:[{re.escape(_OPEN)}][^{re.escape(_OPEN + _CLOSE)}]*[{re.escape(_CLOSE)}][^{re.escape(_OPEN + _CLOSE)}]*)*)[{re.escape(_CLOSE)}]\s*[。；;，,.]?\s*$")
_SENTENCE_LEAD = re.compile(r"^(?:由)?(?P<who>.+?)(?:牵头负责|牵头抓总|牵头|主抓|负责|主办|主责)(?:落实|实施)?$")
_SENTENCE_SUPPORT = re.compile(r"^(?P<who>.+?)(?:配合|协同|协办|参与|协助|按职责分工负责|按职责负责)(?:落实|实施)?$")
# a clause ends at a comma or stop, and at a 、 right after a role word (“A牵头、B配合”)
_CLAUSE = re.compile(r"[，,；;。]|(?<=牵头|配合|负责|协同|参与|协助|主办|主责|协办|主抓|协作)、")


def label_role(label: str) -> str | None:
    """Return leaders, lead, support, units or sentence for a role label (its parts decide), else None."""
    label = re.sub(r"\s", "", label)
    if label.endswith("分工"):
        return "sentence"
    if label.endswith(("领导", "负责人", "责任人")):
        return "leaders"
    if not label.endswith(("单位", "部门", "主体")):  # 责任主体, 实施主体
        return None
    if any(word in label for word in _SUPPORT_WORDS):
        return "support"
    if any(word in label for word in _LEAD_WORDS):
        return "lead"
    return "units"


def labelled_roles(text: str) -> dict[str, str]:
    """Return {leaders|lead|support|units: value} of text made of role labels and their values.

    "责任领导：X、Y；牵头单位：A；责任单位：B、C" → leaders X、Y, lead A, units B、C; the same
    role twice is joined. Returns {} when the text does not start with a role label.
    """
    text = BRACKETED_LABEL.sub(r"；\1：", text)  # “【牵头单位】A【配合单位】B” is “牵头单位：A；配合单位：B”
    matches = [_label_at(m) for m in LABEL.finditer(text) if label_role(m[1])]
    if not matches or text[:matches[0][0]].strip(" \t；;，,。"):
        return {}
    found: dict[str, str] = {}
    for index, (start, end_of_label, label) in enumerate(matches):
        end = matches[index + 1][0] if index + 1 < len(matches) else len(text)
        value = text[end_of_label:end].strip().strip("；;，,。 ").strip()
        role = label_role(label)
        pieces = sentence_roles(value) if role == "sentence" else {role: value} if value else {}
        for key, part in pieces.items():
            found[key] = found[key] + "、" + part if found.get(key) else part
    return found


_ROLE_WORDS = re.compile(r"牵头|主办|主责|主抓|主要责任|配合|协同|协办|参与|协作|协助|会同|责任|分管|联系|包抓|挂钩|承办|实施|负责|部门分工|任务分工")


def _label_at(match: re.Match) -> tuple[int, int, str]:
    """Return (start, end, label) of a label, starting at its first role word: in “…市发改委配合单位：” the
    label is 配合单位 (the words before it end the value before)."""
    label = match[1]
    word = _ROLE_WORDS.search(label)
    skip = word.start() if word else 0
    return match.start() + skip, match.end(), label[skip:]


def sentence_roles(text: str) -> dict[str, str]:
    """Return the roles of a sentence “A牵头，B、C配合” / “由A牵头” / “A负责”; {} when it is not one."""
    found: dict[str, str] = {}
    text = re.sub(r"\s*\n\s*", "", text)  # a sentence wrapped inside a cell
    clauses = [c.strip() for c in _CLAUSE.split(text) if c.strip()]
    if not clauses:
        return {}
    for clause in clauses:
        support = _SENTENCE_SUPPORT.match(clause)
        lead = _SENTENCE_LEAD.match(clause) if not support else None
        match = support or lead
        if match is None or not _looks_like_names(match["who"]):
            return {}
        role = "support" if support else "lead"
        found[role] = found[role] + "、" + match["who"] if found.get(role) else match["who"]
    return found


def _looks_like_names(text: str) -> bool:
    """Return True when text can be a list of units (short pieces, no verbs of a task sentence)."""
    pieces = [p.removesuffix("等") for p in re.split(r"[、和及与]", text) if p]
    # each piece ends like a unit's name (局, 委, 办, 镇, 单位, 部门…): “居民参与”, “所需资金由县财政负责” are remarks
    return (bool(pieces) and all(2 <= len(p) <= 30 and p.endswith(_NAME_ENDINGS) for p in pieces)
            and "由" not in text[1:] and not re.search(r"[0-9%％]", text))


def trailing_roles(text: str) -> tuple[str, dict[str, str]]:
    """Split a task's trailing bracket of roles off its text: (text without it, roles); (text, {}) when none.

    “实施重大项目1000个。【牵头单位：省发展改革委；配合单位：省财政厅】”, “…（市国资委负责）”,
    “…（市跑改办牵头，市大数据局配合）”, “…（责任领导：X；牵头单位：A）”. A bracket of something
    else after the roles (“（牵头单位：A）（6月底前完成）”) stays in the text.
    """
    end = len(text)
    for _ in range(3):  # the roles may sit in one of the last few brackets
        match = _BRACKET_AT_END.search(text[:end])
        if not match:
            break
        inside = match[1].strip()
        roles = labelled_roles(inside) or sentence_roles(inside)
        if roles:
            return (text[:match.start()].rstrip() + text[match.end():].strip()).strip(), roles
        end = match.start()
    # “…5000个【牵头单位】县人社局【配合单位】县财政局”: bracketed labels end the task wherever they stand
    for label in BRACKETED_LABEL.finditer(text):
        if label.start() > 0 and label_role(label[1]):
            roles = labelled_roles(text[label.start():])
            if roles:
                return text[:label.start()].rstrip(), roles
            break
    # no bracket: “…工程。牵头单位：市发改委；配合单位：市财政局。” — the labels after the task's last sentence
    for label in LABEL.finditer(text):
        before = text[:label.start()].rstrip()
        if label.start() > 0 and before[-1:] in "。；;" and label_role(label[1]):
            roles = labelled_roles(text[label.start():])
            return (before, roles) if roles else (text, {})  # only the first: later ones are inside its value
    # a last sentence of roles: “…数字乡村建设。县农业农村局牵头、县大数据局配合。”
    stop = text.rstrip("。；; ").rfind("。")
    if stop > 0:
        roles = sentence_roles(text[stop + 1:])
        if roles:
            return text[:stop + 1], roles
    return text, {}


def role_line(text: str) -> dict[str, str]:
    """Return the roles of a paragraph that holds only roles (“牵头单位：A”, “部门分工：A牵头，B配合”,
    “【牵头单位：A】”), else {}."""
    flat = text.strip()
    if BRACKETED_LABEL.match(flat):
        return labelled_roles(flat)
    if flat and flat[0] in _OPEN and flat.rstrip("。；;")[-1:] in _CLOSE:
        inner = flat.rstrip("。；;")[1:-1]
        return labelled_roles(inner) or sentence_roles(inner)
    return labelled_roles(flat)
