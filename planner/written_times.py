"""Dates and times as people and spreadsheets write them in a CSV: one parser for every import.

The forms read (``T``, a space or a comma between date and time):

- ISO dates, year first: ``2027-01-19``, ``2027/01/19``;
- numeric dates with the year last, day and month in the file's order: ``19/01/2027``,
  ``1/19/2027``, ``19.01.2027``, ``19-01-2027``;
- a time of day of one or two digits for the hour, as Excel writes it: ``8:30``, ``08:30``,
  ``8:30:15``, ``08:30:15.250`` (the fraction is dropped), with ``AM``/``PM`` (or ``a.m.``)
  for a 12-hour clock;
- an offset after the time, ``Z``, ``+07:00`` or ``+0700``: the text is then an instant.

Whether ``05/01/2027`` is the 5th of January or the 1st of May is not decided here: the
caller decides it once per file (:func:`day_and_month`) and passes the order. A text that is
none of these forms, or a date that does not exist, is refused with a reason for people; a
two-digit year is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_TIME = (
    r"(?:(?:T|[ ,]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})" + _TIME, re.IGNORECASE)
_YEAR_LAST = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4}|\d{2})" + _TIME, re.IGNORECASE)

FORMS = "2027-01-19 08:30, 19/01/2027 8:30 or 1/19/2027 8:30 AM"


def looks_like_a_time(text: str) -> bool:
    """Whether ``text`` is written in one of the forms (it may still be no real date)."""
    text = text.strip()
    return bool(_YEAR_FIRST.fullmatch(text) or _YEAR_LAST.fullmatch(text))


def day_and_month(text: str) -> tuple[int, int] | None:
    """The first two numbers of a date written year last (``19/01/2027``), for deciding a file's order."""
    match = _YEAR_LAST.fullmatch(text.strip())
    return (int(match["a"]), int(match["b"])) if match else None


def parse_written_time(text: str, order: str | None = "dmy", *, needs_time: bool = True) -> datetime | str:
    """``text`` as a datetime (naive, or aware when it gives an offset), or why it is none.

    ``order`` is ``"dmy"`` or ``"mdy"``, for dates written year last. Without a time of day the
    text is refused when ``needs_time``, else read as midnight.
    """
    text = text.strip()
    if match := _YEAR_FIRST.fullmatch(text):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        order_said = ""
    elif match := _YEAR_LAST.fullmatch(text):
        if len(match["year"]) == 2:
            return f"time {text!r} has a two-digit year; write the year with four digits"
        a, b = int(match["a"]), int(match["b"])
        day, month = (a, b) if order != "mdy" else (b, a)
        year = int(match["year"])
        order_said = f" (read as {'month/day' if order == 'mdy' else 'day/month'})"
    else:
        return f"time {text!r} is not a date and time such as {FORMS}"
    if match["hour"] is None:
        if needs_time:
            return f"time {text!r} has no time of day"
        hour = minute = second = 0
    else:
        hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
        if match["half"]:
            if not 1 <= hour <= 12:
                return f"time {text!r} is not a real time: {hour} on a 12-hour clock"
            hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return f"time {text!r} is not a real date and time{order_said}"
    if match["offset"]:
        try:
            return moment.replace(tzinfo=_offset(match["offset"]))
        except ValueError:
            return f"time {text!r} has an offset of a day or more, {match['offset']}"
    return moment


def parse_written_date(text: str, order: str | None = "dmy") -> date | str:
    """A day written in any of the forms (a time after it is allowed and ignored), or why not."""
    parsed = parse_written_time(text, order, needs_time=False)
    return parsed if isinstance(parsed, str) else parsed.date()


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
