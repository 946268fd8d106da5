"""Bulk-upload CSVs for the schedulers that publish (Buffer, Hootsuite, Sprout Social), and
cadence's own CSV, which ``cadence import`` reads back into the same posts.

Each scheduler takes one file per social profile, so its posts are split per channel, and a
file holds at most the scheduler's row limit (more go into numbered files). A post that breaks
a scheduler's rule (a time in the past, Hootsuite's 5-minute steps, Sprout's 10 minutes between
messages) is left out and reported with the reason, never written to be refused at upload; so
is a post over its network's limits (PUB009, PUB010), even with ``--include-unready``, and
a post whose wall time happens twice (the night the clocks go back), since a scheduler's
time carries no offset to say which of the two it means.

A scheduler reads its file as data and publishes each cell as it is, so a cell is written
exactly, and one that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a CR) is reported instead (:class:`FormulaCell`). cadence's own CSV is meant
for spreadsheets: there such a cell gets a leading ``'`` (OWASP's advice), which ``cadence
import`` removes.

:data:`LAYOUTS` is the one registry of these layouts: ``cadence export --to`` offers its names,
and ``cadence import`` reads each layout's columns back into the post fields it names
(:attr:`Layout.fields`).

Several files are named from ``-o FILE`` and the channel (:func:`file_names`): a channel name
comes from the plan, so it is made safe for a file name, and names that would still meet are
refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from planner.exporting import happens_twice
from planner.model import Plan, Post
from planner.networks import over_network_limits

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
OWN_COLUMNS = (
    "id", "at", "channel", "kind", "title", "body", "status", "owner", "audience", "link", "tags", "approved_by", "ignore", "idea", "x",
)
MINUTE = 60
NAME_BYTES = 255  # the longest file name that Linux, macOS and Windows all take


class NamingError(ValueError):
    """The files cannot be given safe names that differ; the message is one line for the user."""


@dataclass(frozen=True)
class Rejected:
    post: Post
    reason: str


@dataclass(frozen=True)
class FormulaCell:
    """A cell written exactly that a spreadsheet opening the file would run as a formula."""

    post: Post
    column: str
    cell: str


@dataclass(frozen=True)
class CsvFile:
    channel: str | None  # None: every channel in one file
    number: int | None  # None: the only file of its channel
    text: str


@dataclass(frozen=True)
class Export:
    files: list[CsvFile]
    rejected: list[Rejected]  # left out, with the scheduler's reason
    formulas: list[FormulaCell]  # written, and worth a warning


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[str, ...]  # as the scheduler's help names them
    fields: tuple[str, ...]  # the post field `cadence import` reads each column into
    row: Callable[[Plan, Post], list[str]]
    headerless: bool = False  # Hootsuite wants no header row
    max_rows: int | None = None
    per_channel: bool = True
    minute_step: int = 1
    min_lead: int = 0  # seconds a post must lie after "now"
    min_gap: int = 0  # seconds between two posts of one file
    unique_messages: bool = False
    # A scheduler publishes the file: cells exact, times without an offset, only posts that are
    # ready. Else cadence's own CSV, for spreadsheets: formula cells get a ' that import removes.
    upload: bool = True
    leaves_out: tuple[str, ...] = ("skipped", "published")  # statuses a scheduler must not get

    @property
    def header(self) -> tuple[str, ...] | None:
        return None if self.headerless else self.columns


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet opening the CSV would take the cell for a formula (OWASP CSV injection)."""
    return cell.startswith(FORMULA_PREFIXES)


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula; a cell that starts with a
    quote gets another, so that removing one quote on import gives the cell back."""
    return "'" + cell if runs_as_formula(cell) or cell.startswith("'") else cell


def message(post: Post, with_link: bool) -> str:
    """The text a scheduler publishes: the body, else the title, with the link unless it has a column."""
    text = post.body or post.title
    if with_link and post.link and post.link not in text:
        text = f"{text}\n{post.link}"
    return text


def _own(plan: Plan, post: Post) -> list[str]:
    return [
        post.id, post.at.isoformat(), post.channel, post.kind, post.title, post.body, post.status, post.owner or "",
        post.audience or "", post.link or "", ", ".join(post.tags), ", ".join(post.approved_by), ", ".join(sorted(post.ignore)),
        post.idea or "", _inline_table(post.x) if post.x else "",
    ]


def _inline_table(table: dict) -> str:
    """The user's ``x`` table as one line of TOML (``{a = 1, b = "c"}``): it keeps dates and nesting."""
    import tomlkit

    inline = tomlkit.inline_table()
    inline.update(table)
    return inline.as_string()


