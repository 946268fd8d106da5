"""What happened against what was planned: the data of ``cadence report``, as plain dataclasses.

Per channel and ISO week: cadence slots, slots filled, posts planned, posts published and
posts missed. Per channel over the range: the mix actually published against the limits, the
median engagement per kind, followers at the start and the end. Plan-wide: each goal against
its straight-line path, the top and bottom posts by engagement, each owner's hours per ISO week
(when the plan gives hours or efforts), the posts per audience (when posts name one) and the
holidays and blackouts. The renderers
(``balance.report_render``) only lay this out.

Published and missed are OUT004's (``balance.goals.is_published``/``is_overdue``): with records
of the plan, a post is published when the store has its publication record, without any when its
status is ``published``; it is missed once its day plus ``publish_grace`` is past and it is not
published (skipped posts are not counted at all).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from balance.audience import AudienceShare, audience_spread
from balance.capacity import OwnerLoad, iso_week, week_loads
from balance.engine import CheckOptions, context_for
from balance.goals import goal_progress, is_overdue, is_published
from balance.mix import MixLimits, over_max, under_min
from planner.days_off import DayOff, days_off_between
from planner.model import Plan, Post
from planner.outcomes import Outcomes

RANKED = 3  # posts shown at the top and at the bottom


@dataclass(frozen=True)
class Week:
    """One ISO week of one channel (or the totals of the range, with ``week`` "total")."""

    week: str  # "2027-W01"
    first: date  # the week's first day inside the range
    last: date
    slots: int = 0
    filled: int = 0
    planned: int = 0
    published: int = 0
    missed: int = 0


@dataclass(frozen=True)
class MixShare:
    """A kind (or a flag group with a limit) in what was published, against its limits.

    Judged as ``cadence check`` judges a window (:mod:`balance.mix`): only from ``min_posts``
    published posts, with the same comparisons.
    """

    name: str
    published: int
    share: float | None  # None when nothing was published
    min_share: float | None = None
    max_share: float | None = None
    total: int = 0  # the channel's published posts
    judged: bool = False  # False: fewer than min_posts posts, too few to judge a share

    @property
    def within(self) -> bool:
        if not self.judged:
            return True
        too_high = self.max_share is not None and over_max(self.published, self.total, self.max_share)
        return not too_high and not (self.min_share is not None and under_min(self.published, self.total, self.min_share))


@dataclass(frozen=True)
class KindEngagement:
    kind: str
    posts: int  # published posts with figures
    median: float  # likes, comments, shares, saves and clicks


@dataclass(frozen=True)
class Followers:
    first_day: date
    first: float
    last_day: date
    last: float
    series: list[tuple[date, float]]

    @property
    def growth(self) -> float | None:
        return (self.last - self.first) / self.first if self.first else None


@dataclass(frozen=True)
class ChannelReport:
    name: str
    label: str
    weeks: list[Week]
    total: Week
    mix: list[MixShare]
    engagement: list[KindEngagement]
    followers: Followers | None
    min_posts: int  # the published posts from which the mix is judged


@dataclass(frozen=True)
class GoalReport:
    metric: str
    channel: str | None
    target: float
    by: date
    start: float | None = None  # None: nothing recorded yet
    value: float | None = None
    day: date | None = None
    expected: float | None = None
    reaches: date | None = None
    start_day: date | None = None
    series: list[tuple[date, float]] = field(default_factory=list)  # the records since the start

    @property
    def first_record(self) -> bool:
        """Whether the latest record is on the path's first day: a path and a trend need more."""
        return self.value is not None and self.day == self.start_day

    @property
    def on_track(self) -> bool | None:
        if self.value is None or self.expected is None or self.start is None or self.first_record:
            return None
        rising = self.target >= self.start
        return self.value >= self.expected if rising else self.value <= self.expected

    @property
    def done(self) -> float | None:
        if self.value is None or self.start is None or self.target == self.start:
            return None
        return (self.value - self.start) / (self.target - self.start)


@dataclass(frozen=True)
class RankedPost:
    post_id: str
    channel: str
    kind: str
    title: str
    at: datetime
    engagement: int
    reach: int | None


@dataclass(frozen=True)
class Report:
    plan: str  # the plan's name
    path: str
    first: date
    last: date
    today: date
    store: bool  # False: nothing recorded of the plan (no store, or none of its rows), so published means its status only
    channels: list[ChannelReport]
    goals: list[GoalReport]
    top: list[RankedPost] = field(default_factory=list)
    bottom: list[RankedPost] = field(default_factory=list)
    owners: list[OwnerLoad] = field(default_factory=list)  # by ISO week, then owner
    audiences: list[AudienceShare] = field(default_factory=list)
    days_off: list[DayOff] = field(default_factory=list)  # the holidays and blackouts of the range


