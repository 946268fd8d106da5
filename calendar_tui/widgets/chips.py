"""How a post and an open slot read on the calendar: shared by every view.

Both read the same way, time first: "10:00 IG Latte art…" and "12:30 X — empty", and a day
lists them together by time, then mark. Where a day has room, a chip's title goes on to a
second line rather than ending in "…".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from planner.model import Kind, Plan, Post

from calendar_tui.session import Slot

if TYPE_CHECKING:
    from calendar_tui.view_model import DayView

_BY_FLAG = (("promotional", "#e06c75"), ("conversation", "#56b6c2"), ("useful", "#98c379"))
_OTHER = "#e5c07b"
EMPTY = "#d19a66"
NARROW = 16  # below this many columns a chip leaves out the time


def kind_colour(kind: Kind) -> str:
    if kind.color:
        return kind.color
    return next((colour for flag, colour in _BY_FLAG if getattr(kind, flag)), _OTHER)


PUBLISHED = "✓"  # after the mark: the post has a publication record in the outcomes store


def chip(plan: Plan, item: Post | Slot, width: int | None, selected: bool = False, time: bool = True, published: bool = False) -> Text:
    """One post or empty slot, untruncated; ``time`` False (or a narrow ``width``) leaves the time out."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if time and (width is None or width >= NARROW):
        text.append(f"{item.at:%H:%M} ", style="dim" if not selected else "")
    mark = plan.channels[item.channel].mark
    if isinstance(item, Slot):
        text.append(f"{mark} — empty", style=f"italic {EMPTY}")
    else:
        text.append(mark, style=f"bold {kind_colour(plan.kinds[item.kind])}")
        if published:
            text.append(PUBLISHED, style="bold green")
        text.append(" " + item.title, style="strike dim" if item.status == "skipped" else "")
    if selected:
        text.stylize("reverse")
    return text


def fold(text: Text, width: int, lines: int) -> list[Text]:
    """``text`` over at most ``lines`` lines of ``width``, broken at a space where one is near;
    the last line ends in "…" if it still does not fit."""
    out: list[Text] = []
    width = max(width, 1)
    while len(out) < lines - 1 and text.cell_len > width:
        cut = text.plain.rfind(" ", 3, width + 1)  # at a space, if that leaves more than the mark
        cut = cut if cut > 0 else width
        out.append(_fit(text[:cut], width))
        rest = text[cut:]
        rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")):]
        text = Text("  ") + rest  # the continuation is indented under the first line
    out.append(_fit(text, width))
    return out


def _fit(text: Text, width: int) -> Text:
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text


def day_chips(plan: Plan, view: "DayView", width: int, selected: int | None, room: int | None = None, time: bool = True) -> list[Text]:
    """A day's items as chip lines; with ``room`` lines, spare lines let titles go on to a second
    line, and what does not fit becomes "+N more" (keeping the selected item in sight)."""
    items = view.items
    if room is None or len(items) <= room:
        spare = (room - len(items)) if room is not None else 0
        lines: list[Text] = []
        for n, item in enumerate(items):
            text = chip(plan, item, width, selected == n, time, getattr(item, "id", None) in view.published)
            folded = fold(text, width, 2 if spare > 0 else 1)
            spare -= len(folded) - 1
            lines += folded
        return lines
    shown = max(room - 1, 0)
    start = 0 if selected is None or selected < shown else selected - shown + 1
    lines = [_fit(chip(plan, items[n], width, selected == n, time, getattr(items[n], "id", None) in view.published), width) for n in range(start, start + shown)]
    return lines + [Text(f"+{len(items) - shown} more", style="dim")]
