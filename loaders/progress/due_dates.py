"""Due dates as units write them in a work plan: 6月底前, 三季度末, 年底前, 10月15日前, 2022-06-30.

A phrase without a year is a date in the task's year. A phrase that names a span
(a month, a quarter, half a year, the year) means its last day; 上旬/中旬 mean the
10th and the 20th. Anything else is not guessed: the caller says it cannot be read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(\d{4})\s*年\s*)?"
_BEFORE = r"\s*(?:前|之前|以前)?"

_ISO = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_DAY = re.compile(r"^\s*" + _YEAR + _NUMBER + r"\s*月\s*(\d{1,2})\s*[日号]" + _BEFORE)
_PART_OF_MONTH = re.compile(r"^\s*" + _YEAR + _NUMBER + r"\s*月\s*(上旬|中旬|下旬|底|末|份|中|)" + _BEFORE)
_QUARTER = re.compile(r"^\s*" + _YEAR + r"第?\s*([1-4一二三四])\s*季度\s*(末|底|)" + _BEFORE)
_HALF = re.compile(r"^\s*" + _YEAR + r"(上半年|年中|下半年)\s*(末|底|)" + _BEFORE)
# “年底前”, “2024年年底”, “2024年全年”, and “2024年底” (the year's 年 is the 年 of 年底)
_YEAR_END = re.compile(r"^\s*(?:(\d{4})\s*(?:年\s*(?=年|全年|今年内|本年度内)|(?=年)))?"
                       r"(年底|年末|年内|全年|今年内|年度内|本年度内)" + _BEFORE)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _DIGITS[text]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due_date(text: str, year: int) -> tuple[date, str] | None:
    """Return (the due date, the rest of the text) of a phrase at the start of text, or None when there is none.

    `year` is the task's year, for phrases that name none. The rest is the milestone's
    content, e.g. “6月底前完成上半年目标分解” → (2022-06-30, “完成上半年目标分解”).
    """
    for pattern, read in ((_ISO, _iso), (_DAY, _day), (_QUARTER, _quarter), (_HALF, _half), (_YEAR_END, _year_end),
                          (_PART_OF_MONTH, _part_of_month)):
        found = pattern.match(text)
        if found:
            try:
                due = read(found, year)
            except (ValueError, KeyError):  # 2月30日, 13月
                return None
            return due, text[found.end():].strip(" \t：:，,、；;。.")
    return None


def _given_year(found: re.Match, year: int) -> int:
    return int(found.group(1)) if found.group(1) else year


def _iso(found: re.Match, year: int) -> date:
    return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))


def _day(found: re.Match, year: int) -> date:
    return date(_given_year(found, year), _number(found.group(2)), int(found.group(3)))


def _part_of_month(found: re.Match, year: int) -> date:
    year, month = _given_year(found, year), _number(found.group(2))
    part = found.group(3)
    if part == "上旬":
        return date(year, month, 10)
    if part in ("中旬", "中"):
        return date(year, month, 20)
    return _month_end(year, month)  # 6月底, 6月末, 6月份, 6月下旬, 6月


def _quarter(found: re.Match, year: int) -> date:
    return _month_end(_given_year(found, year), 3 * _number(found.group(2)))


def _half(found: re.Match, year: int) -> date:
    year = _given_year(found, year)
    return date(year, 6, 30) if found.group(2) in ("上半年", "年中") else date(year, 12, 31)


def _year_end(found: re.Match, year: int) -> date:
    return date(_given_year(found, year), 12, 31)
