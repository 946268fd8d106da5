"""Choose which posts the calendar shows: channel, kind, status, owner, and a title search."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList

from planner.model import STATUSES, Plan

from calendar_tui.view_model import Filters


class FilterScreen(ModalScreen[Filters | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "apply", "Apply")]
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > VerticalScroll { width: 70; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    FilterScreen SelectionList { height: auto; max-height: 8; }
    FilterScreen Horizontal { height: auto; margin: 1 0; }
    FilterScreen Button { margin-right: 2; }
    """

    def __init__(self, plan: Plan, current: Filters, focus_search: bool = False) -> None:
        super().__init__()
        self.plan, self.current, self.focus_search = plan, current, focus_search

    def compose(self) -> ComposeResult:
        plan, current = self.plan, self.current
        owners = sorted({post.owner for post in plan.posts if post.owner} | set(plan.team))
        with VerticalScroll():
            yield Label("Search titles")
            yield Input(current.search, id="search")
            for name, label, values, chosen in (
                ("channels", "Channels", list(plan.channels), current.channels),
                ("kinds", "Kinds", list(plan.kinds), current.kinds),
                ("statuses", "Statuses", list(STATUSES), current.statuses),
                ("owners", "Owners", owners, current.owners),
            ):
                yield Label(f"{label} (none ticked: all)")
                yield SelectionList[str](*[(value, value, value in chosen) for value in values], id=name)
            with Horizontal():
                yield Button("Apply (ctrl+s)", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        if self.focus_search:
            self.query_one("#search", Input).focus()

    def chosen(self) -> Filters:
        def ticked(name: str) -> frozenset[str]:
            return frozenset(self.query_one(f"#{name}", SelectionList).selected)

        return Filters(ticked("channels"), ticked("kinds"), ticked("statuses"), ticked("owners"), self.query_one("#search", Input).value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
