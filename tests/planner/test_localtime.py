"""The daylight-saving rule read day by day (Clock) against reading each wall time alone."""

from datetime import datetime
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