def build_report(plan: Plan, outcomes: Outcomes | None, today: date, first: date | None = None, last: date | None = None) -> Report:
    """The report of ``plan`` over ``first..last`` (default: its horizon) as of ``today``."""
    context = context_for(plan, CheckOptions(first=first, last=last, suggestions=False), today)
    first, last = context.first, context.last
    records = outcomes or Outcomes()
    published = {post.id for post in context.posts if is_published(post, outcomes)}
    overdue = {post.id for post in context.posts if is_overdue(post, outcomes, today, context.settings["publish_grace"])}
    channels = [
        _channel(plan, name, context.by_channel[name], context.slots.get(name, []), set(context.gaps.get(name, [])),
                 published, overdue, records, first, last, context.mix)
        for name in plan.channels
    ]
    goals = [_goal(plan, goal, records, min(today, last)) for goal in plan.goals if goal.metric and goal.target is not None and goal.by]
    ranked = sorted(
        (
            RankedPost(post.id, post.channel, post.kind, post.title, post.at, figures.engagement, figures.reach)
            for post in context.posts
            if post.id in published and (figures := records.post_metrics.get(post.id)) is not None
        ),
        key=lambda row: (-row.engagement, row.at, row.post_id),
    )
    rest = ranked[RANKED:]  # the bottom never repeats a post of the top
    bottom = list(reversed(rest[-RANKED:]))
    owners = week_loads(plan, first, last) if plan.hours or any(kind.effort for kind in plan.kinds.values()) else []
    audiences = audience_spread(plan, context.posts) if any(post.audience for post in context.posts) else []
    days_off = days_off_between(plan, first, last)
    return Report(plan.name, plan.path, first, last, today, outcomes is not None, channels, goals, ranked[:RANKED], bottom, owners, audiences, days_off)


def _channel(plan, name, posts: list[Post], slots: list[int], gaps: set[int], published: set[str], overdue: set[str],
             records: Outcomes, first: date, last: date, limits: MixLimits) -> ChannelReport:
    weeks: dict[str, dict[str, int]] = {}
    bounds: dict[str, list[date]] = {}
    day = first
    while day <= last:
        key = iso_week(day)
        weeks.setdefault(key, defaultdict(int))
        bounds.setdefault(key, [day, day])[1] = day
        day += timedelta(days=1)
    for slot in slots:
        counts = weeks[iso_week(datetime.fromtimestamp(slot, plan.tz).date())]
        counts["slots"] += 1
        counts["filled"] += slot not in gaps
    for post in posts:
        counts = weeks[iso_week(post.day)]
        counts["planned"] += 1
        if post.id in published:
            counts["published"] += 1
        elif post.id in overdue:
            counts["missed"] += 1
    rows = [Week(key, *bounds[key], **counts) for key, counts in weeks.items()]
    total = Week("total", first, last, **{name: sum(getattr(row, name) for row in rows) for name in ("slots", "filled", "planned", "published", "missed")})
    out = [post for post in posts if post.id in published]
    return ChannelReport(
        name=name,
        label=plan.channels[name].label,
        weeks=rows,
        total=total,
        mix=_mix(limits, plan, out),
        engagement=_engagement(out, records),
        followers=_followers(records.series(name), first, last),
        min_posts=limits.min_posts,
    )


def _mix(limits: MixLimits, plan: Plan, posts: list[Post]) -> list[MixShare]:
    total = len(posts)
    names = list(plan.kinds) + [key for key in (*limits.max_share, *limits.min_share) if key not in plan.kinds]
    shares = []
    for name in dict.fromkeys(names):
        kinds = limits.groups.get(name, frozenset((name,)))
        count = sum(1 for post in posts if post.kind in kinds)
        shares.append(MixShare(
            name, count, count / total if total else None, limits.min_share.get(name), limits.max_share.get(name), total, limits.judges(total),
        ))
    return shares


def _engagement(posts: list[Post], records: Outcomes) -> list[KindEngagement]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for post in posts:
        figures = records.post_metrics.get(post.id)
        if figures is not None:
            by_kind[post.kind].append(figures.engagement)
    rows = [KindEngagement(kind, len(values), float(median(values))) for kind, values in by_kind.items()]
    return sorted(rows, key=lambda row: (-row.median, row.kind))


def _followers(series: list[tuple[date, float]], first: date, last: date) -> Followers | None:
    inside = [(day, value) for day, value in series if first <= day <= last]
    if not inside:
        return None
    return Followers(inside[0][0], inside[0][1], inside[-1][0], inside[-1][1], inside)


def _goal(plan: Plan, goal, records: Outcomes, today: date) -> GoalReport:
    progress = goal_progress(plan, goal, records, today)
    base = GoalReport(goal.metric, goal.channel, goal.target, goal.by)
    if progress is None:
        return base
    series = [(day, value) for day, value in records.series(progress.channel, goal.metric) if progress.start_day <= day <= progress.day]
    return GoalReport(
        goal.metric, goal.channel, goal.target, goal.by, progress.start_value, progress.value, progress.day,
        progress.expected, progress.reaches, progress.start_day, series,
    )

