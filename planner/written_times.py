"""Dates and times as people and spreadsheets write them in a CSV: one parser for every import.

The forms read (``T``, a space or a comma between date and time):

- ISO dates, year first: ``2027-01-19``, ``2027/01/19``;
- numeric dates with the year last, day and month in the file's order: ``19/01/2027``,
  ``1/19/2027``, ``19.01.2027``, ``19-01-2027``;
- a time of day of one or two digits for the hour, as Excel writes it: ``8:30``, ``08:30``,
  ``8:30:15``, ``08:30:15.250`` (the fraction is dropped), with ``AM``/``PM`` (or ``a.m.``)
  for a 12-hour clock;
- an offset after the time, ``Z``, ``+07:00`` or ``+0700``: the text is then an instant.

Whether ``05/01/2027`` is the 5th of January or the 1st of May is decided once per file
(:func:`date_order`, for every command that reads dates from a file) and passed to the
parser. A text that is none of these forms, or a date that does not exist, is refused with a
reason for people; a two-digit year is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from planner.conventions import ConventionError, survey

_TIME = (
    r"(?:(?:T|[ ,]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})" + _TIME, re.IGNORECASE)
_YEAR_LAST = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4}|\d{2})" + _TIME, re.IGNORECASE)

FORMS = "2027-01-19 08:30, 19/01/2027 8:30 or 1/19/2027 8:30 AM"
DATE_FORMS = "2027-01-19, 19/01/2027 or 1/19/2027"


def looks_like_a_time(text: str) -> bool:
    """Whether ``text`` is written in one of the forms (it may still be no real date)."""
    text = text.strip()
    return bool(_YEAR_FIRST.fullmatch(text) or _YEAR_LAST.fullmatch(text))


def day_and_month(text: str) -> tuple[int, int] | None:
    """The first two numbers of a date written year last (``19/01/2027``), for deciding a file's order."""
    match = _YEAR_LAST.fullmatch(text.strip())
    return (int(match["a"]), int(match["b"])) if match else None


def date_order(cells: Iterable[tuple[int, str]], layout_order: str | None = None, *, how: str) -> str:
    """"dmy" or "mdy": the order of day and month in a file's dates written year last, from
    its cells (line, text); ``layout_order`` is the order the file's layout is known to write,
    for when no cell settles it. Raises :class:`ConventionError` for a file whose dates are
    written both ways, or that leaves it open; ``how`` says what to pass to decide it.
    """
    ways = survey((line, text, _orders(text)) for line, text in cells)
    if ways.mixed:
        day_first, month_first = ways.settled["dmy"][0], ways.settled["mdy"][0]
        raise ConventionError(max(day_first, month_first), f"line {day_first} writes the day first and line {month_first} the month first; pass {how}")
    if ways.way:
        return ways.way
    if ways.undecided and layout_order:
        return layout_order
    if ways.undecided:
        raise ConventionError(ways.undecided[0], f"no row says whether dates are day/month or month/day (no day above 12); pass {how}")
    return "dmy"  # every date reads the same both ways


def _orders(text: str) -> dict[str, tuple[int, int]]:
    """(day, month) of a date written year last, in each order that can read it."""
    numbers = day_and_month(text)
    if numbers is None:
        return {}
    a, b = numbers
    readings = {}
    if 1 <= a <= 31 and 1 <= b <= 12:
        readings["dmy"] = (a, b)
    if 1 <= a <= 12 and 1 <= b <= 31:
        readings["mdy"] = (b, a)
    return readings


def parse_written_time(text: str, order: str | None = "dmy", *, needs_time: bool = True) -> datetime | str:
    """``text`` as a datetime (naive, or aware when it gives an offset), or why it is none.

    ``order`` is ``"dmy"`` or ``"mdy"``, for dates written year last. Without a time of day the
    text is refused when ``needs_time``, else read as midnight.
    """
    return _parsed(text, order, needs_time, "time", f"a date and time such as {FORMS}")


def parse_written_date(text: str, order: str | None = "dmy") -> date | str:
    """A day written in any of the forms (a time after it is allowed and ignored), or why not."""
    parsed = _parsed(text, order, False, "day", f"a date such as {DATE_FORMS}")
    return parsed if isinstance(parsed, str) else parsed.date()


def _parsed(text: str, order: str | None, needs_time: bool, noun: str, forms: str) -> datetime | str:
    """What both parsers read; the reasons name the text as ``noun`` and the forms as ``forms``."""
    text = text.strip()
    if match := _YEAR_FIRST.fullmatch(text):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        order_said = ""
    elif match := _YEAR_LAST.fullmatch(text):
        if len(match["year"]) == 2:
            return f"{noun} {text!r} has a two-digit year; write the year with four digits"
        a, b = int(match["a"]), int(match["b"])
        day, month = (a, b) if order != "mdy" else (b, a)
        year = int(match["year"])
        order_said = f" (read as {'month/day' if order == 'mdy' else 'day/month'})"
    else:
        return f"{noun} {text!r} is not {forms}"
    if match["hour"] is None:
        if needs_time:
            return f"{noun} {text!r} has no time of day"
        hour = minute = second = 0
    else:
        hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
        if match["half"]:
            if not 1 <= hour <= 12:
                return f"{noun} {text!r} is not a real time: {hour} on a 12-hour clock"
            hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return f"{noun} {text!r} is not a real {'date and time' if needs_time else 'date'}{order_said}"
    if match["offset"]:
        try:
            return moment.replace(tzinfo=_offset(match["offset"]))
        except ValueError:
            return f"{noun} {text!r} has an offset of a day or more, {match['offset']}"
    return moment


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
