"""``cadence fmt``: one canonical layout for a plan, keeping every comment.

The layout:

- the comments at the top of the file stay at the top;
- tables in this order: ``[plan]``, ``[[goal]]``, ``[review]``, ``[kinds.*]``,
  ``[channels.*]``, ``[balance]``, ``[voice]``, ``[team.*]``, ``[rules]``, ``[[blackout]]``, ``[x]``,
  ``[[post]]`` sorted by time (as instants) then id, ``[[backlog]]``; tables of one group
  keep their order, except posts;
- a table's sub-tables (``[plan.x]``, ``[channels.NAME.x]``, ``[post.x]``...) follow it with no
  blank line between, in the order written, wherever in the file they were written;
- exactly one blank line between tables and none inside one;
- keys in the order the plan format documents them (the loader's order), unknown ones last;
- ``key = value`` with single spaces, no indentation, no trailing spaces;
- a one-line array that makes its line longer than 88 characters is written one item a line,
  with a trailing comma.

Comments move with what they describe: those right below a table's last value stay with the
table, those above a table (after a blank line) with that table, those above a key with the
key, those at the end of a line with it. Comments above the table that comes first are the
file's top comments, as they are when the file is read again.
The formatter works on the text, table by table, so a 10,000-post plan formats in a fraction
of a second; the result parses to the same plan (posts reordered) and formatting it again
changes nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import tomli
import tomlkit

from planner import loader
from planner.localtime import instant
from planner.source import SourceIndex, content_end, key_offsets, line_start, multiline_strings

LINE_LIMIT = 88
SECTION_ORDER = ("plan", "goal", "review", "kinds", "channels", "networks", "balance", "voice", "team", "rules", "blackout", "x", "post", "backlog")
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "plan": tuple(loader.PLAN_KEYS),
    "goal": tuple(loader.GOAL_KEYS),
    "review": tuple(loader.REVIEW_KEYS),
    "kinds": tuple(loader.KIND_KEYS),
    "channels": tuple(loader.CHANNEL_KEYS),
    "networks": tuple(loader.NETWORK_KEYS),
    "balance": tuple(loader.BALANCE_KEYS),
    "voice": tuple(loader.VOICE_KEYS),
    "team": tuple(loader.MEMBER_KEYS),
    "rules": ("select", "ignore", "severity"),
    "post": tuple(loader.POST_KEYS),
    "backlog": tuple(loader.BACKLOG_KEYS),
    "blackout": tuple(loader.BLACKOUT_KEYS),
}
_RANKS = {section: {key: rank for rank, key in enumerate(keys)} for section, keys in KEY_ORDER.items()}
_ARRAYS = ("goal", "post", "backlog", "blackout")
_NAMED = ("kinds", "channels", "networks", "team")
_KEY_LINE = re.compile(r"[ \t]*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'))*)[ \t]*=[ \t]*")


def format_plan(text: str, data: dict[str, Any] | None = None) -> str:
    """The plan's text in canonical layout. ``text`` must be TOML that tomli accepts
    (``data``: its parse, when the caller has it)."""
    return layout(text, data).text


@dataclass(frozen=True)
class Layout:
    """A plan's canonical text, and how many of its tables that changes (edited or moved)."""

    text: str
    changed_tables: int


