"""``cadence fmt``: one canonical layout for a plan, keeping every comment.

The layout:

- the comments at the top of the file stay at the top;
- tables in this order: ``[plan]``, ``[[goal]]``, ``[review]``, ``[kinds.*]``,
  ``[channels.*]``, ``[balance]``, ``[voice]``, ``[team.*]``, ``[rules]``, ``[x]``,
  ``[[post]]`` sorted by time (as instants) then id, ``[[backlog]]``; tables of one group
  keep their order, except posts;
- exactly one blank line between tables and none inside one;
- keys in the order the plan format documents them (the loader's order), unknown ones last;
- ``key = value`` with single spaces, no indentation, no trailing spaces;
- a one-line array that makes its line longer than 88 characters is written one item a line,
  with a trailing comma.

Comments move with what they describe: those right below a table's last value stay with the
table, those above a table (after a blank line) with that table, those above a key with the
key, those at the end of a line with it.
The formatter works on the text, table by table, so a 10,000-post plan formats in a fraction
of a second; the result parses to the same plan (posts reordered) and formatting it again
changes nothing.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

import tomli
import tomlkit

from planner import loader
from planner.localtime import instant
from planner.source import SourceIndex, content_end, key_offsets, line_start

LINE_LIMIT = 88
SECTION_ORDER = ("plan", "goal", "review", "kinds", "channels", "balance", "voice", "team", "rules", "x", "post", "backlog")
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "plan": tuple(loader.PLAN_KEYS),
    "goal": tuple(loader.GOAL_KEYS),
    "review": tuple(loader.REVIEW_KEYS),
    "kinds": tuple(loader.KIND_KEYS),
    "channels": tuple(loader.CHANNEL_KEYS),
    "balance": tuple(loader.BALANCE_KEYS),
    "voice": tuple(loader.VOICE_KEYS),
    "team": tuple(loader.MEMBER_KEYS),
    "rules": ("select", "ignore", "severity"),
    "post": tuple(loader.POST_KEYS),
    "backlog": tuple(loader.BACKLOG_KEYS),
}
_ARRAYS = ("goal", "post", "backlog")
_NAMED = ("kinds", "channels", "team")
_KEY_LINE = re.compile(r"[ \t]*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'))*)[ \t]*=[ \t]*")


def format_plan(text: str) -> str:
    """The plan's text in canonical layout. ``text`` must be TOML that tomli accepts."""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    data = tomli.loads(text)
    source = SourceIndex(text, data)
    paths = [path for path in source.tables if path]
    if not paths:
        return _tidy_lines(text).rstrip("\n") + "\n"
    starts = [line_start(text, source.tables[path].start) for path in paths]
    # the file's own comments (and any top-level keys) stay on top; comments directly above
    # the first header, after the last blank line, go with that table
    split = text.rfind("\n\n", 0, starts[0]) + 2 if "\n\n" in text[: starts[0]] else starts[0]
    split = max(split, content_end(text, 0, starts[0]))
    preamble_text = text[:split]
    pending_comments = _comment_lines(text[split : starts[0]])
    units: list[tuple[tuple, list[str]]] = []  # (sort key, lines)
    current_root: tuple | None = None
    for number, path in enumerate(paths):
        end = starts[number + 1] if number + 1 < len(paths) else len(text)
        last = content_end(text, starts[number], end)
        trailing, heading = _split_gap(text[last:end])
        lines = pending_comments + _format_table(text, starts[number], last, path) + trailing
        pending_comments = heading
        root = _root(path)
        if root == current_root and units:
            units[-1][1].extend(lines)
        else:
            units.append((_sort_key(root, data, len(units)), lines))
            current_root = root
    units.sort(key=lambda unit: unit[0])
    parts = []
    if preamble_text.strip():
        parts.append(_tidy_lines(preamble_text).rstrip("\n"))
    parts.extend("\n".join(lines) for _, lines in units)
    if pending_comments:
        parts.append("\n".join(pending_comments))
    return ("\n\n".join(parts) + "\n").replace("\n", newline)


