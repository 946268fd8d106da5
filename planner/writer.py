"""Edit a plan's text without losing a byte: only the edited post's lines change.

Every tool that writes a plan (the app, ``cadence fmt``, ``cadence import``, ``suggest
--apply``, the git merge driver) goes through here. Public API: the edits (:class:`AddPost`,
:class:`ChangePost`, :class:`DeletePost`, :class:`AddIdea`, :class:`ChangeChannel`),
:func:`apply_edits`, :class:`PlanText` (``apply(edit)``, ``add_posts(list of fields)``,
``post_index(id)``, ``block(path)``), :func:`render_table`, :func:`new_post_id` and
:class:`EditError`.

An edit touches one table's block (its header to its last value, sub-tables included); the
block alone is parsed and edited with tomlkit, which keeps its comments and quoting, then laid
out by :mod:`planner.formatter` (key order, ``key = value``, long arrays) and spliced back into
the text. Everything outside the block stays byte-identical, line endings included (the
edited lines keep the ending of the lines around them). tomlkit on a whole 10,000-post file
takes seconds; on one block, well under a millisecond.

The order of posts is the formatter's (:func:`planner.formatter.post_key`: instant, then id),
so a formatted plan stays formatted after any edit. A new post goes in at its place, before
the first post that sorts after it (and before the comment lines directly above that post),
followed by a blank line; the latest post goes after the last one (and its trailing comments),
preceded by a blank line. So two people adding posts on different days touch different lines,
and git merges them. A post whose time or id changes moves to its place, with its comments.

A deleted post takes its header, its values and the blank lines after them; comments above
its header and below its last value (which head the next section) stay.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Iterable, Union
from zoneinfo import ZoneInfo

import tomli
import tomlkit

from planner.formatter import LINE_LIMIT, fit_line, format_plan, key_rank, plan_zone, post_key
from planner.source import SourceIndex, content_end, line_start

_ID_LINE = re.compile(r"[ \t]*id[ \t]*=")
# "at" and "id" lines as the layout writes them (unindented): the literal start lets re skip
# ahead fast; a post written otherwise is parsed instead
_AT_LINE = re.compile(r"\nat[ \t]*=[ \t]*([^#\r\n]+?)[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)


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
        self.newline = "\r\n" if "\r\n" in text else "\n"  # for a file that has no lines yet
        self.source = SourceIndex(text)
        self._paths = [path for path in self.source.tables if path]
        self._order = {path: position for position, path in enumerate(self._paths)}
        self._starts = [self.source.tables[path].start for path in self._paths]
        self._posts: dict[int, tuple[tuple, str]] = {}  # by table number: order key, id
        self._places: dict[tuple[int, int], tuple[int, str]] = {}  # by (posts, position): where a post goes

    def apply(self, edit: Edit) -> str:
        if isinstance(edit, AddPost):
            return self.add_posts([edit.fields])
        if isinstance(edit, ChangePost):
            return self.change_post(edit.post_id, edit.changes)
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
        after = self._order[path] + 1
        while after < len(self._paths) and self._paths[after][: len(path)] == path:
            after += 1
        end = self._line_start(self._starts[after]) if after < len(self._paths) else len(self.text)
        start = self._line_start(self.source.tables[path].start)
        return Block(start, self._content_end(start, end), end)

    def post_index(self, post_id: str) -> int:
        """The index of the post with ``post_id``: a quick text search, confirmed by parsing;
        an id written with escapes is found by reading every post's id."""
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
        if not _PLAIN_ID.fullmatch(post_id):  # it may be written with escapes: read every id
            for number in self._post_numbers:
                if self._post(number)[1] == post_id:
                    return self._paths[number][1]
        raise EditError(f"no post with id {post_id!r}")

    def _table_at(self, offset: int) -> tuple | None:
        position = bisect_right(self._starts, offset)
        return self._paths[position - 1] if position else None

    def _line_start(self, offset: int) -> int:
        return line_start(self.text, offset)

    def _line_end(self, offset: int) -> int:
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found + 1

    def _content_end(self, start: int, end: int) -> int:
        return content_end(self.text, start, end)

    def _ending(self, offset: int) -> str:
        """The line ending of the line holding ``offset``: an edit keeps the lines around it."""
        found = self.text.find("\n", offset)
        if found < 0:
            found = self.text.rfind("\n", 0, offset)
        if found < 0:
            return self.newline
        return "\r\n" if found and self.text[found - 1] == "\r" else "\n"

    @cached_property
    def zone(self) -> ZoneInfo | None:
        """The plan's zone, read from its [plan] table alone: posts are ordered by instant."""
        if ("plan",) not in self.source.tables:
            return None
        block = self.block(("plan",))
        try:
            return plan_zone(tomli.loads(self.text[block.start : block.content_end]).get("plan"))
        except tomli.TOMLDecodeError:
            return None

    @cached_property
    def _post_numbers(self) -> list[int]:
        """The table numbers of the posts, in file order."""
        return [number for number, path in enumerate(self._paths) if path[0] == "post" and len(path) == 2]

    def _post(self, number: int) -> tuple[tuple, str]:
        """A post's order key (instant, id) and id, read from its own lines when first asked.

        A post whose id and time are each one plain, unindented line is read from those lines;
        any other (a multi-line string inside, a time written twice...) is parsed.
        """
        if number not in self._posts:
            start = self._line_start(self._starts[number])
            end = self._line_start(self._starts[number + 1]) if number + 1 < len(self._starts) else len(self.text)
            ids, ats = _ID_VALUE.findall(self.text, start, end), _AT_LINE.findall(self.text, start, end)
            if len(ids) == 1 and len(ats) == 1 and '"""' not in self.text[start:end] and "\'\'\'" not in self.text[start:end]:
                post_id, at = _read_value(ids[0]), _read_value(ats[0])
            else:
                block = self.block(self._paths[number])
                post = tomli.loads(self.text[block.start : block.content_end])["post"][0]
                post_id, at = post.get("id"), post.get("at")
            self._posts[number] = (post_key(at, post_id, self.zone), str(post_id))
        return self._posts[number]

    def _key(self, number: int) -> tuple:
        return self._post(number)[0]

    def _in_order(self, numbers: list[int]) -> bool:
        keys = [self._key(number) for number in numbers]
        return all(a <= b for a, b in zip(keys, keys[1:]))

    def _unit_of(self, number: int) -> tuple[int, int]:
        return self._unit(self.block(self._paths[number]))

    def _unit(self, block: Block) -> tuple[int, int]:
        """A table with the comments the layout gives it: those directly above its header, and
        those right below its last value when a blank line follows them."""
        end = block.content_end
        trailing = end
        while trailing < block.next_start:
            line = self.text[trailing : self._line_end(trailing)].strip()
            if not line:
                end = trailing
                break
            trailing = self._line_end(trailing)
        return self._attached_comments_start(block.start), end

    # -- edits ---------------------------------------------------------------------------

    def change_post(self, post_id: str, changes: dict[str, Any]) -> str:
        """Change a post's values; a new time or id moves it to its place in the order."""
        path = ("post", self.post_index(post_id))
        if "at" not in changes and "id" not in changes:
            return self.change_table(path, "post", changes)
        block = self.block(path)
        rendered = self._rendered(path, "post", changes)
        post = tomli.loads(rendered)["post"][0]
        key = post_key(post.get("at"), post.get("id"), self.zone)
        numbers = self._post_numbers
        mine = numbers.index(self._order[path])
        if (mine == 0 or self._key(numbers[mine - 1]) < key) and (mine + 1 == len(numbers) or key < self._key(numbers[mine + 1])):
            return self.text[: block.start] + rendered + self.text[block.content_end :]
        unit_start, unit_end = self._unit_of(numbers[mine])
        moved = self.text[unit_start : block.start] + rendered + self.text[block.content_end : unit_end]
        if not moved.endswith("\n"):
            moved += self._ending(block.start)
        others = numbers[:mine] + numbers[mine + 1 :]
        offset, side = self._place(others, self._position(others, key))
        return _splice(self.text, [(*self._removal(unit_start, unit_end), ""), (offset, offset, self._wrapped(moved, offset, side, self._ending(block.start)))])

    def change_table(self, path: tuple, array: str | None, changes: dict[str, Any]) -> str:
        block = self.block(path)
        return self.text[: block.start] + self._rendered(path, array, changes) + self.text[block.content_end :]

    def _rendered(self, path: tuple, array: str | None, changes: dict[str, Any]) -> str:
        """A table's block with ``changes`` made by tomlkit, in the layout of ``cadence fmt``."""
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
        rendered = format_plan(tomlkit.dumps(document))
        if not original.endswith("\n"):
            rendered = rendered.rstrip("\n")
        return rendered.replace("\n", self._ending(block.start))

    def delete(self, path: tuple) -> str:
        block = self.block(path)
        start, end = self._removal(block.start, block.content_end)
        return self.text[:start] + self.text[end:]

    def _removal(self, start: int, end: int) -> tuple[int, int]:
        """The span to cut to remove text[start:end]: with the blank lines after it, or, at the
        end of the file, with those before it (so the file still ends with its last line)."""
        while end < len(self.text) and self.text[end : self._line_end(end)].strip() == "":
            end = self._line_end(end)
        if end == len(self.text):
            while start > 0:
                previous = self.text.rfind("\n", 0, start - 1) + 1
                if self.text[previous:start].strip():
                    break
                start = previous
        return start, end

    def add_posts(self, new_posts: list[dict[str, Any]]) -> str:
        """Each new post at its place in the order (time, then id); one pass, however many are added.

        ``new_posts`` hold plan-file values (``at`` a naive local datetime). Raises
        :class:`EditError` for a post without an id, or with an id the plan or the list already has.
        A few posts (the app's) are placed by bisection, reading a few posts' keys; many (an
        import) read every post once, and a file out of order puts each before the first
        post that sorts after it.
        """
        numbers = self._post_numbers
        bulk = len(new_posts) > _FEW
        taken = {self._post(number)[1] for number in numbers} if bulk else set()
        for fields in new_posts:
            post_id = fields.get("id")
            if not post_id:
                raise EditError("a new post needs an id")
            if post_id in taken or (not bulk and self._has_post(post_id)):
                raise EditError(f"a post with id {post_id!r} already exists")
            taken.add(post_id)
        in_order = not bulk or self._in_order(numbers)
        by_place: dict[tuple[int, str], list[tuple[tuple, str]]] = {}
        for fields in new_posts:
            key = post_key(_naive(fields.get("at")), fields["id"], self.zone)
            place = self._place(numbers, self._position(numbers, key, in_order))
            by_place.setdefault(place, []).append((key, render_table("post", fields)))
        splices = []
        for (offset, side), group in by_place.items():
            group.sort()
            ending = self._ending(max(offset - 1, 0)) if side == "after" else self._ending(offset)
            units = ending.join(rendered.replace("\n", ending) for _, rendered in group)
            splices.append((offset, offset, self._wrapped(units, offset, side, ending)))
        return _splice(self.text, splices)

    def _has_post(self, post_id: str) -> bool:
        try:
            self.post_index(post_id)
        except EditError:
            return False
        return True

    def _position(self, numbers: list[int], key: tuple, in_order: bool = True) -> int:
        """How many of the posts ``numbers`` come before a post with ``key``: by bisection in
        a file in order, else up to the first post that sorts after it."""
        if not in_order:
            return next((position for position, number in enumerate(numbers) if self._key(number) > key), len(numbers))
        low, high = 0, len(numbers)
        while low < high:
            middle = (low + high) // 2
            if key < self._key(numbers[middle]):
                high = middle
            else:
                low = middle + 1
        return low

    def _place(self, numbers: list[int], position: int) -> tuple[int, str]:
        """Where a post goes that comes after ``position`` of the posts ``numbers``: before the
        next one, else after the last post, else before the backlog, else at the end; and on
        which side of its neighbour it is ("before", "after" or "end")."""
        if (len(numbers), position) not in self._places:  # an import sends many posts to one place
            self._places[len(numbers), position] = self._find_place(numbers, position)
        return self._places[len(numbers), position]

    def _find_place(self, numbers: list[int], position: int) -> tuple[int, str]:
        if position < len(numbers):
            return self._unit_of(numbers[position])[0], "before"
        if numbers:
            return self._unit_of(numbers[-1])[1], "after"
        backlog = [path for path in self._paths if path[0] == "backlog" and len(path) == 2]
        if backlog:
            return self._attached_comments_start(self.block(backlog[0]).start), "before"
        return len(self.text), "end"

    def _wrapped(self, units: str, offset: int, side: str, ending: str) -> str:
        """Posts' lines with the blank line that sets them off from their neighbour."""
        if side == "before":
            return units + ending
        if side == "after":
            return ending + units
        text = self.text[:offset]
        if not text.strip():
            return units
        return (ending if text.endswith("\n") else ending + ending) + units

    def add_idea(self, fields: dict[str, Any]) -> str:
        ideas = [path for path in self.paths() if path[0] == "backlog" and len(path) == 2]
        end = self._unit(self.block(ideas[-1]))[1] if ideas else len(self.text)
        ending = self._ending(max(end - 1, 0))
        return self._append_at(end, render_table("backlog", fields, ending), ending)

    def _append_at(self, end: int, rendered: str, ending: str) -> str:
        """Insert a table after the content ending at ``end``, a blank line between."""
        return _join_at_end(self.text[:end], rendered, ending) + self.text[end:]

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


