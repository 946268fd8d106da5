"""The edits of posts the app and the command line both make: add one, change one, look one up.

Each works on a plan's text and gives the new text with the plan it holds, checked: what the
app's session pushes on its undo stack, what a command saves, what an editor's code action
offers. The writer lays the edited tables out as ``cadence fmt`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from planner.model import Plan, Post
from planner.writer import AddPost, Edit, PlanText, new_post_id


class UnknownPost(KeyError):
    """A post id the plan does not have (a KeyError, as a mapping's missing key is)."""

    def __init__(self, post_id: str, known: list[str]):
        super().__init__(post_id)
        self.post_id = post_id
        self.known = known


@dataclass(frozen=True)
class Edited:
    """A plan's text after an edit, and the plan it holds."""

    text: str
    plan: Plan


@dataclass(frozen=True)
class NewPost:
    """A post to add: its new id, and the edit that adds it."""

    post_id: str
    edit: AddPost


def post_named(plan: Plan, post_id: str) -> Post:
    """The plan's post with id ``post_id``; :class:`UnknownPost` if it has none."""
    post = next((post for post in plan.posts if post.id == post_id), None)
    if post is None:
        raise UnknownPost(post_id, [post.id for post in plan.posts])
    return post


def edited(text: str, plan: Plan, edit: Edit) -> Edited:
    """``edit`` made on ``text`` (which holds ``plan``), checked; EditError or PlanError, and
    nothing made, if it cannot be."""
    from calendar_tui.usecases.plans import edited_plan

    new_text = PlanText(text).apply(edit)
    return Edited(new_text, edited_plan(plan, new_text, edit))


def new_post(plan: Plan, channel: str, at: datetime, kind: str, title: str, taken: set[str] | None = None, **fields) -> NewPost:
    """A post on ``channel`` at ``at`` (a wall-clock time in the plan's zone) with a new id,
    readable and unlike any in ``taken`` (default: the ids the plan has), which it joins.
    Empty ``fields`` are left out of the file."""
    if taken is None:
        taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    post_id = new_post_id(plan.channels[channel].mark, at, title, taken)
    taken.add(post_id)
    values = {"id": post_id, "at": at, "channel": channel, "kind": kind, "title": title, **fields}
    return NewPost(post_id, AddPost({key: value for key, value in values.items() if value not in (None, "", ())}))
