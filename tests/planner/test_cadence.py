"""Cadence slots: the daylight-saving policy on real change days, croniter's days of L, W, # and L5,
and croniter as the oracle of the grammar."""

import calendar
import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from croniter import CroniterBadDateError, croniter
from hypothesis import assume, given
from hypothesis import strategies as st

from balance.registry import vocabulary
from planner.cadence import MACROS, Cron, CronError, expand, quoted
from planner.errors import PlanError
from planner.loader import plan_from_text
from tests.conftest import plan_text, run_cadence, run_cadence_process
from tests.cron_grammar import cron_texts, five_fields


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


def test_an_empty_range_has_no_slots():
    cron, tz = Cron.parse("* * * * *"), ZoneInfo("Europe/Berlin")
    assert (cron.slots(date(2027, 2, 1), date(2027, 1, 31), tz), cron.slot_count(date(2027, 2, 1), date(2027, 1, 31), tz)) == ([], 0)
    assert cron.first_day(date(2027, 2, 1), date(2027, 1, 31)) is None


def test_w_days_may_be_listed_with_other_days_which_croniter_refuses():
    assert [d[:10] for d in slots("0 9 15W,16,LW * *", date(2027, 1, 1), date(2027, 1, 31), "UTC")] == [
        "2027-01-15", "2027-01-16", "2027-01-29"  # the 15th is a Friday; the 31st a Sunday, so LW is Friday the 29th
    ]


