"""Durations written the way people write them in a plan: "90m", "3h", "14d", "2w", "1d12h"."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([smhdw])")
_WHOLE = re.compile(r"\s*(?:\d+\s*[smhdw]\s*)+")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_DURATION = timedelta(days=3660)  # ten years, the longest horizon: no setting needs more


def parse_duration(text: str) -> timedelta:
    """Parse a duration such as "90m" or "1d12h"; raise ValueError with a readable reason."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit, e.g. \"90m\", \"3h\", \"14d\", \"2w\""
        )
    parts = _PART.findall(text)
    too_long = any(len(number) > 12 for number, _ in parts)  # not worth turning into an int
    if too_long or sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts) > MAX_DURATION.total_seconds():
        shown = repr(text) if len(text) <= 20 else f"{text[:20]!r}..."
        raise ValueError(f"{shown} is longer than the longest duration allowed ({format_duration(MAX_DURATION)}, ten years)")
    return timedelta(seconds=sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts))


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
