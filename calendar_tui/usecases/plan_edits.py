"""An edit of the plan that goes with a write of the store: both are written, or neither.

Logging a post with its mark (:mod:`calendar_tui.usecases.log_publication`) marks the post it
logs; ``cadence metrics --extend`` widens the horizon to hold the figures it records. The edit
is checked once on the plan as read, before the store is opened; it is saved inside the store's
write transaction (``record(..., then=edit.save, undo=edit.undo)``) and put back if the store
then fails. :class:`PlanEdit` makes it on the plan file, through the plan's save protocol; the
app's session makes it on the text it edits (:meth:`calendar_tui.session.Session.pending`).
"""

from __future__ import annotations

from typing import Callable, Protocol

from planner.writer import Edit


class PendingEdit(Protocol):
    """An edit checked already, to make with a write of the store."""

    def save(self) -> None: ...

    def undo(self) -> None: ...


# How a front end's plan takes an edit: (the edit, what it does, e.g. "marked published") to
# a pending edit, or PlanError / EditError if the edit cannot be made.
EditMaker = Callable[[Edit, str], PendingEdit]


def on_file(path: str) -> EditMaker:
    """Edits of the plan file at ``path`` (the command line's plan: it is saved with the store)."""
    from planner.loader import read_plan_file
    from planner.writer import PlanText

    def pending(edit: Edit, done: str) -> "PlanEdit":
        return PlanEdit(read_plan_file(path), lambda body: PlanText(body).apply(edit), done)

    return pending


class PlanEdit:
    """``change`` (plan text to plan text) as one edit of the plan file, checked on every text it makes.

    A byte order mark is set aside and put back (:func:`planner.planfile.keeping_bom`); the
    writer lays edited tables out as ``cadence fmt`` does, so a formatted plan stays formatted.
    ``done`` says what the edit did, for the message when it cannot be undone.
    """

    def __init__(self, planfile, change: Callable[[str], str], done: str):
        self.planfile = planfile
        self.change = change
        self.done = done
        self.before = planfile.text  # the text the edit was last made on: what undo puts back
        self.saved = None  # the plan file as save left it
        self(planfile.text)  # raises PlanError or EditError if the edit cannot be made

    def __call__(self, text: str) -> str:
        from planner.planfile import keeping_bom

        self.before = text
        return keeping_bom(self._checked)(text)

    def save(self) -> None:
        """Make the edit on the plan as it is now on disk (through the plan's save protocol)."""
        self.saved = self.planfile.update(self)

    def undo(self) -> None:
        """Put the plan back as it was before :meth:`save`, unless it changed again since."""
        from planner.outcomes import StoreError
        from planner.planfile import SaveError

        try:
            self.saved.save(self.before)
        except SaveError as error:
            raise StoreError(f"{self.planfile.path} stays {self.done}, but the store was not written: {error}") from None

    def _checked(self, body: str) -> str:
        from calendar_tui.usecases.plans import plan_of

        edited = self.change(body)
        plan_of(edited, self.planfile.path)
        return edited
