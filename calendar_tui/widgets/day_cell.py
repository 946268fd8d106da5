"""One day of the month grid: its number, its posts as chips, its empty slots, "+N" for the rest."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import day_chips


class DayCell(Widget):
    DEFAULT_CSS = """
    DayCell { padding: 0 0 0 1; border-right: tall $surface-lighten-1; }
    DayCell.-other-month { color: $text-disabled; }
    DayCell.-cursor { background: $accent 25%; }
    DayCell.-overloaded { background: $error 15%; }
    DayCell.-mix { border-right: tall $warning; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.view: DayView | None = None
        self.plan: Plan | None = None
        self.selected: int | None = None
        self._shown: tuple | None = None

    def show(self, plan: Plan, view: DayView, *, today: bool, other_month: bool, cursor: bool, selected: int | None) -> None:
        shown = (view.signature(), today, other_month, cursor, selected)
        if plan is self.plan and shown == self._shown:
            return  # moving the cursor redraws two cells, not forty-two
        self._shown = shown
        self.plan, self.view, self.selected = plan, view, selected
        self.set_class(today, "-today")
        self.set_class(other_month, "-other-month")
        self.set_class(cursor, "-cursor")
        self.set_class(view.overloaded, "-overloaded")
        self.set_class(view.in_mix_violation, "-mix")
        self.refresh()

    def render(self) -> Text:
        if self.view is None or self.plan is None:
            return Text("")
        width = max(self.size.width - 1, 1)
        view = self.view
        head = Text(f"{view.day.day:>2}", style="bold reverse" if self.has_class("-today") else "underline", no_wrap=True)
        marks = ("!" if view.overloaded else "") + ("~" if view.in_mix_violation else "")
        if marks:
            head.append(f" {marks}", style="bold yellow")  # ! overloaded, ~ inside a mix violation
        head.truncate(width)
        items = day_chips(self.plan, view, width, self.selected, room=max(self.size.height - 1, 0))
        return Text("\n").join([head, *items])
