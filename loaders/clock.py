"""One clock for the dashboard: the district's local time (Asia/Shanghai unless WORK_REPORT_TIME_ZONE names another).

The machines run in UTC. Every "today" (as-of dates, deadlines), every time shown
and every time written into a file is the district's local time; a moment is
stored in UTC (naive datetimes in the progress database, ISO text with +00:00 in
the curated history) and converted here when shown.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZONE_VARIABLE = "WORK_REPORT_TIME_ZONE"
DEFAULT_ZONE = "Asia/Shanghai"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{ZONE_VARIABLE}={name!r} 不是有效的时区名称（例如 Asia/Shanghai）") from error


def local_zone() -> ZoneInfo:
    """Return the district's time zone: WORK_REPORT_TIME_ZONE, else Asia/Shanghai."""
    return _zone(os.environ.get(ZONE_VARIABLE) or DEFAULT_ZONE)


def utc_text() -> str:
    """Return the current moment in UTC as ISO text to the second, as the stores' records keep it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def utc_now() -> datetime:
    """Return the current moment in UTC without a time zone, as the progress database stores moments."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_now() -> datetime:
    """Return the current local time of the district (aware)."""
    return datetime.now(local_zone())


def local_today() -> date:
    """Return today's date in the district (not the server's UTC date: they differ from 16:00 to 24:00 UTC)."""
    return local_now().date()


def as_local(moment: datetime) -> datetime:
    """Return a stored moment in the district's time; a moment without a zone is UTC (how moments are stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(local_zone())


def local_text(moment: datetime | str) -> str:
    """Return a stored moment (a datetime, or ISO text) as the district's local time: 2022-07-10 09:30."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return f"{as_local(moment):%Y-%m-%d %H:%M}"


def local_date(moment: datetime) -> date:
    """Return the district's date of a stored moment."""
    return as_local(moment).date()


def start_of_local_day(day: date) -> datetime:
    """Return the UTC moment (naive, as stored) at which a local date begins."""
    local = datetime(day.year, day.month, day.day, tzinfo=local_zone())
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def local_to_utc(moment: datetime) -> datetime:
    """Return a local time written without a zone (a ledger's 报送时间) as the stored UTC moment (naive)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
