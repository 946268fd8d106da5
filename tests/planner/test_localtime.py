"""The daylight-saving rule read day by day (Clock) against reading each wall time alone."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from planner.localtime import Clock, instant, local
from tests.planner.test_cadence import ZONES

walls = st.datetimes(datetime(1900, 1, 1), datetime(2999, 12, 31, 23, 59, 59))


@given(zone=st.sampled_from(ZONES), wall=walls)
def test_a_clock_reads_any_wall_time_as_instant_and_local_do(zone, wall):
    tz = ZoneInfo(zone)
    ts, moment = Clock(tz).read(wall)
    assert ts == instant(wall, tz)
    assert (moment, moment.fold, moment.tzinfo) == (local(ts, tz), local(ts, tz).fold, tz)


@given(zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago"]),
       day=st.dates(datetime(2026, 1, 1).date(), datetime(2028, 12, 31).date()), minute=st.integers(0, 24 * 60 - 1))
def test_a_clock_agrees_around_real_changes(zone, day, minute):
    tz = ZoneInfo(zone)
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    clock = Clock(tz)
    assert clock.read(wall)[0] == instant(wall, tz)


def reference_read(wall: datetime, tz: ZoneInfo) -> tuple[int, datetime]:
    """Clock.read before issue 22: the day's offset from its two aware midnights, each
    occurrence by ``replace(fold=1)``, and the local time by ``replace``."""
    offsets = set()
    for each in (wall.toordinal(), wall.toordinal() + 1):
        day = date.fromordinal(each)
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        offsets.update((midnight.utcoffset(), midnight.replace(fold=1).utcoffset()))
    if len(offsets) == 1:
        start = (wall.toordinal() - date(1970, 1, 1).toordinal()) * 86400 - int(offsets.pop().total_seconds())
        return start + wall.hour * 3600 + wall.minute * 60 + wall.second, wall.replace(fold=0, tzinfo=tz)
    ts = instant(wall, tz)
    return ts, local(ts, tz)


CHANGES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Gaza", "America/Havana"]


@lru_cache(maxsize=None)
def change_days(zone: str) -> list[date]:
    """The days of 2026 to 2028 on which the clock of ``zone`` changes (its midnights' offsets differ)."""
    tz, days = ZoneInfo(zone), [date(2026, 1, 1) + timedelta(days=step) for step in range(3 * 366)]
    offsets = [datetime(day.year, day.month, day.day, tzinfo=tz).utcoffset() for day in days]
    return [day for day, today, tomorrow in zip(days, offsets, offsets[1:]) if today != tomorrow]


@given(zone=st.sampled_from(CHANGES), data=st.data())
def test_a_clock_reads_the_days_around_a_change_as_the_clock_it_replaces(zone, data):
    """Each midnight's offsets worked out once and shared by the days on either side of it, and
    the local time made by the constructor: the very instant, time, offset and fold as before,
    on the days around each change (read in order, as the loader reads a plan's posts)."""
    tz = ZoneInfo(zone)
    clock = Clock(tz)
    around = data.draw(st.sampled_from(change_days(zone))).toordinal()
    days = sorted(data.draw(st.lists(st.integers(around - 2, around + 2), min_size=1, max_size=6)))
    for ordinal in days:
        minute = data.draw(st.integers(0, 24 * 60 - 1))
        wall = datetime.combine(date.fromordinal(ordinal), time(minute // 60, minute % 60))
        ts, moment = clock.read(wall)
        expected_ts, expected = reference_read(wall, tz)
        assert (ts, moment, moment.utcoffset(), moment.fold, moment.tzinfo) == (expected_ts, expected, expected.utcoffset(), expected.fold, tz)
