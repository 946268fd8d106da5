"""What changed in the schedule between two versions of a plan: posts, findings and the mix.

Posts are matched by id. A post is added, removed, or changed; a changed post may have moved
(a new time) and may have new values. Findings are matched by their fingerprint (the rule and
what it is about, as SARIF uses it), never by line, so a finding that only moved down the file
is neither new nor fixed. The mix is compared per channel over the days around that channel's
changes, padded on both sides to at least one mix window; each owner's hours needed, per ISO
week the changes touch.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter
from datetime import date, timedelta
from typing import Any, Iterable

from balance.capacity import iso_week, loads, monday
from balance.diagnostic import Diagnostic
from balance.mix import MixLimits
from planner.model import Plan, Post
from planner.planfile import UnreadableInput, read_input

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


@dataclass(frozen=True, slots=True)
class LoadChange:
    """An owner's hours needed in an ISO week, before and after (``hours``: theirs, if set)."""

    owner: str
    week: str
    hours: float | None
    before: float
    after: float

    @property
    def over(self) -> bool:
        return self.hours is not None and self.after > self.hours


@dataclass(frozen=True)
class PlanDiff:
    """Everything ``cadence diff`` reports, for any output format."""

    old: str  # how each side is named: a path, or REV:path
    new: str
    posts: tuple[PostChange, ...]  # by day, time and id
    new_findings: tuple[Diagnostic, ...]
    fixed_findings: tuple[Diagnostic, ...]
    mix: tuple[ChannelMix, ...]
    loads: tuple[LoadChange, ...] = ()  # by week and owner

    def by_day(self) -> list[tuple[date, list[PostChange]]]:
        days: dict[date, list[PostChange]] = {}
        for change in self.posts:
            days.setdefault(change.day, []).append(change)
        return list(days.items())

    def counts(self) -> dict[str, int]:
        """Each post once: added, removed, moved (a new time, and perhaps new values) or changed
        (new values at the same time); ``moved_and_changed`` says how many of the moved have new
        values too, so added + removed + moved + changed is the number of posts."""
        counted = Counter(change.change for change in self.posts)
        moved = [change for change in self.posts if change.moved]
        return {
            "added": counted["added"],
            "removed": counted["removed"],
            "moved": len(moved),
            "changed": counted["changed"] - len(moved),
            "moved_and_changed": sum(1 for change in moved if change.fields or change.others),
        }


def compare(old: Plan, new: Plan, old_findings: list[Diagnostic], new_findings: list[Diagnostic]) -> PlanDiff:
    """The difference between two plans and the findings of each."""
    posts = compare_posts(old, new)
    appeared, fixed = compare_findings(old_findings, new_findings)
    return PlanDiff(
        old.path, new.path, tuple(posts), tuple(appeared), tuple(fixed), tuple(compare_mix(old, new, posts)), tuple(compare_loads(old, new, posts))
    )


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


# Everything a post says, but not where in the file it is written.
_content = attrgetter("ts", "at", *SHOWN_FIELDS, *OTHER_FIELDS)


