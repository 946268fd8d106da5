"""What the calendar shows, computed from a session: plain data for the widgets, no textual.

Widgets get their data as attributes (attributes down) from these functions; they never read
the plan themselves, so the rules for what appears on a day live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from balance.diagnostic import Diagnostic
from balance.mix import MixLimits, over_max, under_min
from balance.text import printable
from planner.days_off import DayOff, days_off_between
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
            and (not self.search or matches(post, self.search))
        )

    def shows_slot(self, slot: Slot) -> bool:
        """An empty slot has a channel and nothing else: a search (or a status) matches none."""
        return not self.search and not self.statuses and (not self.channels or slot.channel in self.channels)

    @property
    def active(self) -> bool:
        return bool(self.channels or self.kinds or self.statuses or self.owners or self.search)

    def describe(self) -> str:
        """ 'search "launch" · filter: x · draft' as the title bar says it."""
        parts = [", ".join(sorted(values)) for values in (self.channels, self.kinds, self.statuses, self.owners) if values]
        described = [f'search "{self.search}"'] if self.search else []
        if parts:
            described.append("filter: " + " · ".join(parts))
        return " · ".join(described)


def matches(post: Post, text: str) -> bool:
    """A search hit: ``text`` (any case) in the post's title, body, id or tags."""
    needle = text.casefold()
    return any(needle in field.casefold() for field in (post.title, post.body or "", post.id, *post.tags))


def search(plan: Plan, text: str) -> list[Post]:
    """Every post of the plan that matches, in time order: the search covers the whole plan."""
    if not text.strip():
        return []
    return sorted((post for post in plan.posts if matches(post, text.strip())), key=lambda post: (post.ts, post.id))


@dataclass
class DayView:
    """One day as the calendar shows it."""

    day: date
    posts: list[Post] = field(default_factory=list)
    gaps: list[Slot] = field(default_factory=list)
    overloaded: bool = False
    in_mix_violation: bool = False
    findings: int = 0
    items: list[Post | Slot] = field(default_factory=list)  # posts and slots by time, then mark
    published: frozenset[str] = frozenset()  # ids of its posts with a publication record
    days_off: tuple[DayOff, ...] = ()  # its holidays, then its blackouts (of the channels shown)

    @property
    def day_off_label(self) -> str:
        """What the grid writes on a day off: "⊘" and the blackouts' reasons, then the holidays' names."""
        reasons = [day_off.name for day_off in self.days_off if day_off.what == "blackout"]
        names = [day_off.name for day_off in self.days_off if day_off.what == "holiday"]
        return printable(" · ".join([*(["⊘ " + " · ".join(reasons)] if reasons else []), *names]))  # one line, whatever the reason holds

    def signature(self) -> tuple:
        """What a day looks like: equal signatures draw the same."""
        return (
            self.day,
            tuple((post.id, post.ts, post.title, post.kind, post.channel, post.status) for post in self.posts),
            tuple((slot.channel, slot.ts) for slot in self.gaps),
            self.published,
            self.overloaded,
            self.in_mix_violation,
            self.days_off,
        )


@dataclass
class CalendarIndex:
    """A session's posts, open slots and marks by local day, built once per plan and findings.

    Drawing a month then touches its 42 days, not every post of the plan.
    """

    posts: dict[date, list[Post]]
    gaps: dict[date, list[Slot]]
    overloaded: set[date]
    mix_days: set[date]
    findings: dict[date, int]
    marks: dict[str, str]
    published: frozenset[str] = frozenset()
    plan: Plan | None = None  # for its holidays and blackouts

    @classmethod
    def of(cls, session: Session) -> "CalendarIndex":
        posts: dict[date, list[Post]] = defaultdict(list)
        for post in session.plan.posts:
            posts[post.day].append(post)
        for day_posts in posts.values():
            day_posts.sort(key=lambda post: (post.ts, post.id))
        gaps: dict[date, list[Slot]] = defaultdict(list)
        for slot in session.gaps:
            gaps[slot.at.date()].append(slot)
        window = MixLimits.of(session.plan).window_days
        overloaded, mix_days, findings = set(), set(), defaultdict(int)
        for diagnostic in session.diagnostics:
            if diagnostic.date is None:
                continue
            findings[diagnostic.date] += 1
            if diagnostic.code == "CAD002":
                overloaded.add(diagnostic.date)
            if diagnostic.code in MIX_CODES:
                mix_days.update(diagnostic.date + timedelta(days=offset) for offset in range(window))
        marks = {name: channel.mark for name, channel in session.plan.channels.items()}
        return cls(dict(posts), dict(gaps), overloaded, mix_days, dict(findings), marks, session.published(), session.plan)


def days_between(index: CalendarIndex, first: date, last: date, filters: Filters) -> dict[date, DayView]:
    """Every day from ``first`` to ``last`` with its posts (filtered), gaps and marks."""
    views = {}
    marks = index.marks
    days_off: dict[date, list[DayOff]] = defaultdict(list)
    for day_off in days_off_between(index.plan, first, last, tuple(filters.channels)) if index.plan else ():
        for offset in range((min(day_off.last, last) - max(day_off.first, first)).days + 1):
            days_off[max(day_off.first, first) + timedelta(days=offset)].append(day_off)
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        posts = [post for post in index.posts.get(day, ()) if filters.shows(post)]
        gaps = [slot for slot in index.gaps.get(day, ()) if filters.shows_slot(slot)]
        items: list[Post | Slot] = [*posts, *gaps]
        if gaps:  # an empty slot takes its place among the posts: by time, then mark
            items.sort(key=lambda item: (item.ts, marks.get(item.channel, ""), isinstance(item, Slot)))
        published = frozenset(post.id for post in posts if post.id in index.published) if index.published else frozenset()
        views[day] = DayView(
            day, posts, gaps, day in index.overloaded, day in index.mix_days, index.findings.get(day, 0), items, published, tuple(days_off.get(day, ())),
        )
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
    judged: bool = True  # False: too few posts in the window for the mix rules to judge

    @property
    def ok(self) -> bool:
        if not self.judged:
            return True
        too_high = self.high is not None and over_max(self.count, self.total, self.high)
        return not too_high and not (self.low is not None and under_min(self.count, self.total, self.low))


def balance_shares(plan: Plan, index: CalendarIndex, end: date) -> list[Share]:
    """Per channel, each limited kind's share in the window ending on ``end``."""
    limits = MixLimits.of(plan)
    keys = list(dict.fromkeys([*limits.max_share, *limits.min_share]))
    counts: dict[str, dict[str, int]] = {channel: defaultdict(int) for channel in plan.channels}
    for offset in range(limits.window_days):
        for post in index.posts.get(end - timedelta(days=offset), ()):
            if post.counts:
                counts[post.channel][post.kind] += 1
    shares = []
    for channel, by_kind in counts.items():
        total = sum(by_kind.values())
        for key in keys:
            count = sum(by_kind[kind] for kind in limits.groups[key])
            shares.append(Share(
                channel, key, count / total if total else 0.0, count, total,
                limits.min_share.get(key), limits.max_share.get(key), judged=limits.judges(total),
            ))
    return shares
