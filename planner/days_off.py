"""Days off: the public holidays a plan names (``[plan] holidays``) and its ``[[blackout]]`` days.

Holidays come from the ``holidays`` package, imported only when a plan names a region: it
costs about 0.1 s, more than the whole of ``cadence check`` on a small plan. A region is a
country's ISO 3166-1 code ("ID", "DE"), or a country and one of its subdivisions as the
package names them ("DE-BY", "US-CA"). Every day here is a local day of the plan's time zone.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Callable
from zoneinfo import ZoneInfo

from planner.localtime import local
from planner.model import Blackout, Kind, Plan

MAX_REGIONS = 20  # countries and subdivisions one plan may name
MAX_BLACKOUTS = 1000  # [[blackout]] tables one plan may have
ENGLISH = ("en_US", "en_GB", "en")  # holiday names are in the first of these a country has


def region_problem(region: str) -> str | None:
    """Why ``region`` is no region the ``holidays`` package knows, or None if it is one.

    The package's registry names its countries without loading them; only the named country's
    module is loaded, for its subdivisions (``holidays.list_supported_countries`` loads all 250).
    """
    import holidays
    from holidays.registry import EntityLoader

    from planner.errors import did_you_mean

    countries = set(EntityLoader.get_country_codes())
    country, dash, subdivision = region.partition("-")
    if dash and not subdivision:
        return f"holiday region {region[:40]!r} ends in a dash: write a country (\"ID\") or a country and a subdivision (\"DE-BY\")"
    if country not in countries:
        shown = region if len(region) <= 40 else f"{region[:40]}..."
        return f"unknown holiday country {shown!r}: use an ISO 3166 code such as \"ID\" or \"DE-BY\"{did_you_mean(country.upper(), countries)}"
    subdivisions = getattr(holidays, country).subdivisions
    if subdivision and subdivision not in subdivisions:
        known = ", ".join(f"{country}-{name}" for name in subdivisions) or f"none: use \"{country}\""
        return f"{country} has no subdivision {subdivision!r} for holidays{did_you_mean(subdivision, subdivisions)} (known: {known})"
    return None


def holidays_between(regions: tuple[str, ...], first: date, last: date) -> dict[date, str]:
    """The public holidays of ``regions`` (checked by :func:`region_problem`) from ``first`` to
    ``last``, each day's names joined; a region is named after each only when there are several."""
    if not regions:
        return {}
    import holidays

    names: dict[date, list[str]] = {}
    for region in regions:
        country, _, subdivision = region.partition("-")
        # in English where the package has it, else in the country's own language: never the
        # language of the machine's locale, which the package reads when none is given
        spoken = getattr(holidays, country).supported_languages
        language = next((code for code in ENGLISH if code in spoken), None) or getattr(holidays, country).default_language
        calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=range(first.year, last.year + 1), language=language)
        for day, name in calendar.items():
            if first <= day <= last:
                for one in name.split("; "):
                    shown = f"{one} ({region})" if len(regions) > 1 else one
                    if shown not in names.setdefault(day, []):
                        names[day].append(shown)
    return {day: "; ".join(names[day]) for day in sorted(names)}


def channel_days_off(plan: Plan, channel: str) -> Callable[[date], bool] | None:
    """Whether a local day is a day off for ``channel``, or None when it has none: no slots on
    it, and no silence counted (CAD001, CAD003).

    A day is off on a public holiday when the channel says ``on_holiday = "skip"``, and in a
    blackout that covers the channel for every kind (one that names ``kinds`` leaves the slot
    to a post of another kind).
    """
    holidays = plan.holidays if plan.channels[channel].on_holiday == "skip" else {}
    firsts, lasts = _merged([(b.first, b.last) for b in plan.blackouts if not b.kinds and (not b.channels or channel in b.channels)])
    if not holidays and not firsts:
        return None

    def off(day: date) -> bool:
        at = bisect_right(firsts, day) - 1
        return day in holidays or (at >= 0 and day <= lasts[at])

    return off


