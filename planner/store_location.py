"""Where a plan's outcomes store is, and whether there is one to read.

Apart from the store's own code (:mod:`planner.outcomes`), so that a check of a plan with no
store never loads it: a third of a small check's start went to importing it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from planner.errors import PlanError, Problem

if TYPE_CHECKING:
    from planner.model import Plan

DEFAULT_LOCATION = os.path.join(".cadence", "outcomes.db")


def store_path(plan: "Plan", override: str | None = None) -> str:
    """Where the plan's store is: ``--db``, else ``[plan] outcomes``, else ``.cadence/outcomes.db``.

    ``[plan] outcomes`` is read relative to the plan's folder, so the plan and its store move
    together. A plan may come from anyone who can open a pull request, so the store it names
    (or the default one, through a symlinked ``.cadence``) must lie inside the plan's folder,
    symlinks followed: else a :class:`PlanError` at the ``outcomes`` key (the loader has
    refused absolute paths and ``..`` already). ``--db`` is the user's own choice.
    """
    if override:
        return override
    folder = os.path.dirname(plan.path)
    path = os.path.normpath(os.path.join(folder, plan.outcomes or DEFAULT_LOCATION))
    try:
        root, resolved = os.path.realpath(folder or "."), os.path.realpath(path)
    except (OSError, ValueError) as error:  # a symlink loop, a name too long for the system
        raise _misplaced(plan, f"cannot be followed ({getattr(error, 'strerror', None) or error})") from None
    holder = os.path.dirname(resolved)
    if holder != root and not holder.startswith(os.path.join(root, "")):
        raise _misplaced(plan, f"leads outside the plan's folder, to {resolved} (through a symlink)")
    return path


def _misplaced(plan: "Plan", reason: str) -> PlanError:
    if plan.outcomes:
        line, column = plan.locate(("plan", "outcomes"))
        message = f"outcomes {plan.outcomes!r} {reason}; the store must be inside the plan's folder (or pass --db PATH)"
    else:
        line, column = plan.locate(("plan",))
        message = f"the outcomes store {DEFAULT_LOCATION} {reason}; the store must be inside the plan's folder (or pass --db PATH)"
    return PlanError([Problem(plan.path, line, column, message)])


def store_to_read(plan: "Plan", override: str | None = None) -> str | None:
    """The store a reading command opens for ``plan``, or None when there is none: ``--db`` must
    exist (opening it says so if not); the plan's own store is optional."""
    path = store_path(plan, override)
    return path if override is not None or os.path.exists(path) else None
