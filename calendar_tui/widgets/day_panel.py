"""The selected day in full: its posts and open slots by time, with kind and status; it
scrolls on a busy day, keeping the selected item in sight."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from planner.model import Plan, Post

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import EMPTY, PUBLISHED, kind_colour


class DayPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    DayPanel { height: auto; max-height: 45%; padding: 0 1; border-bottom: solid $surface-lighten-1; scrollbar-size-vertical: 1; }
    DayPanel > Static { height: auto; }
    """

    def compose(self):
        yield Static(id="day-lines")

    def show(self, plan: Plan, view: DayView, selected: int | None) -> None:
        lines = [Text(f"{view.day:%A %d %B %Y}", style="bold")]
        for n, item in enumerate(view.items):
            line = Text(f"{'▶' if selected == n else ' '} {item.at:%H:%M} ", style="reverse" if selected == n else "")
            mark = plan.channels[item.channel].mark
            if isinstance(item, Post):
                colour = kind_colour(plan.kinds[item.kind])
                line.append(mark, style=f"bold {colour}")
                if item.id in view.published:
                    line.append(PUBLISHED, style="bold green")
                line.append(f" {item.kind} ", style=colour)
                line.append(item.title, style="strike" if item.status == "skipped" else "")
                line.append(f"  {item.status}", style="dim")
            else:
                line.append(f"{mark} — empty", style=f"italic {EMPTY}")
                line.append("  f: fill, n: write", style="dim")
            lines.append(line)
        if not view.items:
            lines.append(Text("  nothing planned (n: new post)", style="dim"))
        self.query_one(Static).update(Text("\n").join(lines))
        if selected is not None:
            self.call_after_refresh(self._reveal, lines[: selected + 2])

    def _reveal(self, lines: list[Text]) -> None:
        """Scroll so that the last of ``lines`` (the selected item, after those above it) shows."""
        width = max(self.scrollable_content_region.width, 1)
        heights = [len(line.wrap(self.app.console, width)) for line in lines]
        top, bottom = sum(heights[:-1]), sum(heights)
        view_top, view_height = round(self.scroll_y), self.scrollable_content_region.height
        if top < view_top:
            self.scroll_to(y=max(top - 1, 0), animate=False)
        elif bottom > view_top + view_height:
            self.scroll_to(y=bottom - view_height, animate=False)