def test_macros_and_separators_other_tools_write():
    assert Cron.parse(" @DAILY ").slots(date(2027, 1, 1), date(2027, 1, 2), ZoneInfo("UTC")) == Cron.parse("0 0 * * *").slots(
        date(2027, 1, 1), date(2027, 1, 2), ZoneInfo("UTC"))
    assert Cron.parse("0\t10 * *\tMON").weekdays == frozenset({1})
    assert set(MACROS) == {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


@pytest.mark.parametrize(
    "expr, reason",
    [("0 10 * *", "has 4 fields"), ("0 25 * * *", "hour '25' is out of range (0-23)"),
     ("0 10 * * FUNDAY", "'FUNDAY' is not a number or a weekday (SUN-SAT); did you mean 'SUN'?"),
     ("0 10 * * monday", "did you mean 'MON'?"), ("0 10 * 13 *", "month '13' is out of range (1-12 or JAN-DEC)"),
     ("0 10 * * 8", "out of range (0-7 or SUN-SAT)"), ("99999999999999999999 10 * * *", "out of range (0-59)"),
     ("0 10 * * */0", "a step of 0 never moves on"), ("0 10 1,,2 * *", "an empty list item"),
     ("0 10 * * MON#6", "# takes 1 to 5"), ("0 10 * * MON-FRI/2#1", "without a step"), ("0 10 L-2 * *", "L, the last day, stands alone"),
     ("0 ? * * *", "? stands for * in the day of month or the day of week only"),
     ("@reboot", "use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or five fields"),
     ("@dayly", "did you mean '@daily'?"),
     # another tool's line: say what to write instead
     ("0 10 * * * 2027", "has 6 fields; a cadence needs 5 (minute hour day-of-month month day-of-week)"),
     ("0 0 10 ? * MON *", "leave out the seconds (the first of Quartz's and Spring's fields) and the year"),
     ("0 10 * * 5L", "write L and the weekday, e.g. L5 or LFRI, the last Friday"),
     ("H 10 * * *", "H and R (hashed or random) fields are not supported"),
     # read differently by different tools: refused, never misread
     ("30 5-5 * * *", "hour '5-5' is a range from a value to itself: other cron tools read it as that one value and croniter as every hour"),
     ("0 10 * * FRI-TUE/2", "tools step differently through a range that wraps round; list the values"),
     ("0 10 1 * MON#1", "day of month '1' with day of week 'MON#1': cron tools disagree on whether a day must match both or either"),
     ("0 10 15W * MON", "day of month '15W' with day of week 'MON': cron tools disagree"),
     ("0 10 * * MON#1,FRI", "lists plain weekdays with #/L ones"),
     ("0 10 ?,1 * *", "? means every day of month and stands alone")],
)
def test_invalid_expressions_say_why(expr, reason):
    with pytest.raises(CronError, match=re.escape(reason)):
        Cron.parse(expr)


def test_a_megabyte_expression_is_quoted_by_its_start():
    with pytest.raises(CronError) as refused:
        Cron.parse("0 10 * * " + "MON," * 250_000 + "FUNDAY")
    assert str(refused.value) == (
        "cron expression '0 10 * * MON,MON,MON,MON,MON,MON,MON,MON,MON,MON,MON,MON,MON'... is not valid: "
        "day of week 'FUNDAY' is not understood: 'FUNDAY' is not a number or a weekday (SUN-SAT); did you mean 'SUN'?"
    )


def croniter_walls(expr: str, first: date, last: date) -> list[datetime] | None:
    """croniter's wall times on the days ``first``..``last``, or None if croniter does not read ``expr``."""
    walls: list[datetime] = []
    try:
        walker = croniter(expr, datetime.combine(first, time()) - timedelta(minutes=1))
        end = datetime.combine(last + timedelta(days=1), time())
        while (wall := walker.get_next(datetime)) < end:
            walls.append(wall)
    except CroniterBadDateError:  # no time in the next 50 years, so none in these days either
        return walls
    except Exception:  # croniter refuses with several types, and "* * * * *,0" with a TypeError
        return None
    return walls


def croniter_reads(expr: str) -> bool:
    try:
        croniter(expr)
    except Exception:  # croniter refuses with several types, and "* * * * *,0" with a TypeError
        return False
    return True


def parsed(expr: str) -> Cron | None:
    try:
        return Cron.parse(expr)
    except CronError:
        return None


def window(cron: Cron, first: date, span: int) -> date:
    """The last day of a window of at most ``span`` days and about 400 slots (one day, if a day has more)."""
    return first + timedelta(days=min(span, 400 // cron.most_per_day))


# The expressions issue 23 found crashing `cadence check`, from croniter's own test suite
ISSUE_CRASHES = [
    ("* * * * *,0", "day of week '*,0': * means every day of week and stands alone"),
    ("0 0 * * *,sat#3", "day of week '*,sat#3': * means every day of week and stands alone"),
    ("0 0 1 1 0-6,sat#3", "day of week '0-6,sat#3' lists plain weekdays with #/L ones"),
    ("0 0 31 1 1#1", "day of month '31' with day of week '1#1': cron tools disagree on whether a day must match both or either"),
]


def test_the_expressions_that_crashed_check_are_located_plan_errors(tmp_path):
    channels = "".join(f'[channels.c{n}]\ncadence = ["{expr}"]\n\n' for n, (expr, _) in enumerate(ISSUE_CRASHES))
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(channels), encoding="utf-8")
    result = run_cadence("check", str(path), "--today", "2027-01-01")
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    lines = (plan_text(channels).splitlines().index(f'cadence = ["{expr}"]') + 1 for expr, _ in ISSUE_CRASHES)
    assert result.stderr.splitlines() == [
        f"{path}:{line}:1: cron expression {expr!r} is not valid: {reason}{rest}"
        for line, (expr, reason), rest in zip(lines, ISSUE_CRASHES, [
            "; write it alone, or list the values you mean", "; write it alone, or list the values you mean",
            "; cron tools read that differently: write two expressions, one for each",
            "; write * as the day of month, or two expressions"])
    ]


# From croniter's test suite: both read them, and the slots of 2027's first quarter are croniter's
CRONITER_SUITE = [
    "0 16 */2 * sat", "0 0 * * 6#3", "0 0 * * L6,6#1", "0 0 * * 1#4,L1", "0 13 8 1,4,7,10 wed", "*/7 9 * * *", "0 0 1 */3 *",
    "0 0 * * */2", "* 3 29 2 *", "0 0 * * wed#5", "0 0 29-L * *", "*/10 * l * *", "30 22 * * sun-thu", "0 0 * * sat#1,sun#2",
    "00 03 16,30 * *", "0 4/6 * * *", "0 0 1,15,31 * *", "1-9/2 0 1 * *", "0 9 15W * *", "0 9 1W * *", "0 9 31W * *",
    "0 9 30W * *", "0 9 W15 * *", "1 1 7,14,21,L * *", "0,30 1,5 * * L5", "0 0 * * L2,L4", "0 0 1 * ?", "0 0 * * Sun-Mon",
    "0 0 * * Fri-Sun", "0 0 1 Nov-Mar *", "0 0 1 Apr-Feb *", "0 0 1 Jan-Aug/4 *", "59/15 4 * * *", "5 23/6 * * *",
    "0 12 * * SAT/2", "10-50/15 1 * * *", "50-51/15 1 * * *", "0 12 * * 6-0", "0 0 * * 2-6/3", "0 12 * * 1-7",
    "0 0 1-31 1 0", "0 0 1 1 0-6", "30 1-12,0,10-23 15-21 * fri", "0 1 31/5 * *", "0 1 * DEC/3 *", "0 1 * * 7/2",
    "0 1 * * 2-3,4-5,3,3,3", "59 23 * 1 wed,fri,mon-thu,tue,tue", "0 0 25-L 1 0", "35 * 1-l/8 * *", "@midnight",
    "@weekly", "@monthly", "@yearly", "0 0 * * 7",
]


@pytest.mark.parametrize("expr", CRONITER_SUITE)
def test_croniters_own_expressions_give_croniters_slots(expr):
    walls = croniter_walls(expr, date(2027, 1, 1), date(2027, 3, 31))
    assert walls is not None
    utc = ZoneInfo("UTC")
    assert Cron.parse(expr).slots(date(2027, 1, 1), date(2027, 3, 31), utc) == [int(w.replace(tzinfo=utc).timestamp()) for w in walls]


# From croniter's test suite: croniter reads them, and a plan refuses them on purpose
REFUSED_ON_PURPOSE = [
    ("0 0 1 1 * 0 */25", "has 7 fields"), ("* * * * * 59/15", "has 6 fields"), ("0 0 * * * 1", "has 6 fields"),
    ("30 6 1-7 MAY MON#1", "cron tools disagree"), ("30 23 1-7 JAN MON-FRI#1", "cron tools disagree"),
    ("0 0 * * Sun-Sun", "a range from a value to itself"), ("5-5 * * * *", "a range from a value to itself"),
    ("0 0 * JAN-JAN *", "a range from a value to itself"), ("0 0 * * Thu-Tue/2", "a range that wraps round"),
    ("0 0 1 Apr-Mar/3 *", "a range that wraps round"), ("R/15 * * * *", "hashed or random"), ("R R * * *", "hashed or random"),
    ("0 0 * 1 0-6,sat#3", "lists plain weekdays with #/L ones"),
]
DELIBERATE = ("fields; a cadence needs 5", "a range from a value to itself", "a range that wraps round", "and stands alone",
              "hashed or random", "cron tools disagree", "lists plain weekdays with #/L ones")


@pytest.mark.parametrize("expr, reason", REFUSED_ON_PURPOSE)
def test_what_croniter_reads_but_tools_read_differently_is_refused(expr, reason):
    assert croniter_reads(expr)
    with pytest.raises(CronError, match=re.escape(reason)) as refused:
        Cron.parse(expr)
    assert any(deliberate in str(refused.value) for deliberate in DELIBERATE)


@pytest.mark.parametrize("expr", [
    "0 0 * * 5,6#3", "* * * *", "-90 * * * *", "a * * * *", "* * * janu-jun *", "0-10/error * * * *", "* * 5-100 * *",
    "٥ * * * *", "０ ０ * * *", "0 0 * * 1#٢", "5-5/0 * * * *", "? * * * *", "* * ?,* * *", "0-10000000 * * * *",
    "0 0 0 0 0", "4 0 L/2 2 0", "H 0 * * *", "0 9 0W * *", "0 9 32W * *", "*/0 * * * *", "0 0 * * 1#7", "0 0 * * 1#0",
    "0 0 * * L8", "H(0-59) * * * *", "X X * * *",
])
def test_what_croniter_refuses_is_refused_with_a_message(expr):
    assert not croniter_reads(expr)
    with pytest.raises(CronError, match=r"^cron expression .* (is not valid: |has \d+ fields; )"):
        Cron.parse(expr)


@pytest.mark.parametrize("expr", ["* * 31 2 *", "0 0 30 2 *", "0 0 31 4 *", "0 0 31 6 *", "0 9 * 2 MON#5"])
def test_what_never_fires_is_read_and_fires_nowhere_where_croniter_gives_up(expr):
    cron = Cron.parse(expr)
    first, last = (date(2027, 1, 1), date(2027, 12, 31)) if "#" in expr else (date(2027, 1, 1), date(2036, 12, 31))
    assert cron.first_day(first, last) is None and cron.slots(first, last, ZoneInfo("UTC")) == []
    if "#" not in expr:  # February 2028 has five Mondays: croniter finds that one
        with pytest.raises(CroniterBadDateError):
            croniter(expr, datetime(2027, 1, 1)).get_next(datetime)


# Every item whose days croniter gives, written as a plan would: L, 1W-31W, each weekday's #1-#5 and L
CALENDAR_ITEMS = ["0 9 L * *", *(f"0 9 {day}W * *" for day in range(1, 32)),
                  *(f"0 9 * * {weekday}#{nth}" for weekday in range(7) for nth in range(1, 6)), *(f"0 9 * * L{weekday}" for weekday in range(7))]


def test_every_calendar_item_gives_croniters_days_far_from_the_months_croniter_walked():
    # croniter walks each item through one month of each shape, from 2000 on; these are the
    # first and last years a plan can name, and a century year that is not a leap year
    utc = ZoneInfo("UTC")
    for first, last in [(date(1900, 1, 1), date(1901, 12, 31)), (date(2099, 1, 1), date(2100, 12, 31)), (date(2999, 1, 1), date(2999, 12, 31))]:
        for expr in CALENDAR_ITEMS:
            walls = croniter_walls(expr, first, last)
            assert Cron.parse(expr).slots(first, last, utc) == [int(w.replace(tzinfo=utc).timestamp()) for w in walls], (expr, first)


def test_lw_is_the_last_weekday_of_every_month():
    # croniter does not read LW; a plan reads it as croniter's 31W, the weekday nearest the month's last day
    days = [d[:10] for d in slots("0 9 LW * *", date(2027, 1, 1), date(2030, 12, 31), "UTC")]
    last_weekdays = []
    for year in range(2027, 2031):
        for month in range(1, 13):
            last = date(year, month, calendar.monthrange(year, month)[1])
            last_weekdays.append(str(last - timedelta(days=max(last.weekday() - 4, 0))))
    assert days == last_weekdays


# A croniter that fails on the days it is asked for: an old one (W is read from 6.2 on), and one
# whose walk raises with a message of two lines; each is one plan error at the cadence's line
BROKEN_CRONITERS = {
    "refuses W": "class croniter:\n    def __init__(self, expr, *args, **kwargs):\n"
                 "        raise ValueError(f'[{expr.lower()}] is not acceptable')\n",
    "walk fails": "class croniter:\n    def __init__(self, expr, *args, **kwargs):\n        pass\n\n"
                  "    def get_next(self, *args, **kwargs):\n        raise TypeError('failed to find\\nnext date')\n",
}


@pytest.mark.parametrize("broken", BROKEN_CRONITERS)
def test_whatever_croniter_raises_is_a_located_plan_error(tmp_path, broken):
    (tmp_path / "croniter").mkdir()
    (tmp_path / "croniter" / "__init__.py").write_text(BROKEN_CRONITERS[broken], encoding="utf-8")
    text = plan_text('[channels.blog]\ncadence = ["0 9 15W * *"]\n')
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cadence_process("check", str(path), "--today", "2027-01-01", env={"PYTHONPATH": str(tmp_path)})  # a croniter of its own
    line = text.splitlines().index('cadence = ["0 9 15W * *"]') + 1
    reason = "'[0 0 15w * *] is not acceptable'" if broken == "refuses W" else "'failed to find\\nnext date'"
    assert (result.returncode, result.stderr) == (2, (
        f"{path}:{line}:1: cron expression '0 9 15W * *' is not valid: '15W': croniter, which gives the days of L, W, # and L5, "
        f"failed on it: {reason}\n"))


@given(expr=st.one_of(cron_texts, st.text()), zone=st.sampled_from(["UTC", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"]),
       first=st.dates(date(2026, 1, 1), date(2028, 12, 31)), span=st.integers(0, 400))
def test_any_text_is_a_cadence_or_a_message_and_a_cadence_always_expands(expr, zone, first, span):
    try:
        cron = Cron.parse(expr)
    except CronError as error:
        assert str(error).startswith(f"cron expression {quoted(expr)} ")
    else:
        tz, last = ZoneInfo(zone), window(cron, first, span)
        found = cron.slots(first, last, tz)
        assert found == sorted(set(found)) and cron.slot_count(first, last, tz) == len(found)
        first_day = cron.first_day(first, last)
        assert first_day == (datetime.fromtimestamp(found[0], tz).date() if found else None)


@given(expr=five_fields, first=st.dates(date(2026, 1, 1), date(2028, 12, 31)), span=st.integers(0, 60))
def test_slots_are_croniters_wherever_both_read_the_expression(expr, first, span):
    cron = parsed(expr)
    assume(cron is not None)
    last = window(cron, first, span)
    walls = croniter_walls(expr, first, last)
    assume(walls is not None)
    tz = ZoneInfo("Asia/Jakarta")  # no daylight saving: croniter's own walk is the truth here
    assert cron.slots(first, last, tz) == [int(wall.replace(tzinfo=tz).timestamp()) for wall in walls]


@given(expr=cron_texts)
def test_what_croniter_reads_and_a_plan_refuses_is_refused_on_purpose(expr):
    assume(croniter_reads(expr))
    try:
        Cron.parse(expr)
    except CronError as error:
        assert any(reason in str(error) for reason in DELIBERATE), error


ZONES = sorted(available_timezones() - {"Factory", "localtime"})


def _change_day(day: date, tz: ZoneInfo) -> bool:
    """Whether the zone's offset changes during the local day (or right at either midnight)."""
    midnights = [datetime(d.year, d.month, d.day, fold=fold, tzinfo=tz) for d in (day, day + timedelta(days=1)) for fold in (0, 1)]
    return len({moment.utcoffset() for moment in midnights}) > 1


@given(expr=five_fields, zone=st.sampled_from(ZONES), first=st.dates(date(2026, 1, 1), date(2028, 12, 31)), span=st.integers(0, 40))
def test_slots_in_any_zone_are_increasing_and_croniters_away_from_changes(expr, zone, first, span):
    cron = parsed(expr)
    assume(cron is not None)
    tz, last = ZoneInfo(zone), window(cron, first, span)
    walls = croniter_walls(expr, first, last)
    assume(walls is not None)
    found = cron.slots(first, last, tz)
    assert all(earlier < later for earlier, later in zip(found, found[1:]))
    # every slot is a wall time of croniter's, read by the daylight-saving rule, and each once
    assert found == sorted({int(wall.replace(tzinfo=tz, fold=0).timestamp()) for wall in walls})
    # on days without a change, croniter's wall times are the slots one for one
    calm = {wall.date() for wall in walls if not _change_day(wall.date(), tz)}
    on_calm_days = [ts for ts in found if datetime.fromtimestamp(ts, tz).date() in calm]
    assert on_calm_days == [int(wall.replace(tzinfo=tz).timestamp()) for wall in walls if wall.date() in calm]


EVERY_MINUTE_FOR_TEN_YEARS = plan_text('[channels.instagram]\ncadence = ["* * * * *"]\nmax_per_day = 1440\n', timezone="Europe/Berlin",
                                       start="2027-01-01", end="2036-12-31")
OVER_BUDGET = ("the cadence expressions of instagram give 5,259,720 slots from 2027-01-01 to 2036-12-31; a plan's may give "
               "at most 250,000, as every check expands each one: lower the cadence or shorten the plan")


def test_a_plan_over_the_slot_budget_is_refused_by_check_json_and_export_without_expanding_it(tmp_path):
    # 5,259,720 slots took check 110 s and 3.9 GB, and --format json and export --slots died of MemoryError;
    # run_cadence's 60 s timeout is generous for a refusal that counts them
    path = tmp_path / "plan.toml"
    path.write_text(EVERY_MINUTE_FOR_TEN_YEARS, encoding="utf-8")
    for command in (["check"], ["export", "--slots", "-o", str(tmp_path / "plan.ics")]):
        result = run_cadence(*command, str(path), "--today", "2027-01-01")
        assert (result.returncode, result.stderr) == (2, f"{path}:17:1: {OVER_BUDGET}\n")
    result = run_cadence("check", str(path), "--today", "2027-01-01", "--format", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["invalid"] == [{"path": str(path), "line": 17, "column": 1, "message": OVER_BUDGET}]
    assert not (tmp_path / "plan.ics").exists()


@pytest.mark.parametrize("days, refused", [(2500, False), (2501, True)])
def test_the_slot_budget_is_250000_slots_over_the_horizon(days, refused):
    end = date(2027, 1, 1) + timedelta(days=days - 1)
    text = plan_text('[channels.a]\ncadence = ["0-9 0-9 * * *"]\nmax_per_day = 100\n', timezone="UTC", start="2027-01-01", end=str(end))
    if refused:
        with pytest.raises(PlanError, match=re.escape(f"the cadence expressions of a give 250,100 slots from 2027-01-01 to {end}; ")):
            plan_from_text(text, "plan.toml", vocabulary())
    else:
        assert plan_from_text(text, "plan.toml", vocabulary()).channels["a"].cadence


def test_the_slot_budget_counts_each_expression_of_every_channel():
    # each expression is expanded, so one that repeats another's slots (00:00 every day) counts them again
    channels = '[channels.a]\ncadence = ["0-9 0-9 * * *", "0 0 * * *"]\nmax_per_day = 100\n\n[channels.b]\ncadence = "0 12 * * *"\n'
    # 2500 days: 250,000 + 2,500 slots on a, less 70 where 02:00-02:09 of a spring day fall on 03:00-03:09
    text = plan_text(channels, timezone="Europe/Berlin", start="2027-01-01", end="2033-11-04")
    with pytest.raises(PlanError) as refused:
        plan_from_text(text, "plan.toml", vocabulary())
    assert [problem.message.split(";")[0] for problem in refused.value.problems] == [
        "the cadence expressions of a give 252,430 slots from 2027-01-01 to 2033-11-04 (254,930 with the other channels')"
    ]
