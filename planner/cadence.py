"""Cadence slots: the instants at which a channel's cron expressions ask for a post.

Three jobs, each done where it is done best:

- **Reading**, by one grammar of ours: it decides what a plan accepts and says why it refuses
  the rest. croniter raises on some expressions while it reads them (TypeError) or expands
  them (CroniterBadDateError), and reads some that other crons read otherwise (below) without
  a word, so it is only ever given what it reads the way cron does.
- **The calendar's days**, by croniter: the days of ``L``, ``W``, ``#`` and ``L5`` items. Each
  is given to croniter alone, as a day expression (``FRI#2`` as ``0 0 * * 5#2``; ``LW`` as
  ``0 0 31W * *``, which croniter reads as the weekday nearest the month's last day), and
  walked with ``get_next`` through one month of each shape: its days in a month depend on
  nothing but the month's length and the weekday of its 1st, 28 shapes in all. That is done
  while the expression is parsed, so croniter is loaded and any error of its becomes a
  :class:`CronError` then, never while slots are counted or expanded. Expressions without
  these items (nearly every cadence) never load croniter: importing it takes about as long
  as starting Python (it loads dateutil's time zones, and runs ``file`` on the interpreter
  to learn whether it is 32-bit).
- **Days and slots**, here. An expression's days are a few ``|`` and ``&`` of the horizon's
  months, days and weekdays and of its croniter items' days, each held as the bits of one int,
  so a cadence costs the same whatever its horizon and the slots of a plan are counted without
  expanding them (:data:`MAX_SLOTS`). Each matching local day yields each of its wall times
  exactly once, converted by the daylight-saving rule of :mod:`planner.localtime`; croniter's
  ``get_next`` follows neither of its rules (it gives 03:00 for a missing 02:30 and fires
  twice on a repeated hour) and costs about 40 µs a slot. Nothing here raises once an
  expression is parsed.

The reading agrees with croniter's wherever croniter reads an expression: tests check it on
random expressions and on croniter's own test suite. Five fields, ``minute hour day-of-month
month day-of-week``, each ``*`` or a list of:

- a number or a name (``JAN``-``DEC``, ``SUN``-``SAT``; weekday 7 is Sunday too);
- a range ``A-B``, which may wrap round (``FRI-MON``), and a step ``A-B/S``, ``*/S``, ``A/S``;
- in the day of month: ``L`` (the last day), ``A-L`` (``A-31``, as croniter reads it), ``15W``
  or ``W15`` (the weekday nearest the 15th, within its month) and ``LW`` (the last weekday);
- in the day of week: ``FRI#2`` (the second Friday of the month) and ``L5`` (the last Friday).

``?`` is ``*`` in either day field. When both day fields are restricted a day matching either
fires (cron's rule). ``@yearly``, ``@annually``, ``@monthly``, ``@weekly``, ``@daily``,
``@midnight`` and ``@hourly`` are their five fields.

Refused, each with a message saying what to write, because cron tools read them differently
and a plan must not be misread: six or seven fields (seconds or a year), equal ranges
(``5-5``: one value in most crons, the whole cycle in croniter), wrapping ranges with a step,
``*`` or ``?`` inside a list, ``H`` and ``R``, Quartz's ``5L``, plain weekdays listed with
``#`` or ``L`` ones, and a restricted day of month with ``#``/``L`` weekdays (or ``W`` days
with a restricted day of week): croniter keeps only one of the two, cron's rule both.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache, reduce
from operator import or_
from zoneinfo import ZoneInfo

from planner.errors import did_you_mean
from planner.localtime import clock_of

# Slots are expanded for every check, export and calendar view, and each open one is a finding:
# the cadence expressions of a plan may give this many over its horizon, all channels together.
# Twice the largest benchmark plans (100,000 posts: 101,000 slots, 125,000 sparse); a check of
# a plan at the budget with every slot open takes seconds and a few hundred MB, not minutes and GB.
MAX_SLOTS = 250_000


class CronError(ValueError):
    """A cron expression that cannot be a cadence."""


@dataclass(frozen=True)
class Cron:
    """A parsed five-field cron expression, read in the plan's time zone."""

    expr: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: frozenset[int]
    month_days: frozenset[int] | None  # None: any day
    weekdays: frozenset[int] | None  # cron numbering, Sunday = 0; None: any day
    calendar_days: frozenset["CalendarDays"]  # L, W, # and L5 items, in the day field they restrict

    @classmethod
    def parse(cls, expr: str) -> "Cron":
        """Parse and validate ``expr``; raise :class:`CronError` with a message for people."""
        return _Parser(expr).cron()

    @property
    def most_per_day(self) -> int:
        """The slots of one matching day: what a cadence asks to post on a day at most."""
        return len(self.minutes) * len(self.hours)

    def first_day(self, first: date, last: date) -> date | None:
        """The first local day of ``first``..``last`` with a slot, found without expanding slots."""
        days = self._days(_day_bits(first, last))
        return date.fromordinal(first.toordinal() + (days & -days).bit_length() - 1) if days else None

    def slots(self, first: date, last: date, tz: ZoneInfo) -> list[int]:
        """Instants (UTC seconds) of every slot on local days ``first``..``last``, each once, in order.

        Slots are a set of instants: on a spring-forward day a missing wall time (02:00) moves
        onto a later one that may be a slot of its own (03:00), and is then the same slot.
        """
        return _instants(_ordinals(self._days(_day_bits(first, last)), first.toordinal()), self, tz)

    def slot_count(self, first: date, last: date, tz: ZoneInfo) -> int:
        """``len(self.slots(first, last, tz))``, counted without expanding: wall times a day times days.

        Only the days with a clock change are expanded, where a missing time can land on a slot.
        """
        bits = _day_bits(first, last)
        days = self._days(bits)
        changes = days & bits.changes(tz)
        count = (days & ~changes).bit_count() * self.most_per_day
        return count + sum(len(_instants([ordinal], self, tz)) for ordinal in _ordinals(changes, first.toordinal()))

    def _days(self, bits: "_DayBits") -> int:
        """The matching days of a horizon, as its bits: a day of any restricted day field fires
        (cron's "either" rule), and every day if neither is restricted."""
        if self.month_days is None and self.weekdays is None:
            days = bits.every
        else:
            days = _any(bits.month_days[day] for day in self.month_days or ())
            days |= _any(bits.weekdays[weekday] for weekday in self.weekdays or ())
            days |= _any(bits.calendar_days(item) for item in self.calendar_days)
        return _any(bits.months[month] for month in self.months) & days


