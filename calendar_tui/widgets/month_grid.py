"""The month grid: seven columns (Monday first, or Sunday), six weeks of day cells."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.day_cell import DayCell

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def month_start(day: date, week_start: int) -> date:
    """The first day shown for ``day``'s month: the week-start day on or before the 1st."""
    first = day.replace(day=1)
    return first - timedelta(days=(first.weekday() - week_start) % 7)


class MonthGrid(Grid):
    DEFAULT_CSS = """
    MonthGrid { grid-size: 7 7; grid-rows: 1 1fr 1fr 1fr 1fr 1fr 1fr; grid-columns: 1fr; height: 1fr; }
    MonthGrid > Label { width: 1fr; text-style: bold; padding: 0 1; background: $boost; }
    """

    def __init__(self, week_start: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.week_start = week_start

    def compose(self) -> ComposeResult:
        for n in range(7):
            yield Label(WEEKDAYS[(self.week_start + n) % 7])
        for n in range(42):
            yield DayCell(id=f"cell-{n}")

    def first_day(self, cursor: date) -> date:
        return month_start(cursor, self.week_start)

    def show(self, plan: Plan, days: dict[date, DayView], cursor: date, today: date, selected: int | None) -> None:
        first = self.first_day(cursor)
        for n, cell in enumerate(self.query(DayCell)):
            day = first + timedelta(days=n)
            cell.show(
                plan,
                days[day],
                today=day == today,
                other_month=day.month != cursor.month,
                cursor=day == cursor,
                selected=selected if day == cursor else None,
            )
