"""Cadence slots: the daylight-saving policy on real change days, and croniter as the oracle."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from croniter import croniter
from hypothesis import given
from hypothesis import strategies as st

from planner.cadence import Cron, CronError, _croniter_fields, _plain_fields, expand


def slots(expr: str, first: date, last: date, zone: str) -> list[str]:
    tz = ZoneInfo(zone)
    return [datetime.fromtimestamp(ts, tz).isoformat() for ts in Cron.parse(expr).slots(first, last, tz)]


# Each change day: (zone, day, a cron at a missing or repeated time, the slots expected that day)
CHANGE_DAYS = [
    ("Europe/Berlin", date(2027, 3, 28), "30 2 * * *", ["2027-03-28T03:30:00+02:00"]),
    ("Europe/Berlin", date(2027, 10, 31), "30 2 * * *", ["2027-10-31T02:30:00+02:00"]),
    ("America/New_York", date(2027, 3, 14), "30 2 * * *", ["2027-03-14T03:30:00-04:00"]),
    ("America/New_York", date(2027, 11, 7), "30 1 * * *", ["2027-11-07T01:30:00-04:00"]),
    ("Australia/Sydney", date(2027, 10, 3), "30 2 * * *", ["2027-10-03T03:30:00+11:00"]),
    ("Australia/Sydney", date(2027, 4, 4), "30 2 * * *", ["2027-04-04T02:30:00+11:00"]),
    ("Australia/Lord_Howe", date(2027, 10, 3), "15 2 * * *", ["2027-10-03T02:45:00+11:00"]),
    ("Australia/Lord_Howe", date(2027, 4, 4), "45 1 * * *", ["2027-04-04T01:45:00+11:00"]),
]


@pytest.mark.parametrize("zone, day, expr, expected", CHANGE_DAYS, ids=[f"{c[0]}-{c[1]}" for c in CHANGE_DAYS])
def test_one_slot_per_day_on_change_days(zone, day, expr, expected):
    assert slots(expr, day, day, zone) == expected


@pytest.mark.parametrize("zone, day, expr, expected", CHANGE_DAYS, ids=[f"{c[0]}-{c[1]}" for c in CHANGE_DAYS])
def test_days_around_a_change_keep_their_wall_time(zone, day, expr, expected):
    around = slots(expr, day - timedelta(days=1), day + timedelta(days=1), zone)
    minute, hour = expr.split()[:2]
    wall = f"{int(hour):02d}:{int(minute):02d}"
    assert [around[0][11:16], around[2][11:16]] == [wall, wall]
    assert [moment[:10] for moment in around] == [str(day - timedelta(days=1)), str(day), str(day + timedelta(days=1))]


def test_croniter_alone_gets_the_gap_wrong_which_is_why_we_wrap_it():
    tz = ZoneInfo("Europe/Berlin")
    start = datetime(2027, 3, 28, 0, 0, tzinfo=tz)
    fired = croniter("30 2 * * *", start).get_next(datetime)
    assert fired.strftime("%H:%M") != "03:30" or fired.date() != date(2027, 3, 28)


def test_hourly_cadence_on_a_spring_day_has_no_duplicate_instants():
    tz = ZoneInfo("Europe/Berlin")
    found = Cron.parse("0 * * * *").slots(date(2027, 3, 28), date(2027, 3, 28), tz)
    assert found == sorted(set(found))
    assert len(found) == 23  # 02:00 does not exist: it moves to 03:00, which is already a slot


def test_missing_wall_times_that_land_on_real_slots_are_those_slots():
    # 02:00 and 02:30 do not exist in Berlin that night; moved forward they are 03:00 and 03:30
    assert [moment[11:16] for moment in slots("*/30 1-4 * * *", date(2027, 3, 28), date(2027, 3, 28), "Europe/Berlin")] == [
        "01:00", "01:30", "03:00", "03:30", "04:00", "04:30"
    ]


@pytest.mark.parametrize("zone, day", [("Europe/Berlin", date(2027, 3, 28)), ("America/New_York", date(2027, 3, 14))])
def test_quarter_hour_cadence_on_a_spring_day_is_sorted_and_distinct(zone, day):
    found = Cron.parse("*/15 * * * *").slots(day, day, ZoneInfo(zone))
    assert found == sorted(set(found))
    assert len(found) == 92  # 96 wall times less the four of the missing hour


def test_hourly_cadence_on_an_autumn_day_fires_each_wall_time_once():
    tz = ZoneInfo("Europe/Berlin")
    assert len(Cron.parse("0 * * * *").slots(date(2027, 10, 31), date(2027, 10, 31), tz)) == 24


def test_cron_day_fields_follow_the_either_rule():
    # both day-of-month and day-of-week restricted: a day matching either fires
    days = slots("0 9 1 * MON", date(2027, 2, 1), date(2027, 2, 28), "UTC")
    assert [d[:10] for d in days] == ["2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22"]
    days = slots("0 9 13 * FRI", date(2027, 8, 1), date(2027, 8, 31), "UTC")
    assert [d[:10] for d in days] == ["2027-08-06", "2027-08-13", "2027-08-20", "2027-08-27"]


def test_last_day_of_month_and_nth_weekday():
    assert [d[:10] for d in slots("0 9 L * *", date(2027, 1, 1), date(2027, 3, 31), "UTC")] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    assert [d[:10] for d in slots("0 9 * * FRI#1", date(2027, 1, 1), date(2027, 3, 31), "UTC")] == ["2027-01-01", "2027-02-05", "2027-03-05"]


def test_union_of_expressions_is_ordered_and_unique():
    tz = ZoneInfo("UTC")
    crons = (Cron.parse("0 10 * * MON"), Cron.parse("0 10 * * MON,TUE"))
    found = expand(crons, date(2027, 1, 4), date(2027, 1, 10), tz)
    assert [datetime.fromtimestamp(ts, tz).day for ts in found] == [4, 5]


@pytest.mark.parametrize(
    "expr, reason",
    [("0 10 * *", "has 4 fields"), ("0 10 * * * 2027", "has 6 fields"), ("0 25 * * *", "out of range"),
     ("0 10 * * FUNDAY", "not understood"), ("H 10 * * *", "hashed")],
)
def test_invalid_expressions_say_why(expr, reason):
    with pytest.raises(CronError, match=reason):
        Cron.parse(expr)


def _field(low: int, high: int):
    number = st.integers(low, high)
    single = number.map(str)
    span = st.tuples(number, number).map(lambda pair: f"{min(pair)}-{max(pair)}")
    step = st.tuples(st.sampled_from(["*", f"{low}-{high}"]), st.integers(1, max(1, (high - low) // 2))).map(lambda p: f"{p[0]}/{p[1]}")
    part = st.one_of(single, span, step)
    return st.one_of(st.just("*"), st.lists(part, min_size=1, max_size=3).map(",".join))


expressions = st.tuples(_field(0, 59), _field(0, 23), _field(1, 31), _field(1, 12), _field(0, 6)).map(" ".join)


@given(expr=expressions, first=st.dates(date(2026, 1, 1), date(2028, 12, 31)), span=st.integers(0, 40))
def test_fast_expansion_matches_croniter_away_from_dst(expr, first, span):
    tz = ZoneInfo("Asia/Jakarta")  # no daylight saving: croniter's own walk is the truth here
    last = first + timedelta(days=span)
    walker = croniter(expr, datetime(first.year, first.month, first.day) - timedelta(minutes=1))
    end = datetime(last.year, last.month, last.day) + timedelta(days=1)
    expected = []
    for _ in range(5000):
        wall = walker.get_next(datetime)
        if wall >= end:
            break
        expected.append(int(wall.replace(tzinfo=tz).timestamp()))
    else:
        return  # too many slots to compare cheaply
    assert Cron.parse(expr).slots(first, last, tz) == expected


ZONES = sorted(available_timezones() - {"Factory", "localtime"})


def _change_day(day: date, tz: ZoneInfo) -> bool:
    """Whether the zone's offset changes during the local day (or right at either midnight)."""
    midnights = [datetime(d.year, d.month, d.day, fold=fold, tzinfo=tz) for d in (day, day + timedelta(days=1)) for fold in (0, 1)]
    return len({moment.utcoffset() for moment in midnights}) > 1


