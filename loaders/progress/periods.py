"""Reporting periods (季度 or 月度) of a task's span, their labels (2022-Q2, 2022-06) and deadlines."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER = "quarter"
MONTH = "month"
CADENCES = {QUARTER: "季度", MONTH: "月度"}
DEFAULT_CADENCE = QUARTER
FIVE_YEAR_SCOPE = "five_year"
SPAN_YEARS = {"annual": 1, "livelihood": 1, FIVE_YEAR_SCOPE: 5}

_QUARTER_LABEL = re.compile(r"^\s*(\d{4})\s*[-－—/年]?\s*[Qq第]\s*([1-4一二三四])\s*(季度)?\s*$")
_MONTH_LABEL = re.compile(r"^\s*(\d{4})\s*[-－—/年.]\s*(\d{1,2})\s*月?\s*$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its first and last day and its label (2022-Q2 or 2022-06)."""

    start: date
    end: date
    label: str

    def deadline(self, deadline_days: int) -> date:
        """Return the last day a report for this period is on time (the end plus deadline_days)."""
        return self.end + timedelta(days=deadline_days)


def quarter(year: int, number: int) -> Period:
    """Return quarter number (1–4) of year."""
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1]),
                  f"{year}-Q{number}")


def month(year: int, number: int) -> Period:
    """Return month number (1–12) of year."""
    return Period(date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1]),
                  f"{year}-{number:02d}")


def span(year: int, scope: str) -> tuple[date, date]:
    """Return the first and last day of a task's span: the notice year, or five years from it (five_year)."""
    return date(year, 1, 1), date(year + SPAN_YEARS.get(scope, 1) - 1, 12, 31)


def periods(year: int, scope: str, cadence: str = DEFAULT_CADENCE) -> list[Period]:
    """Return the reporting periods of a task's span, in order."""
    first, last = span(year, scope)
    years = range(first.year, last.year + 1)
    if cadence == MONTH:
        return [month(y, m) for y in years for m in range(1, 13)]
    return [quarter(y, q) for y in years for q in range(1, 5)]


def parse_period(text: str) -> Period | None:
    """Return the period a label names (2022-Q2, 2022Q2, 2022年第二季度, 2022-06, 2022年6月), or None."""
    text = str(text or "").strip()
    found = _QUARTER_LABEL.match(text)
    if found:
        number = found.group(2)
        return quarter(int(found.group(1)), _CHINESE_DIGITS.get(number) or int(number))
    found = _MONTH_LABEL.match(text)
    if found and 1 <= int(found.group(2)) <= 12:
        return month(int(found.group(1)), int(found.group(2)))
    return None


def cadence_of(label: str) -> str:
    """Return the cadence a period label belongs to (quarter for 2022-Q2, month for 2022-06)."""
    return QUARTER if "Q" in label else MONTH


def elapsed_percent(first: date, last: date, until: date) -> float:
    """Return the share (0–100, two decimals) of the days first…last that have passed by the end of day until."""
    if until < first:
        return 0.0
    if until >= last:
        return 100.0
    return round(100 * ((until - first).days + 1) / ((last - first).days + 1), 2)
