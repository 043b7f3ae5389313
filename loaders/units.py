"""Responsible units: splitting the printed lists, repairing names, aliases and roles.

2020 separates units with spaces, 2022 with 、 (other notices use ，, ；
or line breaks, which count like 、). The PDF also wraps long names
("市自然资源和规划局 鹿城分局", "区 交通运输局"), so a space is not always a
separator: in a space-separated list, neighbouring pieces are joined whenever
the joined name is in the unit dictionary.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from loaders.text import full_width_brackets, split_outside_brackets, without_spaces

LEAD_MARK = "*"
_CAPACITY = re.compile(r"^(?P<unit>[^（]+)（(?P<capacity>.+)）$")
_SEPARATORS = re.compile(r"[、，,；;\n]")  # spaces separate only when none of these is used
_NOTE_LEAD = re.compile(r"由(?P<organs>[^。；]+?)牵头")


@dataclass(frozen=True)
class UnitMention:
    """One unit as printed in a task row, resolved to the dictionary."""

    unit: str  # canonical name, or the printed name when unknown
    unit_raw: str  # as printed (spaces from PDF wraps removed, * kept)
    capacity: str  # canonical capacity in brackets, e.g. 区建美办; "" if none
    marked_lead: bool
    known: bool


class UnitDictionary:
    """Canonical unit names, their aliases and categories (from units.csv)."""

    def __init__(self, units: pd.DataFrame):
        self.category: dict[str, str] = dict(zip(units["unit"], units["category"]))
        self._canonical: dict[str, str] = {}
        self._resolved: dict[str, UnitMention] = {}  # the same names recur in every notice
        for unit, aliases in zip(units["unit"], units["aliases"]):
            self._canonical[full_width_brackets(unit)] = unit
            for alias in filter(None, (a.strip() for a in aliases.split("、"))):
                self._canonical[full_width_brackets(alias)] = unit

    def canonical(self, name: str) -> str | None:
        """Return the canonical name of a unit or alias, or None when unknown."""
        return self._canonical.get(full_width_brackets(without_spaces(name)))

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Return the dictionary names closest to an unknown name (for error messages)."""
        matches = difflib.get_close_matches(without_spaces(name), list(self._canonical), n=n, cutoff=0.5)
        return list(dict.fromkeys(self._canonical[m] for m in matches))

    def resolve(self, printed: str) -> UnitMention:
        """Return the mention for one printed unit ("区住建局(区建美办)*")."""
        if printed not in self._resolved:
            self._resolved[printed] = self._resolve(printed)
        return self._resolved[printed]

    def _resolve(self, printed: str) -> UnitMention:
        raw = without_spaces(printed)
        name = full_width_brackets(raw)
        marked = LEAD_MARK in name
        name = name.replace(LEAD_MARK, "")
        canonical = self.canonical(name)
        capacity = ""
        if canonical is None:
            split = _CAPACITY.match(name)
            if split:
                canonical = self.canonical(split["unit"])
                capacity = self.canonical(split["capacity"]) or split["capacity"]
                if canonical is None:
                    name = split["unit"]
        return UnitMention(canonical or name, raw, capacity, marked, canonical is not None)

    def is_known(self, printed: str) -> bool:
        return self.resolve(printed).known


def split_unit_list(printed: str, dictionary: UnitDictionary) -> list[UnitMention]:
    """Return the units of a printed 责任单位 cell, in printed order."""
    printed = printed.strip()
    if not printed:
        return []
    if _SEPARATORS.search(printed):
        pieces = [p for p in (without_spaces(x) for line in printed.split("\n")
                              for x in split_outside_brackets(line, "、，,；;")) if p]
    else:
        pieces = _join_wrapped(printed.split(), dictionary)
    return [dictionary.resolve(piece) for piece in pieces]


def _join_wrapped(tokens: list[str], dictionary: UnitDictionary) -> list[str]:
    """Return space-separated tokens with PDF-wrapped names joined again.

    At each position the longest run of tokens that forms a known name wins;
    a lone "*" belongs to the unit before it ("区投资促进服务中心 *").
    """
    pieces: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == LEAD_MARK and pieces:
            pieces[-1] += LEAD_MARK
            i += 1
            continue
        for j in range(len(tokens), i, -1):
            candidate = "".join(tokens[i:j])
            if j == i + 1 or dictionary.is_known(candidate):
                pieces.append(candidate)
                i = j
                break
    return pieces


def roles(mentions: list[UnitMention]) -> list[str]:
    """Return lead/support for each mention.

    `*` marks a lead unit; a row that marks none makes every listed unit lead;
    the unmarked units of a row that marks some are support.
    """
    any_marked = any(m.marked_lead for m in mentions)
    return ["lead" if (m.marked_lead or not any_marked) else "support" for m in mentions]


def note_lead_organs(note: str) -> list[str]:
    """Return the organs a 备注 hands the lead to ("由区委办（区委改革办）、区委政法委牵头")."""
    found: list[str] = []
    for match in _NOTE_LEAD.finditer(note):
        found += [p for p in (without_spaces(x) for x in match["organs"].split("、")) if p]
    return found
