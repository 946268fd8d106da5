"""How a post and an open slot read on the calendar: shared by every view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from planner.model import Kind, Plan, Post

from calendar_tui.session import Slot

if TYPE_CHECKING:
    from calendar_tui.view_model import DayView

_BY_FLAG = (("promotional", "#e06c75"), ("conversation", "#56b6c2"), ("useful", "#98c379"))
_OTHER = "#e5c07b"
NARROW = 16  # below this many columns a chip leaves out the time


def kind_colour(kind: Kind) -> str:
    if kind.color:
        return kind.color
    return next((colour for flag, colour in _BY_FLAG if getattr(kind, flag)), _OTHER)


def post_chip(plan: Plan, post: Post, width: int, selected: bool = False) -> Text:
    """ "10:00 IG Latte art…", the mark in the kind's colour; narrow cells drop the time."""
    colour = kind_colour(plan.kinds[post.kind])
    chip = Text(no_wrap=True, overflow="ellipsis")
    if width >= NARROW:
        chip.append(f"{post.at:%H:%M} ", style="dim" if not selected else "")
    chip.append(plan.channels[post.channel].mark, style=f"bold {colour}")
    chip.append(" " + post.title, style="strike dim" if post.status == "skipped" else "")
    chip.truncate(max(width, 1), overflow="ellipsis")
    if selected:
        chip.stylize("reverse")
    return chip


def gap_chip(plan: Plan, slot: Slot, width: int, selected: bool = False) -> Text:
    """ "IG 10:00 — empty": an open slot, shown where it belongs ("IG — empty" when narrow)."""
    when = f" {slot.at:%H:%M}" if width >= NARROW else ""
    chip = Text(f"{plan.channels[slot.channel].mark}{when} — empty", style="italic #d19a66", no_wrap=True)
    chip.truncate(max(width, 1), overflow="ellipsis")
    if selected:
        chip.stylize("reverse")
    return chip


def day_chips(plan: Plan, view: "DayView", width: int, selected: int | None, room: int | None = None, by_time: bool = False) -> list[Text]:
    """A day's posts then open slots as chips (``by_time``: together, in time order); with
    ``room`` lines, what does not fit becomes "+N more"."""
    chips = [(post.ts, post_chip(plan, post, width, selected == n)) for n, post in enumerate(view.posts)]
    chips += [(slot.ts, gap_chip(plan, slot, width, selected == len(view.posts) + n)) for n, slot in enumerate(view.gaps)]
    if by_time:
        chips.sort(key=lambda pair: pair[0])
    lines = [chip for _, chip in chips]
    if room is not None and len(lines) > room:
        lines = lines[: max(room - 1, 0)] + [Text(f"+{len(lines) - room + 1} more", style="dim")]
    return lines
