"""Edit a plan's text without losing a byte: only the edited post's lines change.

Every tool that writes a plan (the app, ``cadence fmt``, ``cadence import``, ``suggest
--apply``) goes through here. An edit touches one table's block (its header to its last
value, sub-tables included); the block alone is parsed and rendered with tomlkit, which keeps
its comments, quoting and key order, and is spliced back into the text. Everything outside
the block stays byte-identical, line endings included. (tomlkit on a whole 10,000-post file
takes seconds; on one block, well under a millisecond.)

A new post goes in at its date-sorted place, before the first post that comes later (and
before the comment lines directly above that post), followed by a blank line; the latest
post goes after the last one, preceded by a blank line. So two people adding posts on
different days touch different lines, and git merges them.

A deleted post takes its header, its values and the blank lines after them; comments above
its header and below its last value (which head the next section) stay.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Union

import tomli
import tomlkit

from planner.loader import BACKLOG_KEYS, CHANNEL_KEYS, POST_KEYS
from planner.source import SourceIndex, content_end, line_start

_ID_LINE = re.compile(r"[ \t]*id[ \t]*=")
_AT_LINE = re.compile(r"^[ \t]*at[ \t]*=[ \t]*([^#\r\n]+?)[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)
POST_ORDER = tuple(POST_KEYS)
IDEA_ORDER = tuple(BACKLOG_KEYS)
CHANNEL_ORDER = tuple(CHANNEL_KEYS)


class EditError(ValueError):
    """An edit that cannot be applied: an unknown id, a duplicate id, a table written inline."""


@dataclass(frozen=True)
class AddPost:
    fields: dict[str, Any]  # plan-file values: "at" is a naive local datetime


@dataclass(frozen=True)
class ChangePost:
    post_id: str
    changes: dict[str, Any]  # a value of None removes the key


@dataclass(frozen=True)
class DeletePost:
    post_id: str


@dataclass(frozen=True)
class AddIdea:
    fields: dict[str, Any]


@dataclass(frozen=True)
class ChangeChannel:
    name: str
    changes: dict[str, Any] = field(default_factory=dict)


Edit = Union[AddPost, ChangePost, DeletePost, AddIdea, ChangeChannel]


@dataclass(frozen=True)
class Block:
    """Where a table is written: [start, content_end) is its header and values."""

    start: int  # start of the header's line
    content_end: int  # just after its last line that is not blank or a comment
    next_start: int  # start of the next table's header line (or the end of the text)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with ``edits`` applied in order. ``text`` must be a plan tomli accepts."""
    for edit in edits:
        text = PlanText(text).apply(edit)
    return text


