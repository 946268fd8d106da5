from datetime import timedelta

import pytest

from planner.durations import format_duration, parse_duration, whole_days


@pytest.mark.parametrize(
    "text, expected",
    [("90m", timedelta(minutes=90)), ("3h", timedelta(hours=3)), ("14d", timedelta(days=14)),
     ("2w", timedelta(weeks=2)), ("1d12h", timedelta(days=1, hours=12)), ("45s", timedelta(seconds=45))],
)
def test_parses_people_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "3", "h", "3 hours", "-1d", "1.5h", "soon"])
def test_rejects_anything_else_with_an_example(text):
    with pytest.raises(ValueError, match='e.g. "90m"'):
        parse_duration(text)


def test_formats_in_the_largest_whole_unit():
    assert [format_duration(parse_duration(t)) for t in ("90m", "120m", "7d", "36h", "0m")] == ["90m", "2h", "7d", "36h", "0m"]


def test_whole_days():
    assert whole_days(timedelta(days=3)) == 3
    assert whole_days(timedelta(hours=36)) is None
