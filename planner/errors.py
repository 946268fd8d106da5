"""Problems found while reading a plan: each names the file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a plan file, located as precisely as the source allows."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PlanError(Exception):
    """Raised when a plan cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(name: str, known: Iterable, cutoff: float = 0.6) -> str:
    """``; did you mean 'instagram'?`` for the closest of ``known`` names, or ``""``.

    The one place every "unknown X" message gets its hint: plan keys, options, CSV columns.
    """
    import difflib

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""