def expand(crons: tuple[Cron, ...], first: date, last: date, tz: ZoneInfo) -> list[int]:
    """The union of several expressions' slots, each instant once, in time order."""
    if len(crons) == 1:
        return crons[0].slots(first, last, tz)
    return sorted({ts for cron in crons for ts in cron.slots(first, last, tz)})


def busiest_over_budget(cadences: dict[str, tuple[Cron, ...]], first: date, last: date, tz: ZoneInfo) -> tuple[str, int, int] | None:
    """The channel whose expressions give the most slots, their count and the plan's, if the
    plan's exceed :data:`MAX_SLOTS`; each expression's slots count, as each is expanded.

    Most plans are far under: wall times a day times days bounds an expression's count, and
    only a plan over the budget by that bound has its slots counted.
    """
    days = (last - first).days + 1
    if sum(cron.most_per_day for crons in cadences.values() for cron in crons) * days <= MAX_SLOTS:
        return None
    counts = {name: sum(cron.slot_count(first, last, tz) for cron in crons) for name, crons in cadences.items()}
    total = sum(counts.values())
    if total <= MAX_SLOTS:
        return None
    busiest = max(counts, key=counts.__getitem__)
    return busiest, counts[busiest], total


@dataclass(frozen=True)
class CalendarDays:
    """The days of one ``L``, ``W``, ``#`` or ``L5`` item, as croniter gives them: its days in a
    month of each shape (its length and the weekday of its 1st), all that they depend on."""

    expr: str  # the day expression croniter walked: "0 0 L * *", "0 0 15W * *", "0 0 * * 5#2", "0 0 * * L5"
    by_shape: tuple[tuple[int, ...], ...]  # the days of the month, indexed by _shape(year, month)


