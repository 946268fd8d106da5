"""The agenda: a list of days with their posts and open slots, from the cursor on."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widget import Widget

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import day_chips

AGENDA_DAYS = 28


class AgendaView(Widget):
    DEFAULT_CSS = """
    AgendaView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan: Plan | None = None
        self.days: list[DayView] = []
        self.cursor: date | None = None
        self.today: date | None = None
        self.selected: int | None = None

    def show(self, plan: Plan, days: list[DayView], cursor: date, today: date, selected: int | None) -> None:
        self.plan, self.days, self.cursor, self.today, self.selected = plan, days, cursor, today, selected
        self.refresh()

    def render(self) -> Text:
        if self.plan is None:
            return Text("")
        width = max(self.size.width - 4, 10)
        lines: list[Text] = []
        for view in self.days:
            if not view.items and view.day != self.cursor and not view.days_off:
                continue
            head = Text(f"{view.day:%a %Y-%m-%d}", style="bold reverse" if view.day == self.cursor else "bold")
            if view.day == self.today:
                head.append("  today", style="bold")
            if view.overloaded:
                head.append("  overloaded", style="bold red")
            if view.days_off:
                head.append(f"  {view.day_off_label}", style="italic")
            lines.append(head)
            selected = self.selected if view.day == self.cursor else None
            lines += [Text("  ") + chip for chip in day_chips(self.plan, view, width, selected)]
            if not view.items:
                lines.append(Text("  nothing planned", style="dim"))
        if not lines:
            lines.append(Text("nothing planned in the next four weeks", style="dim"))
        return Text("\n").join(lines[: max(self.size.height, 1)])
