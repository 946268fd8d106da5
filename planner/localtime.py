"""Local wall-clock times of the plan's zone, read by one daylight-saving rule everywhere.

A wall time that does not exist (spring forward) moves forward by the gap: 02:30 on the
Berlin change day is 03:30. A wall time that occurs twice (fall back) is its first
occurrence. Python's ``fold=0`` means exactly this (PEP 495), so the rule is one
``replace(tzinfo=...)``: no special cases, and it is tested on real change days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# The days a plan can name. Far enough apart for any content plan, and far enough from
# Python's year 1 and 9999 that converting to UTC and adding a window or a duration never
# leaves the range that datetime can hold.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
MAX_HORIZON_DAYS = 3660  # ten years: the longest plan ``check`` covers


def out_of_range(day: date) -> str | None:
    """Why a day cannot be used in a plan, or None if it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day} is outside the days a plan can name ({FIRST_DAY} to {LAST_DAY})"


def instant(wall: datetime, tz: ZoneInfo) -> int:
    """Seconds since the epoch (UTC) of a naive wall time in ``tz``; aware times keep theirs."""
    if wall.tzinfo is None:
        wall = wall.replace(tzinfo=tz, fold=0)
    return int(wall.timestamp())


def local(ts: int, tz: ZoneInfo) -> datetime:
    """The aware local time of an instant: what a clock on the wall in ``tz`` showed."""
    return datetime.fromtimestamp(ts, tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[int, int]:
    """The instants at which a local day starts and the next one starts (23 to 25 hours apart)."""
    start = datetime(day.year, day.month, day.day)
    return instant(start, tz), instant(start + timedelta(days=1), tz)
