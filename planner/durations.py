"""Durations written the way people write them in a plan: "90m", "3h", "14d", "2w", "1d12h"."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([smhdw])")
_WHOLE = re.compile(r"\s*(?:\d+\s*[smhdw]\s*)+")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse a duration such as "90m" or "1d12h"; raise ValueError with a readable reason."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit, e.g. \"90m\", \"3h\", \"14d\", \"2w\""
        )
    seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _PART.findall(text))
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The plan spelling of a duration in its largest whole unit up to days: "14d", "90m"."""
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0m"
    for unit in ("d", "h", "m"):
        size = _UNIT_SECONDS[unit]
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def whole_days(delta: timedelta) -> int | None:
    """The number of days if the duration is a whole number of days, else None."""
    if delta.seconds == 0 and delta.microseconds == 0:
        return delta.days
    return None