def _shape(year: int, month: int) -> int:
    """A month's shape, 0 to 27: its length (28 to 31 days) and the weekday of its 1st."""
    weekday, length = calendar.monthrange(year, month)
    return (length - 28) * 7 + weekday


def _following(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


@lru_cache(maxsize=1)
def _month_of_each_shape() -> tuple[tuple[int, int], ...]:
    """A month of each shape, indexed by it: the first from January 2000 on (the last is February 2024)."""
    found: dict[int, tuple[int, int]] = {}
    year, month = 2000, 1
    while len(found) < 28:
        found.setdefault(_shape(year, month), (year, month))
        year, month = _following(year, month)
    return tuple(found[shape] for shape in range(28))


@lru_cache(maxsize=128)  # 74 items exist: L, 31 W days (LW is 31W), 35 # weekdays, 7 last weekdays
def _croniter_days(expr: str) -> tuple[tuple[int, ...], ...]:
    """croniter's days of the day expression ``expr`` in a month of each shape, walked with
    ``get_next`` over naive wall times (no time zone, so no daylight saving to follow)."""
    from croniter import croniter

    walker = croniter(expr)
    found = []
    for year, month in _month_of_each_shape():
        days = []
        wall = walker.get_next(datetime, start_time=datetime(year, month, 1) - timedelta(minutes=1))
        while (wall.year, wall.month) == (year, month):
            days.append(wall.day)
            wall = walker.get_next(datetime)
        found.append(tuple(days))
    return tuple(found)


class _DayBits:
    """The local days ``first``..``last`` as the bits of an int (bit 0: ``first``), one int for
    each month, day of the month and weekday, and for each croniter item: an expression's days
    are a few ``|`` and ``&`` of them, whatever the number of days or expressions."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        size = max((last - first).days + 1, 0)  # an empty range (--upcoming after the end) has no days
        self.every = (1 << size) - 1
        months: dict[int, list[int]] = {month: [] for month in range(1, 13)}
        month_days: dict[int, list[int]] = {day: [] for day in range(1, 32)}
        weekdays: dict[int, list[int]] = {weekday: [] for weekday in range(7)}
        for bit in range(size):
            day = date.fromordinal(first.toordinal() + bit)
            months[day.month].append(bit)
            month_days[day.day].append(bit)
            weekdays[day.toordinal() % 7].append(bit)  # ordinal % 7 is cron's weekday (Sunday 0)
        self.months, self.month_days, self.weekdays = (
            {key: _bits(positions) for key, positions in table.items()} for table in (months, month_days, weekdays)
        )
        self._calendar: dict[str, int] = {}
        self._changes: dict[ZoneInfo, int] = {}

    def calendar_days(self, item: CalendarDays) -> int:
        """The days of a croniter item: its days in each month, by the month's shape."""
        if item.expr not in self._calendar:
            positions: list[int] = []
            year, month = self.first.year, self.first.month
            while (year, month) <= (self.last.year, self.last.month):
                before = (date(year, month, 1) - self.first).days - 1  # the bit of the day before the 1st
                positions.extend(before + day for day in item.by_shape[_shape(year, month)] if before + day >= 0)
                year, month = _following(year, month)
            self._calendar[item.expr] = _bits(positions) & self.every
        return self._calendar[item.expr]

    def changes(self, tz: ZoneInfo) -> int:
        """The days on which the clock of ``tz`` changes."""
        if tz not in self._changes:
            clock, first = clock_of(tz), self.first.toordinal()
            self._changes[tz] = _bits([bit for bit in range(self.every.bit_length()) if clock.midnight(first + bit) is None])
        return self._changes[tz]


@lru_cache(maxsize=8)  # a check asks for one range, over and over
def _day_bits(first: date, last: date) -> _DayBits:
    return _DayBits(first, last)


def _bits(positions: list[int]) -> int:
    return sum(1 << position for position in positions)


def _any(masks) -> int:
    return reduce(or_, masks, 0)


def _instants(ordinals: list[int], cron: Cron, tz: ZoneInfo) -> list[int]:
    """The instants of ``cron``'s wall times on the local days ``ordinals``, each once, in order."""
    times = [(h, m) for h in cron.hours for m in cron.minutes]
    seconds = [h * 3600 + m * 60 for h, m in times]
    clock = clock_of(tz)
    found: list[int] = []
    for ordinal in ordinals:
        midnight = clock.midnight(ordinal)
        if midnight is not None:  # one offset all day: the slots are plain arithmetic
            found.extend([midnight + second for second in seconds])
            continue
        day = date.fromordinal(ordinal)
        y, mo, d = day.year, day.month, day.day
        found.extend(int(datetime(y, mo, d, h, m, tzinfo=tz).timestamp()) for h, m in times)
    return sorted(set(found))


def _ordinals(days: int, first: int) -> list[int]:
    """The ordinals of the days whose bits are set, from the horizon's first, in order."""
    return [first + found.start() for found in re.finditer("1", bin(days)[:1:-1])]


def quoted(text: str) -> str:
    """``text`` quoted for a message, its first 60 characters if longer: a plan's string may be megabytes."""
    return repr(text) if len(text) <= 60 else f"{text[:60]!r}..."


_MINUTE, _HOUR, _DAY, _MONTH, _WEEKDAY = range(5)
_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))  # and day of week 7, Sunday
_SPELLED = ("0-59", "0-23", "1-31", "1-12 or JAN-DEC", "0-7 or SUN-SAT")
_NAMES: tuple[dict[str, int], ...] = (
    {},
    {},
    {},
    {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    {name: number for number, name in enumerate("sun mon tue wed thu fri sat".split())},
)
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_WHITESPACE = re.compile(r"[^ \t\n\r\f\v]+")  # fields split on ASCII white space, as in cron
_DIGITS = re.compile(r"[0-9]+")
_NEAREST = re.compile(r"([0-9]+)w|w([0-9]+)|(l)w")
_HASHED = re.compile(r"[hr](\([0-9]+-[0-9]+\))?(/[0-9]+)?")
_ALL = "*"
_LAST_DAY = "0 0 L * *"


class _Parser:
    """One expression read field by field; each refusal is a :class:`CronError` for people."""

    def __init__(self, expr: str):
        self.expr = expr

    def fail(self, reason: str) -> CronError:
        return CronError(f"cron expression {quoted(self.expr)} is not valid: {reason}")

    def cron(self) -> Cron:
        fields = _WHITESPACE.findall(self.expr)
        if len(fields) == 1 and fields[0].startswith("@"):
            fields = self.macro(fields[0]).split()
        if len(fields) != 5:
            raise CronError(self.wrong_count(len(fields)))
        minutes, hours, days, months, weekdays = (self.field(index, text) for index, text in enumerate(fields))
        day_text, weekday_text = fields[_DAY], fields[_WEEKDAY]
        month_days, day_items = days
        weekday_values, nth = weekdays
        nearest = {(item, expr) for item, expr in day_items if expr != _LAST_DAY}
        # croniter's reading of a day field naming every value: "*" when the other day field
        # has a "*" in it, else a restriction that takes part in the either rule ("1-31")
        any_day = day_text in (_ALL, "?") or (month_days == set(range(1, 32)) and not day_items and "*" in weekday_text)
        any_weekday = weekday_text in (_ALL, "?") or (weekday_values == set(range(7)) and not nth and "*" in day_text)
        if nth and weekday_values:
            raise self.fail(
                f"day of week {quoted(weekday_text)} lists plain weekdays with #/L ones; cron tools read that "
                "differently: write two expressions, one for each"
            )
        if nth and not any_day:
            raise self.fail(
                f"day of month {quoted(day_text)} with day of week {quoted(weekday_text)}: cron tools disagree on whether a day must "
                "match both or either; write * as the day of month, or two expressions"
            )
        if nearest and not any_weekday:
            raise self.fail(
                f"day of month {quoted(day_text)} with day of week {quoted(weekday_text)}: cron tools disagree on whether a day must "
                "match both or either; write * as the day of week, or two expressions"
            )
        return Cron(
            expr=self.expr,
            minutes=tuple(sorted(minutes[0])),
            hours=tuple(sorted(hours[0])),
            months=frozenset(months[0]),
            month_days=None if any_day else frozenset(month_days),
            weekdays=None if any_weekday else frozenset(weekday_values),
            calendar_days=frozenset(self.calendar_days(item, expr) for item, expr in day_items | nth),
        )

    def calendar_days(self, item: str, expr: str) -> CalendarDays:
        """croniter's days of one L, W, # or L5 item, given to it as the day expression ``expr``."""
        try:
            return CalendarDays(expr, _croniter_days(expr))
        except Exception as error:  # croniter raises several unrelated types (CroniterError, TypeError, ...)
            raise self.fail(f"{quoted(item)}: croniter, which gives the days of L, W, # and L5, failed on it: {quoted(str(error))}") from None

    def macro(self, name: str) -> str:
        if name.lower() in MACROS:
            return MACROS[name.lower()]
        raise self.fail(
            f"{quoted(name)} is not a time a cadence can read; use {', '.join(MACROS)} or five fields"
            f"{did_you_mean(name.lower(), MACROS)}"
        )

    def wrong_count(self, count: int) -> str:
        message = (
            f"cron expression {quoted(self.expr)} has {count} fields; a cadence needs 5 "
            "(minute hour day-of-month month day-of-week), e.g. \"0 10 * * MON,WED,FRI\""
        )
        if count in (6, 7):  # another tool's line: say what to leave out, and that its weekday numbers differ
            message += (
                ": leave out the seconds (the first of Quartz's and Spring's fields) and the year (the last of "
                "AWS's and Quartz's), and write weekdays as names (MON), as Quartz and AWS count them from 1 = Sunday"
            )
        return message

    def field(self, index: int, text: str) -> tuple[set[int], set]:
        """The plain values of one field, and its items whose days croniter gives: (the item, its day expression)."""
        name = _FIELDS[index]
        if text in (_ALL, "?"):
            if text == "?" and index not in (_DAY, _WEEKDAY):
                raise self.fail(f"{name} '?': ? stands for * in the day of month or the day of week only")
            low, high = _BOUNDS[index]
            return set(range(low, high + 1)), set()
        items = text.split(",")
        for item in items:
            if item in (_ALL, "?"):
                raise self.fail(
                    f"{name} {quoted(text)}: {item} means every {name} and stands alone; write it alone, or list the values you mean"
                )
        values: set[int] = set()
        special: set = set()
        for item in items:
            self.item(index, item, values, special)
        return values, special

    def item(self, index: int, item: str, values: set[int], special: set) -> None:
        name, lower = _FIELDS[index], item.lower()
        if not item:
            raise self.fail(f"{name} has an empty list item; write values between the commas")
        if _HASHED.fullmatch(lower):
            raise self.fail(f"{name} {quoted(item)}: H and R (hashed or random) fields are not supported in a plan; write a number")
        if index == _DAY and (found := _NEAREST.fullmatch(lower)):
            day = 31 if found[3] else self.number(index, found[1] or found[2], item)  # LW: croniter's 31W
            special.add((item, f"0 0 {day}W * *"))
            return
        if index == _DAY and lower == "l":
            special.add((item, _LAST_DAY))
            return
        if index == _WEEKDAY and "#" in item:
            body, _, nth = item.partition("#")
            if nth.lstrip("0") not in ("1", "2", "3", "4", "5"):
                raise self.fail(f"day of week {quoted(item)}: # takes 1 to 5, the week of the month (FRI#2, the second Friday)")
            special.update((item, f"0 0 * * {weekday}#{int(nth)}") for weekday in self.span(index, body, item, nth_of=True))
            return
        if index == _WEEKDAY and lower.startswith("l") and len(item) > 1:
            special.add((item, f"0 0 * * L{self.value(index, item[1:], item) % 7}"))
            return
        if index == _WEEKDAY and lower.endswith("l"):
            raise self.fail(
                f"day of week {quoted(item)}: for the last of a weekday in the month write L and the weekday, "
                "e.g. L5 or LFRI, the last Friday (Quartz's 5L counts weekdays from 1 = Sunday)"
            )
        values.update(self.span(index, item, item))

    def span(self, index: int, text: str, item: str, nth_of: bool = False) -> list[int]:
        """The values of ``A``, ``A-B``, ``*/S``, ``A/S`` or ``A-B/S`` (no step after ``#``)."""
        name = _FIELDS[index]
        low, high = _BOUNDS[index]
        body, slash, step_text = text.partition("/")
        step = 1
        if slash and nth_of:
            raise self.fail(f"{name} {quoted(item)}: # follows one weekday or a range of them, without a step")
        if slash:
            if not _DIGITS.fullmatch(step_text):
                raise self.fail(f"{name} {quoted(item)}: a step is a number after /, e.g. */15")
            step = int(step_text) if len(step_text) <= 9 else 10**9
            if step == 0:
                raise self.fail(f"{name} {quoted(item)}: a step of 0 never moves on; write 1 or more")
        if body == _ALL and not nth_of:
            first, last = low, high
        elif "-" in body:
            start, _, end = body.partition("-")
            first = self.value(index, start, item)
            last = high if index == _DAY and end.lower() == "l" else self.value(index, end, item)
            if index == _WEEKDAY and first == 7:
                first = 0  # Sunday at the start of a range
            if first == last:
                raise self.fail(
                    f"{name} {quoted(item)} is a range from a value to itself: other cron tools read it as that "
                    f"one value and croniter as every {name}; write the value alone, or *"
                )
            if first > last:  # wraps round: FRI-MON, 50-10
                if step != 1:
                    raise self.fail(f"{name} {quoted(item)}: tools step differently through a range that wraps round; list the values")
                return [v % 7 if index == _WEEKDAY else v for v in [*range(first, high + 1), *range(low, last + 1)]]
        else:
            first = self.value(index, body, item)
            if index == _WEEKDAY and first == 7:
                first = 0
            last = high if slash else first
        return [v % 7 if index == _WEEKDAY else v for v in range(first, last + 1, step)]

    def value(self, index: int, text: str, item: str) -> int:
        named = _NAMES[index].get(text.lower())
        if named is not None:
            return named
        if _DIGITS.fullmatch(text):
            return self.number(index, text, item)
        if index == _DAY and text.lower() == "l":
            raise self.fail(f"day of month {quoted(item)}: L, the last day, stands alone or ends a range (15-L)")
        kinds = {_MONTH: "a number or a month (JAN-DEC)", _WEEKDAY: "a number or a weekday (SUN-SAT)"}
        names = [name.upper() for name in _NAMES[index]]
        raise self.fail(
            f"{_FIELDS[index]} {quoted(item)} is not understood: {quoted(text)} is not {kinds.get(index, 'a number')}"
            f"{did_you_mean(text.upper()[:3], names) if names else ''}"
        )

    def number(self, index: int, text: str, item: str) -> int:
        low, high = _BOUNDS[index]
        if index == _WEEKDAY:
            high = 7
        digits = text.lstrip("0") or "0"
        number = int(digits) if len(digits) <= 9 else high + 1
        if not low <= number <= high:
            raise self.fail(f"{_FIELDS[index]} {quoted(item)} is out of range ({_SPELLED[index]})")
        return number
