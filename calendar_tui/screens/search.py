"""Search (/): every post of the plan whose title, body, id or tags hold the text, listed as
you type; enter shows the calendar with only the matches (no empty slots) at the chosen one."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from balance.text import counted
from planner.model import Plan

from calendar_tui.view_model import search
from calendar_tui.widgets.chips import chip

LISTED = 200  # the list shows this many matches; the calendar shows them all


class SearchScreen(ModalScreen[tuple[str, str | None] | None]):
    """Dismissed with (text, post id to go to, or None), or None on escape. An empty text
    ends the search."""

    BINDINGS = [("escape", "cancel", "Cancel"), ("down", "to_list", "Results")]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    SearchScreen OptionList { height: auto; max-height: 1fr; border: none; }
    SearchScreen #count { color: $text-muted; }
    """

    def __init__(self, plan: Plan, text: str, cursor: date) -> None:
        super().__init__()
        self.plan, self.text, self.cursor = plan, text, cursor
        self.matches: list = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Search titles, bodies, ids and tags in the whole plan", markup=False)
            yield Input(self.text, id="search", placeholder="text to find", select_on_focus=False)
            yield Label("", id="count")
            yield OptionList(id="matches")

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.list_matches(self.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.list_matches(event.value)

    def list_matches(self, text: str) -> None:
        self.matches = search(self.plan, text)
        listed = self.query_one("#matches", OptionList)
        listed.clear_options()
        width = 78
        for post in self.matches[:LISTED]:
            label = Text(f"{post.at:%a %d %b %Y} ", style="dim") + chip(self.plan, post, width)
            listed.add_option(Option(label, id=post.id))
        count = len(self.matches)
        more = f", the first {LISTED} listed" if count > LISTED else ""
        found = f"{counted(count, 'post')} match{'es' if count == 1 else ''}{more}"
        keys = " · enter: show them on the calendar · ↓: pick one" if count else ""
        self.query_one("#count", Label).update("type to search; enter alone ends a search" if not text.strip() else found + keys)

    def nearest(self) -> str | None:
        """The first match on or after the cursor's day, else the last one before it."""
        after = [post for post in self.matches if post.day >= self.cursor]
        chosen = after[0] if after else self.matches[-1] if self.matches else None
        return chosen.id if chosen else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss((event.value.strip(), self.nearest()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.query_one("#search", Input).value.strip(), event.option.id))

    def action_to_list(self) -> None:
        listed = self.query_one("#matches", OptionList)
        if listed.option_count:
            listed.focus()
            listed.highlighted = listed.highlighted or 0

    def action_cancel(self) -> None:
        self.dismiss(None)
