"""Record that a team member approved a post: add them to its ``approved_by``.

For a code action on a missing approval (PUB002, whose message names who holds the role):
plan text in, plan text out. The app's post editor changes ``approved_by`` through the same
edit, ``ChangePost(approved_by=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Plan, Post


@dataclass(frozen=True)
class Approved:
    """A plan's text with a post's approvers, and who they are now."""

    text: str
    post_id: str
    approved_by: tuple[str, ...]


def approvers(plan: Plan, post: Post) -> list[str]:
    """The team members who hold a role the post's kind needs and its approvers lack (whom
    the code action offers to add)."""
    held = {role for name in post.approved_by for role in plan.team.get(name, ())}
    missing = set(plan.kinds[post.kind].needs_approval) - held
    return sorted(name for name, roles in plan.team.items() if missing & set(roles) and name not in post.approved_by)


def add_approver(text: str, path: str, post_id: str, approver: str) -> Approved:
    """``text`` with ``approver`` added to the post's ``approved_by`` (unchanged if listed
    already); the result is checked, so a name ``[team]`` lacks is a located PlanError.

    Raises PlanError for a text that is no valid plan, UnknownPost.
    """
    from calendar_tui.usecases.plans import plan_of
    from calendar_tui.usecases.post_edits import edited, post_named
    from planner.writer import ChangePost

    plan = plan_of(text, path)
    post = post_named(plan, post_id)
    if approver in post.approved_by:
        return Approved(text, post.id, post.approved_by)
    approvers = (*post.approved_by, approver)
    return Approved(edited(text, plan, ChangePost(post.id, {"approved_by": list(approvers)})).text, post.id, approvers)
