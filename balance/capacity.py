"""Each owner's load: the hours their posts of an ISO week need, against the hours they have.

A post belongs to its ``owner``, or to its channel's owner when it names none (as PUB003
reads it). It needs its kind's ``effort``; a kind without one counts as unestimated. A
skipped post needs nothing. PLN005, ``cadence report`` and the app's side panel read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from planner.model import Plan, Post


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    """One owner's ISO week: ``needed`` hours of posts against ``hours`` (None: not set)."""

    owner: str
    week_start: date  # the Monday
    hours: float | None
    needed: float
    post_ids: tuple[str, ...]  # in time order
    unestimated: int = 0  # posts whose kind has no effort

    @property
    def over(self) -> bool:
        return self.hours is not None and self.needed > self.hours

    @property
    def week(self) -> str:
        return iso_week(self.week_start)


def iso_week(day: date) -> str:
    """The ISO week of a day as people write it: "2027-W01"."""
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def owner_of(plan: Plan, post: Post) -> str | None:
    channel = plan.channels.get(post.channel)
    return post.owner or (channel.owner if channel else None)


def loads(plan: Plan, posts: Iterable[Post]) -> dict[tuple[str, date], OwnerLoad]:
    """The load of every owner in every ISO week that ``posts`` (in time order) fall in."""
    grouped: dict[tuple[str, date], list[Post]] = {}
    for post in posts:
        owner = owner_of(plan, post)
        if owner is not None and post.status != "skipped":
            grouped.setdefault((owner, monday(post.day)), []).append(post)
    return {key: _load(plan, key[0], key[1], week_posts) for key, week_posts in grouped.items()}


def weekly_load(plan: Plan, week_start: date) -> list[OwnerLoad]:
    """Each owner's load in the ISO week holding ``week_start``, by owner name.

    Everyone with ``hours`` is listed, with or without posts that week, so free time shows.
    """
    return week_loads(plan, week_start, week_start)


def week_loads(plan: Plan, first: date, last: date) -> list[OwnerLoad]:
    """Each owner's load in every ISO week that touches ``first..last``, by week, then owner.

    Weeks are counted whole; everyone with ``hours`` is listed in every week.
    """
    start, end = monday(first), monday(last) + timedelta(days=6)
    posts = sorted((post for post in plan.posts if start <= post.day <= end), key=lambda post: (post.ts, post.id))
    found = loads(plan, posts)
    week = start
    while week <= end:
        for owner in plan.hours:
            found.setdefault((owner, week), _load(plan, owner, week, []))
        week += timedelta(days=7)
    return [found[key] for key in sorted(found, key=lambda key: (key[1], key[0]))]


def _load(plan: Plan, owner: str, week_start: date, posts: list[Post]) -> OwnerLoad:
    efforts = [plan.kinds[post.kind].effort for post in posts]
    needed = sum((effort for effort in efforts if effort is not None), timedelta())
    return OwnerLoad(
        owner=owner,
        week_start=week_start,
        hours=plan.hours.get(owner),
        needed=needed.total_seconds() / 3600,
        post_ids=tuple(post.id for post in posts),
        unestimated=efforts.count(None),
    )


def format_hours(hours: float) -> str:
    """Hours as people say them: 6 -> "6h", 7.5 -> "7h30m", 0.75 -> "45m"."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    if not rest:
        return f"{whole}h"
    return f"{whole}h{rest:02d}m" if whole else f"{rest}m"
