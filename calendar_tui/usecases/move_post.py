"""Move a post to the nearest place that keeps the plan clean.

For the code action on a post that floods its day (CAD002), and any other caller: plan text
in, plan text out. The app moves a post by a step (shift and the arrows) through the same
edit, ``ChangePost(at=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Plan

NEAREST_DAYS = 7  # a post moves at most this many days
PLACES_TRIED = 8  # each place tried costs a check of the plan


class NoCleanPlace(LookupError):
    """No place within :data:`NEAREST_DAYS` of the post keeps the plan clean."""


@dataclass(frozen=True)
class Moved:
    """A plan's text with a post moved, and where to (wall-clock, in the plan's zone)."""

    text: str
    post_id: str
    at: datetime


def move_to_clean_place(text: str, path: str, post_id: str, today: date, plan: Plan | None = None) -> Moved:
    """``text`` with the post ``post_id`` moved to the nearest time on another day that adds no
    finding to the plan; the result is checked. ``plan``: the plan read from ``text``, when the
    caller has it already (the language server does).

    The places tried, nearest first (the earlier of two as near), the first
    :data:`PLACES_TRIED` of them: the open cadence slots of the post's channel, and the same
    clock time on the days around, within :data:`NEAREST_DAYS` and the plan's horizon (and
    from ``today`` on, for a post still to come). A place is clean when the plan with the post
    there has no finding (by rule and what it is about) that it had not before.

    Raises PlanError for a text that is no valid plan, UnknownPost, :class:`NoCleanPlace`.
    """
    from balance.engine import CheckOptions, context_for, run_in
    from calendar_tui.usecases.plans import plan_of
    from calendar_tui.usecases.post_edits import edited, post_named
    from planner.errors import PlanError
    from planner.writer import ChangePost, EditError

    plan = plan or plan_of(text, path)
    post = post_named(plan, post_id)
    options = CheckOptions(suggestions=False)
    context = context_for(plan, options, today)
    before = {(d.code, d.key) for d in run_in(context, options)}
    first = max(plan.start, today) if post.day >= today else plan.start
    places = {context.local(slot) for slot in context.gaps.get(post.channel, ())}
    places |= {post.at + timedelta(days=days) for days in range(-NEAREST_DAYS, NEAREST_DAYS + 1)}
    places = sorted(
        (at for at in places if at.date() != post.day and first <= at.date() <= plan.end and abs(at - post.at).days <= NEAREST_DAYS),
        key=lambda at: (abs(at.timestamp() - post.ts), at),
    )
    for at in places[:PLACES_TRIED]:
        wall_clock = at.replace(tzinfo=None)
        try:
            moved = edited(text, plan, ChangePost(post.id, {"at": wall_clock}))
        except (EditError, PlanError):  # a time the plan refuses there: the next place
            continue
        if {(d.code, d.key) for d in run_in(context_for(moved.plan, options, today), options)} <= before:
            return Moved(moved.text, post.id, wall_clock)
    raise NoCleanPlace(f"no place within {NEAREST_DAYS} days of {post.id!r} keeps the plan clean")
