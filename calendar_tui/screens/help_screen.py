"""The keys, on `?`: made from the calendar screen's bindings (see calendar_tui/keys.py)."""

from __future__ import annotations

from typing import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from calendar_tui.keys import CLICK, help_rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    HelpScreen #click { padding-left: 2; }  /* under the keys */
    """

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.rows = help_rows(bindings)

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", show_header=False, box=None, padding=(0, 2))
        for keys, action in self.rows:
            table.add_row(Text(keys, style="bold"), action)
        with VerticalScroll():
            yield Static(table)
            yield Static(CLICK, id="click")
