"""What changed in the schedule between two versions of a plan: posts, findings and the mix.

Posts are matched by id. A post is added, removed, or changed; a changed post may have moved
(a new time) and may have new values. Findings are matched by their fingerprint (the rule and
what it is about, as SARIF uses it), never by line, so a finding that only moved down the file
is neither new nor fixed. The mix is compared per channel over the days around that channel's
changes, padded on both sides to at least one mix window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from balance.diagnostic import Diagnostic
from balance.mix import MixLimits
from planner.model import Plan, Post

SHOWN_FIELDS = ("title", "kind", "status", "owner", "channel", "audience")  # old and new values shown
OTHER_FIELDS = ("body", "link", "approved_by", "tags", "ignore", "idea", "x")  # only named


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class PostChange:
    """One post that differs: ``added`` (old is None), ``removed`` (new is None) or ``changed``."""

    change: str
    old: Post | None
    new: Post | None
    fields: tuple[FieldChange, ...] = ()  # values of SHOWN_FIELDS that changed
    others: tuple[str, ...] = ()  # names of OTHER_FIELDS that changed

    @property
    def post(self) -> Post:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def id(self) -> str:
        return self.post.id

    @property
    def day(self) -> date:
        """The local day it is listed under: where it is now, or where it was if removed."""
        return self.post.day

    @property
    def moved(self) -> bool:
        return self.old is not None and self.new is not None and (self.old.ts, self.old.at) != (self.new.ts, self.new.at)

    def sort_key(self) -> tuple:
        return (self.day, self.post.ts, self.id)


@dataclass(frozen=True, slots=True)
class KindShare:
    kind: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class ChannelMix:
    """A channel's posts per kind, before and after, over ``first``..``last`` (local days)."""

    channel: str
    first: date
    last: date
    kinds: tuple[KindShare, ...]

    @property
    def before(self) -> int:
        return sum(share.before for share in self.kinds)

    @property
    def after(self) -> int:
        return sum(share.after for share in self.kinds)


@dataclass(frozen=True)
class PlanDiff:
    """Everything ``cadence diff`` reports, for any output format."""

    old: str  # how each side is named: a path, or REV:path
    new: str
    posts: tuple[PostChange, ...]  # by day, time and id
    new_findings: tuple[Diagnostic, ...]
    fixed_findings: tuple[Diagnostic, ...]
    mix: tuple[ChannelMix, ...]

    def by_day(self) -> list[tuple[date, list[PostChange]]]:
        days: dict[date, list[PostChange]] = {}
        for change in self.posts:
            days.setdefault(change.day, []).append(change)
        return list(days.items())

    def counts(self) -> dict[str, int]:
        counted = Counter(change.change for change in self.posts)
        return {
            "added": counted["added"],
            "removed": counted["removed"],
            "moved": sum(1 for change in self.posts if change.moved),
            "changed": sum(1 for change in self.posts if change.fields or change.others),
        }


def compare(old: Plan, new: Plan, old_findings: list[Diagnostic], new_findings: list[Diagnostic]) -> PlanDiff:
    """The difference between two plans and the findings of each."""
    posts = compare_posts(old, new)
    appeared, fixed = compare_findings(old_findings, new_findings)
    return PlanDiff(old.path, new.path, tuple(posts), tuple(appeared), tuple(fixed), tuple(compare_mix(old, new, posts)))


def compare_posts(old: Plan, new: Plan) -> list[PostChange]:
    before = {post.id: post for post in old.posts}
    changes = []
    for post in new.posts:
        was = before.pop(post.id, None)
        if was is None:
            changes.append(PostChange("added", None, post))
        elif _content(was) != _content(post):
            fields = tuple(
                FieldChange(name, getattr(was, name), getattr(post, name))
                for name in SHOWN_FIELDS
                if getattr(was, name) != getattr(post, name)
            )
            others = tuple(name for name in OTHER_FIELDS if getattr(was, name) != getattr(post, name))
            changes.append(PostChange("changed", was, post, fields, others))
    changes.extend(PostChange("removed", post, None) for post in before.values())
    changes.sort(key=PostChange.sort_key)
    return changes


def _content(post: Post) -> tuple:
    """Everything a post says, but not where in the file it is written."""
    return (post.ts, post.at, *(getattr(post, name) for name in SHOWN_FIELDS), *(getattr(post, name) for name in OTHER_FIELDS))


def compare_findings(old: Iterable[Diagnostic], new: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(new, fixed): findings of one side whose fingerprint the other side lacks (as often)."""
    return _unmatched(new, old), _unmatched(old, new)


def _unmatched(these: Iterable[Diagnostic], others: Iterable[Diagnostic]) -> list[Diagnostic]:
    left = Counter(diagnostic.fingerprint for diagnostic in others)
    unmatched = []
    for diagnostic in these:
        if left[diagnostic.fingerprint] > 0:
            left[diagnostic.fingerprint] -= 1
        else:
            unmatched.append(diagnostic)
    return unmatched


def compare_mix(old: Plan, new: Plan, changes: list[PostChange]) -> list[ChannelMix]:
    """Per channel a change touches, its counting posts per kind before and after."""
    days: dict[str, list[date]] = defaultdict(list)
    for change in changes:
        for post in (change.old, change.new):
            if post is not None:
                days[post.channel].append(post.day)
    window = MixLimits.of(new).window_days
    mixes = []
    for channel in sorted(days):
        first, last = min(days[channel]), max(days[channel])
        short = max(0, window - ((last - first).days + 1))
        first, last = first - timedelta(days=short // 2), last + timedelta(days=short - short // 2)
        before, after = _kind_counts(old, channel, first, last), _kind_counts(new, channel, first, last)
        kinds = sorted(before.keys() | after.keys())
        mixes.append(ChannelMix(channel, first, last, tuple(KindShare(kind, before[kind], after[kind]) for kind in kinds)))
    return mixes


def _kind_counts(plan: Plan, channel: str, first: date, last: date) -> Counter:
    return Counter(post.kind for post in plan.posts if post.channel == channel and post.counts and first <= post.day <= last)
