"""Reading a plan the way every front end does: checked against every rule's vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from balance.registry import vocabulary
from planner.loader import load_plan, plan_from_text, with_changed_post
from planner.model import Plan

if TYPE_CHECKING:  # the writer loads tomlkit, a fifth of a sample plan's check
    from planner.writer import Edit


def open_plan(path: str) -> Plan:
    """The plan at ``path``; :class:`~planner.errors.PlanError` with every problem, located."""
    return load_plan(path, vocabulary())


def plan_of(text: str, path: str) -> Plan:
    """The plan a text holds (``path`` names it in messages); PlanError if it is not valid."""
    return plan_from_text(text, path, vocabulary())


def edited_plan(plan: Plan, text: str, edit: Edit) -> Plan:
    """The plan ``text`` holds once ``edit`` made it from ``plan``'s text; PlanError if invalid.

    A changed post is checked alone (a quarter second saved on a 10,000-post plan); anything
    else, or a change that is not plainly valid, re-reads the whole text, which says why.
    """
    from planner.writer import ChangePost

    changed = None
    if isinstance(edit, ChangePost):
        changed = with_changed_post(plan, text, edit.post_id, edit.changes, vocabulary())
    return changed or plan_of(text, plan.path)
