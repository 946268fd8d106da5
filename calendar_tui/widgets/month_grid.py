"""The month grid: seven columns (Monday first, or Sunday), six weeks of days, in one widget.

The grid draws itself line by line (textual's line API) rather than as 42 child widgets, and
keeps each day's cell, as segments, until that day looks different: moving the cursor redraws
two cells and joins the rest, which keeps a key under 50 ms on a 10,000-post plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import day_chips

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SEPARATOR = "▎"


def month_start(day: date, week_start: int) -> date:
    """The first day shown for ``day``'s month: the week-start day on or before the 1st."""
    first = day.replace(day=1)
    return first - timedelta(days=(first.weekday() - week_start) % 7)


class MonthGrid(Widget):
    COMPONENT_CLASSES = {
        "month-grid--header",
        "month-grid--cursor",
        "month-grid--overloaded",
        "month-grid--other-month",
        "month-grid--separator",
        "month-grid--mix",
        "month-grid--day-off",
    }
    DEFAULT_CSS = """
    MonthGrid { height: 1fr; }
    MonthGrid > .month-grid--header { text-style: bold; background: $boost; }
    MonthGrid > .month-grid--cursor { background: $accent 25%; }
    MonthGrid > .month-grid--overloaded { background: $error 15%; }
    MonthGrid > .month-grid--other-month { color: $text-disabled; }
    MonthGrid > .month-grid--separator { color: $surface-lighten-1; }
    MonthGrid > .month-grid--mix { color: $warning; }
    MonthGrid > .month-grid--day-off { color: $secondary; text-style: italic; }
    """

    class DayClicked(Message):
        """The user clicked a day: move the cursor there."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, week_start: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.week_start = week_start
        self.plan: Plan | None = None
        self.days: dict[date, DayView] = {}
        self.cursor: date | None = None
        self.today: date | None = None
        self.selected: int | None = None
        self._cells: dict[tuple, list[list[Segment]]] = {}
        self._lines: list[Strip] | None = None
        self._drawn_size = Size(0, 0)

    def first_day(self, cursor: date) -> date:
        return month_start(cursor, self.week_start)

    def show(self, plan: Plan, days: dict[date, DayView], cursor: date, today: date, selected: int | None) -> None:
        if plan is not self.plan:
            self._cells.clear()  # a new plan may name kinds and marks differently
        self.plan, self.days, self.cursor, self.today, self.selected = plan, days, cursor, today, selected
        self._lines = None
        self.refresh()

    def on_resize(self) -> None:
        self._lines = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        # drawn again when the size changed too: a resize can arrive after a paint at the new size began
        if self._lines is None or self._drawn_size != self.size:
            self._lines, self._drawn_size = self._draw(), self.size
        return self._lines[y] if y < len(self._lines) else Strip.blank(self.size.width, self.rich_style)

    def _draw(self) -> list[Strip]:
        if self.plan is None or self.cursor is None:
            return []
        width, height = self.size.width, self.size.height
        columns = self._column_widths(width)
        style = self.get_component_rich_style
        base = self.rich_style
        separator = Segment(SEPARATOR, base + style("month-grid--separator"))
        header = Text(no_wrap=True)
        for n, column in enumerate(columns):
            header.append(f" {WEEKDAYS[(self.week_start + n) % 7]}".ljust(column + 1)[: column + 1], style=style("month-grid--header"))
        lines = [Strip(header.render(self.app.console)).apply_style(base)]
        first = self.first_day(self.cursor)
        if len(self._cells) > 2000:
            self._cells.clear()
        for week, row_height in enumerate(self._row_heights(height)):
            cells = [self._cell_segments(first + timedelta(days=week * 7 + n), columns[n], row_height) for n in range(7)]
            for row in range(row_height):
                segments: list[Segment] = []
                for cell in cells:
                    segments += cell[row]
                    segments.append(separator)
                lines.append(Strip(segments, width))
        return lines[:height]

    def _cell_segments(self, day: date, width: int, height: int) -> list[list[Segment]]:
        """A day's cell as segments per line, kept while the day looks the same."""
        view = self.days.get(day) or DayView(day)
        cursor = day == self.cursor
        key = (view.signature(), cursor, self.selected if cursor else None, day == self.today, day.month == self.cursor.month, width, height)
        cell = self._cells.get(key)
        if cell is None:
            base, console = self.rich_style, self.app.console
            cell = [list(Segment.apply_style(line.render(console), base)) for line in self._cell(day, width, height)]
            self._cells[key] = cell
        return cell

    def on_click(self, event: events.Click) -> None:
        if self.cursor is None or event.y < 1:
            return
        columns = self._column_widths(self.size.width)
        column, edge = 0, 0
        for column, width in enumerate(columns):
            edge += width + 1
            if event.x < edge:
                break
        week, bottom = 0, 1
        for week, row_height in enumerate(self._row_heights(self.size.height)):
            bottom += row_height
            if event.y < bottom:
                break
        self.post_message(self.DayClicked(self.first_day(self.cursor) + timedelta(days=week * 7 + column)))

    def _row_heights(self, height: int) -> list[int]:
        """Six weeks share the lines under the header; the spare ones go to the first weeks."""
        room = max(height - 1, 12)
        return [room // 6 + (1 if n < room % 6 else 0) for n in range(6)]

    def _column_widths(self, width: int) -> list[int]:
        room = max(width - 7, 7)  # a separator after each column
        return [room // 7 + (1 if n < room % 7 else 0) for n in range(7)]

    def _cell(self, day: date, width: int, height: int) -> list[Text]:
        """The lines of one day's cell, each exactly ``width`` wide, the cell's background set."""
        view = self.days.get(day) or DayView(day)
        style = self.get_component_rich_style
        background = Style()
        if day == self.cursor:
            background = style("month-grid--cursor")
        elif view.overloaded:
            background = style("month-grid--overloaded")
        muted = day.month != self.cursor.month
        head = Text(" ")
        head.append(f"{day.day:>2}", style="bold reverse" if day == self.today else "underline")
        marks = ("!" if view.overloaded else "") + ("~" if view.in_mix_violation else "")
        if marks:
            head.append(f" {marks}", style=style("month-grid--mix") + Style(bold=True))
        if view.days_off:
            head.append(f" {view.day_off_label}", style=style("month-grid--day-off"))
        chips = day_chips(self.plan, view, width - 1, self.selected if day == self.cursor else None, room=height - 1)
        lines = [head, *(Text(" ") + chip for chip in chips)]
        lines += [Text("")] * (height - len(lines))
        cell = []
        for line in lines[:height]:
            line.truncate(width, overflow="ellipsis", pad=True)
            if muted:
                line.stylize(style("month-grid--other-month"))
            line.stylize(background)
            cell.append(line)
        return cell
