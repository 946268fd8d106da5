"""The selected channel's recorded followers as a sparkline, when the plan has an outcomes store."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline

WEEKS = 12  # the sparkline shows this many weeks up to the cursor


class Followers(Vertical):
    DEFAULT_CSS = """
    Followers { height: auto; padding: 0 1; border-bottom: solid $surface-lighten-1; display: none; }
    Followers Sparkline { height: 2; }
    """

    shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="followers-label", markup=False)
        yield Sparkline([], id="followers-line")

    def show(self, label: str, series: list[tuple[date, float]], until: date) -> None:
        """``series`` (day, followers) of the channel ``label``; hidden when there is none."""
        recent = [(day, value) for day, value in series if (until - day).days < WEEKS * 7 and day <= until]
        shown = (label, tuple(recent))
        if shown == self.shown:
            return
        self.shown = shown
        self.display = bool(recent)
        if not recent:
            return
        first, last = recent[0][1], recent[-1][1]
        change = f"{(last - first) / first:+.1%}" if first else ""
        self.query_one(Label).update(f"{label} followers {last:,.0f} {change} ({recent[0][0]:%d %b}–{recent[-1][0]:%d %b})")
        self.query_one(Sparkline).data = [value for _, value in recent]
