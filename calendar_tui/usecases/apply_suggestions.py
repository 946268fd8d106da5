"""Propose a backlog idea for each open slot, and add the proposals to the plan as posts.

``cadence suggest`` (``--apply``) calls it; the app fills one slot at a time with the same posts
(:mod:`calendar_tui.usecases.backlog_to_post`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from balance.engine import CheckOptions
from balance.suggest import Proposal
from planner.model import Plan


@dataclass(frozen=True)
class Applied:
    """What applying did: each post added with its proposal, and the open slots nothing fits."""

    added: list[tuple[str, Proposal]]
    unfilled: int


def proposals(plan: Plan, options: CheckOptions, today: date) -> list[Proposal]:
    """One proposal per open slot in the range ``options`` gives, in time order."""
    from balance.engine import context_for

    return context_for(plan, options, today).suggester.propose()


def apply_suggestions(plan: Plan, proposed: list[Proposal]) -> Applied:
    """Add a post (status ``idea``) for each proposal that has an idea, to the plan file.

    The plan with the posts is checked before it is written, and again on the file as it is
    then, if it changed on disk since it was read: PlanError (nothing written) if it is not
    valid, SaveError if it cannot be written.
    """
    from calendar_tui.usecases.backlog_to_post import post_from_idea
    from calendar_tui.usecases.plan_edits import PlanEdit
    from planner.loader import read_plan_file
    from planner.writer import PlanText

    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    added = [
        (post_from_idea(plan, proposal.channel, proposal.at, proposal.idea, taken), proposal)
        for proposal in proposed if proposal.idea is not None
    ]
    if added:
        posts = [post.edit.fields for post, _ in added]
        PlanEdit(read_plan_file(plan.path), lambda body: PlanText(body).add_posts(posts), done="filled").save()
    return Applied([(post.post_id, proposal) for post, proposal in added], len(proposed) - len(added))