def layout(text: str, data: dict[str, Any] | None = None) -> Layout:
    """The canonical text of a plan and the number of tables it rewrites or moves.

    Linear in the text: a table counts as changed when its own lines change, or when it is
    not among the longest run of tables that keep their relative order (the fewest moves).
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    if data is None:
        data = tomli.loads(text)
    source = SourceIndex(text, data)
    paths = [path for path in source.tables if path]
    if not paths:
        tidy = _tidy_lines(text).rstrip("\n") + "\n"
        return Layout(tidy.replace("\n", newline), 0)
    starts = [line_start(text, source.tables[path].start) for path in paths]
    # the file's own comments (and any top-level keys) stay on top; comments directly above
    # the first header, after the last blank line, go with that table
    split = text.rfind("\n\n", 0, starts[0]) + 2 if "\n\n" in text[: starts[0]] else starts[0]
    split = max(split, content_end(text, 0, starts[0]))
    preamble_text = text[:split]
    pending_comments = _comment_lines(text[split : starts[0]])
    units: list[_Unit] = []
    unit_of: dict[tuple, _Unit] = {}  # by root: a sub-table joins its table's unit, wherever it is written
    zone = plan_zone(data.get("plan"))
    for number, path in enumerate(paths):
        end = starts[number + 1] if number + 1 < len(paths) else len(text)
        last = content_end(text, starts[number], end)
        final = number + 1 == len(paths)
        trailing, heading = _split_gap(text[last:end] + ("\n" if final and not text.endswith("\n") else ""), final)
        table = _as_laid_out(text, starts[number], last, path)
        changed = False
        if table is None:
            table = _plain_table_lines(text, starts[number], last, path) or table_lines(text, starts[number], last, path)
            changed = "\n".join(table) != text[starts[number] : last].rstrip("\n")
        root = _root(path)
        unit = unit_of.get(root)
        if unit is None:
            unit = unit_of[root] = _Unit(_sort_key(root, data, zone, len(units)), len(units), pending_comments, table + trailing, changed)
            units.append(unit)
        else:  # a sub-table (or the table itself, after a sub-table of its own)
            unit.add(path == root, pending_comments, table + trailing, changed or unit is not units[-1])
        pending_comments = heading
    keys = [unit.key for unit in units]
    if any(later < earlier for earlier, later in zip(keys, keys[1:])):
        kept_in_place = _longest_increasing(keys)
        units.sort(key=lambda unit: unit.key)
    else:
        kept_in_place = set(range(len(units)))
    parts = []
    if preamble_text.strip():
        parts.append(_tidy_lines(preamble_text).rstrip("\n"))
    elif units[0].parts[0][0]:  # comments on top of the file, as the next read of it takes them
        parts.append("\n".join(units[0].parts[0][0]).rstrip("\n"))
        units[0].parts[0] = ([], units[0].parts[0][1])
    parts.extend(unit.text() for unit in units)
    if pending_comments:
        parts.append("\n".join(pending_comments))
    formatted = "\n\n".join(parts) + "\n"
    if formatted == text:
        changed_tables = 0
    else:
        changed_tables = sum(1 for unit in units if unit.changed or unit.begun not in kept_in_place)
        changed_tables = max(changed_tables, 1)  # only blank lines or the file's top differ
    return Layout(formatted.replace("\n", newline), changed_tables)


class _Unit:
    """A table with its sub-tables, laid out together: the table's own header first, then its
    sub-tables in the order written (an array of tables' items keep their order), with no
    blank line inside the unit. A sub-table written apart from its table moves to it."""

    __slots__ = ("key", "begun", "changed", "parts")

    def __init__(self, key: tuple, begun: int, heading: list[str], lines: list[str], changed: bool):
        self.key, self.begun, self.changed = key, begun, changed  # sort key; where it began among the units
        self.parts = [(heading, lines)]  # the comments heading each table, and its lines

    def add(self, is_root: bool, heading: list[str], lines: list[str], changed: bool) -> None:
        if is_root:
            self.parts.insert(0, (heading, lines))
        else:
            self.parts.append((heading, lines))
        self.changed = self.changed or changed or is_root

    def text(self) -> str:
        if len(self.parts) == 1:
            heading, lines = self.parts[0]
            return "\n".join(heading + lines if heading else lines)
        lines = []
        for number, (heading, table) in enumerate(self.parts):
            lines += heading if number == 0 else [line for line in heading if line]
            lines += table
        return "\n".join(lines)


def _longest_increasing(keys: list[tuple]) -> set[int]:
    """The positions of a longest strictly increasing run of ``keys`` (patience sorting)."""
    tails: list[tuple] = []  # the smallest last key of a run of each length
    tail_at: list[int] = []
    previous: list[int] = []
    for position, key in enumerate(keys):
        length = bisect_left(tails, key)
        if length == len(tails):
            tails.append(key)
            tail_at.append(position)
        else:
            tails[length], tail_at[length] = key, position
        previous.append(tail_at[length - 1] if length else -1)
    kept, position = set(), tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(position)
        position = previous[position]
    return kept


# -- the canonical order, one definition for the formatter and the writer ------------------


def section_rank(name: str) -> int:
    return SECTION_ORDER.index(name) if name in SECTION_ORDER else len(SECTION_ORDER)


def key_rank(section: str, key: str) -> int:
    """Where a key goes in a table of ``section``: the documented order, unknown keys last."""
    ranks = _RANKS.get(section)
    if ranks is None:
        return 0
    return ranks.get(key, len(ranks))


def plan_zone(plan: Any) -> ZoneInfo | None:
    """The plan's time zone, or None when [plan] does not name a usable one."""
    try:
        return ZoneInfo(plan["timezone"])
    except Exception:  # the loader says why; the layout only needs an order
        return None


def post_key(at: Any, post_id: Any, zone: ZoneInfo | None) -> tuple[float, str]:
    """A post's place among the posts: its instant, then its id.

    A post that cannot be placed in time (no zone, no usable ``at``) sorts after the others.
    """
    try:
        moment: float = instant(at, zone) if zone is not None else float("inf")
    except Exception:  # not a date-time: the loader reports it
        moment = float("inf")
    return moment, str(post_id if post_id is not None else "")


def _root(path: tuple) -> tuple:
    if path[0] in _ARRAYS or path[0] in _NAMED:
        return path[:2]
    return path[:1]


def _sort_key(root: tuple, data: dict[str, Any], zone: ZoneInfo | None, position: int) -> tuple:
    section = section_rank(root[0])
    posts = data.get("post")
    if root[0] == "post" and len(root) == 2 and isinstance(root[1], int) and isinstance(posts, list):
        post = posts[root[1]]
        return (section, *post_key(post.get("at"), post.get("id"), zone), position)
    return (section, 0, "", position)


# single-line values (no line may hold a triple quote: the callers check the table for one)
_LAID_OUT_LINE = r"""[A-Za-z0-9_-]+ = (?![ \t])(?:[^\[{\n].*|\[.*\]|\{.*\})(?<![ \t])"""
_LAID_OUT_BODY = re.compile(rf"(?:{_LAID_OUT_LINE}\n)*{_LAID_OUT_LINE}")
_LONG_ARRAY = re.compile(rf"^(?=.{{{LINE_LIMIT + 1}}})[A-Za-z0-9_-]+ = \[", re.MULTILINE)
_KEY_AT_LINE_START = re.compile(r"^([A-Za-z0-9_-]+) = ", re.MULTILINE)
_KEYS_IN_ORDER: dict[tuple, bool] = {}  # (section, keys as written) -> whether that is the layout's order


def _as_laid_out(text: str, start: int, end: int, path: tuple) -> list[str] | None:
    """A table already in the layout, as one chunk of text; None to have :func:`table_lines` say.

    The quick case of a formatted plan: a stripped header, then one ``key = value`` line per
    key (bare keys, single-line values that need no wrapping, nothing trailing), keys in order.
    Anything else (comments, multi-line values, odd spacing) goes the full way.
    """
    end = end - 1 if end > start and text[end - 1] == "\n" else end
    if _has_triple_quote(text, start, end):
        return None
    header_end = text.find("\n", start, end)
    header = text[start : end if header_end < 0 else header_end]
    if header != header.strip():
        return None
    if header_end >= 0:
        body = header_end + 1
        if not _LAID_OUT_BODY.fullmatch(text, body, end) or _LONG_ARRAY.search(text, body, end):
            return None
        order = (path[0], tuple(_KEY_AT_LINE_START.findall(text, body, end)))
        if order not in _KEYS_IN_ORDER:
            ranks = [key_rank(path[0], key) for key in order[1]]
            _KEYS_IN_ORDER[order] = ranks == sorted(ranks)
        if not _KEYS_IN_ORDER[order]:
            return None
    return [text[start:end]]


_PLAIN_VALUE = r"""(?![ \t])(?:[^\[{\n].*|\[.*\]|\{.*\})(?<![ \t])"""
_PLAIN_LINE = re.compile(rf"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*({_PLAIN_VALUE})[ \t]*")


def _has_triple_quote(text: str, start: int, end: int) -> bool:
    return text.find('"""', start, end) >= 0 or text.find("\'\'\'", start, end) >= 0


def _plain_table_lines(text: str, start: int, end: int, path: tuple) -> list[str] | None:
    """What :func:`table_lines` makes of a table of plain lines (one bare ``key = value`` a
    line, single-line values, no comment lines), without its tokenizer; None for any other."""
    if _has_triple_quote(text, start, end):
        return None
    lines = text[start:end].rstrip("\n").split("\n")
    ranks = _RANKS.get(path[0], {})
    entries = []
    for number, line in enumerate(lines[1:]):
        found = _PLAIN_LINE.fullmatch(line)
        if found is None:
            return None
        key, value = found.groups()
        entry = f"{key} = {value}"
        entries.append((ranks.get(key, len(ranks)), number, fit_line(entry) if len(entry) > LINE_LIMIT else entry))
    entries.sort(key=lambda entry: entry[:2])
    return [lines[0].strip(), *(entry for _, _, entry in entries)]


def table_lines(text: str, start: int, end: int, path: tuple) -> list[str]:
    """The header and the entries of one table, keys in canonical order."""
    header_end = text.find("\n", start, end)
    header_end = end if header_end < 0 else header_end
    lines = [text[start:header_end].strip()]
    keys = key_offsets(text, header_end, end)
    entries = []
    previous_end = header_end + 1
    for number, (name, offset) in enumerate(keys):
        key_start = line_start(text, offset)
        region_end = line_start(text, keys[number + 1][1]) if number + 1 < len(keys) else end
        value_end = content_end(text, key_start, region_end)
        comments = _comment_lines(text[previous_end:key_start])
        rank = key_rank(path[0], name)
        entries.append((rank, number, comments + _format_entry(text[key_start:value_end])))
        previous_end = value_end
    entries.sort(key=lambda entry: entry[:2])
    for _, _, entry_lines in entries:
        lines.extend(entry_lines)
    return lines


def _format_entry(entry: str) -> list[str]:
    lines = entry.rstrip("\n").split("\n")
    first = _KEY_LINE.sub(lambda found: f"{found.group(1)} = ", lines[0], count=1)
    if len(lines) == 1:
        return [fit_line(first.rstrip())]
    if not _ends_inside_string(first):  # spaces before a multi-line string's first newline are its own
        first = first.rstrip()
    return [first, *lines[1:]]


def fit_line(line: str) -> str:
    """A ``key = value`` line as the layout writes it: a one-line array that makes it longer
    than the limit goes one item a line."""
    return _wrap_array(line) if len(line) > LINE_LIMIT else line


def _ends_inside_string(line: str) -> bool:
    """Whether a line ends inside a multi-line string that it opens."""
    if '"""' not in line and "'''" not in line:
        return False
    spans = multiline_strings(line + "\n" + '"""' + "'''")  # close whatever is left open
    return any(start < len(line) < end for start, end in spans)


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


def _split_gap(gap: str, final: bool = False) -> tuple[list[str], list[str]]:
    """Comments after a table: those right below its last line, before a blank line, stay with
    it; the rest (all of them when there is no blank line) head the next table. After the last
    table (``final``), those right below it stay with it, and the rest end the file.

    A heading comment set off from its table by a blank line (a section title) keeps one.
    """
    if not gap.strip():
        return [], []
    lines = gap.split("\n")[:-1]  # the gap ends where the next header's line starts
    blank = next((number for number, line in enumerate(lines) if not line.strip()), len(lines) if final else 0)  # none: all head the next
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
    """Trailing spaces off every line, except inside multi-line strings (where they are data)."""
    if '"""' not in text and "'''" not in text:
        return "\n".join(line.rstrip() for line in text.split("\n"))
    spans = multiline_strings(text)
    tidy, position = [], 0
    for line in text.split("\n"):
        end = position + len(line)
        inside = any(start < end < stop for start, stop in spans)
        tidy.append(line if inside else line.rstrip())
        position = end + 1
    return "\n".join(tidy)
