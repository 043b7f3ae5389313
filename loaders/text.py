"""Text normalisation shared by the loaders (pure functions, no I/O)."""

from __future__ import annotations

import re
import unicodedata

_HALF_TO_FULL_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_SPACES = re.compile(r"\s+")


def without_spaces(text: str) -> str:
    """Return text with every whitespace character removed (PDF wraps insert them)."""
    return _SPACES.sub("", text)


OPEN_BRACKETS, CLOSE_BRACKETS = "（(【[［", "）)】]］"


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Return text split at any of the separator characters that stand outside brackets
    (“市人力社保局、各县（市、区）政府” → 市人力社保局 | 各县（市、区）政府)."""
    pieces, depth, current = [], 0, ""
    for char in text:
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS and depth:
            depth -= 1
        if depth == 0 and char in separators:
            pieces.append(current)
            current = ""
        else:
            current += char
    pieces.append(current)
    return pieces


def full_width_brackets(text: str) -> str:
    """Return text with half-width round brackets turned into full-width ones."""
    return text.translate(_HALF_TO_FULL_BRACKETS)


def comparable(text: str) -> str:
    """Return a form of text for comparing with the published notice.

    Unicode NFKC folds full- and half-width punctuation and digits together;
    whitespace and `<p>` tags (PDF extraction artefacts) are dropped.
    """
    text = re.sub(r"</?p>", "", text)
    return without_spaces(unicodedata.normalize("NFKC", text))


def join_list(items) -> str:
    """Return list items joined with 、 as the export contract asks."""
    return "、".join(str(item) for item in items)


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s=+@]+')  # refused by Windows or macOS, blanks, formula signs


def safe_file_name(parts: list[str], extension: str) -> str:
    """Return the parts joined by _ as a file name every system accepts (at most 80 characters before the extension).

    Removed from each part: what Windows or macOS refuse in a name (\\ / : * ? " < > |),
    blanks, = + @ anywhere and a leading - (nothing a spreadsheet or a shell reads as a
    formula or an option); a "-" inside a part stays (dates: 截至2022-09-30). Parts left
    empty are dropped. Every file the dashboard offers (任务明细, 进度台账, 汇报材料, 导入模板) is named here.
    """
    cleaned = (_NOT_IN_FILE_NAMES.sub("", part).lstrip("-") for part in parts)
    return "_".join(part for part in cleaned if part)[:80] + "." + extension
