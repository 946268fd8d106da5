"""Posts from a CSV file: the team's own sheet, or the bulk-upload files of Buffer and Sprout Social.

Columns are mapped by name. A column named like a post field (``id``, ``at``, ``channel``,
``kind``, ``title``, ``body``, ``status``, ``owner``, ``link``, ``tags``) maps to it; the
vendors' columns map too:

- Buffer: ``Text`` (the post's text), ``Image URL`` (kept as ``x.image_url``), ``Tags``,
  ``Posting Time`` (``YYYY-MM-DD HH:mm``);
- Sprout Social: ``date`` and ``time_24hr`` (together the time), ``message_text``.

``--map column=field`` maps any other column. Times are local times of the plan's zone, read
as ISO 8601 or in the vendors' formats, or with ``--date-format`` (pendulum tokens, e.g.
``DD/MM/YYYY HH:mm``). A text without a title gets its first line, shortened, as the title.
Ids are made from the channel, the day and the title, so the same CSV gives the same ids.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from planner.model import STATUSES, Plan
from planner.writer import new_post_id

FIELDS = ("id", "at", "channel", "kind", "title", "body", "status", "owner", "link", "tags", "image_url", "date", "time")
VENDOR_COLUMNS = {
    "text": "body",
    "image url": "image_url",
    "posting time": "at",
    "message_text": "body",
    "time_24hr": "time",
    "date": "date",
}
DATE_FORMATS = (
    "YYYY-MM-DD HH:mm",
    "YYYY-MM-DD HH:mm:ss",
    "YYYY-MM-DDTHH:mm",
    "YYYY-MM-DDTHH:mm:ss",
    "MM/DD/YYYY HH:mm",
    "MM/DD/YYYY h:mm A",
)
TITLE_LENGTH = 60


@dataclass(frozen=True)
class RowProblem:
    line: int  # the CSV line the row starts on
    message: str


@dataclass
class ImportResult:
    posts: list[dict[str, Any]] = field(default_factory=list)  # plan-file values, with "line"
    problems: list[RowProblem] = field(default_factory=list)


def column_map(header: list[str], overrides: dict[str, str]) -> dict[str, str]:
    """Which post field each CSV column fills; columns that fill nothing are left out."""
    mapping = {}
    for column in header:
        name = column.strip()
        if name in overrides:
            mapping[column] = overrides[name]
        elif name.lower() in FIELDS:
            mapping[column] = name.lower()
        elif name.lower() in VENDOR_COLUMNS:
            mapping[column] = VENDOR_COLUMNS[name.lower()]
    return mapping


def read_csv(text: str, plan: Plan, overrides: dict[str, str], defaults: dict[str, str], date_format: str | None) -> ImportResult:
    """Posts from CSV text, each checked against the plan; rows that fail become problems."""
    result = ImportResult()
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        result.problems.append(RowProblem(1, "the CSV is empty; it needs a header row"))
        return result
    mapping = column_map(header, overrides)
    unknown = [field_name for field_name in overrides.values() if field_name not in FIELDS]
    if unknown:
        result.problems.append(RowProblem(1, f"--map names no post field: {', '.join(unknown)} (fields: {', '.join(FIELDS)})"))
        return result
    if "at" not in mapping.values() and "date" not in mapping.values():
        result.problems.append(RowProblem(1, f"no column gives the time; columns are {', '.join(header)} (use --map COLUMN=at)"))
        return result
    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {mapping[column]: cell.strip() for column, cell in zip(header, row) if column in mapping and cell.strip()}
        post, problem = _post(values, plan, defaults, date_format, taken)
        if problem:
            result.problems.append(RowProblem(start, problem))
        else:
            taken.add(post["id"])
            result.posts.append({**post, "line": start})
    return result


def _post(values: dict[str, str], plan: Plan, defaults: dict[str, str], date_format: str | None, taken: set[str]) -> tuple[dict, str | None]:
    merged = {**defaults, **values}
    problems = []
    at = _when(merged, date_format)
    if isinstance(at, str):
        problems.append(at)
    channel = merged.get("channel")
    if not channel:
        problems.append("no channel (add a channel column or pass --channel)")
    elif channel not in plan.channels:
        problems.append(f"unknown channel {channel!r} (known: {', '.join(sorted(plan.channels))})")
    kind = merged.get("kind")
    if not kind:
        problems.append("no kind (add a kind column or pass --kind)")
    elif kind not in plan.kinds:
        problems.append(f"unknown kind {kind!r} (known: {', '.join(sorted(plan.kinds))})")
    status = merged.get("status", "draft")
    if status not in STATUSES:
        problems.append(f"status {status!r} is not one of {', '.join(STATUSES)}")
    owner = merged.get("owner")
    if owner and plan.team and owner not in plan.team:
        problems.append(f"unknown team member {owner!r}")
    body = merged.get("body", "")
    title = merged.get("title") or _title_from(body)
    if not title:
        problems.append("no title or text")
    if problems:
        return {}, "; ".join(problems)
    post: dict[str, Any] = {
        "id": merged.get("id") or new_post_id(plan.channels[channel].mark, at, title, taken),
        "at": at,
        "channel": channel,
        "kind": kind,
        "title": title,
        "body": body if body and body != title else None,
        "status": status,
        "owner": owner or None,
        "link": merged.get("link") or None,
        "tags": [tag.strip() for tag in re.split(r"[,;]", merged["tags"]) if tag.strip()] if merged.get("tags") else None,
    }
    if merged.get("image_url"):
        post["x"] = {"image_url": merged["image_url"]}
    if post["id"] in taken:
        return {}, f"duplicate id {post['id']!r}"
    return post, None


def _when(values: dict[str, str], date_format: str | None) -> datetime | str:
    text = values.get("at") or " ".join(part for part in (values.get("date"), values.get("time")) if part)
    if not text:
        return "no time (the at column, or date and time_24hr, is empty)"
    import pendulum

    formats = (date_format,) if date_format else DATE_FORMATS
    for fmt in formats:
        try:
            return pendulum.from_format(text, fmt).naive()
        except ValueError:
            continue
    if not date_format:
        try:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            pass
    expected = date_format or "ISO 8601 or YYYY-MM-DD HH:mm"
    return f"time {text!r} does not match {expected} (pass --date-format, e.g. \"DD/MM/YYYY HH:mm\")"


def _title_from(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    if len(first) <= TITLE_LENGTH:
        return first
    return first[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
