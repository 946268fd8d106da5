"""What a rule reports: a :class:`Finding` from the rule, a :class:`Diagnostic` for the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.model import Post

SEVERITIES = ("error", "warning", "info")


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
    suggestions: tuple[str, ...] = ()

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
    suggestions: tuple[str, ...]
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