def render_table(array: str, fields: dict[str, Any], newline: str = "\n") -> str:
    """A ``[[array]]`` table with ``fields`` as ``cadence fmt`` lays it out, ending with a newline.

    Keys go in the layout's order (unknown ones last); values are rendered as tomlkit renders
    them, written out directly for plain ones (a 10,000-post import pays no tomlkit call).
    """
    keys = sorted((key for key in fields if fields[key] is not None), key=lambda key: key_rank(array, key))
    lines = [f"[[{array}]]"]
    for key in keys:
        line = f"{key} = {render_value(fields[key])}"
        lines.append(fit_line(line) if len(line) > LINE_LIMIT else line)
    return newline.join(lines) + newline


_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]*\Z')


def render_value(value: Any) -> str:
    """A value as tomlkit writes it (``tomlkit.item(value).as_string()``), plain ones directly."""
    kind = type(value)
    if kind is str and _PLAIN_STRING.match(value):
        return f'"{value}"'
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is date or (kind is datetime and value.tzinfo is None):
        return value.isoformat()
    if kind in (list, tuple) and all(type(item) is str and _PLAIN_STRING.match(item) for item in value):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return _item(value).as_string()


def _item(value: Any) -> Any:
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table
    if isinstance(value, tuple):
        value = list(value)
    return tomlkit.item(_naive(value))


def _naive(value: Any) -> Any:
    """A datetime as the plan writes it: the plan's zone is implied."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _nested(document: Any, path: tuple) -> Any:
    table = document
    for part in path:
        table = table[part]
    return table


_FEW = 8  # up to this many new posts are placed by bisection, without reading every post
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.:@+-]+")  # an id no one writes with escapes


_ID_VALUE = re.compile(r"""\nid[ \t]*=[ \t]*("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*')""")


def _read_value(written: str) -> Any:
    """A value as TOML reads it, with quick paths for plain strings and date-times."""
    if written[0] == "'" or (written[0] == '"' and "\\" not in written):
        return written[1:-1]
    if written[0] != '"':
        try:
            return datetime.fromisoformat(written)
        except ValueError:
            pass
    try:
        return tomli.loads(f"v = {written}")["v"]
    except tomli.TOMLDecodeError:
        return None


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) made; the spans must not overlap."""
    parts, position = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _join_at_end(text: str, addition: str, newline: str) -> str:
    if text and not text.endswith("\n"):
        text += newline
    return text + (newline if text.strip() else "") + addition
