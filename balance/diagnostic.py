"""What a rule reports: a :class:`Finding` from the rule, a :class:`Diagnostic` for the user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from planner.model import Post

SEVERITIES = ("error", "warning", "info")


class LazyHelp(Sequence):
    """``help:`` lines for a slot of a channel, worked out when first read: a plan with 15,000
    gaps ranks its backlog for each, and text output shows 100 findings a rule. Holds the work
    and its slot, not a closure: 15,000 of them wait at once. Reads, compares and hashes as the
    tuple it stands for."""

    __slots__ = ("_work", "_channel", "_ts", "_lines")

    def __init__(self, work: Callable[[str, int], tuple[str, ...]], channel: str, ts: int):
        self._work: Callable[[str, int], tuple[str, ...]] | None = work
        self._channel, self._ts = channel, ts
        self._lines: tuple[str, ...] = ()

    def _done(self) -> tuple[str, ...]:
        if self._work is not None:
            self._lines, self._work = self._work(self._channel, self._ts), None
        return self._lines

    def __getitem__(self, index):
        return self._done()[index]

    def __len__(self) -> int:
        return len(self._done())

    def __iter__(self):
        return iter(self._done())

    def __eq__(self, other) -> bool:
        return self._done() == (other._done() if isinstance(other, LazyHelp) else other)

    def __hash__(self) -> int:
        return hash(self._done())

    def __repr__(self) -> str:
        return repr(self._done())


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem as a rule sees it, before the engine adds code, severity and position.

    ``where`` is a plan path such as ``("post", 3)`` or ``("channels", "instagram", "cadence")``;
    ``key`` identifies the finding stably across edits (for SARIF fingerprints).
    """

    message: str
    where: tuple
    key: str
    channel: str | None = None
    at: datetime | None = None
    day: date | None = None
    post_ids: tuple[str, ...] = ()
    suggestions: Sequence[str] = ()  # a tuple, or LazyHelp for lines costly to work out

    @classmethod
    def about(cls, post: Post, message: str, field: str | None = None, key: str | None = None) -> "Finding":
        """A finding about one post, at its header or at one of its keys (``field``)."""
        where = ("post", post.index, field) if field else ("post", post.index)
        return cls(message, where, key or post.id, post.channel, post.at, post.day, (post.id,))

    @classmethod
    def about_pair(cls, earlier: Post, later: Post, message: str) -> "Finding":
        """A finding about two posts of a channel, at the later one."""
        return cls(message, ("post", later.index), f"{earlier.id}+{later.id}", later.channel, later.at, later.day, (earlier.id, later.id))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One reported problem, ready for any output format."""

    code: str
    name: str
    severity: str
    message: str
    path: str
    line: int
    column: int
    channel: str | None
    at: datetime | None
    date: date | None
    post_ids: tuple[str, ...]
    suggestions: Sequence[str]  # a tuple, or LazyHelp: worked out when first read
    key: str

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: the rule and what it is about, not the line."""
        import hashlib  # only json and sarif print fingerprints

        return hashlib.sha256(f"{self.code}\0{self.key}".encode()).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.code, self.column, self.at.timestamp() if self.at else 0, self.message)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "channel": self.channel,
            "at": self.at.isoformat() if self.at else None,
            "date": self.date.isoformat() if self.date else None,
            "post_ids": list(self.post_ids),
            "suggestions": list(self.suggestions),
            "fingerprint": self.fingerprint,
        }
