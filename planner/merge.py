"""Merge three versions of a plan post by post: what ``cadence merge-driver`` does for git.

Posts are keyed by id. For each post, against the common ancestor (base):

- changed on one side only: that side's version;
- changed on both sides in different keys: both changes (theirs applied to ours' block by
  the plan writer);
- added on both sides (different ids): both, each at its place in time;
- deleted on one side and unchanged on the other: deleted;
- one key changed differently on both sides, deleted on one and changed on the other, or added twice
  with one id and different content: a conflict, written with git's markers around that post's
  block alone.

Everything outside ``[[post]]`` tables merges as text with ``git merge-file``. A post's block
is its header, its values and the comment lines directly above it, as written (so comments
and layout survive); the posts go back where the first post was, in ours' order, with the
posts from theirs at their places in time. When ours was formatted (``cadence fmt``) and the
merge is clean, the result is formatted too.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime

import tomli

from planner.errors import PlanError
from planner.formatter import format_plan
from planner.loader import parse_toml
from planner.writer import ChangePost, PlanText, apply_edits

MARKER_SIZE = 7
_HOLE = "# cadence merge-driver: the posts go here (1b0e5c7a)\n"  # while the text outside posts merges


@dataclass
class Side:
    """One version split in two: the text without its posts (a hole where they were), and the posts."""

    outside: str
    posts: dict[str, str] = field(default_factory=dict)  # id -> block, in file order
    times: dict[str, datetime] = field(default_factory=dict)  # id -> wall time as written


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: list[str]  # what conflicted: post ids, and "outside posts" for text conflicts
    deleted_against_edit: list[str]  # post ids deleted on one side and changed on the other

    @property
    def clean(self) -> bool:
        return not self.conflicts


def split(text: str, label: str) -> Side:
    """``text`` as a :class:`Side`; :class:`PlanError` if it is not TOML or ids repeat."""
    data = parse_toml(text, label)
    plan_text = PlanText(text)
    posts = [path for path in plan_text.paths() if path[0] == "post" and len(path) == 2]
    side = Side(outside="")
    pieces, cursor = [], 0
    for number, path in enumerate(posts):
        block = plan_text.block(path)
        start, end = _attached_comments(text, block.start), block.content_end
        while end < block.next_start and text[end : _line_end(text, end)].strip() == "":
            end = _line_end(text, end)  # the blank lines after the block go with it
        spec = data["post"][path[1]]
        post_id = spec.get("id")
        if not isinstance(post_id, str):
            raise PlanError([_problem(label, text, block.start, "a [[post]] without an id cannot be merged by id")])
        if post_id in side.posts:
            raise PlanError([_problem(label, text, block.start, f"duplicate post id {post_id!r}")])
        side.posts[post_id] = text[start : block.content_end].replace("\r\n", "\n").rstrip("\n") + "\n"
        side.times[post_id] = _wall(spec.get("at"))
        pieces += [_before_hole(text[cursor:start]), _HOLE] if number == 0 else [text[cursor:start]]
        cursor = end
    if posts:
        pieces.append(text[cursor:].lstrip("\r\n"))
    else:  # where the plan writer puts a first post: before the backlog, or at the end
        ideas = [path for path in plan_text.paths() if path[0] == "backlog"]
        start = _attached_comments(text, plan_text.block(ideas[0]).start) if ideas else len(text)
        pieces += [_before_hole(text[:start]), _HOLE, text[start:]]
    side.outside = "".join(pieces).replace("\r\n", "\n")
    return side


def _before_hole(text: str) -> str:
    """The text before the posts, ending in one newline (blank lines around the hole vary by writer)."""
    text = text.rstrip("\r\n")
    return text + "\n" if text else ""


def merge(base: str, ours: str, theirs: str, labels: tuple[str, str, str] = ("ours", "base", "theirs")) -> MergeResult:
    """The merged text of three versions (``PlanError`` if one is not a TOML plan)."""
    ours_label, base_label, theirs_label = labels
    sides = {name: split(text, label) for name, text, label in (("base", base, base_label), ("ours", ours, ours_label), ("theirs", theirs, theirs_label))}
    old, mine, other = sides["base"], sides["ours"], sides["theirs"]
    outside, outside_conflicts = merge_text(old.outside, mine.outside, other.outside, labels)

    blocks: list[tuple[str, str]] = []  # (id, block) in ours' order
    times: dict[str, datetime] = {}  # id -> the time of the version chosen
    conflicts, deleted_against_edit = [], []
    placed: list[str] = []  # ids to put at their place in time: new or moved by theirs
    for post_id in [*mine.posts, *(post_id for post_id in other.posts if post_id not in mine.posts)]:
        was, a, b = old.posts.get(post_id), mine.posts.get(post_id), other.posts.get(post_id)
        time = mine.times.get(post_id)
        if a == b or b == was:
            chosen = a
        elif a == was:
            chosen, time = b, other.times.get(post_id)
        elif (combined := _combine(post_id, was, a, b)) is not None:
            chosen, time = combined
        else:
            conflicts.append(post_id)
            if a is None or b is None:
                deleted_against_edit.append(post_id)
            chosen = _conflict(a or "", b or "", ours_label, theirs_label)
            time = time or other.times[post_id]
        if chosen is None:
            continue
        times[post_id] = time
        if a is None or times[post_id] != mine.times[post_id]:
            placed.append(post_id)
        blocks.append((post_id, chosen))
    chosen_blocks, moving = dict(blocks), set(placed)
    blocks = [(post_id, block) for post_id, block in blocks if post_id not in moving]
    for post_id in sorted(placed, key=lambda post_id: (times[post_id], post_id)):
        key = (times[post_id], post_id)
        later = next((index for index, (other_id, _) in enumerate(blocks) if (times[other_id], other_id) > key), len(blocks))
        blocks.insert(later, (post_id, chosen_blocks[post_id]))

    posts_text = "\n".join(block for _, block in blocks)
    head, hole, tail = outside.partition(_HOLE)
    if not hole:  # the hole sits inside an outside conflict: put the posts after everything
        head, tail = outside, ""
    tail = tail.replace(_HOLE, "")  # a hole both sides moved, to different places
    joined = _join(head, posts_text, tail)
    newline = "\r\n" if "\r\n" in ours else "\n"
    if outside_conflicts:
        conflicts.append("outside posts")
    if not conflicts and ours.replace("\r\n", "\n") == format_plan(ours).replace("\r\n", "\n"):
        joined = format_plan(joined)
    return MergeResult(joined.replace("\n", newline), conflicts, deleted_against_edit)


def merge_text(base: str, ours: str, theirs: str, labels: tuple[str, str, str]) -> tuple[str, bool]:
    """git's line merge of three texts: (result, whether it has conflicts)."""
    with tempfile.TemporaryDirectory(prefix="cadence-merge-") as folder:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = os.path.join(folder, name)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            paths.append(path)
        label_args = [arg for label in labels for arg in ("-L", label)]
        done = subprocess.run(
            ["git", "merge-file", "-p", f"--marker-size={MARKER_SIZE}", *label_args, *paths], capture_output=True, check=False
        )
    if done.returncode < 0 or done.returncode > 127:
        raise OSError(f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("utf-8"), done.returncode > 0


def _combine(post_id: str, base: str | None, ours: str | None, theirs: str | None) -> tuple[str, datetime] | None:
    """A post both sides changed, in different keys: theirs' changes applied to ours' block.

    None when a key changed differently on both sides (a real conflict), or the post was
    added twice or deleted on one side.
    """
    if base is None or ours is None or theirs is None:
        return None
    old, mine, other = (tomli.loads(block)["post"][0] for block in (base, ours, theirs))
    theirs_changes = _changes(old, other)
    ours_changes = _changes(old, mine)
    if any(key in ours_changes and ours_changes[key] != value for key, value in theirs_changes.items()):
        return None
    merged = apply_edits(ours, [ChangePost(post_id, theirs_changes)])
    return merged, _wall(tomli.loads(merged)["post"][0].get("at"))


def _changes(old: dict, new: dict) -> dict:
    """The keys that differ, with the new value (None: removed)."""
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    changed.update((key, None) for key in old if key not in new)
    return changed


def _conflict(ours: str, theirs: str, ours_label: str, theirs_label: str) -> str:
    return f"{'<' * MARKER_SIZE} {ours_label}\n{ours}{'=' * MARKER_SIZE}\n{theirs}{'>' * MARKER_SIZE} {theirs_label}\n"


def _join(head: str, posts: str, tail: str) -> str:
    """The text around the hole and the posts, one blank line between each."""
    parts = [part.strip("\n") for part in (head, posts, tail)]
    return "\n\n".join(part for part in parts if part) + "\n"


def _attached_comments(text: str, start: int) -> int:
    """``start`` moved up over comment lines directly above it (no blank line between)."""
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous:start].strip().startswith("#"):
            break
        start = previous
    return start


def _line_end(text: str, offset: int) -> int:
    found = text.find("\n", offset)
    return len(text) if found < 0 else found + 1


def _wall(at) -> datetime:
    """A post's time as written, for placing it (one without a usable time goes last)."""
    if isinstance(at, datetime):
        return at.replace(tzinfo=None)
    if isinstance(at, date):
        return datetime(at.year, at.month, at.day)
    return datetime.max


def _problem(label: str, text: str, offset: int, message: str):
    from planner.errors import Problem

    return Problem(label, text.count("\n", 0, offset) + 1, 1, message)
