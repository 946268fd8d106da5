"""Turn a backlog idea into a post on an open cadence slot.

The app's f key (:meth:`calendar_tui.session.Session.fill`), ``cadence suggest --apply``
(:mod:`calendar_tui.usecases.apply_suggestions`) and an editor's "fill this gap" action
(:func:`fill_gap`) make the same post: the idea's kind, title and body, status ``idea``, and
the idea's id, so that the idea's cooldown counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from calendar_tui.usecases.post_edits import NewPost, new_post
from planner.model import BacklogIdea, Plan


class NoIdeaFits(LookupError):
    """No backlog idea fits the slot without breaking the mix (or no idea has that id)."""


@dataclass(frozen=True)
class Filled:
    """A plan's text with an open slot filled from the backlog."""

    text: str
    post_id: str
    idea: BacklogIdea


def post_from_idea(plan: Plan, channel: str, at: datetime, idea: BacklogIdea, taken: set[str] | None = None) -> NewPost:
    """The post that ``idea`` makes on ``channel`` at ``at`` (wall-clock in the plan's zone, or
    aware); ``taken`` as for :func:`~calendar_tui.usecases.post_edits.new_post`."""
    wall = at.astimezone(plan.tz).replace(tzinfo=None) if at.tzinfo else at
    return new_post(plan, channel, wall, idea.kind, idea.title, taken, body=idea.body or None, status="idea", idea=idea.id)


def ideas_for(plan: Plan, channel: str, ts: int, today: date) -> list[BacklogIdea]:
    """Backlog ideas that fit the slot of ``channel`` at the instant ``ts`` without breaking
    the mix, best first."""
    from balance.engine import CheckOptions, context_for
    from balance.suggest import Suggester

    return Suggester(context_for(plan, CheckOptions(), today)).candidates(channel, ts)


def fill_gap(text: str, path: str, channel: str, at: datetime, today: date, idea_id: str | None = None) -> Filled:
    """``text`` with the slot of ``channel`` at ``at`` (wall-clock in the plan's zone, or aware)
    filled by the idea ``idea_id``, else by the best idea that fits; the result is checked.

    For a code action on a CAD001 finding: plan text in, plan text out. Raises PlanError for a
    text that is no valid plan, :class:`NoIdeaFits`, KeyError for an unknown channel.
    """
    from calendar_tui.usecases.plans import plan_of
    from calendar_tui.usecases.post_edits import edited
    from planner.localtime import instant

    plan = plan_of(text, path)
    if channel not in plan.channels:
        raise KeyError(channel)
    fitting = ideas_for(plan, channel, instant(at, plan.tz), today)
    idea = next((idea for idea in fitting if idea_id in (None, idea.id)), None)
    if idea is None:
        slot = f"{channel} at {at:%Y-%m-%d %H:%M}"
        raise NoIdeaFits(f"backlog idea {idea_id!r} does not fit {slot}" if idea_id else f"no backlog idea fits {slot} without breaking the mix")
    post = post_from_idea(plan, channel, at, idea)
    return Filled(edited(text, plan, post.edit).text, post.post_id, idea)
