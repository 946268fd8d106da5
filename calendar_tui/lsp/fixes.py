"""The code actions' own edits: who may approve a post, and moving a post that floods its day
to the nearest place that keeps the plan clean. (Filling a gap and approving a post are the
use-cases the command line and the app call: calendar_tui.usecases.) Written through
:mod:`planner.writer`, so a plan laid out by ``cadence fmt`` stays so and every line the fix
does not touch stays byte for byte. ``plan`` is the plan read from ``text`` when the caller has
it already (the server does); else it is read here. A fix that cannot be made raises
:class:`FixError`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from balance.engine import CheckOptions, context_for, run_in
from planner.errors import PlanError
from planner.loader import plan_from_text, with_changed_post
from planner.model import Plan, Post
from planner.writer import PlanText

NEAREST_DAYS = 7  # a flooding post moves at most this many days
MOVES_TRIED = 8  # places checked for one move: each costs a check of the plan


class FixError(ValueError):
    """A fix that no longer applies to the text (the plan changed under it)."""


def _plan(text: str, plan: Plan | None) -> Plan:
    if plan is not None:
        return plan
    from calendar_tui.lsp.analysis import known_rules

    try:
        return plan_from_text(text, "plan.toml", known_rules())
    except PlanError as error:
        raise FixError("the plan has problems; fix them first") from error


def _post(plan: Plan, post_id: str) -> Post:
    post = next((post for post in plan.posts if post.id == post_id), None)
    if post is None:
        raise FixError(f"no post with id {post_id!r}")
    return post


def approvers(plan: Plan, post: Post) -> list[str]:
    """The team members who hold a role the post's kind needs and its approvers lack."""
    held = {role for name in post.approved_by for role in plan.team.get(name, ())}
    missing = set(plan.kinds[post.kind].needs_approval) - held
    return sorted(name for name, roles in plan.team.items() if missing & set(roles) and name not in post.approved_by)


def move_post(text: str, post_id: str, at: datetime) -> str:
    """The text with the post at local time ``at`` (moved to its place in the order)."""
    return PlanText(text).change_post(post_id, {"at": at.replace(tzinfo=None)})


def nearest_clean_slot(text: str, post_id: str, today: date, plan: Plan | None = None) -> datetime | None:
    """The nearest time on another day the post can move to without adding a finding.

    The places tried, nearest first: the open cadence slots of its channel, and the same
    clock time on the days around, within :data:`NEAREST_DAYS` and the horizon (and from
    ``today`` on, for a post still to come). A place is clean when the plan checked with the
    post there has no finding it had not before.
    """
    plan = _plan(text, plan)
    post = _post(plan, post_id)
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
    for at in places[:MOVES_TRIED]:
        moved = with_changed_post(plan, text, post_id, {"at": at.replace(tzinfo=None)})
        if moved is None:
            continue
        after = {(d.code, d.key) for d in run_in(context_for(moved, options, today), options)}
        if after <= before:
            return at
    return None
