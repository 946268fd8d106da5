"""The plan as plain, frozen data: what the loader builds and every other layer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.cadence import Cron
from planner.source import SourceIndex

STATUSES = ("idea", "draft", "review", "approved", "scheduled", "published", "skipped")
DEFAULT_STATUS = "draft"  # a post's status when the plan gives none
FLAGS = ("useful", "promotional", "conversation")  # also usable in [balance] for all kinds with the flag
# [balance] preset: the mix limits of well-known practice, by flag; the plan's own keys win.
# Their sources are in balance.rules.mix and docs/mix-presets.md.
MIX_PRESETS: dict[str, dict[str, dict[str, float | int]]] = {
    # 80% inform, educate or entertain; at most 20% promotion
    "80-20": {"max_share": {"promotional": 0.2}},
    # of every six posts: four useful (others' or your own), one soft and one hard promotion
    "4-1-1": {"max_share": {"promotional": 1 / 6}, "min_share": {"useful": 4 / 6}, "max_streak": {"promotional": 1}},
    # a third promotion, a third shared ideas, a third conversation; conversation is left to
    # MIX004's count, as a strict third of it breaks most windows of even a perfect rotation
    "thirds": {"max_share": {"promotional": 1 / 3}, "min_share": {"useful": 1 / 3}},
}
ON_HOLIDAY = ("keep", "skip")  # what a channel's slot on a public holiday does; the first is the default


@dataclass(frozen=True, slots=True)
class Kind:
    """A content pillar. Its flags drive the mix rules."""

    name: str
    label: str
    useful: bool = False
    promotional: bool = False
    conversation: bool = False
    needs_approval: tuple[str, ...] = ()
    needs_link: bool = False
    color: str | None = None
    effort: timedelta | None = None  # the work one post of this kind takes (PLN005)


@dataclass(frozen=True, slots=True)
class Channel:
    """A place the team publishes to, and the cadence it promises there."""

    name: str
    label: str
    cadence: tuple[Cron, ...] | None = None  # None: no cadence written; (): `cadence = []`
    tolerance: timedelta = timedelta(hours=3)
    max_per_day: int | None = None
    max_silence: timedelta | None = None
    min_spacing: timedelta = timedelta(hours=1)
    owner: str | None = None
    mark: str = ""
    kinds: tuple[str, ...] = ()  # the kinds it may carry; empty: any (PUB008)
    network: str | None = None  # a name of planner.networks.NETWORKS: its limits apply (PUB009, PUB010)
    on_holiday: str = ON_HOLIDAY[0]  # "skip": its slots on the plan's holidays are no slots


@dataclass(frozen=True, slots=True)
class Goal:
    """A measurable target; any of its parts may be missing (PLN001 says so)."""

    index: int
    metric: str | None
    channel: str | None
    target: float | None
    by: date | None
    baseline: float | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """One planned post. ``ts`` is its instant (UTC seconds); ``at`` its local time."""

    index: int  # position among the file's [[post]] tables
    id: str
    at: datetime
    ts: int
    day: date
    channel: str
    kind: str
    title: str
    body: str = ""
    status: str = DEFAULT_STATUS
    owner: str | None = None
    link: str | None = None
    approved_by: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ignore: frozenset[str] = frozenset()
    x: dict[str, Any] = field(default_factory=dict, compare=False)
    idea: str | None = None  # the backlog idea this post was made from
    audience: str | None = None  # one of the plan's audiences

    @property
    def counts(self) -> bool:
        """A skipped post fills no slot and adds to no day, streak or share."""
        return self.status != "skipped"


def idea_post(idea: "BacklogIdea", channel: str) -> Post:
    """A post of a backlog idea's text on ``channel``, at no particular time: what the checks
    of a post's text alone (a network's limits) are asked of an idea."""
    epoch = datetime(1970, 1, 1)
    return Post(index=-1, id=idea.id, at=epoch, ts=0, day=epoch.date(), channel=channel, kind=idea.kind, title=idea.title, body=idea.body, tags=idea.tags)


class loaded_post:  # noqa: N801 - called like a function: it makes a Post
    """``Post(...)`` for the loader, which has checked every field and gives all of them, in
    Post's order (the hot path passes them by position).

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; this class
    has Post's very slots and no guard, so its ``__init__`` stores them at the interpreter's
    plain speed (a third of the cost), then makes the object the Post it is laid out as.
    """

    __slots__ = Post.__slots__

    def __init__(
        self, index: int, id: str, at: datetime, ts: int, day: date, channel: str, kind: str, title: str, body: str, status: str,
        owner: str | None, link: str | None, approved_by: tuple[str, ...], tags: tuple[str, ...], ignore: frozenset[str],
        x: dict[str, Any], idea: str | None, audience: str | None,
    ):
        self.index = index
        self.id = id
        self.at = at
        self.ts = ts
        self.day = day
        self.channel = channel
        self.kind = kind
        self.title = title
        self.body = body
        self.status = status
        self.owner = owner
        self.link = link
        self.approved_by = approved_by
        self.tags = tags
        self.ignore = ignore
        self.x = x
        self.idea = idea
        self.audience = audience
        self.__class__ = Post  # allowed: the same slots in the same layout


@dataclass(frozen=True, slots=True)
class BacklogIdea:
    """An evergreen idea that can fill a gap."""

    index: int
    id: str
    kind: str
    title: str
    body: str = ""
    channels: tuple[str, ...] = ()  # empty: any channel
    cooldown: timedelta | None = None
    tags: tuple[str, ...] = ()
    recycle_after: timedelta | None = None  # after a post made from it, on any channel, not suggested again for this long
    max_uses: int | None = None  # posts made from it, in the whole plan, after which it is never suggested
    expires: date | None = None  # the last local day it may be suggested for


@dataclass(frozen=True, slots=True)
class Blackout:
    """``[[blackout]]``: local days, ``first`` to ``last`` inclusive, when some posts must not go out."""

    index: int
    first: date
    last: date
    reason: str
    channels: tuple[str, ...] = ()  # empty: every channel
    kinds: tuple[str, ...] = ()  # kind names or flags; empty: every kind, so the channels' slots are off too

    def applies(self, channel: str, kind: Kind) -> bool:
        """Whether this blackout keeps posts of ``kind`` on ``channel`` from going out (on its days)."""
        return (not self.channels or channel in self.channels) and (
            not self.kinds or kind.name in self.kinds or any(getattr(kind, flag) for flag in FLAGS if flag in self.kinds)
        )


@dataclass(frozen=True, slots=True)
class Balance:
    """The mix limits of ``[balance]``, per kind name."""

    window: timedelta | None = None
    max_share: dict[str, float] = field(default_factory=dict)
    min_share: dict[str, float] = field(default_factory=dict)
    max_streak: dict[str, int] = field(default_factory=dict)
    min_count: dict[str, int] = field(default_factory=dict)
    min_posts: int | None = None
    preset: str | None = None  # a name of MIX_PRESETS


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """``[rules]``: which rules run, at what severity, with which settings."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole content plan, as read from one file."""

    path: str
    name: str
    timezone: str
    tz: ZoneInfo
    start: date
    end: date
    objective: str = ""
    audiences: tuple[str, ...] = ()
    max_per_day: int | None = None
    outcomes: str | None = None  # the outcomes store, relative to the plan's folder
    goals: tuple[Goal, ...] = ()
    review: tuple[Cron, ...] = ()
    kinds: dict[str, Kind] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    networks: dict[str, Any] = field(default_factory=dict)  # [networks.NAME]: planner.networks.NetworkLimits with the plan's keys
    balance: Balance = field(default_factory=Balance)
    banned: tuple[str, ...] = ()
    team: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)  # hours a week, per team member who says
    rules: RulesConfig = field(default_factory=RulesConfig)
    posts: tuple[Post, ...] = ()
    backlog: tuple[BacklogIdea, ...] = ()
    holidays: dict[date, str] = field(default_factory=dict)  # the public holidays of [plan] holidays, by local day
    blackouts: tuple[Blackout, ...] = ()
    source: SourceIndex | None = field(default=None, compare=False, repr=False)

    def locate(self, path: tuple) -> tuple[int, int]:
        """Line and column in the plan file of a value, e.g. ``("post", 3, "at")``."""
        return self.source.locate(path) if self.source else (1, 1)
