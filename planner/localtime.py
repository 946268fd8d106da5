"""Local wall-clock times of the plan's zone, read by one daylight-saving rule everywhere.

A wall time that does not exist (spring forward) moves forward by the gap: 02:30 on the
Berlin change day is 03:30. A wall time that occurs twice (fall back) is its first
occurrence. Python's ``fold=0`` means exactly this (PEP 495), so the rule is one
``replace(tzinfo=...)``: no special cases, and it is tested on real change days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
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


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_FIRST_ORDINAL, _LAST_ORDINAL = FIRST_DAY.toordinal(), LAST_DAY.toordinal()


class Clock:
    """The rule above for many wall times of one zone, day by day.

    On a local day with one UTC offset from midnight to midnight (nearly every day) a wall
    time's instant is arithmetic on that offset, a few times cheaper than converting each
    through ``zoneinfo``; change days take :func:`instant` and :func:`local`. Tests check
    the two agree in every zone.
    """

    def __init__(self, tz: ZoneInfo):
        self.tz = tz
        self._midnights: dict[int, int | None] = {}  # day ordinal -> the instant it starts, or None
        self._at_midnight: dict[int, tuple[timedelta, timedelta]] = {}  # day ordinal -> its midnight's offsets

    def offset(self, ordinal: int) -> int | None:
        """The UTC offset (seconds) of the local day ``ordinal``, if it keeps one all day.

        The same offset at both midnights means one offset all day: no zone changes twice a day.
        """
        first, last = self.midnight_offsets(ordinal), self.midnight_offsets(ordinal + 1)
        return int(first[0].total_seconds()) if first[0] == first[1] == last[0] == last[1] else None

    def midnight_offsets(self, ordinal: int) -> tuple[timedelta, timedelta]:
        """The UTC offsets of the midnight that starts the local day ``ordinal``, at its first and
        its second occurrence (they differ if the clock changes then). Each midnight ends one day
        and starts the next: it is worked out once."""
        if ordinal not in self._at_midnight:
            day = date.fromordinal(ordinal)
            first, second = datetime(day.year, day.month, day.day), datetime(day.year, day.month, day.day, fold=1)
            self._at_midnight[ordinal] = (self.tz.utcoffset(first), self.tz.utcoffset(second))
        return self._at_midnight[ordinal]

    def midnight(self, ordinal: int) -> int | None:
        """The instant the local day ``ordinal`` starts, if it keeps one offset all day."""
        if ordinal not in self._midnights:
            offset = self.offset(ordinal)
            self._midnights[ordinal] = None if offset is None else (ordinal - _EPOCH_ORDINAL) * 86400 - offset
        return self._midnights[ordinal]

    def read(self, wall: datetime) -> tuple[int, datetime]:
        """The instant of a wall time (naive: in this zone; aware: its own) and the local time then."""
        if wall.tzinfo is None and not wall.microsecond and _FIRST_ORDINAL <= (ordinal := wall.toordinal()) <= _LAST_ORDINAL:
            # a post's day is nearly always one already read: its midnight without a call
            start = self._midnights[ordinal] if ordinal in self._midnights else self.midnight(ordinal)
            if start is not None:  # the constructor, not replace(tzinfo=...): its keywords cost three times as much
                hour, minute, second = wall.hour, wall.minute, wall.second
                return start + hour * 3600 + minute * 60 + second, datetime(wall.year, wall.month, wall.day, hour, minute, second, 0, self.tz)
        ts = instant(wall, self.tz)
        return ts, local(ts, self.tz)


@lru_cache(maxsize=8)  # a plan's posts and channels share its zone: one clock, one cache of days
def clock_of(tz: ZoneInfo) -> Clock:
    return Clock(tz)