def _buffer(plan: Plan, post: Post) -> list[str]:
    return [message(post, with_link=True), str(post.x.get("image_url", "")), ", ".join(post.tags), f"{post.at:%Y-%m-%d %H:%M}"]


def _hootsuite(plan: Plan, post: Post) -> list[str]:
    return [f"{post.at:%m/%d/%Y %H:%M}", message(post, with_link=False), post.link or ""]


def _sprout(plan: Plan, post: Post) -> list[str]:
    return [f"{post.at:%m/%d/%Y}", f"{post.at:%H:%M}", message(post, with_link=True)]


LAYOUTS = {
    "csv": Layout("csv", OWN_COLUMNS, OWN_COLUMNS, _own, per_channel=False, upload=False, leaves_out=()),
    # Buffer: Text, Image URL, Tags, Posting Time (YYYY-MM-DD HH:mm), in the future.
    "buffer": Layout("buffer", ("Text", "Image URL", "Tags", "Posting Time"), ("body", "image_url", "tags", "at"), _buffer, min_lead=1),
    # Hootsuite: no header; date (mm/dd/yyyy hh:mm), message, link; 350 rows a file, times on a
    # multiple of 5 minutes and in the future (at least 10 minutes ahead), no repeated message.
    "hootsuite": Layout(
        "hootsuite",
        ("date", "message", "link"),
        ("date", "body", "link"),
        _hootsuite,
        headerless=True,
        max_rows=350,
        minute_step=5,
        min_lead=10 * MINUTE,
        unique_messages=True,
    ),
    # Sprout Social: date (mm/dd/yyyy), time_24hr, message_text; 350 messages an import, at
    # least 10 minutes apart and 10 minutes after the upload.
    "sprout": Layout(
        "sprout", ("date", "time_24hr", "message_text"), ("date", "time", "body"), _sprout, max_rows=350, min_lead=10 * MINUTE, min_gap=10 * MINUTE
    ),
}


def export_csv(plan: Plan, posts: list[Post], layout: Layout, now: int) -> Export:
    """The files of ``layout`` for ``posts`` (in time order), the posts left out with why, and
    the cells written that a spreadsheet would run.

    ``now`` is the instant uploads are judged against (times must lie after it).
    """
    groups: dict[str | None, list[Post]] = {}
    rejected: list[Rejected] = []
    formulas: list[FormulaCell] = []
    for post in posts:
        if post.status in layout.leaves_out:
            continue
        groups.setdefault(post.channel if layout.per_channel else None, []).append(post)
    files = []
    for channel, group in groups.items():
        accepted = []
        messages: dict[str, str] = {}
        for post in group:
            reason = _broken_limit(plan, post, layout, now, accepted[-1] if accepted else None, messages)
            if reason:
                rejected.append(Rejected(post, reason))
                continue
            accepted.append(post)
        rows = [layout.row(plan, post) for post in accepted]
        if layout.upload:
            formulas += [FormulaCell(post, name, cell) for post, row in zip(accepted, rows) for name, cell in zip(layout.columns, row) if runs_as_formula(cell)]
        size = layout.max_rows or len(rows) or 1
        chunks = [rows[start : start + size] for start in range(0, len(rows), size)]
        for number, chunk in enumerate(chunks, start=1):
            files.append(CsvFile(channel, number if len(chunks) > 1 else None, _write(chunk, layout)))
    return Export(files, rejected, formulas)


