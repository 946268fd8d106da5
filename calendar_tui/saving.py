"""The plan file under the app: save, save as, a change on disk (conflicts, reloads) and quitting.

``PlanFile`` belongs to the app (``app.plan_file``). Saving goes through the session, whose
writes are atomic and refuse to overwrite a change made on disk since the file was read; here
the user is asked what to do then, and the calendar is told what changed (it redraws, re-checks).
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING, Callable

from planner.errors import PlanError
from planner.planfile import ConflictError

if TYPE_CHECKING:
    from calendar_tui.app import CadenceApp

Then = Callable[[], object] | None  # what to do once saved (quit, after "save and quit")


class PlanFile:
    def __init__(self, app: CadenceApp) -> None:
        self.app, self.session = app, app.session
        self.disk_seen = self.session.file.digest  # the file on disk as last looked at

    def save(self, then: Then = None) -> None:
        """Save the edits (the demo: a copy under a new name); ``then()`` runs once saved."""
        from calendar_tui.screens.conflict import ConflictScreen

        session, app = self.session, self.app
        if session.demo:
            self.ask_save_as(then, "This is the bundled demo plan. Save your copy as", os.path.join(os.getcwd(), "content-plan.toml"))
            return
        if not session.dirty:
            app.say("nothing to save")
            if then:
                then()
            return
        try:
            session.save()
        except ConflictError:
            app.push_screen(ConflictScreen(session.file.path), partial(self.resolve_conflict, then=then))
            return
        except OSError as error:
            app.say(f"not saved: {error.strerror or error}; your edits are kept", severity="error", timeout=10)
            return
        self.disk_seen = session.file.digest
        app.say(f"saved {session.file.path}")
        app.calendar.redraw()
        if then:
            then()

    def resolve_conflict(self, choice: str | None, then: Then = None) -> None:
        if choice == "reload":
            self.reload()
        elif choice == "save-as":
            self.ask_save_as(then)

    def reload(self) -> bool:
        """Re-read the plan from disk; if it cannot be read, say why and keep everything as is."""
        try:
            self.session.reload()
        except (PlanError, OSError, ValueError) as error:
            self.app.say(f"the plan on disk cannot be read, nothing changed: {error}", severity="error", timeout=10)
            return False
        self.disk_seen = self.session.file.digest
        self.app.calendar.check_in_background(whole_plan=True)
        self.app.say("reloaded from disk")
        return True

    def ask_save_as(self, then: Then = None, question: str = "Save the edits as (a new file)", suggested: str | None = None) -> None:
        from calendar_tui.screens.prompt import PromptScreen

        session, app = self.session, self.app

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                session.save_as(os.path.expanduser(path.strip()))
            except OSError as error:
                app.say(f"not saved: {error}", severity="error", timeout=10)
                return
            self.disk_seen = session.file.digest
            app.calendar.check_in_background(whole_plan=True)
            app.say(f"saved as {session.file.path}; editing that file now")
            if then:
                then()

        stem, _ = os.path.splitext(session.file.path)
        app.push_screen(PromptScreen(question, suggested or f"{stem}.mine.toml"), chosen)

    def check_disk(self) -> None:
        """Look at the file on disk: re-read a change when nothing unsaved would be lost, else
        say so once per change. A change that cannot be read leaves everything as it was; the
        checks go on, and a file put back as it was opened is simply the plan again."""
        digest = self.session.disk_digest()
        if digest == self.disk_seen:
            return
        self.disk_seen = digest
        if digest == self.session.file.digest:
            self.app.say("the plan on disk is back to what was opened")
            return
        if digest is None:
            self.app.say("the plan file is gone from disk; ctrl+s writes it again", severity="warning", timeout=10)
        elif self.session.dirty:
            self.app.say("the plan changed on disk; saving will ask before overwriting anything", severity="warning", timeout=10)
        elif self.reload():
            self.app.say("the plan changed on disk: reloaded")

    def ask_quit(self) -> None:
        """Quit; with unsaved edits, ask first: save and quit, quit without saving, or stay."""
        from calendar_tui.screens.confirm import ChoiceScreen

        app = self.app
        if not self.session.dirty:
            app.exit()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.save(then=app.exit)
            elif choice == "quit":
                app.exit()

        app.push_screen(ChoiceScreen(
            "You have unsaved edits.",
            [("save", "Save and quit", "s", "primary"), ("quit", "Quit without saving", "y", "error"), ("stay", "Stay", "n", "default")],
            cancel="stay",
        ), answered)