def _merged(spans: list[tuple[date, date]]) -> tuple[list[date], list[date]]:
    """Overlapping or touching spans of days as one, in order: their first days and last days."""
    firsts: list[date] = []
    lasts: list[date] = []
    for first, last in sorted(spans):
        if lasts and first.toordinal() <= lasts[-1].toordinal() + 1:
            lasts[-1] = max(lasts[-1], last)
        else:
            firsts.append(first)
            lasts.append(last)
    return firsts, lasts


def open_slots(plan: Plan, channel: str, slots: list[int], tz: ZoneInfo) -> list[int]:
    """``slots`` (instants) of ``channel`` less those on its days off."""
    off = channel_days_off(plan, channel)
    if off is None:
        return slots
    return [ts for ts in slots if not off(local(ts, tz).date())]


class BlackoutIndex:
    """The blackout that keeps a post of a kind on a channel from going out on a day, in
    logarithmic time: a plan may have 1,000 blackouts, each over years, and 100,000 posts.

    Per channel and kind, the blackouts that apply are sorted by first day, each with the one
    reaching furthest among it and those before it: a day is covered when that one reaches it.
    """

    def __init__(self, plan: Plan):
        self.blackouts = plan.blackouts
        self._applying: dict[tuple[str, str], tuple[list[date], list[Blackout]]] = {}

    def covering(self, day: date, channel: str, kind: Kind) -> Blackout | None:
        """A blackout that covers ``day`` for ``channel`` and ``kind`` (the one reaching furthest), or None."""
        if not self.blackouts:
            return None
        key = (channel, kind.name)
        if key not in self._applying:
            applying = sorted((b for b in self.blackouts if b.applies(channel, kind)), key=lambda b: (b.first, b.index))
            furthest: list[Blackout] = []
            for blackout in applying:
                furthest.append(blackout if not furthest or blackout.last > furthest[-1].last else furthest[-1])
            self._applying[key] = ([b.first for b in applying], furthest)
        firsts, furthest = self._applying[key]
        at = bisect_right(firsts, day) - 1
        return furthest[at] if at >= 0 and furthest[at].last >= day else None


@dataclass(frozen=True, slots=True)
class DayOff:
    """A holiday or a blackout as calendars and reports list it: local days ``first..last``."""

    first: date
    last: date
    what: str  # "holiday" or "blackout"
    name: str  # the holiday's name, the blackout's reason
    channels: tuple[str, ...] = ()  # a blackout's; empty: every channel
    kinds: tuple[str, ...] = ()  # a blackout's kinds or flags; empty: every kind

    @property
    def line(self) -> str:
        """``2027-03-08..2027-03-09 blackout: Nyepi (instagram; promotional)``: one line of plan text."""
        scope = "; ".join(", ".join(names) for names in (self.channels, self.kinds) if names)
        return f"{span(self.first, self.last)} {self.what}: {self.name}" + (f" ({scope})" if scope else "")


def span(first: date, last: date) -> str:
    """Days as messages show them: "2027-03-08", or "2027-03-08..2027-03-10"."""
    return f"{first}" if first == last else f"{first}..{last}"


def days_off_between(plan: Plan, first: date, last: date, channels: tuple[str, ...] | list[str] = ()) -> list[DayOff]:
    """The holidays and the blackouts (of any of ``channels``, if given) on days ``first..last``, in time order."""
    days = [DayOff(day, day, "holiday", name) for day, name in plan.holidays.items() if first <= day <= last]
    days += [
        DayOff(b.first, b.last, "blackout", b.reason, b.channels, b.kinds)
        for b in plan.blackouts
        if b.first <= last and first <= b.last and (not channels or not b.channels or set(b.channels) & set(channels))
    ]
    return sorted(days, key=lambda day: (day.first, day.what != "holiday", day.last))
