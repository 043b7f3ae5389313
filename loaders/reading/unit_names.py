"""Splitting a printed list of units or leaders into names, as a reader of the notice would.

    “县财政局、县统计局”          → 县财政局 | 县统计局      (、 ， , ； or line breaks; else spaces)
    “各县（市、区）政府”          → one name                (no split inside brackets)
    “各乡、镇人民政府”            → 各乡镇人民政府           (a collective name)
    “温溪、船寮管理区”            → 温溪管理区 | 船寮管理区   (a suffix the list shares)
    “县住建局、县财政局等”        → 县住建局 | 县财政局       (a trailing 等 / 等单位 / 等部门)
    “县教\\n育局” (a PDF cell)    → 县教育局                 (a line break inside a name)
"""

from __future__ import annotations

import re

from loaders.text import CLOSE_BRACKETS, split_outside_brackets

# the last character of a unit's name, in the names notices print (a line break before one of these ends a name)
UNIT_ENDINGS = tuple("局委办厅处室科队站所院校馆园场社会团部中心司行区县市镇乡村街道府组政网台库联厂矿港营")
SEPARATORS = "、，,；;"
_SEPARATOR = re.compile(r"[、，,；;]")
_SUFFIXES = ("人民政府", "管理委员会", "管委会", "管理区", "街道办事处", "办事处", "街道", "开发区", "园区",
             "镇", "乡", "局", "委", "办")


def split_names(cell: str, units: bool = True) -> list[str]:
    """Return the names of a printed list, with the rules of the module docstring (for leaders,
    units=False: a line break always separates and no suffix is shared)."""
    cell = cell.strip()
    if not cell:
        return []
    lines = [line.strip() for line in re.split(r"[\r\n]+", cell) if line.strip()]
    joined = _join_wrapped_lines(lines) if units else lines
    pieces: list[str] = []
    for line in joined:
        pieces += split_outside_brackets(line, SEPARATORS)
    if len(pieces) == 1 and " " in pieces[0] and not _SEPARATOR.search(cell):
        pieces = _split_spaces(pieces[0])
    pieces = [p.strip() for p in pieces if p.strip()]
    if not units:
        return pieces
    # “A（牵头）” marks the lead unit as a * does
    pieces = [re.sub(r"[（(](?:牵头|牵头单位|主责|主办)[）)]$", "*", p) for p in pieces]
    pieces = _collective(pieces)
    pieces = _shared_suffix(pieces)
    if pieces:
        pieces[-1] = re.sub(r"等(?:单位|部门|相关单位|有关单位)?$", "", pieces[-1]) or pieces[-1]
    return [p for p in pieces if p]


# titles, one after another or joined by 、 (“县委常委、常务副县长”)
_LEADER_TITLES = re.compile(r"^(?:(?:(?:省|市|区|县|镇)?(?:委)?(?:常务)?(?:副)?(?:省长|市长|区长|县长|镇长|书记|主任|秘书长|部长)"
                            r"|(?:省|市|区|县)委常委|常委)(?:[、，,](?=[省市区县镇委常副书主秘部]))?)+")


def only_title(text: str) -> bool:
    """True when text is a title alone (“副县长”, “县委常委、常务副县长”), no name."""
    found = _LEADER_TITLES.match(text)
    return bool(found) and found.end() == len(text)


def leader_and_title(printed: str) -> tuple[str, str]:
    """Return (name, title printed with it): “张三（副市长）” → (张三, 副市长); “常务副市长王五” → (王五, 常务副市长)."""
    bracket = re.search(r"[（(]([^）)]*)[）)]", printed)
    name = re.sub(r"\s+", "", re.sub(r"[（(][^）)]*[）)]", "", printed))
    title = _LEADER_TITLES.match(name)
    stripped = name[title.end():] if title else name
    after = re.search(_LEADER_TITLES.pattern.replace("^", "") + "$", stripped)
    if not title and after and 2 <= after.start() <= 3:  # “王五副市长”, “张三 副县长”
        return stripped[:after.start()], after[0]
    if len(stripped) < 2:
        return name, bracket[1] if bracket else ""
    return stripped, (title[0] if title else "") or (bracket[1] if bracket else "")


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a line to the next when it ends inside a name (not on a separator, not on a unit's last character)."""
    joined: list[str] = []
    for line in lines:
        if joined and not line[0] in "、，,；;" and (not _ends_a_name(joined[-1]) or _name_tail(line)):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


# the second half of a name wrapped after a word that could end one (县市场 | 监管局, 县政府 | 办公室)
_NAME_TAILS = ("监管局", "管理局", "管理处", "管理所", "办公室", "管委会", "服务中心", "事务中心", "发展中心", "执法局",
               "执法大队", "分局", "支队", "大队")


def _name_tail(line: str) -> bool:
    """True when a cell's line starts with what only ends a name (“监管局”, “办公室”), not with a name."""
    first = re.split(r"[、，,；;\s]", line.strip(), maxsplit=1)[0].rstrip("*")
    return first in _NAME_TAILS


def _ends_a_name(text: str) -> bool:
    """True when a line of a cell ends on a whole name: a unit's last character after at least two
    characters since the last separator (“县农业局、县” ends inside 县扶贫办), or on a separator."""
    text = text.rstrip("*").rstrip()
    if text[-1:] in "、，,；;" + CLOSE_BRACKETS:
        return True
    last = re.split(r"[、，,；;]", text)[-1]
    return len(last) >= 2 and last.endswith(UNIT_ENDINGS)


def _split_spaces(text: str) -> list[str]:
    """Space-separated names: a lone * belongs to the name before; one-character pieces join the next (“张 伟”)."""
    pieces: list[str] = []
    for token in text.split():
        if pieces and (token == "*" or len(pieces[-1]) == 1):
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def _collective(pieces: list[str]) -> list[str]:
    """“各乡、镇人民政府” and “各镇、街道” name one collective: 各 + one-character pieces + the rest."""
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if re.fullmatch(r"各[\u4e00-\u9fff]", piece) and index + 1 < len(pieces) \
                and re.match(r"^(镇|乡|街道|村|社区|县|市|区)", pieces[index + 1]):
            out.append(piece + pieces[index + 1])
            index += 2
            continue
        out.append(piece)
        index += 1
    return out


def _shared_suffix(pieces: list[str]) -> list[str]:
    """“温溪、船寮管理区” → 温溪管理区, 船寮管理区: the short pieces just before the last one, without a
    unit's ending, take what the last piece has beyond a name of their length (“管理区”, “镇人民政府”)."""
    if len(pieces) < 2:
        return pieces
    last = pieces[-1].rstrip("*")
    out = list(pieces)
    for index in range(len(pieces) - 2, -1, -1):
        name = pieces[index].rstrip("*")
        suffix = last[len(name):]
        if not (2 <= len(name) <= 4 and not name.endswith(UNIT_ENDINGS) and not re.search(r"[（(]", name)
                and suffix.endswith(UNIT_ENDINGS) and len(last) > len(name) + 0 and suffix.startswith(
                    tuple(s[0] for s in _SUFFIXES))):
            break
        out[index] = name + suffix + ("*" if pieces[index].endswith("*") else "")
    return out
