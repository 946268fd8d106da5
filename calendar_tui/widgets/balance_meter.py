"""The balance meter: per channel, each limited kind's share in the window, against its limits."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from calendar_tui.view_model import Share

BAR = 6
SHORT = {"promotional": "promo*", "conversation": "convo*", "useful": "useful*"}  # * a flag: all its kinds


class BalanceMeter(Static):
    DEFAULT_CSS = """
    BalanceMeter { height: auto; padding: 0 1; border-bottom: solid $surface-lighten-1; }
    """

    shown: tuple | None = None

    def show(self, shares: list[Share], marks: dict[str, str], window_days: int) -> None:
        if (shares, marks, window_days) == self.shown:
            return  # an update lays the screen out again: only when the meter changes
        self.shown = (shares, marks, window_days)
        lines = [Text(f"Mix, {window_days} days to the cursor", style="bold")]
        if shares and not all(share.judged for share in shares):
            lines.append(Text("dim: too few posts to judge", style="dim"))
        for share in shares:
            filled = round(share.share * BAR)
            colour = "dim" if not share.judged else "green" if share.ok else "red"
            limit = f"≥{share.low:.0%}" if share.low is not None else f"≤{share.high:.0%}" if share.high is not None else ""
            line = Text(f"{marks.get(share.channel, share.channel[:2]):<2} {SHORT.get(share.label, share.label)[:7]:<7} ")
            line.append("█" * filled, style=colour)
            line.append("░" * (BAR - filled), style="dim")
            line.append(f" {share.share:>4.0%} {limit}", style=colour if not share.ok else "")
            line.truncate(28)
            lines.append(line)
        if len(lines) == 1:
            lines.append(Text("no mix limits", style="dim"))
        self.update(Text("\n").join(lines))