def _broken_limit(plan: Plan, post: Post, layout: Layout, now: int, previous: Post | None, messages: dict[str, str]) -> str | None:
    if layout.upload and (over := over_network_limits(plan, post)):
        return over  # the network refuses it at publish time, whatever --include-unready says
    if layout.min_lead and post.ts < now + layout.min_lead:
        ahead = f" (at least {layout.min_lead // MINUTE} minutes ahead)" if layout.min_lead >= MINUTE else ""
        return f"{layout.name} takes only times in the future{ahead}"
    if layout.upload and happens_twice(post.at):
        return (
            f"{post.at:%H:%M} happens twice that night in {plan.timezone} (the clocks go back), and a {layout.name} time "
            "has no offset to say which; move the post out of the repeated hour"
        )
    if post.at.minute % layout.minute_step:
        return f"{layout.name} takes only minutes on a multiple of {layout.minute_step}"
    if layout.min_gap and previous and post.ts - previous.ts < layout.min_gap:
        return f"{layout.name} needs {layout.min_gap // MINUTE} minutes between messages; {previous.id} is {(post.ts - previous.ts) // MINUTE} before"
    if layout.unique_messages:
        text = message(post, with_link=False)
        if text in messages:
            return f"{layout.name} refuses a message twice in a file; {messages[text]} has the same text"
        messages[text] = post.id
    return None


def _write(rows: list[list[str]], layout: Layout) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if layout.header:
        writer.writerow(layout.header)
    for row in rows:
        writer.writerow(row if layout.upload else [neutralised(cell) for cell in row])
    return out.getvalue()


def file_names(output: str, files: list[CsvFile]) -> list[str]:
    """Where each of ``files`` goes for ``-o output``: ``output`` itself for one file, else
    ``STEM-CHANNEL[.N]SUFFIX`` beside it (``posts.csv`` -> ``posts-instagram.csv``, and
    ``posts-instagram.2.csv`` for its second file of a scheduler's rows).

    CHANNEL is the channel's name (NFC) with every character but a letter, a mark, a digit,
    ``-`` and ``_`` written ``_``: no ``/``, ``.``, NUL or line break, so the file stays in the
    folder asked for, and a numbered file never meets another channel's (``ig`` file 1 is
    ``posts-ig.1.csv``, channel ``ig-1`` is ``posts-ig-1.csv``). Two names that are the same
    once case is ignored (macOS and Windows do) or a name over 255 bytes raise
    :class:`NamingError`.
    """
    if len(files) <= 1:
        return [output] * len(files)
    path = Path(output)
    if path.name in ("", ".", ".."):
        raise NamingError(f"-o {output} names a folder; give a file name, such as {Path(output, 'posts.csv')}")
    names, owners = [], {}
    for file in files:
        parts = [path.stem] + ([_name_part(file.channel)] if file.channel is not None else [])
        name = "-".join(parts) + (f".{file.number}" if file.number else "") + (path.suffix or ".csv")
        if len(name.encode("utf-8")) > NAME_BYTES:
            raise NamingError(
                f"channel {file.channel!r} makes a file name of {len(name.encode('utf-8'))} bytes, over {NAME_BYTES}; "
                "export it alone with --channel and -o FILE"
            )
        key = name.casefold()
        if key in owners:
            raise NamingError(
                f"channels {owners[key]!r} and {file.channel!r} would both write {name}; "
                "export them one at a time with --channel and -o FILE"
            )
        owners[key] = file.channel
        names.append(str(path.with_name(name)))
    return names


def _name_part(channel: str) -> str:
    return "".join(char if char in "-_" or unicodedata.category(char)[0] in "LMN" else "_" for char in unicodedata.normalize("NFC", channel)) or "_"
