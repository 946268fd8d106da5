"""The selected day in full: every post with its kind and status, every open slot."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from planner.model import Plan

from calendar_tui.view_model import DayView
from calendar_tui.widgets.chips import gap_chip, kind_colour


class DayPanel(Static):
    DEFAULT_CSS = """
    DayPanel { height: auto; max-height: 12; padding: 0 1; border-bottom: solid $surface-lighten-1; }
    """

    def show(self, plan: Plan, view: DayView, selected: int | None) -> None:
        lines = [Text(f"{view.day:%A %d %B %Y}", style="bold")]
        for n, post in enumerate(view.posts):
            line = Text(f"{'▶' if selected == n else ' '} {post.at:%H:%M} ")
            line.append(plan.channels[post.channel].mark, style=f"bold {kind_colour(plan.kinds[post.kind])}")
            line.append(f" {post.kind} ", style=kind_colour(plan.kinds[post.kind]))
            line.append(post.title)
            line.append(f"  [{post.status}]", style="dim")
            lines.append(line)
        for n, slot in enumerate(view.gaps):
            marker = "▶" if selected == len(view.posts) + n else " "
            lines.append(Text(f"{marker} ") + gap_chip(plan, slot, 60) + Text("  (f: fill)", style="dim"))
        if not view.posts and not view.gaps:
            lines.append(Text("  nothing planned (n: new post)", style="dim"))
        self.update(Text("\n").join(lines))
