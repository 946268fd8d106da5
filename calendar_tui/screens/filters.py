"""Filters (F): which channels, kinds, statuses and owners the calendar shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

from planner.model import STATUSES, Plan

from calendar_tui.view_model import Filters
from calendar_tui.widgets.tick_list import TickList


class FilterScreen(ModalScreen[Filters | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "apply", "Apply")]
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    FilterScreen VerticalScroll { height: auto; max-height: 1fr; }
    FilterScreen .hint { width: 1fr; }
    FilterScreen SelectionList { height: auto; }
    FilterScreen Horizontal { height: auto; margin: 1 0 0 0; dock: bottom; }
    FilterScreen Button { margin-right: 2; }
    """

    def __init__(self, plan: Plan, current: Filters) -> None:
        super().__init__()
        self.plan, self.current = plan, current

    def compose(self) -> ComposeResult:
        plan, current = self.plan, self.current
        owners = sorted({post.owner for post in plan.posts if post.owner} | set(plan.team))
        # the buttons sit under the scrolling lists, always in sight (80x24 included)
        with Vertical():
            yield Label("Show only… (none ticked: all; space ticks, tab moves on, ctrl+s applies)", markup=False, classes="hint")
            with VerticalScroll():
                for name, label, values, chosen in (
                    ("channels", "Channels", list(plan.channels), current.channels),
                    ("kinds", "Kinds", list(plan.kinds), current.kinds),
                    ("statuses", "Statuses", list(STATUSES), current.statuses),
                    ("owners", "Owners", owners, current.owners),
                ):
                    yield Label(label)
                    yield TickList(*[(value, value, value in chosen) for value in values], id=name, compact=True)
            with Horizontal():
                yield Button("Apply (ctrl+s)", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def chosen(self) -> Filters:
        def ticked(name: str) -> frozenset[str]:
            return frozenset(self.query_one(f"#{name}", SelectionList).selected)

        return Filters(ticked("channels"), ticked("kinds"), ticked("statuses"), ticked("owners"), self.current.search)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(Filters(search=self.current.search))
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
