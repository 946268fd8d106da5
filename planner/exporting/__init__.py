"""The plan leaves the repository: a calendar file (:mod:`.ics`) and schedulers' bulk-upload CSVs
(:mod:`.vendors`). Plain functions over the model; the command line chooses what to export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from planner.model import Plan, Post


def chosen_posts(plan: Plan, first: date | None, last: date | None, channels: Iterable[str] = (), statuses: Iterable[str] = ()) -> list[Post]:
    """The plan's posts on local days ``first..last`` (open ends: every day), on ``channels``
    (empty: all), without those of ``statuses``; in time order."""
    wanted, left_out = set(channels), set(statuses)
    return sorted(
        (
            post
            for post in plan.posts
            if post.status not in left_out
            and (first is None or post.day >= first)
            and (last is None or post.day <= last)
            and (not wanted or post.channel in wanted)
        ),
        key=lambda post: (post.ts, post.id),
    )


def happens_twice(wall: datetime) -> bool:
    """Whether ``wall``, a local time read from an instant (so never in the spring gap), is one of
    the two readings of a wall time that happens twice (the night the clocks go back): written
    without an offset, it is ambiguous."""
    return wall.replace(fold=1 - wall.fold).utcoffset() != wall.utcoffset()
