"""Where things are in a plan's text: the line of every table header and top-level key.

tomli gives values but no positions. This scanner walks the TOML text once with a single
regular expression that consumes strings and comments whole, so a ``[[post]]`` inside a
multi-line string, or ``[[1]]`` inside a multi-line array, is never taken for a header.
It only runs on text that tomli has already accepted, so it can trust the syntax.

Headers of arrays of tables are numbered: the third ``[[post]]`` is the path ``("post", 2)``,
and a ``[post.x]`` after it resolves to ``("post", 2, "x")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tomli

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'"
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_KEY_PATH = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"

_TOKEN = re.compile(
    rf"""
      (?P<ml_basic>\"\"\"(?:[^\\"]|\\.|"(?!""))*\"\"\"(?:""?)?)
    | (?P<ml_literal>'''.*?'''(?:''?)?)
    | (?P<header>^[ \t]*(?P<open>\[\[?)[ \t]*(?P<hpath>{_KEY_PATH})[ \t]*(?P<close>\]\]?))
    | (?P<key>^[ \t]*(?P<kpath>{_KEY_PATH})[ \t]*=)
    | (?P<string>{_QUOTED})
    | (?P<comment>\#[^\n]*)
    | (?P<opener>[\[{{])
    | (?P<closer>[\]}}])
    """,
    re.MULTILINE | re.VERBOSE | re.DOTALL,
)


@dataclass
class Table:
    """A table as written in the file: its header's position and its own keys' positions."""

    line: int
    column: int
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)


def split_key_path(text: str) -> tuple[str, ...]:
    """Split a TOML dotted key into its parts, unquoting quoted parts."""
    if '"' not in text and "'" not in text:
        return tuple(part.strip() for part in text.split("."))
    parsed = tomli.loads(f"{text} = 0")
    parts: list[str] = []
    while isinstance(parsed, dict):
        (name, parsed), = parsed.items()
        parts.append(name)
    return tuple(parts)


class SourceIndex:
    """Positions of the tables and keys of one TOML document."""

    def __init__(self, text: str):
        self.tables: dict[tuple, Table] = {(): Table(1, 1)}
        self._array_counts: dict[tuple[str, ...], int] = {}
        self._scan(text)

    def _resolve(self, raw: tuple[str, ...]) -> tuple:
        """Insert the current index after every array-of-tables prefix of a header path."""
        resolved: list = []
        for depth in range(1, len(raw) + 1):
            resolved.append(raw[depth - 1])
            count = self._array_counts.get(raw[:depth])
            if count is not None and depth < len(raw):
                resolved.append(count - 1)
        return tuple(resolved)

    def _scan(self, text: str) -> None:
        depth = 0
        line = 1
        counted_to = 0
        current = self.tables[()]
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind == "opener":
                depth += 1
            elif kind == "closer":
                depth -= 1
            elif kind == "header" or kind == "key":
                if depth:
                    if kind == "header":
                        depth += len(match["open"]) - len(match["close"])
                    continue
                start = match.start("hpath" if kind == "header" else "kpath")
                line += text.count("\n", counted_to, start)
                counted_to = start
                column = start - text.rfind("\n", 0, start)
                if kind == "key":
                    name = split_key_path(match["kpath"])[0]
                    current.keys.setdefault(name, (line, column))
                    continue
                raw = split_key_path(match["hpath"])
                if match["open"] == "[[":
                    self._array_counts[raw] = self._array_counts.get(raw, 0) + 1
                    path = self._resolve(raw) + (self._array_counts[raw] - 1,)
                else:
                    path = self._resolve(raw)
                current = Table(line, column - len(match["open"]))
                self.tables[path] = current

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
            if cut < len(path) and path[cut] in table.keys:
                return table.keys[path[cut]]
            return table.line, table.column
        return 1, 1
