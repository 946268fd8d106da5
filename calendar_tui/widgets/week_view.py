"""The week view, for placing posts: hours down the side, seven days across, each post and
empty slot at its time. Drawn line by line in one widget, like the month grid.

The hours shown cover 08:00-20:00 and whatever the week has outside them; each hour gets as
many lines as fit (or, on a short terminal, a line covers several hours). A chip whose line is
taken goes to the next free one, and takes the free lines below it for a longer title.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import chip, fold
from calendar_tui.widgets.month_grid import SEPARATOR

DAY_HOURS = (8, 20)  # always shown: a working day
GUTTER = 6  # "09:00 "
MAX_CHIP_LINES = 3


def hour_span(days: list[DayView]) -> tuple[int, int]:
    """The first hour shown and the hour after the last: the working day and every item."""
    hours = [item.at.hour for view in days for item in view.items]
    return min([DAY_HOURS[0], *hours]), max([DAY_HOURS[1], *(hour + 1 for hour in hours)])


def line_of(hour: int, minute: int, first_hour: int, per_hour: float, rows: int) -> int:
    """The line of a time: the hours from the first hour shown, times the lines per hour."""
    return min(math.floor((hour - first_hour + minute / 60) * per_hour + 1e-9), rows - 1)


def rows_for(view: DayView, first_hour: int, per_hour: float, rows: int) -> list[tuple[int, int]]:
    """Each item's (line, lines) in a day's column: at its time, or the next free line; items
    that find none get line -1 (counted as "+N more")."""
    placed, taken = [], set()
    for item in view.items:
        want = line_of(item.at.hour, item.at.minute, first_hour, per_hour, rows)
        line = next((n for n in range(want, rows) if n not in taken), -1)
        if line >= 0:
            taken.add(line)
        placed.append((line, 1))
    # then the free lines under each chip, up to the next chip's line
    for n, (line, _) in enumerate(placed):
        if line < 0:
            continue
        size = 1
        while size < MAX_CHIP_LINES and line + size < rows and line + size not in taken:
            size += 1
        placed[n] = (line, size)
    return placed


class WeekView(Widget):
    COMPONENT_CLASSES = {"week-view--header", "week-view--cursor", "week-view--overloaded", "week-view--separator", "week-view--hour", "week-view--day-off"}
    DEFAULT_CSS = """
    WeekView { height: 1fr; }
    WeekView > .week-view--header { text-style: bold; background: $boost; }
    WeekView > .week-view--cursor { background: $accent 25%; }
    WeekView > .week-view--overloaded { background: $error 15%; }
    WeekView > .week-view--separator { color: $surface-lighten-1; }
    WeekView > .week-view--hour { color: $text-muted; }
    WeekView > .week-view--day-off { color: $secondary; text-style: italic; }
    """

    class DayClicked(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan: Plan | None = None
        self.days: list[DayView] = []
        self.first: date | None = None
        self.cursor: date | None = None
        self.today: date | None = None
        self.selected: int | None = None

    def show(self, plan: Plan, days: dict[date, DayView], first: date, cursor: date, today: date, selected: int | None) -> None:
        self.plan, self.first, self.cursor, self.today, self.selected = plan, first, cursor, today, selected
        self.days = [days[first + timedelta(days=n)] for n in range(7)]
        self.refresh()

    def _columns(self) -> list[int]:
        room = max(self.size.width - GUTTER - 7, 7)
        return [room // 7 + (1 if n < room % 7 else 0) for n in range(7)]

    def render(self) -> Text:
        if self.plan is None or not self.days:
            return Text("")
        style = self.get_component_rich_style
        columns, rows = self._columns(), max(self.size.height - 1, 1)
        first_hour, end_hour = hour_span(self.days)
        hours = end_hour - first_hour
        per_hour = rows / hours if rows >= hours else 1 / math.ceil(hours / rows)  # lines per hour
        separator = Text(SEPARATOR, style=style("week-view--separator"))
        header = Text(" " * GUTTER, style=style("week-view--header"), no_wrap=True)
        for view, width in zip(self.days, columns):
            head = Text(f" {view.day:%a} ", style=style("week-view--header"))
            head.append(f"{view.day:%d}", style="bold reverse" if view.day == self.today else "")
            if view.overloaded:
                head.append(" !", style="bold red")
            if view.days_off:
                head.append(f" {view.day_off_label}", style=style("week-view--day-off"))
            head.truncate(width, overflow="ellipsis", pad=True)
            if view.day == self.cursor:
                head.stylize(style("week-view--cursor"))
            header.append_text(head)
            header.append_text(separator)
        cells = [self._column(view, width, rows, first_hour, per_hour) for view, width in zip(self.days, columns)]
        lines = [header]
        labels: dict[int, str] = {}
        for hour in range(first_hour, end_hour):  # on the line where the hour starts, as posts are placed
            labels.setdefault(line_of(hour, 0, first_hour, per_hour, rows), f"{hour:02d}:00")
        for row in range(rows):
            line = Text(labels.get(row, "").ljust(GUTTER), style=style("week-view--hour"), no_wrap=True)
            for cell in cells:
                line.append_text(cell[row])
                line.append_text(separator)
            lines.append(line)
        return Text("\n").join(lines)

    def _column(self, view: DayView, width: int, rows: int, first_hour: int, per_hour: float) -> list[Text]:
        selected = self.selected if view.day == self.cursor else None
        cell: list[Text] = [Text("") for _ in range(rows)]
        hidden = 0
        for n, (item, (line, size)) in enumerate(zip(view.items, rows_for(view, first_hour, per_hour, rows))):
            if line < 0:
                hidden += 1
                continue
            text = chip(self.plan, item, None, selected == n, time=False, published=getattr(item, "id", None) in view.published)
            if item.at.minute:
                text = Text(f":{item.at.minute:02d} ", style="dim") + text
            for offset, part in enumerate(fold(Text(" ") + text, width, size)):
                cell[line + offset] = part
        if hidden:
            cell[-1] = Text(f" +{hidden} more", style="dim")
        background = Style()
        if view.day == self.cursor:
            background = self.get_component_rich_style("week-view--cursor")
        elif view.overloaded:
            background = self.get_component_rich_style("week-view--overloaded")
        for line in cell:
            line.truncate(width, overflow="ellipsis", pad=True)
            line.stylize(background)
        return cell

    def on_click(self, event: events.Click) -> None:
        if self.first is None or event.x < GUTTER:
            return
        edge = GUTTER
        for column, width in enumerate(self._columns()):
            edge += width + 1
            if event.x < edge:
                self.post_message(self.DayClicked(self.first + timedelta(days=column)))
                return
