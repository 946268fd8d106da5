"""The keys, on `?`."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("←↓↑→  h j k l", "move a day / a week"),
    ("[  ]  PgUp PgDn", "previous / next month"),
    ("tab  shift+tab", "select the next / previous post or empty slot of the day"),
    ("m  w  a", "month, week, agenda view"),
    ("t", "today"),
    ("g", "go to a date"),
    ("n", "new post on the selected day"),
    ("e  enter", "edit the selected post (on an empty slot: write its post)"),
    ("click", "select a day in the month grid"),
    ("d", "delete the selected post (asks first)"),
    ("shift+← shift+→", "move the selected post a day earlier / later"),
    ("shift+↑ shift+↓", "move the selected post an hour earlier / later"),
    ("f", "fill the selected empty slot from the backlog"),
    ("L", "log the selected post as published now (outcomes store, and its status in the plan)"),
    ("u  ctrl+z", "undo"),
    ("ctrl+r  ctrl+y", "redo"),
    ("/", "search the whole plan (titles, bodies, ids, tags); the calendar then shows only the matches"),
    ("F", "filter by channel, kind, status, owner (a different dialog)"),
    ("escape", "end a search; leave the findings"),
    ("D", "go to the findings; enter jumps to the day"),
    ("s", "show or hide the side panel (day, mix, findings)"),
    ("ctrl+s", "save (only the edited posts' lines change)"),
    ("ctrl+p", "command palette: every action"),
    ("?", "this help"),
    ("q", "quit (asks if there are unsaved edits)"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", show_header=False, box=None, padding=(0, 2))
        for key, action in KEYS:
            table.add_row(f"[bold]{key}[/]", action)
        with VerticalScroll():
            yield Static(table)
