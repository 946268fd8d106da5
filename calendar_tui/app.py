"""The calendar app: plan, see and fix the schedule in the terminal.

``make_app(path, today=...)`` builds it (the command line and the tests both use it). The app
holds a :class:`calendar_tui.session.Session`, through which every change goes (the session
edits the plan text with the writer and checks it with the rules), and starts what runs for as
long as it is open. The rest has its own unit:

- ``screens/calendar.py``: the calendar screen, which owns what is shown and its keys, and draws;
- ``post_actions.py``: the post actions of that screen; ``keys.py``: its keys, help and docs;
- ``saving.py``: saving, a change on disk and quitting; ``screens/``: the dialogs, one a module;
- ``widgets/``: the calendar's parts, one a module; ``view_model.py``: what they show, as data.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from functools import partial
from typing import Callable, Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from calendar_tui.saving import PlanFile
from calendar_tui.screens.calendar import CalendarScreen
from calendar_tui.session import Session

DISK_CHECK_SECONDS = 2.0
TODAY_CHECK_SECONDS = 30.0
ERROR_STATUS = 2


class CadenceApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "cadence"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, session: Session, week_start: int = 0, clock: Callable[[], date] | None = None) -> None:
        """``clock`` gives today's date while the app is open (None: today is fixed, --today)."""
        super().__init__()
        self.clock = clock
        self.session = session
        session.checks_in_background = True
        self.calendar = CalendarScreen(session, week_start)
        self.plan_file = PlanFile(self)
        self.crash: str | None = None  # the one line printed after the app ends on an error

    def on_mount(self) -> None:
        self.push_screen(self.calendar)
        self.set_interval(DISK_CHECK_SECONDS, self.plan_file.check_disk)
        self.set_interval(TODAY_CHECK_SECONDS, self.roll_today)
        if self.session.store_problem:
            self.say(f"outcomes not shown: {self.session.store_problem}", severity="warning", timeout=10)
        for note in self.session.store_notes:
            self.say(note, severity="warning", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        """Any error ends the app: unsaved edits go to a side file, then one line, status 2."""
        try:
            rescued = self.session.rescue(folders=(os.getcwd(), tempfile.gettempdir()))
        except Exception:  # the rescue must not hide the error that ended the app
            rescued = None
        kept = f"; your unsaved edits are in {rescued}" if rescued else "; nothing unsaved was lost" if not self.session.dirty else "; unsaved edits could not be written anywhere"
        self.crash = f"cadence: the app stopped on an error: {type(error).__name__}: {error}{kept}"
        end_without_traceback(self, error, ERROR_STATUS)  # the command line prints self.crash

    def roll_today(self) -> None:
        """Open past midnight, the app moves today on and the calendar follows (--today: never)."""
        today = self.clock() if self.clock else self.session.today
        if today != self.session.today:
            self.calendar.roll_today(today)

    def say(self, message: str, **options) -> None:
        """A notification in plain text: plan messages hold brackets such as [[post]]."""
        self.notify(message, markup=False, **options)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, CalendarScreen):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue  # the palette itself
                method = binding.action.split("(")[0]
                arguments = binding.action[len(method):] or "()"
                call = partial(screen.run_action, f"{method}{arguments}")
                yield SystemCommand(binding.description, f"keys: {binding.key}", call)


def end_without_traceback(app: App, error: Exception, status: int) -> None:
    """End ``app`` on ``error`` as Textual does, but with exit ``status`` and without the
    traceback Textual prints once the app is closed.

    Textual has no public way to do this: ``App._handle_exception`` is where an unhandled error
    arrives (it also lets ``run_test`` raise it again), and it sets the private ``_return_code``
    and queues the traceback in ``_exit_renderables``. This is the one place that knows them;
    tests/calendar_tui/app/test_safety.py runs the app to an error and fails if they change.
    """
    App._handle_exception(app, error)
    app._return_code = status
    app._exit_renderables.clear()


def make_app(path: str, today: date | None = None, week_start: str = "monday", demo: bool = False) -> CadenceApp:
    """The calendar app on the plan at ``path``; ``today`` fixes the date (tests, demos).

    ``demo``: the bundled demo plan, which is saved only as a copy under a new name.
    The findings are checked once the first screen is drawn.
    """
    session = Session.open(path, today, demo=demo, check=False)
    clock = None if today else (lambda: datetime.now(session.plan.tz).date())
    return CadenceApp(session, week_start=0 if week_start == "monday" else 6, clock=clock)
