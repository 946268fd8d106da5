"""Cadence slots: the instants at which a channel's cron expressions ask for a post.

croniter parses and validates the expressions, but expanding slots with its ``get_next`` costs
about 40 µs a slot and follows neither rule of our daylight-saving policy (it gives 03:00 for
a missing 02:30 and fires twice on a repeated hour). So slots are expanded here, day by day,
from croniter's expanded field sets: each matching local day yields each of its wall times
exactly once, converted by :func:`planner.localtime.instant`. Expressions using features
whose field sets croniter does not expand (``W``, ``#``, ``L`` in the weekday field) are
walked with croniter itself over naive wall-clock times, which is DST-free and then converted
by the same rule. Tests check the fast path against croniter on random expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.localtime import instant

class CronError(ValueError):
    """A cron expression that cannot be a cadence."""


@dataclass(frozen=True)
class Cron:
    """A parsed five-field cron expression, read in the plan's time zone."""

    expr: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    month_days: frozenset[int] | None  # None: any day; 32 stands for "L", the last day
    months: frozenset[int]
    weekdays: frozenset[int] | None  # cron numbering, Sunday = 0; None: any day
    walk_with_croniter: bool  # features the fast path does not expand

    @classmethod
    def parse(cls, expr: str) -> "Cron":
        """Parse and validate ``expr``; raise :class:`CronError` with a message for people."""
        from croniter import croniter

        fields = expr.split()
        if len(fields) != 5 and not (len(fields) == 1 and expr.strip().startswith("@")):
            raise CronError(
                f"cron expression {expr!r} has {len(fields)} fields; a cadence needs 5 "
                "(minute hour day-of-month month day-of-week), e.g. \"0 10 * * MON,WED,FRI\""
            )
        try:
            parsed = croniter(expr)
        except Exception as error:  # croniter raises several unrelated types
            raise CronError(f"cron expression {expr!r} is not valid: {_croniter_reason(error)}") from None
        minutes, hours, month_days, months, weekdays = parsed.expanded[:5]
        # "#" (nth weekday) and "W" (nearest weekday) are not in croniter's expanded sets
        special = bool(parsed.nth_weekday_of_month) or (len(fields) == 5 and "W" in fields[2].upper())
        return cls(
            expr=expr,
            minutes=tuple(range(60)) if minutes == ["*"] else tuple(minutes),
            hours=tuple(range(24)) if hours == ["*"] else tuple(hours),
            month_days=None if month_days == ["*"] else frozenset(32 if d == "l" else d for d in month_days),
            months=frozenset(range(1, 13)) if months == ["*"] else frozenset(months),
            weekdays=None if weekdays == ["*"] else frozenset(d % 7 for d in weekdays),
            walk_with_croniter=special,
        )

    def matches_day(self, day: date) -> bool:
        """Whether ``day`` is one of this expression's days (cron's "either" rule for day fields)."""
        if day.month not in self.months:
            return False
        month_days, weekdays = self.month_days, self.weekdays
        if month_days is None and weekdays is None:
            return True
        by_weekday = weekdays is not None and day.toordinal() % 7 in weekdays
        by_month_day = month_days is not None and (
            day.day in month_days or (32 in month_days and (day + timedelta(days=1)).day == 1)
        )
        return by_weekday or by_month_day

    def slots(self, first: date, last: date, tz: ZoneInfo) -> list[int]:
        """Instants (UTC seconds) of every slot on local days ``first``..``last``, each once, in order.

        Slots are a set of instants: on a spring-forward day a missing wall time (02:00) moves
        onto a later one that may be a slot of its own (03:00), and is then the same slot.
        """
        if self.walk_with_croniter:
            found = [instant(wall, tz) for wall in self._walk(first, last)]
        else:
            found = self._expand(first, last, tz)
        return sorted(set(found))

    def _expand(self, first: date, last: date, tz: ZoneInfo) -> list[int]:
        times = [(h, m) for h in self.hours for m in self.minutes]
        found: list[int] = []
        for ordinal in self._day_ordinals(first.toordinal(), last.toordinal()):
            day = date.fromordinal(ordinal)
            y, mo, d = day.year, day.month, day.day
            found.extend(int(datetime(y, mo, d, h, m, tzinfo=tz).timestamp()) for h, m in times)
        return found

    def _day_ordinals(self, first: int, last: int) -> list[int]:
        """Ordinals of the matching days; plain weekday cadences step a week at a time."""
        if self.month_days is None and self.weekdays is not None and len(self.months) == 12:
            ordinals = []
            for weekday in self.weekdays:
                start = first + (weekday - first % 7) % 7  # ordinal % 7 is cron's weekday (Sunday 0)
                ordinals.extend(range(start, last + 1, 7))
            return sorted(ordinals)
        return [o for o in range(first, last + 1) if self.matches_day(date.fromordinal(o))]

    def _walk(self, first: date, last: date):
        from croniter import croniter

        end = datetime(last.year, last.month, last.day) + timedelta(days=1)
        walker = croniter(self.expr, datetime(first.year, first.month, first.day) - timedelta(minutes=1))
        while (wall := walker.get_next(datetime)) < end:
            yield wall


def _croniter_reason(error: Exception) -> str:
    text = str(error)
    if "hash_id" in text:
        return "H (hashed) fields are not supported in a plan"
    if "out of range" in text:
        return "a value is out of range (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7 or SUN-SAT)"
    if "not acceptable" in text:
        return "a field is not understood; use numbers, names (MON, JAN), ranges, lists and steps"
    return text


def expand(crons: tuple[Cron, ...], first: date, last: date, tz: ZoneInfo) -> list[int]:
    """The union of several expressions' slots, each instant once, in time order."""
    if len(crons) == 1:
        return crons[0].slots(first, last, tz)
    return sorted({ts for cron in crons for ts in cron.slots(first, last, tz)})