@given(expr=expressions, zone=st.sampled_from(ZONES), first=st.dates(date(2026, 1, 1), date(2028, 12, 31)), span=st.integers(0, 40))
def test_slots_in_any_zone_are_increasing_and_croniters_away_from_changes(expr, zone, first, span):
    tz = ZoneInfo(zone)
    last = first + timedelta(days=span)
    walker = croniter(expr, datetime(first.year, first.month, first.day) - timedelta(minutes=1))
    end = datetime(last.year, last.month, last.day) + timedelta(days=1)
    walls = []
    for _ in range(2000):
        wall = walker.get_next(datetime)
        if wall >= end:
            break
        walls.append(wall)
    else:
        return  # too many slots to compare cheaply
    found = Cron.parse(expr).slots(first, last, tz)
    assert all(earlier < later for earlier, later in zip(found, found[1:]))
    # every slot is a wall time of croniter's, read by the daylight-saving rule, and each once
    assert found == sorted({int(wall.replace(tzinfo=tz, fold=0).timestamp()) for wall in walls})
    # on days without a change, croniter's wall times are the slots one for one
    calm = {wall.date() for wall in walls if not _change_day(wall.date(), tz)}
    on_calm_days = [ts for ts in found if datetime.fromtimestamp(ts, tz).date() in calm]
    assert on_calm_days == [int(wall.replace(tzinfo=tz).timestamp()) for wall in walls if wall.date() in calm]


def _any_field(low: int, high: int, names: tuple[str, ...] = ()):
    """Field texts plain and not: names in any case, equal and wrapping ranges, N/S, L, W, #, ?."""
    value = st.one_of(st.integers(max(0, low - 1), high + 1).map(str), st.sampled_from(names or ("0",)))
    value = st.one_of(value, value.map(str.upper), value.map(str.title))
    step = st.integers(0, high + 2).map(str)
    part = st.one_of(
        value,
        st.tuples(value, value).map("-".join),
        st.tuples(value, value, step).map(lambda p: f"{p[0]}-{p[1]}/{p[2]}"),
        step.map(lambda s: f"*/{s}"),
        st.tuples(value, step).map("/".join),
        st.sampled_from(["*", "L", "?", "15W", "2#3", "L5", "5L"]),
    )
    return st.lists(part, min_size=1, max_size=3).map(",".join)


any_expressions = st.tuples(
    _any_field(0, 59),
    _any_field(0, 23),
    _any_field(1, 31),
    _any_field(1, 12, ("jan", "feb", "jun", "dec")),
    _any_field(0, 7, ("sun", "mon", "wed", "sat")),
).map(" ".join)


@given(expr=st.one_of(expressions, any_expressions))
def test_plain_expressions_are_read_as_croniter_reads_them(expr):
    plain = _plain_fields(expr)
    if plain is not None:  # otherwise croniter reads it
        assert plain == _croniter_fields(expr)[0]


def test_common_expressions_are_plain():
    for expr in ("0 10 * * MON,WED,FRI", "*/30 1-4 * * *", "0 9 1 * *", "0 8-18/2 * JAN-JUN 1-5", "0 9 1-31 * MON"):
        assert _plain_fields(expr) is not None, expr
