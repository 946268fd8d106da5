"""How a file writes what it leaves to convention, decided once for the whole file.

Whether ``05/01/2027`` is the 5th of January or the 1st of May, whether ``3.250`` is three
thousand two hundred and fifty or three and a quarter: a file is written one way, so it is
read one way, never row by row. Each cell that reads only one way settles it; cells that read
both ways (to different values) follow what the others settled; a file whose cells settle it
both ways is refused, and so is a cell that nothing settles (the commands ask which way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable


class ConventionError(ValueError):
    """The file cannot be read one way; the message says why and how to say which way."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Ways:
    """What a file's cells say about one convention."""

    settled: dict[str, tuple[int, str]] = field(default_factory=dict)  # way -> the first (line, cell) only it reads
    undecided: tuple[int, str] | None = None  # the first (line, cell) that reads both ways, differently

    @property
    def way(self) -> str | None:
        """The way the cells settle, if they settle exactly one."""
        return next(iter(self.settled)) if len(self.settled) == 1 else None

    @property
    def mixed(self) -> bool:
        return len(self.settled) > 1


def survey(cells: Iterable[tuple[int, str, dict[str, Hashable]]]) -> Ways:
    """The ways of ``cells``: each is (line, text, its reading in each way that can read it)."""
    settled: dict[str, tuple[int, str]] = {}
    undecided = None
    for line, text, readings in cells:
        if len(readings) == 1:
            settled.setdefault(next(iter(readings)), (line, text))
        elif len(set(readings.values())) > 1 and undecided is None:
            undecided = (line, text)
    return Ways(settled, undecided)
