"""Figures as people and spreadsheets write them: one reader for every command that takes one.

A figure is written with a decimal point (``1,234.5``, ``0.06``) or a decimal comma (``1.234,5``,
``0,06``: Germany, Indonesia and most of Europe), with or without the other mark between
thousands. Which one a file uses is decided once for the file (:func:`decimal_mark`), as the
order of day and month is; a figure that reads two ways and that nothing settles is refused,
never guessed. A count (followers, likes) is a whole number: ``3.250`` can only be three
thousand two hundred and fifty there, and ``12,5`` is refused, not rounded.
"""

from __future__ import annotations

import re
from typing import Iterable

from planner.conventions import ConventionError, survey

MARKS = {".": "a decimal point", ",": "a decimal comma"}
_PATTERNS = {
    mark: re.compile(
        rf"(?P<sign>[-+])?(?P<whole>\d+|[1-9]\d{{0,2}}(?:{re.escape(group)}\d{{3}})+)?"
        rf"(?:{re.escape(mark)}(?P<fraction>\d+))?(?P<exponent>[eE][-+]?\d+)?",
        re.ASCII,  # digits of other scripts (１, ٣) are no figure an export writes
    )
    for mark, group in ((".", ","), (",", "."))
}
DIGITS = 30  # digits no export writes: more are not worked out (Python's int has a limit), the value is just huge


def readings(text: str, whole: bool = False) -> dict[str, int | float]:
    """``text`` read with each decimal mark that can read it (a count: only as a whole number)."""
    found = {}
    for mark, pattern in _PATTERNS.items():
        value = _value(pattern.fullmatch(text), mark)
        if value is not None and (not whole or float(value).is_integer()):
            found[mark] = int(value) if whole else value
    return found


def decimal_mark(cells: Iterable[tuple[int, str, bool]]) -> str | None:
    """The decimal mark of a file's figures, from its cells (line, text, whether a count), or
    None when no cell settles it. Raises :class:`ConventionError` for a file that writes both.
    A cell without a mark says nothing, and may be left out."""
    ways = survey((line, text, readings(text, whole)) for line, text, whole in cells)
    if ways.mixed:
        (point, point_text), (comma, comma_text) = ways.settled["."], ways.settled[","]
        raise ConventionError(
            max(point, comma),
            f"line {point} writes {point_text} with a decimal point and line {comma} writes {comma_text} with a decimal comma; "
            "a file writes its numbers one way: correct it, or pass --decimal . or --decimal , to say which",
        )
    return ways.way


def read_number(text: str, mark: str | None, whole: bool = False) -> int | float:
    """``text`` as a number written with ``mark`` (None: either, if both read it alike).

    Raises ValueError saying why it is none, after the text: ``'12,5' is not a whole number``.
    """
    if text.isascii() and text.isdigit() and len(text) <= DIGITS:  # what exports write most: read alike either way
        return int(text)
    found = readings(text, whole)
    if mark is not None and mark in found:
        return found[mark]
    if mark is None and len(set(found.values())) == 1:
        return next(iter(found.values()))
    if mark is None and found:
        raise ValueError(f"{text!r} is {found['.']} with a decimal point and {found[',']} with a decimal comma; pass --decimal . or --decimal , to say which")
    if whole and readings(text):
        raise ValueError(f"{text!r} is not a whole number")
    if mark is not None and readings(text):
        raise ValueError(f"{text!r} is not a number written with {MARKS[mark]}")
    raise ValueError(f"{text!r} is not a number")


def _value(match: re.Match | None, mark: str) -> int | float | None:
    if match is None or (match["whole"] is None and match["fraction"] is None):
        return None
    digits = (match["whole"] or "0").replace("," if mark == "." else ".", "")[: DIGITS + 1]
    sign = -1 if match["sign"] == "-" else 1
    if match["fraction"] is None and match["exponent"] is None:
        return sign * int(digits)
    return sign * float(f"{digits}.{(match['fraction'] or '0')[:DIGITS]}{match['exponent'] or ''}")
