"""Each owner's hours in the cursor's ISO week against the hours they have (PLN005's figures)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from balance.capacity import OwnerLoad, format_hours


class TeamLoad(Static):
    DEFAULT_CSS = """
    TeamLoad { height: auto; padding: 0 1; border-bottom: solid $surface-lighten-1; display: none; }
    """

    shown: tuple | None = None

    def show(self, week: str, loads: list[OwnerLoad]) -> None:
        """Shown only when someone's hours are set or some kind has an effort to count."""
        relevant = [load for load in loads if load.hours is not None or load.needed]
        if (week, relevant) == self.shown:
            return
        self.shown = (week, relevant)
        self.display = bool(relevant)
        lines = [Text(f"Load, week {week}", style="bold")]
        for load in relevant:
            line = Text(f"{load.owner:<10.10} {format_hours(load.needed):>6}")
            line.append(f" / {format_hours(load.hours)}" if load.hours is not None else " / no hours set", style="" if load.hours is not None else "dim")
            if load.unestimated:
                line.append(f" +{load.unestimated}?", style="dim")
            if load.over:
                line.stylize("bold red")
            lines.append(line)
        self.update(Text("\n").join(lines))
