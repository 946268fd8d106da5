"""The week view: seven days side by side, posts in time order."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import day_chips


class DayColumn(Widget):
    DEFAULT_CSS = """
    DayColumn { width: 1fr; height: 1fr; border-right: tall $surface-lighten-1; padding: 0 0 0 1; }
    DayColumn.-cursor { background: $accent 25%; }
    DayColumn.-overloaded { background: $error 15%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan: Plan | None = None
        self.view: DayView | None = None
        self.selected: int | None = None
        self.today = False
        self._shown: tuple | None = None

    def show(self, plan: Plan, view: DayView, cursor: bool, today: bool, selected: int | None) -> None:
        shown = (view.signature(), cursor, today, selected)
        if plan is self.plan and shown == self._shown:
            return
        self._shown = shown
        self.plan, self.view, self.selected, self.today = plan, view, selected, today
        self.set_class(cursor, "-cursor")
        self.set_class(view.overloaded, "-overloaded")
        self.refresh()

    def render(self) -> Text:
        if self.plan is None or self.view is None:
            return Text("")
        width = max(self.size.width - 1, 1)
        view = self.view
        head = Text(f"{view.day:%a %d}", style="bold")
        if self.today:
            head.append(" today", style="bold reverse")
        lines = day_chips(self.plan, view, width, self.selected, room=max(self.size.height - 1, 0), by_time=True)
        return Text("\n").join([head, *lines])


class WeekView(Horizontal):
    DEFAULT_CSS = """
    WeekView { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        for n in range(7):
            yield DayColumn(id=f"day-{n}")

    def show(self, plan: Plan, days: dict[date, DayView], first: date, cursor: date, today: date, selected: int | None) -> None:
        for n, column in enumerate(self.query(DayColumn)):
            day = first + timedelta(days=n)
            column.show(plan, days[day], cursor=day == cursor, today=day == today, selected=selected if day == cursor else None)
