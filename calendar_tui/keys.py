"""The calendar's keys, written once: the screen's bindings, the help (`?`) and the docs' key page.

Plain data without textual, so that the docs build (``keys_markdown()``) does not load it. The
calendar screen makes its ``Binding`` objects from ``KEYS``; the help screen is generated from
those bindings by ``help_rows``, which reads only the fields a ``Key`` shares with a ``Binding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby, zip_longest
from typing import Iterable, Protocol

# Textual's key names as a person reads them
SHOWN = {
    "left": "←", "right": "→", "up": "↑", "down": "↓", "pageup": "PgUp", "pagedown": "PgDn",
    "left_square_bracket": "[", "right_square_bracket": "]", "slash": "/", "question_mark": "?",
}
CLICK = "A click on a day selects it, in the month grid and in the week."


@dataclass(frozen=True)
class Key:
    """One binding as plain data; the names are ``textual.binding.Binding``'s.

    ``key``: Textual key names, alternatives separated by commas; ``description``: the word in
    the footer and the command palette; ``tooltip``: the help's line, the same for the keys of
    one line; ``show``: in the footer.
    """

    key: str
    action: str
    description: str
    tooltip: str
    show: bool = False


class KeyLike(Protocol):
    key: str
    tooltip: str


def line(tooltip: str, *keys: tuple) -> list[Key]:
    """The keys of one help line: each (key, action, description[, show])."""
    return [Key(key, action, description, tooltip, *shown) for key, action, description, *shown in keys]


KEYS: tuple[Key, ...] = (
    *line("move a day / a week", ("left,h", "move(-1)", "Day"), ("down,j", "move(7)", "Week"), ("up,k", "move(-7)", "Week"), ("right,l", "move(1)", "Day")),
    *line("previous / next month", ("left_square_bracket,pageup", "month(-1)", "Prev month"), ("right_square_bracket,pagedown", "month(1)", "Next month")),
    *line("select the next / previous post or empty slot of the day", ("tab", "select(1)", "Next item"), ("shift+tab", "select(-1)", "Previous item")),
    *line("month, week, agenda view", ("m", "view('month')", "Month", True), ("w", "view('week')", "Week", True), ("a", "view('agenda')", "Agenda", True)),
    *line("today", ("t", "today", "Today")),
    *line("go to a date", ("g", "goto", "Go to")),
    *line("new post on the selected day", ("n", "new_post", "New", True)),
    *line("edit the selected post (on an empty slot: write its post)", ("e,enter", "edit_post", "Edit", True)),
    *line("delete the selected post (asks first)", ("d", "delete_post", "Delete")),
    *line("move the selected post a day earlier / later", ("shift+left", "shift_post(-1, 0)", "Post a day earlier"), ("shift+right", "shift_post(1, 0)", "Post a day later")),
    *line("move the selected post an hour earlier / later", ("shift+up", "shift_post(0, -1)", "Post an hour earlier"), ("shift+down", "shift_post(0, 1)", "Post an hour later")),
    *line("fill the selected empty slot from the backlog", ("f", "fill", "Fill", True)),
    *line("log the selected post as published now (outcomes store, and its status in the plan)", ("L", "log_published", "Log as published")),
    *line("undo", ("u,ctrl+z", "undo", "Undo")),
    *line("redo", ("ctrl+r,ctrl+y", "redo", "Redo")),
    *line("search the whole plan (titles, bodies, ids, tags); the calendar then shows only the matches", ("slash", "search", "Search", True)),
    *line("filter by channel, kind, status, owner (a different dialog)", ("F", "filter", "Filter")),
    *line("end a search; leave the findings", ("escape", "calendar", "Back to the calendar")),
    *line("go to the findings; enter jumps to the day", ("D", "findings", "Findings")),
    *line("show or hide the side panel (day, mix, findings)", ("s", "side", "Side panel")),
    *line("save (only the edited posts' lines change)", ("ctrl+s", "save", "Save", True)),
    *line("command palette: every action", ("ctrl+p", "app.command_palette", "Commands")),
    *line("this help", ("question_mark", "help", "Help", True)),
    *line("quit (asks if there are unsaved edits)", ("q", "quit", "Quit", True)),
)


def shown(key: str) -> str:
    """``shift+left`` as ``shift+←``."""
    *modifiers, name = key.split("+")
    return "+".join([*modifiers, SHOWN.get(name, name)])


def help_rows(bindings: Iterable[KeyLike]) -> list[tuple[str, str]]:
    """(keys, what they do), a row for each run of bindings with the same tooltip.

    A row's keys go in columns: each binding's first key, then each one's second
    (``← ↓ ↑ →  h j k l``).
    """
    rows = []
    for tooltip, together in groupby(bindings, key=lambda binding: binding.tooltip):
        columns = zip_longest(*(binding.key.split(",") for binding in together))
        rows.append(("  ".join(" ".join(shown(key) for key in column if key) for column in columns), tooltip))
    return rows


def keys_markdown() -> str:
    """The key table in Markdown, for the docs (the same rows as the help screen)."""
    rows = [f"| `{keys}` | {tooltip} |" for keys, tooltip in help_rows(KEYS)]
    return "\n".join(["| keys | action |", "|---|---|", *rows, "", CLICK, ""])
