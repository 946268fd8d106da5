"""An edit of the plan that goes with a write of the store: both are written, or neither.

``cadence log --mark`` marks the post it logs; ``cadence metrics --extend`` widens the horizon
to hold the figures it records. The edit is checked once on the plan as read, before the store
is opened; it is saved inside the store's write transaction (``record(..., then=edit.save,
undo=edit.undo)``), through the plan's save protocol, and put back if the store then fails.
"""

from __future__ import annotations

from typing import Callable


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
        from balance.registry import vocabulary
        from planner.loader import plan_from_text

        edited = self.change(body)
        plan_from_text(edited, self.planfile.path, vocabulary())
        return edited
