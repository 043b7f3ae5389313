"""Text normalisation shared by the loaders (pure functions, no I/O)."""

from __future__ import annotations

import re
import unicodedata

_HALF_TO_FULL_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_SPACES = re.compile(r"\s+")


def without_spaces(text: str) -> str:
    """Return text with every whitespace character removed (PDF wraps insert them)."""
    return _SPACES.sub("", text)


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