def compare_findings(old: Iterable[Diagnostic], new: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(new, fixed): findings of one side whose fingerprint the other side lacks (as often)."""
    return _unmatched(new, old), _unmatched(old, new)


def _unmatched(these: Iterable[Diagnostic], others: Iterable[Diagnostic]) -> list[Diagnostic]:
    return _subtract(these, (diagnostic.fingerprint for diagnostic in others), lambda diagnostic: diagnostic.fingerprint)[0]


def compare_mix(old: Plan, new: Plan, changes: list[PostChange]) -> list[ChannelMix]:
    """Per channel a change touches, its counting posts per kind before and after."""
    days: dict[str, list[date]] = defaultdict(list)
    for change in changes:
        for post in (change.old, change.new):
            if post is not None:
                days[post.channel].append(post.day)
    window = MixLimits.of(new).window_days
    spans = {}
    for channel, changed in days.items():
        first, last = min(changed), max(changed)
        short = max(0, window - ((last - first).days + 1))
        spans[channel] = (first - timedelta(days=short // 2), last + timedelta(days=short - short // 2))
    before, after = _kind_counts(old, spans), _kind_counts(new, spans)
    return [
        ChannelMix(
            channel, first, last,
            tuple(KindShare(kind, before[channel][kind], after[channel][kind]) for kind in sorted(before[channel].keys() | after[channel].keys())),
        )
        for channel, (first, last) in sorted(spans.items())
    ]


def _kind_counts(plan: Plan, spans: dict[str, tuple[date, date]]) -> dict[str, Counter]:
    """Counting posts per kind of each channel within its span, in one pass over the plan."""
    counts: dict[str, Counter] = {channel: Counter() for channel in spans}
    for post in plan.posts:
        span = spans.get(post.channel)
        if span and span[0] <= post.day <= span[1] and post.counts:
            counts[post.channel][post.kind] += 1
    return counts


def compare_loads(old: Plan, new: Plan, changes: list[PostChange]) -> list[LoadChange]:
    """Each owner's load in the ISO weeks the changes touch, where it changed."""
    weeks = {monday(post.day) for change in changes for post in (change.old, change.new) if post is not None}
    if not weeks:
        return []

    def needed(plan: Plan) -> dict[tuple[str, date], float]:
        in_weeks = (post for post in plan.posts if monday(post.day) in weeks)
        return {key: load.needed for key, load in loads(plan, in_weeks).items()}

    before, after = needed(old), needed(new)
    return [
        LoadChange(owner, iso_week(week), new.hours.get(owner), before.get((owner, week), 0.0), after.get((owner, week), 0.0))
        for week, owner in sorted((week, owner) for owner, week in before.keys() | after.keys())
        if before.get((owner, week), 0.0) != after.get((owner, week), 0.0)
    ]


class BaselineError(ValueError):
    """A saved baseline that cannot be used; the message is one line for the user."""


def baseline_from_json(path: str) -> list[tuple[str, str]]:
    """The (path, fingerprint) of each finding in a saved ``cadence check --format json``."""
    try:
        document = json.loads(read_input(path))
    except UnreadableInput as error:
        raise BaselineError(f"--baseline {error}") from None
    except ValueError as error:
        raise BaselineError(f"--baseline {path}: not JSON ({error})") from None
    diagnostics = document.get("diagnostics") if isinstance(document, dict) else None
    if not isinstance(diagnostics, list) or not all(isinstance(d, dict) and "fingerprint" in d and "path" in d for d in diagnostics):
        raise BaselineError(f"--baseline {path}: not the output of `cadence check --format json` (no diagnostics with fingerprints)")
    return [(str(d["path"]), str(d["fingerprint"])) for d in diagnostics]


def against_baseline(diagnostics: Iterable[Diagnostic], baseline: Iterable[tuple[str, str]], by_path: bool = True) -> tuple[list[Diagnostic], int]:
    """The findings the baseline does not have, and how many it hides.

    Matched by fingerprint, and by path too (normalised) when ``by_path``: with one plan checked
    the path does not matter, so a result saved from another folder, or of a renamed plan, still works.
    """
    def key(path: str, fingerprint: str) -> tuple[str, str]:
        return (os.path.normpath(path) if by_path else "", fingerprint)

    keys = [key(path, fingerprint) for path, fingerprint in baseline]
    return _subtract(diagnostics, keys, lambda diagnostic: key(diagnostic.path, diagnostic.fingerprint))


def _subtract(diagnostics: Iterable[Diagnostic], keys: Iterable, key_of) -> tuple[list[Diagnostic], int]:
    """The diagnostics whose key is not among ``keys`` (each key matches once), and how many were."""
    left = Counter(keys)
    kept, matched = [], 0
    for diagnostic in diagnostics:
        key = key_of(diagnostic)
        if left[key] > 0:
            left[key] -= 1
            matched += 1
        else:
            kept.append(diagnostic)
    return kept, matched
