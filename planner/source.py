"""Where things are in a plan's text: the line of every table header and of every key.

tomli gives values but no positions, so this module finds them in the text itself, in two
steps that keep a 10,000-post file cheap:

- Headers: one regular expression skips whole runs of text up to the next line that starts
  with ``[``, consuming strings and comments as it goes, so a ``[[post]]`` inside a
  multi-line string is never taken for a header. A line starting with ``[`` inside a
  multi-line array (``[[1]]``) would be; the header counts are therefore checked against
  tomli's parse, and on any mismatch a full scan that tracks bracket depth is used instead.
- Keys: found per table, only when a position inside that table is asked for.

It only ever runs on text that tomli has accepted, so it can trust the syntax.
Arrays of tables are numbered: the third ``[[post]]`` is ``("post", 2)``, and a
``[post.x]`` after it is ``("post", 2, "x")``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import tomli

_BARE = r"[A-Za-z0-9_-]+"
# Runs of plain characters are taken whole and never given back (possessive, Python 3.11): a
# group per character costs re a backtracking frame per character, 1.6 GB for a 5 MB body.
_QUOTED = r"\"(?:[^\"\\\n]++|\\.)*+\"|'[^'\n]*'"
_MULTILINE = r"\"\"\"(?:[^\\\"]++|\\.|\"(?!\"\"))*+\"\"\"(?:\"\"?)?|'''.*?'''(?:''?)?"
_STRINGS = _MULTILINE + "|" + _QUOTED
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_KEY_PATH = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_HEADER = rf"[ \t]*(?P<open>\[\[?)[ \t]*(?P<path>{_KEY_PATH})[ \t]*(?P<close>\]\]?)"

_HEADER_AT_START = re.compile(_HEADER)
_HEADER_LINE = re.compile(rf"\n{_HEADER}")  # a literal first character lets re skip ahead fast
_LEXEME = re.compile(rf"(?P<multiline>{_MULTILINE})|(?P<string>{_QUOTED})|(?P<comment>\#[^\n]*)", re.DOTALL)

_TOKEN = re.compile(
    rf"""
      (?P<header>^{_HEADER})
    | (?P<key>^[ \t]*(?P<kpath>{_KEY_PATH})[ \t]*=)
    | (?P<string>{_STRINGS})
    | (?P<comment>\#[^\n]*)
    | (?P<opener>[\[{{])
    | (?P<closer>[\]}}])
    """,
    re.MULTILINE | re.VERBOSE | re.DOTALL,
)


class Lines:
    """Line numbers of offsets in one text, counted from the nearest offset already numbered.

    A check asks for the lines of the few tables with findings, in any order: counting each
    from the start of a 10 MB plan would be slow, numbering every header up front wasted.
    """

    __slots__ = ("text", "_offsets", "_lines")

    def __init__(self, text: str):
        self.text = text
        self._offsets, self._lines = [0], [1]  # sorted offsets and their lines

    def line(self, offset: int) -> int:
        place = bisect_right(self._offsets, offset) - 1
        known = self._offsets[place]
        line = self._lines[place] + self.text.count("\n", known, offset)
        if offset != known:
            self._offsets.insert(place + 1, offset)
            self._lines.insert(place + 1, line)
        return line


@dataclass(slots=True)
class Table:
    """A table as written: its header's position and the span of text it owns."""

    start: int  # offset of the header (0 for the top level)
    lines: Lines = field(repr=False)
    end: int = -1  # offset where the next header starts
    keys: dict[str, tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def line(self) -> int:
        return self.lines.line(self.start)

    @property
    def column(self) -> int:
        return self.start - self.lines.text.rfind("\n", 0, self.start)


def split_key_path(text: str) -> tuple[str, ...]:
    """Split a TOML dotted key into its parts, unquoting quoted parts."""
    if '"' not in text and "'" not in text:
        return tuple(part.strip() for part in text.split("."))
    parsed: Any = tomli.loads(f"{text} = 0")
    parts: list[str] = []
    while isinstance(parsed, dict):
        ((name, parsed),) = parsed.items()
        parts.append(name)
    return tuple(parts)


class SourceIndex:
    """Positions of the tables and keys of one TOML document that tomli has parsed."""

    def __init__(self, text: str, data: dict[str, Any] | None = None):
        self.text = text
        self._data = data
        self._tables: dict[tuple, Table] | None = None

    @property
    def tables(self) -> dict[tuple, Table]:
        """Every table by its resolved path; found on first use, as a clean plan never needs it."""
        if self._tables is None:
            self._tables = self._index()
        return self._tables

    def _index(self) -> dict[tuple, Table]:
        text = self.text
        headers = _fast_headers(text)
        # with tomli's parse the headers are checked against it; without, a cheap guard decides
        doubtful = not _agrees(headers, self._data) if self._data is not None else _inside_array(text, headers)
        if doubtful:
            headers = _careful_headers(text)
        self._data = None
        lines = Lines(text)
        tables: dict[tuple, Table] = {(): Table(0, lines)}
        array_counts: dict[tuple[str, ...], int] = {}
        previous = tables[()]
        for offset, is_array, raw in headers:
            if is_array:
                count = array_counts[raw] = array_counts.get(raw, 0) + 1
                path = (raw[0], count - 1) if len(raw) == 1 else _resolve(raw, array_counts, True)
            else:
                path = raw if len(raw) == 1 else _resolve(raw, array_counts, False)
            previous.end = offset
            previous = tables[path] = Table(offset, lines)
        previous.end = len(text)
        return tables

    def edited(self, text: str, start: int, old_end: int, new_end: int) -> "SourceIndex":
        """The index of ``text``: this index's text with [start, old_end) replaced by what is now
        [start, new_end), inside one table and touching no header (the caller makes sure). The
        tables after the edit move; no header is searched for again (the language server's
        keystroke in a 10,000-post plan)."""
        shift, lines = new_end - old_end, Lines(text)
        index = SourceIndex(text)
        index._tables = {
            path: Table(table.start if table.start < start else table.start + shift, lines, table.end if table.end < start else table.end + shift)
            for path, table in self.tables.items()
        }
        return index

    def locate(self, path: tuple) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of the nearest enclosing thing written.

        ``("post", 3, "channel")`` is the ``channel =`` line of the fourth post; a key that is
        not written in its table (a default, or a dotted key further up) falls back to the
        header of the table, then to the key that holds it in an outer table.
        """
        for cut in range(len(path), -1, -1):
            table = self.tables.get(path[:cut])
            if table is None:
                continue
            if cut < len(path):
                keys = self._keys(table)
                if path[cut] in keys:
                    return keys[path[cut]]
            return table.line, table.column
        return 1, 1

    def _keys(self, table: Table) -> dict[str, tuple[int, int]]:
        if table.keys is None:
            table.keys = _keys_between(self.text, table.start, table.end, table.line)
        return table.keys


def _resolve(raw: tuple[str, ...], array_counts: dict[tuple[str, ...], int], is_array: bool) -> tuple:
    """Insert the current index after every array-of-tables prefix of a header path."""
    resolved: list = []
    for depth in range(1, len(raw) + 1):
        resolved.append(raw[depth - 1])
        count = array_counts.get(raw[:depth])
        if count is not None and (depth < len(raw) or is_array):
            resolved.append(count - 1)
    return tuple(resolved)


Header = tuple[int, bool, tuple[str, ...]]  # offset, is array, raw path


def _fast_headers(text: str) -> list[Header]:
    """Lines that start with a header, less those inside multi-line strings."""
    headers: list[Header] = []
    spans = multiline_strings(text)
    inside = 0
    paths: dict[str, tuple[str, ...]] = {}  # each header as written, split once: a plan repeats "[[post]]"
    at_start = _HEADER_AT_START.match(text)
    for found in chain([at_start] if at_start else (), _HEADER_LINE.finditer(text)):
        start = found.start("open")
        if spans:
            while inside < len(spans) and spans[inside][1] <= start:
                inside += 1
            if inside < len(spans) and spans[inside][0] <= start:
                continue
        opening, raw = found.group("open", "path")
        path = paths.get(raw)
        if path is None:
            path = paths[raw] = (raw,) if raw.isidentifier() else split_key_path(raw)
        headers.append((start, opening == "[[", path))
    return headers


def multiline_strings(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of every multi-line string, in order.

    Only the lines that hold a triple quote are read token by token; the rest is skipped.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    upcoming = {mark: text.find(mark) for mark in ('"""', "'''")}  # -1: none left
    while True:
        for mark, at in upcoming.items():
            if 0 <= at < position:  # searched again only once passed: the text is read once
                upcoming[mark] = text.find(mark, position)
        live = [at for at in upcoming.values() if at >= 0]
        if not live:
            return spans
        quote = min(live)
        # read from the start of the quote's line (or where the last string ended on it)
        cursor = max(position, text.rfind("\n", 0, quote) + 1)
        position = quote + 3
        for token in _LEXEME.finditer(text, cursor):
            if token.end() <= quote:
                continue  # a string or comment before the triple quote
            if token.lastgroup == "multiline":
                spans.append(token.span())
            position = max(position, token.end())  # else the quote sat in a string or comment
            break


def _careful_headers(text: str) -> list[Header]:
    """Every header, tracking bracket depth so nothing inside a value is taken for one."""
    headers: list[Header] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "opener":
            depth += 1
        elif kind == "closer":
            depth -= 1
        elif kind == "header":
            if depth:  # "[[1]]" inside a multi-line array
                depth += len(match["open"]) - len(match["close"])
                continue
            headers.append((match.start("open"), match["open"] == "[[", split_key_path(match["path"])))
    return headers


def _agrees(headers: list[Header], data: dict[str, Any]) -> bool:
    """Whether the headers found match what tomli parsed: each array's count, each table's path."""
    arrays: dict[tuple[str, ...], int] = {}
    for _, is_array, raw in headers:
        if is_array:
            arrays[raw] = arrays.get(raw, 0) + 1
        elif not _exists(data, raw):
            return False
    for raw, count in arrays.items():
        if len(raw) == 1 and not (isinstance(data.get(raw[0]), list) and len(data[raw[0]]) == count):
            return False
    return True


_TRAILING_COMMENT = re.compile(r"[ \t]*#[^\"'\n]*$")
_OPEN_ARRAY = re.compile(r"=[ \t]*\[[^\]\n]*$", re.MULTILINE)  # an array left open at the end of its line


def _inside_array(text: str, headers: list[Header]) -> bool:
    """Whether a header might sit inside a multi-line array: the line above it goes on a list.

    Without tomli's parse to check against (the writer's case), this is the cheap guard:
    a header right after a line ending in "," or "[" sends the scan the careful way.
    """
    if not _OPEN_ARRAY.search(text):
        return False  # no array runs over a line: nothing to be inside
    for start, *_ in headers:
        line_end = text.rfind("\n", 0, start)
        while line_end > 0:
            line_start = text.rfind("\n", 0, line_end) + 1
            above = _TRAILING_COMMENT.sub("", text[line_start:line_end]).rstrip()
            if above:
                if above.endswith((",", "[")):
                    return True
                break
            line_end = line_start - 1
    return False


def _exists(data: Any, raw: tuple[str, ...]) -> bool:
    for part in raw:
        if isinstance(data, list):
            data = data[-1] if data else None
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def key_offsets(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Each top-level key of the table written in text[start:end], with its offset, in order.

    Keys nested in values (inline tables, arrays) and text inside strings are skipped.
    """
    keys: list[tuple[str, int]] = []
    depth = 0
    for match in _TOKEN.finditer(text, start, end):
        kind = match.lastgroup
        if kind == "opener":
            depth += 1
        elif kind == "closer":
            depth -= 1
        elif kind == "key" and depth == 0:
            keys.append((split_key_path(match["kpath"])[0], match.start("kpath")))
    return keys


def _keys_between(text: str, start: int, end: int, line: int) -> dict[str, tuple[int, int]]:
    """The first line and column of each top-level key of the table written in text[start:end]."""
    keys: dict[str, tuple[int, int]] = {}
    counted_to = start
    for name, offset in key_offsets(text, start, end):
        line += text.count("\n", counted_to, offset)
        counted_to = offset
        keys.setdefault(name, (line, offset - text.rfind("\n", 0, offset)))
    return keys


def line_start(text: str, offset: int) -> int:
    """The offset at which the line holding ``offset`` starts."""
    return text.rfind("\n", 0, offset) + 1


def content_end(text: str, start: int, end: int) -> int:
    """Just after the last line in text[start:end] that is neither blank nor only a comment.

    ``start`` and ``end`` are line starts; text that tomli accepted is assumed, so a line
    inside a multi-line string is never mistaken for a comment: the string's closing line
    comes after it.
    """
    position = end
    while position > start:
        begin = max(start, text.rfind("\n", start, position - 1) + 1)
        line = text[begin:position].strip()
        if line and not line.startswith("#"):
            return position
        position = begin
    return start
