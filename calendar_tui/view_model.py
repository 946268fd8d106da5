"""What the calendar shows, computed from a session: plain data for the widgets, no textual.

Widgets get their data as attributes (attributes down) from these functions; they never read
the plan themselves, so the rules for what appears on a day live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from balance.diagnostic import Diagnostic
from balance.mix import MixLimits, windows
from planner.model import Plan, Post

from calendar_tui.session import Session, Slot

MIX_CODES = ("MIX001", "MIX002", "MIX004")


@dataclass(frozen=True)
class Filters:
    """Which posts are shown; empty sets show everything."""

    channels: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    search: str = ""

    def shows(self, post: Post) -> bool:
        return (
            (not self.channels or post.channel in self.channels)
            and (not self.kinds or post.kind in self.kinds)
            and (not self.statuses or post.status in self.statuses)
            and (not self.owners or (post.owner or "") in self.owners)
            and (not self.search or self.search.casefold() in post.title.casefold())
        )

    @property
    def active(self) -> bool:
        return bool(self.channels or self.kinds or self.statuses or self.owners or self.search)

    def describe(self) -> str:
        parts = [", ".join(sorted(values)) for values in (self.channels, self.kinds, self.statuses, self.owners) if values]
        if self.search:
            parts.append(f'"{self.search}"')
        return " · ".join(parts)


@dataclass
class DayView:
    """One day as the calendar shows it."""

    day: date
    posts: list[Post] = field(default_factory=list)
    gaps: list[Slot] = field(default_factory=list)
    overloaded: bool = False
    in_mix_violation: bool = False
    findings: int = 0


def days_between(session: Session, first: date, last: date, filters: Filters) -> dict[date, DayView]:
    """Every day from ``first`` to ``last`` with its posts (filtered), gaps and marks."""
    views = {first + timedelta(days=n): DayView(first + timedelta(days=n)) for n in range((last - first).days + 1)}
    for post in session.plan.posts:
        view = views.get(post.day)
        if view is not None and filters.shows(post):
            view.posts.append(post)
    for view in views.values():
        view.posts.sort(key=lambda post: (post.ts, post.id))
    for slot in session.gaps:
        view = views.get(slot.at.date())
        if view is not None and (not filters.channels or slot.channel in filters.channels):
            view.gaps.append(slot)
    window = MixLimits.of(session.plan).window_days
    for diagnostic in session.diagnostics:
        if diagnostic.date is None:
            continue
        if diagnostic.code == "CAD002" and diagnostic.date in views:
            views[diagnostic.date].overloaded = True
        if diagnostic.code in MIX_CODES:
            for offset in range(window):
                marked = views.get(diagnostic.date + timedelta(days=offset))
                if marked is not None:
                    marked.in_mix_violation = True
        if diagnostic.date in views:
            views[diagnostic.date].findings += 1
    return views


def findings_between(diagnostics: list[Diagnostic], first: date, last: date) -> list[Diagnostic]:
    """Findings about days in the range, and plan-wide ones (no day), by day then code."""
    chosen = [d for d in diagnostics if d.date is None or first <= d.date <= last]
    return sorted(chosen, key=lambda d: (d.date or date.min, d.code, d.message))


@dataclass(frozen=True)
class Share:
    """One bar of the balance meter: a kind's share of a channel's posts in the window."""

    channel: str
    label: str
    share: float
    count: int
    total: int
    low: float | None
    high: float | None

    @property
    def ok(self) -> bool:
        return (self.high is None or self.share <= self.high + 1e-9) and (self.low is None or self.share >= self.low - 1e-9)


def balance_shares(plan: Plan, end: date) -> list[Share]:
    """Per channel, each limited kind's share in the window ending on ``end``."""
    limits = MixLimits.of(plan)
    keys = list(dict.fromkeys([*limits.max_share, *limits.min_share]))
    by_channel: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        if post.counts:
            by_channel[post.channel].append(post)
    shares = []
    for channel in plan.channels:
        window = None
        for window in windows(by_channel[channel], end, end, limits.window_days):
            pass
        total = window.total if window else 0
        for key in keys:
            count = window.count(limits.groups[key]) if window else 0
            shares.append(Share(channel, key, count / total if total else 0.0, count, total, limits.min_share.get(key), limits.max_share.get(key)))
    return shares