def _root(path: tuple) -> tuple:
    if path[0] in _ARRAYS:
        return path[:2]
    if path[0] in _NAMED:
        return path[:2]
    return path[:1]


def _sort_key(root: tuple, data: dict[str, Any], position: int) -> tuple:
    section = SECTION_ORDER.index(root[0]) if root[0] in SECTION_ORDER else len(SECTION_ORDER)
    if root[0] == "post" and len(root) == 2:
        post = data["post"][root[1]]
        return (section, _post_instant(post.get("at"), data), str(post.get("id", "")), position)
    return (section, 0, "", position)


def _post_instant(at: Any, data: dict[str, Any]) -> float:
    try:
        return instant(at, ZoneInfo(data["plan"]["timezone"]))
    except Exception:  # a plan fmt cannot place in time keeps its order (the loader reports why)
        return float("inf")


def _format_table(text: str, start: int, end: int, path: tuple) -> list[str]:
    """The header and the entries of one table, keys in canonical order."""
    header_end = text.find("\n", start, end)
    header_end = end if header_end < 0 else header_end
    lines = [text[start:header_end].strip()]
    keys = key_offsets(text, header_end, end)
    order = KEY_ORDER.get(path[0], ())
    entries = []
    previous_end = header_end + 1
    for number, (name, offset) in enumerate(keys):
        key_start = line_start(text, offset)
        region_end = line_start(text, keys[number + 1][1]) if number + 1 < len(keys) else end
        value_end = content_end(text, key_start, region_end)
        comments = _comment_lines(text[previous_end:key_start])
        rank = order.index(name) if name in order else len(order)
        entries.append((rank, number, comments + _format_entry(text[key_start:value_end])))
        previous_end = value_end
    entries.sort(key=lambda entry: entry[:2])
    for _, _, entry_lines in entries:
        lines.extend(entry_lines)
    return lines


def _format_entry(entry: str) -> list[str]:
    lines = entry.rstrip("\n").split("\n")
    first = _KEY_LINE.sub(lambda found: f"{found.group(1)} = ", lines[0], count=1).rstrip()
    if len(lines) == 1 and len(first) > LINE_LIMIT:
        first = _wrap_array(first)
    return [first, *lines[1:]]


def _wrap_array(line: str) -> str:
    """A long one-line array of plain values, one item a line with a trailing comma."""
    key, _, value = line.partition(" = ")
    if "#" in value:
        return line
    try:
        items = tomli.loads(f"v = {value}")["v"]
    except tomli.TOMLDecodeError:
        return line
    if not isinstance(items, list) or not items or any(isinstance(item, (list, dict)) for item in items):
        return line
    rendered = "".join(f"\n  {tomlkit.item(item).as_string()}," for item in items)
    return f"{key} = [{rendered}\n]"


def _split_gap(gap: str) -> tuple[list[str], list[str]]:
    """Comments after a table: those right below its last line, before a blank line, stay with
    it; the rest (all of them when there is no blank line) head the next table.

    A heading comment set off from its table by a blank line (a section title) keeps one.
    """
    lines = gap.split("\n")[:-1]  # the gap ends where the next header's line starts
    blank = next((number for number, line in enumerate(lines) if not line.strip()), 0)  # none: all head the next
    heading: list[str] = []
    for line in lines[blank:]:
        if line.strip().startswith("#"):
            heading.append(line.strip())
        elif heading and heading[-1]:
            heading.append("")  # paragraphs of comments stay apart, by one blank line
    while len(heading) > 1 and heading[-1] == "" and heading[-2] == "":
        heading.pop()
    if heading and heading[-1] == "" and not gap.rstrip(" \t").endswith("\n\n"):
        heading.pop()
    return _comment_lines("\n".join(lines[:blank])), heading


def _comment_lines(gap: str) -> list[str]:
    return [line.strip() for line in gap.split("\n") if line.strip().startswith("#")]


def _tidy_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))