class PlanText:
    """A plan's text with the positions of its tables, for one edit."""

    def __init__(self, text: str):
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.source = SourceIndex(text)
        self._paths = [path for path in self.source.tables if path]
        self._order = {path: position for position, path in enumerate(self._paths)}
        self._starts = [self.source.tables[path].start for path in self._paths]

    def apply(self, edit: Edit) -> str:
        if isinstance(edit, AddPost):
            return self.add_posts([edit.fields])
        if isinstance(edit, ChangePost):
            return self.change_table(("post", self.post_index(edit.post_id)), "post", edit.changes)
        if isinstance(edit, DeletePost):
            return self.delete(("post", self.post_index(edit.post_id)))
        if isinstance(edit, AddIdea):
            return self.add_idea(edit.fields)
        if isinstance(edit, ChangeChannel):
            path = ("channels", edit.name)
            if path not in self.source.tables:
                raise EditError(f"channel {edit.name!r} is not written as a [channels.{edit.name}] table")
            return self.change_table(path, None, edit.changes)
        raise TypeError(f"not an edit: {edit!r}")

    # -- finding things ------------------------------------------------------------------

    def paths(self) -> list[tuple]:
        """Every table's path, in file order."""
        return self._paths

    def block(self, path: tuple) -> Block:
        """The block of the table at ``path``, its sub-tables included."""
        end = len(self.text)
        for later in self._paths[self._order[path] + 1 :]:
            if later[: len(path)] != path:
                end = self._line_start(self.source.tables[later].start)
                break
        start = self._line_start(self.source.tables[path].start)
        return Block(start, self._content_end(start, end), end)

    def post_index(self, post_id: str) -> int:
        """The index of the post with ``post_id``: a quick text search, confirmed by parsing."""
        for quoted in {tomlkit.item(post_id).as_string(), f"'{post_id}'"}:
            position = self.text.find(quoted)
            while position >= 0:
                line_start = self._line_start(position)
                on_id_line = _ID_LINE.match(self.text, line_start, self._line_end(position))
                path = self._table_at(position) if on_id_line else None
                position = self.text.find(quoted, position + 1)
                if path and path[0] == "post" and len(path) == 2:
                    block = self.block(path)
                    if tomli.loads(self.text[block.start : block.content_end])["post"][0].get("id") == post_id:
                        return path[1]
        raise EditError(f"no post with id {post_id!r}")

    def _table_at(self, offset: int) -> tuple | None:
        position = bisect_right(self._starts, offset)
        return self._paths[position - 1] if position else None

    def _line_start(self, offset: int) -> int:
        return line_start(self.text, offset)

    def _content_end(self, start: int, end: int) -> int:
        return content_end(self.text, start, end)

    # -- edits ---------------------------------------------------------------------------

    def change_table(self, path: tuple, array: str | None, changes: dict[str, Any]) -> str:
        block = self.block(path)
        original = self.text[block.start : block.content_end]
        document = tomlkit.parse(original.replace("\r\n", "\n"))
        table = document[array][0] if array else _nested(document, path)
        for key, value in changes.items():
            if value is None:
                if key in table:
                    del table[key]
            else:
                table[key] = _item(value)
        rendered = tomlkit.dumps(document)
        if not original.endswith("\n"):
            rendered = rendered.rstrip("\n")
        return self.text[: block.start] + rendered.replace("\n", self.newline) + self.text[block.content_end :]

    def delete(self, path: tuple) -> str:
        block = self.block(path)
        end = block.content_end
        while end < block.next_start and self.text[end : self._line_end(end)].strip() == "":
            end = self._line_end(end)
        return self.text[: block.start] + self.text[end:]

    def _line_end(self, offset: int) -> int:
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found + 1

    def add_posts(self, new_posts: list[dict[str, Any]]) -> str:
        """Each new post at its date-sorted place; one pass, however many are added."""
        seen: set[str] = set()
        for fields in new_posts:
            post_id = fields.get("id")
            if not post_id:
                raise EditError("a new post needs an id")
            if post_id in seen or self._has_post(post_id):
                raise EditError(f"a post with id {post_id!r} already exists")
            seen.add(post_id)
        existing = self._post_times()
        times = [key for key, _ in existing]
        in_order = all(a <= b for a, b in zip(times, times[1:]))
        before: dict[int, list[tuple[tuple, str]]] = {}  # offset -> posts to put there
        after: list[tuple[tuple, str]] = []  # posts later than every existing one
        for fields in new_posts:
            key = (_wall(fields["at"]), fields["id"])
            rendered = render_table("post", fields, POST_ORDER, self.newline)
            if in_order:
                position = bisect_right(times, key[0])
                later = existing[position][1] if position < len(existing) else None
            else:
                later = next((block for time, block in existing if time > key[0]), None)
            if later is None:
                after.append((key, rendered))
            else:
                before.setdefault(self._attached_comments_start(later.start), []).append((key, rendered))
        text = self.text
        if after:
            after_text = "".join(self.newline + rendered for _, rendered in sorted(after))
            if existing:
                end = max(block.content_end for _, block in existing)
                text = text[:end] + after_text + text[end:]
            else:
                backlog = [path for path in self._paths if path[0] == "backlog" and len(path) == 2]
                if backlog:
                    start = self._attached_comments_start(self.block(backlog[0]).start)
                    text = text[:start] + after_text.removeprefix(self.newline) + self.newline + text[start:]
                else:
                    text = _join_at_end(text, after_text.removeprefix(self.newline), self.newline)
        for offset in sorted(before, reverse=True):
            inserted = "".join(rendered + self.newline for _, rendered in sorted(before[offset]))
            text = text[:offset] + inserted + text[offset:]
        return text

    def _has_post(self, post_id: str) -> bool:
        try:
            self.post_index(post_id)
        except EditError:
            return False
        return True

    def _post_times(self) -> list[tuple[datetime, Block]]:
        """Each post's wall time and block, in file order."""
        found = []
        for path in self._paths:
            if path[0] == "post" and len(path) == 2:
                block = self.block(path)
                at = _AT_LINE.search(self.text, block.start, block.content_end)
                if at:
                    found.append((_wall(_parse_datetime(at.group(1))), block))
        return found

    def add_idea(self, fields: dict[str, Any]) -> str:
        rendered = render_table("backlog", fields, IDEA_ORDER, self.newline)
        ideas = [path for path in self.paths() if path[0] == "backlog" and len(path) == 2]
        end = self.block(ideas[-1]).content_end if ideas else len(self.text)
        return self._append_at(end, rendered)

    def _append_at(self, end: int, rendered: str) -> str:
        """Insert a table after the content ending at ``end``, a blank line between."""
        return _join_at_end(self.text[:end], rendered, self.newline) + self.text[end:]

    def _attached_comments_start(self, start: int) -> int:
        """Move ``start`` up over comment lines directly above it (no blank line between)."""
        while start > 0:
            previous = self.text.rfind("\n", 0, start - 1) + 1
            if not self.text[previous:start].strip().startswith("#"):
                break
            start = previous
        return start


def new_post_id(mark: str, at: datetime, title: str, taken: set[str]) -> str:
    """A readable, stable id: channel mark, day and title words, e.g. "ig-20270104-latte-art"."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    slug = words[:32].rsplit("-", 1)[0] if len(words) > 32 else words
    base = f"{mark.lower()}-{at:%Y%m%d}-{slug or 'post'}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def render_table(array: str, fields: dict[str, Any], order: tuple[str, ...], newline: str = "\n") -> str:
    """A ``[[array]]`` table with ``fields`` in canonical order, ending with a newline."""
    known = [key for key in order if key in fields and fields[key] is not None]
    extra = [key for key in fields if key not in order and fields[key] is not None]
    lines = [f"[[{array}]]"] + [f"{key} = {_item(fields[key]).as_string()}" for key in known + extra]
    return newline.join(lines) + newline


def _item(value: Any) -> Any:
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # the plan's zone is implied
    return tomlkit.item(value)


def _nested(document: Any, path: tuple) -> Any:
    table = document
    for part in path:
        table = table[part]
    return table


def _parse_datetime(text: str) -> datetime | date:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return tomli.loads(f"v = {text}")["v"]


def _wall(value: datetime | date) -> datetime:
    """A post's time as written, for ordering in the file (an offset, if any, is dropped)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _join_at_end(text: str, addition: str, newline: str) -> str:
    if text and not text.endswith("\n"):
        text += newline
    return text + (newline if text.strip() else "") + addition
