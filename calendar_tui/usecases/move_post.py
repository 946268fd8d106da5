"""Move a post to the nearest open cadence slot of its channel.

For a code action on a post that floods its day (CAD002): plan text in, plan text out. The app
moves a post by a step (shift and the arrows) through the same edit, ``ChangePost(at=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


class NoOpenSlot(LookupError):
    """The post's channel has no open cadence slot from today to the end of the horizon."""


@dataclass(frozen=True)
class Moved:
    """A plan's text with a post moved, and where to (wall-clock, in the plan's zone)."""

    text: str
    post_id: str
    at: datetime


def move_to_open_slot(text: str, path: str, post_id: str, today: date) -> Moved:
    """``text`` with the post ``post_id`` moved to its channel's open slot nearest in time
    (the earlier of two as near), from the start of ``today`` on; the result is checked.

    Raises PlanError for a text that is no valid plan, UnknownPost, :class:`NoOpenSlot`.
    """
    from balance.engine import CheckOptions, context_for
    from calendar_tui.usecases.plans import plan_of
    from calendar_tui.usecases.post_edits import edited, post_named
    from planner.localtime import instant, local
    from planner.writer import ChangePost

    plan = plan_of(text, path)
    post = post_named(plan, post_id)
    since = instant(datetime.combine(today, time()), plan.tz)
    open_slots = [ts for ts in context_for(plan, CheckOptions(suggestions=False), today).gaps.get(post.channel, []) if ts >= since]
    if not open_slots:
        raise NoOpenSlot(f"{post.channel} has no open slot from {today} to the end of the plan")
    nearest = min(open_slots, key=lambda ts: (abs(ts - post.ts), ts))
    at = local(nearest, plan.tz).replace(tzinfo=None)
    return Moved(edited(text, plan, ChangePost(post.id, {"at": at})).text, post.id, at)
