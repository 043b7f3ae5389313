"""Leading officials: repairing printed names and reading the 2022 group headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from loaders.text import without_spaces

_CN = "一二三四五六七八九十百零"
# a group heading naming the leader of the tasks below: “一、林杰常委、常务副区长牵头重点工作”,
# “（二）X副县长主抓的工作”, “三、X副市长负责的重点任务：”
HEADING = re.compile(rf"^(?:([{_CN}]+)、|[（(]([{_CN}]+)[）)])(?P<body>.+?)(?:牵头|主抓|负责|分管|联系)(?:的)?"
                     rf"(?:重点)?(?:工作|任务)(?:任务)?[:：]?$")
_SEPARATORS = re.compile(r"[、，,；;]")  # names may also be separated by these (“X、Y”)


@dataclass(frozen=True)
class HeadingLeader:
    """The leader named in a heading such as "一、林杰常委、常务副区长牵头重点工作"."""

    leader: str
    title: str


class LeaderDictionary:
    """Leaders per year with their titles as printed (from leaders.csv)."""

    def __init__(self, leaders: pd.DataFrame):
        self.title: dict[tuple[str, int], str] = {
            (row.leader, int(row.year)): row.title for row in leaders.itertuples()
        }
        self.names: set[str] = set(leaders["leader"])

    def names_in(self, year: int) -> list[str]:
        """Return the leader names of a year, longest first (for greedy matching)."""
        return sorted((n for (n, y) in self.title if y == year), key=len, reverse=True)

    def split(self, printed: str, year: int) -> tuple[list[str], str]:
        """Return the leaders named in a printed cell, and the part no name matched.

        Spaces are not trusted: "张 伟" is one name, "虞立清 童文阳" two; 、，,；
        between names are skipped. The cell
        is read left to right, taking the longest known name of that year.
        """
        text = _SEPARATORS.sub("", without_spaces(printed))
        names = self.names_in(year)
        found: list[str] = []
        while text:
            match = next((n for n in names if text.startswith(n)), None)
            if match is None:
                return found, text
            found.append(match)
            text = text[len(match):]
        return found, ""

    def from_heading(self, heading: str, year: int) -> HeadingLeader | None:
        """Return the leader and title named in a 2022-style group heading, if any."""
        match = HEADING.match(without_spaces(heading))
        if not match:
            return None
        body = match["body"]
        names = self.names_in(year)
        name = next((n for n in names if body.startswith(n)), None)
        if name is not None:
            return HeadingLeader(name, body[len(name):])
        name = next((n for n in names if body.endswith(n) and len(body) > len(n)), None)  # “常务副县长王五”
        return HeadingLeader(name, body[:-len(name)]) if name is not None else None
