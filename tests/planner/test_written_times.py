"""The one parser of dates and times written in CSVs: every form Excel and people write, nothing guessed."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.written_times import day_and_month, parse_written_date, parse_written_time

EXCEL_WRITES = {
    "2027-01-19 8:30": datetime(2027, 1, 19, 8, 30),
    "2027-01-19 8:30 AM": datetime(2027, 1, 19, 8, 30),
    "2027-01-19 8:30 PM": datetime(2027, 1, 19, 20, 30),
    "2027-01-19 12:05 am": datetime(2027, 1, 19, 0, 5),
    "2027-01-19 12:05 p.m.": datetime(2027, 1, 19, 12, 5),
    "2027-01-19T08:30:15": datetime(2027, 1, 19, 8, 30, 15),
    "2027-01-19 08:30:15.250": datetime(2027, 1, 19, 8, 30, 15),
    "2027/01/19 08:30": datetime(2027, 1, 19, 8, 30),
    "1/19/2027 8:30": datetime(2027, 1, 19, 8, 30),
    "1/19/2027 8:30:00 AM": datetime(2027, 1, 19, 8, 30),
    "1/19/2027, 8:30 PM": datetime(2027, 1, 19, 20, 30),
}


@pytest.mark.parametrize("text", sorted(EXCEL_WRITES))
def test_the_times_excel_writes_are_read(text):
    assert parse_written_time(text, "mdy") == EXCEL_WRITES[text]


def test_offsets_make_instants():
    assert parse_written_time("2027-01-19 08:30Z") == datetime(2027, 1, 19, 8, 30, tzinfo=timezone.utc)
    assert parse_written_time("2027-01-19T08:30+0700") == datetime(2027, 1, 19, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    assert "offset of a day or more" in parse_written_time("2027-01-19T08:30+25:00")


def test_the_files_order_decides_year_last_dates_and_german_dots_read_day_first():
    assert day_and_month("05/01/2027 10:00") == (5, 1)
    assert parse_written_time("05/01/2027 10:00", "dmy") == datetime(2027, 1, 5, 10)
    assert parse_written_time("05/01/2027 10:00", "mdy") == datetime(2027, 5, 1, 10)
    assert parse_written_time("19.01.2027 08:30", "dmy") == datetime(2027, 1, 19, 8, 30)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2027-02-30 10:00", "not a real date and time"),
        ("19/01/2027 10:00", "not a real date and time (read as month/day)"),
        ("2027-01-19 13:00 PM", "13 on a 12-hour clock"),
        ("2027-01-19 25:00", "not a real date and time"),
        ("1/19/27 8:30", "two-digit year"),
        ("2027-01-19", "no time of day"),
        ("next tuesday", "not a date and time such as"),
    ],
)
def test_what_is_no_time_is_refused_with_a_reason(text, reason):
    assert reason in parse_written_time(text, "mdy")


def test_a_day_may_come_with_or_without_a_time():
    assert parse_written_date("2027-01-19") == datetime(2027, 1, 19).date()
    assert parse_written_date("1/19/2027 8:30 AM", "mdy") == datetime(2027, 1, 19).date()


FORMS = {
    "%Y-%m-%d %H:%M": "dmy",
    "%Y-%m-%dT%H:%M:%S": "dmy",
    "%d/%m/%Y %H:%M": "dmy",
    "%d.%m.%Y %H:%M": "dmy",
    "%m/%d/%Y %I:%M %p": "mdy",
    "%m/%d/%Y %H:%M:%S": "mdy",
}


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)).map(lambda m: m.replace(microsecond=0)), st.sampled_from(sorted(FORMS)))
def test_every_form_reads_back_what_it_wrote(moment, form):
    if "%S" not in form:
        moment = moment.replace(second=0)
    written = moment.strftime(form)
    unpadded = written.replace(" 0", " ", 1)  # Excel drops the hour's leading zero
    assert parse_written_time(written, FORMS[form]) == moment
    assert parse_written_time(unpadded, FORMS[form]) == moment
