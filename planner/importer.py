"""Posts from a CSV file: the team's own sheet, ours (`cadence export --to csv`), or the
bulk-upload files of Buffer, Hootsuite and Sprout Social.

Columns are mapped by name. A column named like a post field (``id``, ``at``, ``channel``,
``kind``, ``title``, ``body``, ``status``, ``owner``, ``audience``, ``link``, ``tags``,
``approved_by``, ``ignore``, ``idea``, and ``x`` written as a TOML inline table) maps to it;
the vendors' columns map too:

- Buffer: ``Text`` (the post's text), ``Image URL`` (kept as ``x.image_url``), ``Tags``,
  ``Posting Time`` (``YYYY-MM-DD HH:mm``);
- Hootsuite: ``Date`` (date and time), ``Message``, ``Link``, usually without a header row:
  a file whose first row is a time, a text and perhaps a link is read as Hootsuite's;
- Sprout Social: ``date`` and ``time_24hr`` (together the time), ``message_text``.

``--map column=field`` maps any other column. The delimiter (comma, semicolon or tab) is
sniffed from the header. Times without an offset are local times of the plan's zone; times
with one (``Z``, ``+01:00``) are instants. Whether ``05/01/2027`` is the 5th of January or the
1st of May is decided once for the whole file: a row with a day above 12 settles it, and when
no row does, the import refuses and asks for ``--date-format`` (pendulum tokens, e.g.
``DD/MM/YYYY HH:mm``). Nothing is guessed row by row.

A text without a title gets its first line, shortened, as the title. Ids are made from the
channel, the day and the title, so the same CSV gives the same ids. A row is a duplicate when
its id is a post's already in the plan (or an earlier row's), or, without an id, when it has
the same channel, instant and title as one: it is skipped and reported, so running an import
twice adds nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import tomli

from planner.conventions import ConventionError
from planner.written_times import date_order, looks_like_a_time, parse_written_time
from planner.errors import did_you_mean
from planner.exporting.vendors import FORMULA_PREFIXES, LAYOUTS
from planner.localtime import instant
from planner.model import STATUSES, Plan
from planner.tabular import EXCEL_ERRORS
from planner.writer import new_post_id

FIELDS = (
    "id", "at", "channel", "kind", "title", "body", "status", "owner", "audience", "link", "tags", "approved_by", "ignore", "idea", "x",
    "image_url", "date", "time",
)
# every layout's column names (as `cadence export` writes them), read into the post fields the layout names
VENDOR_COLUMNS = {column.lower(): field_name for layout in LAYOUTS.values() for column, field_name in zip(layout.columns, layout.fields)}
HOOTSUITE_COLUMNS = LAYOUTS["hootsuite"].fields
# the schedulers' files with a header row, which hold the text to publish exactly
SCHEDULER_HEADERS = [[column.lower() for column in layout.header] for layout in LAYOUTS.values() if layout.upload and layout.header]
TITLE_LENGTH = 60
YEARS = range(1970, 3000)  # times outside are typos (year 1), refused even with --extend
DATE_FORMATS = '--date-format "DD/MM/YYYY HH:mm" or "MM/DD/YYYY HH:mm"'  # how to say a file's order of day and month

@dataclass(frozen=True)
class RowProblem:
    line: int  # the CSV line the row starts on
    message: str
    column: int = 1  # the cell at fault, counted from 1


@dataclass
class ImportResult:
    posts: list[dict[str, Any]] = field(default_factory=list)  # plan-file values, with "line"
    problems: list[RowProblem] = field(default_factory=list)
    refused: bool = False  # the file as a whole cannot be read (not a row of it): --partial cannot help
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)  # (CSV line, id of the post it repeats, how)

    def horizon(self, plan: Plan) -> tuple[date, date]:
        """The plan's horizon widened to hold every imported post (``--extend``)."""
        days = [post["at"].date() for post in self.posts]
        return min([plan.start, *days]), max([plan.end, *days])


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]
    columns: dict[str, int]  # field -> the column (from 1) it was read from

    def column(self, field_name: str) -> int:
        """Where a field's problem is: its column; a time may come from ``date``; else the first."""
        return self.columns.get(field_name) or (self.columns.get("date", 1) if field_name == "at" else 1)


def column_map(header: list[str], overrides: dict[str, str]) -> dict[int, str]:
    """Which post field each CSV column (by position) fills; columns that fill nothing are left out."""
    mapping = {}
    for position, column in enumerate(header):
        name = column.strip()
        if name in overrides:
            mapping[position] = overrides[name]
        elif name.lower() in FIELDS:
            mapping[position] = name.lower()
        elif name.lower() in VENDOR_COLUMNS:
            mapping[position] = VENDOR_COLUMNS[name.lower()]
    return mapping


def read_csv(
    records: list[tuple[int, list[str]]],
    plan: Plan,
    overrides: dict[str, str],
    defaults: dict[str, str],
    date_format: str | None,
    extend: bool = False,
) -> ImportResult:
    """Posts from a file's records (:func:`planner.tabular.read_table`), each checked against the
    plan; rows that fail become problems."""
    result = ImportResult()
    header = [column.strip() for column in records[0][1]] if records else []  # the header, except in Hootsuite's layout
    if message := _mapping_problem(header, overrides):
        result.problems.append(RowProblem(records[0][0] if records else 1, message))
        result.refused = True
        return result
    rows = _rows(records, overrides, result)
    if rows is None:
        result.refused = True
        return result
    # Sprout's and Hootsuite's own layouts write the month first: that settles rows that read both ways
    order = _date_order(rows, date_format, result, "mdy" if _month_first_layout(header, overrides) else None)
    if order is _REFUSED:
        result.refused = True
        return result
    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    existing = {(post.channel, post.ts, post.title): post.id for post in plan.posts}
    post_ids = {post.id for post in plan.posts}
    for row in rows:
        explicit_id = row.values.get("id")
        if explicit_id in post_ids:  # our own export read back: the id says which post it is
            result.duplicates.append((row.line, explicit_id, "same id"))
            continue
        post, problems = _excel_errors(row.values) or _post(row.values, plan, defaults, date_format, order, taken)
        if not problems and not extend and not plan.start <= post["at"].date() <= plan.end:
            problems = [("at", f"{post['at']:%Y-%m-%d %H:%M} is outside the plan's horizon {plan.start}..{plan.end} (--extend widens it)")]
        if problems:
            result.problems.extend(RowProblem(row.line, message, row.column(field_name)) for field_name, message in problems)
            continue
        key = (post["channel"], instant(post["at"], plan.tz), post["title"])
        if key in existing and not explicit_id:  # no id: the same channel, instant and title is the same post
            result.duplicates.append((row.line, existing[key], "same channel, time and title"))
            continue
        existing[key] = post["id"]
        post_ids.add(post["id"])
        taken.add(post["id"])
        result.posts.append({**post, "line": row.line})
    return result


def _month_first_layout(header: list[str], overrides: dict[str, str]) -> bool:
    """Sprout Social's or Hootsuite's bulk file (as ``cadence export`` writes them): both write mm/dd/yyyy."""
    if [column.lower() for column in header] == list(LAYOUTS["sprout"].header):
        return True
    mapping = column_map(header, overrides)
    return "at" not in mapping.values() and "date" not in mapping.values() and _looks_like_hootsuite(header)


def _mapping_problem(header: list[str], overrides: dict[str, str]) -> str | None:
    """A ``--map`` naming a column the header lacks, or no post field (as ``cadence metrics import`` says it)."""
    for column, field_name in overrides.items():
        if column not in header:
            return f"--map: the CSV has no column {column!r}" + (did_you_mean(column, header) or f"; its columns: {', '.join(header)}")
        if field_name not in FIELDS:
            return f"--map: no field {field_name!r}" + (did_you_mean(field_name, FIELDS) or f"; fields: {', '.join(FIELDS)}")
    return None


def _rows(records: list[tuple[int, list[str]]], overrides: dict[str, str], result: ImportResult) -> list[Row] | None:
    """The data rows with their values by field name, or None after reporting why not."""
    if not records:
        result.problems.append(RowProblem(1, "the file is empty; it needs a header row"))
        return None
    header_line, header = records[0]
    mapping = column_map(header, overrides)
    # a scheduler's bulk file holds the text to publish exactly: only cadence's own CSV quotes formulas
    exact = [column.strip().lower() for column in header] in SCHEDULER_HEADERS
    if "at" not in mapping.values() and "date" not in mapping.values():
        if _looks_like_hootsuite(header):
            mapping, exact = dict(enumerate(HOOTSUITE_COLUMNS)), True
        else:
            result.problems.append(RowProblem(header_line, f"no column gives the time; columns are {', '.join(header)} (use --map COLUMN=at)"))
            return None
    else:
        records = records[1:]
    rows = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        values, columns = {}, {}
        for position, field_name in mapping.items():
            cell = record[position].strip() if position < len(record) else ""
            if "\r" in cell:
                cell = cell.replace("\r\n", "\n").replace("\r", "\n")  # Excel (CRLF) and old Mac (CR) line breaks
            if cell[:1] == "'" and not exact:
                cell = _unneutralised(cell)
            if cell:
                values[field_name] = cell
                columns[field_name] = position + 1
        rows.append(Row(line, values, columns))
    return rows


def _looks_like_hootsuite(first_row: list[str]) -> bool:
    """Hootsuite's bulk file has no header: a time, a message, perhaps a link."""
    cells = [cell.strip() for cell in first_row]
    return 2 <= len(cells) <= 3 and looks_like_a_time(cells[0])


def _unneutralised(cell: str) -> str:
    """An exported cell without the quote that kept spreadsheets from running it as a formula
    (or that doubled a leading quote)."""
    if cell.startswith("'") and cell[1:2] and cell[1] in (*FORMULA_PREFIXES, "'"):
        return cell[1:]
    return cell


_REFUSED = object()


def _time_text(values: dict[str, str]) -> str:
    return values.get("at") or " ".join(part for part in (values.get("date"), values.get("time")) if part)


def _date_order(rows: list[Row], date_format: str | None, result: ImportResult, layout_order: str | None = None) -> Any:
    """"dmy" or "mdy" for the whole file's numeric dates (None if it has none), or _REFUSED.

    ``layout_order`` is the order the file's layout is known to use, for when no row settles it.
    """
    if date_format:
        return None
    try:
        return date_order(((row.line, _time_text(row.values)) for row in rows), layout_order, how=DATE_FORMATS)
    except ConventionError as error:
        result.problems.append(RowProblem(error.line, str(error)))
        return _REFUSED


def _post(
    values: dict[str, str], plan: Plan, defaults: dict[str, str], date_format: str | None, order: str | None, taken: set[str]
) -> tuple[dict, list[tuple[str, str]]]:
    """The post's plan-file values, or its problems, each with the field at fault."""
    merged = {**defaults, **values}
    problems: list[tuple[str, str]] = []
    at = _when(merged, plan, date_format, order)
    if isinstance(at, str):
        problems.append(("at", at))
    channel = merged.get("channel")
    if not channel:
        problems.append(("channel", "no channel (add a channel column or pass --channel)"))
    elif channel not in plan.channels:
        problems.append(("channel", _unknown("channel", channel, plan.channels)))
    kind = merged.get("kind")
    if not kind:
        problems.append(("kind", "no kind (add a kind column or pass --kind)"))
    elif kind not in plan.kinds:
        problems.append(("kind", _unknown("kind", kind, plan.kinds)))
    status = merged.get("status", "draft")
    if status not in STATUSES:
        problems.append(("status", _unknown("status", status, STATUSES)))
    owner = merged.get("owner")
    if owner and plan.team and owner not in plan.team:
        problems.append(("owner", _unknown("team member", owner, plan.team)))
    approved_by = _list(merged.get("approved_by"))
    for name in approved_by or ():
        if plan.team and name not in plan.team:
            problems.append(("approved_by", _unknown("team member", name, plan.team)))
    audience = merged.get("audience")
    if audience and audience not in plan.audiences:
        problems.append(("audience", _unknown("audience", audience, plan.audiences)))
    user_table = _user_table(merged.get("x"))
    if isinstance(user_table, str):
        problems.append(("x", user_table))
    body = merged.get("body", "")
    title = merged.get("title")
    if not title:  # a scheduler's text: its first line is the title, and the body unless that is all
        title = _title_from(body)
        body = "" if body == title else body
    if not title:
        problems.append(("title", "no title or text"))
    if problems:
        return {}, problems
    post: dict[str, Any] = {
        "id": merged.get("id") or new_post_id(plan.channels[channel].mark, at, title, taken),
        "at": at,
        "channel": channel,
        "kind": kind,
        "title": title,
        "body": body or None,
        "status": status,
        "owner": owner or None,
        "audience": audience or None,
        "link": merged.get("link") or None,
        "approved_by": approved_by,
        "tags": _list(merged.get("tags")),
        "ignore": _list(merged.get("ignore")),
        "idea": merged.get("idea") or None,
    }
    if merged.get("image_url"):
        user_table = {**user_table, "image_url": merged["image_url"]}
    if user_table:
        post["x"] = user_table
    if post["id"] in taken:
        return {}, [("id", f"duplicate id {post['id']!r}")]
    return post, []


def _excel_errors(values: dict[str, str]) -> tuple[dict, list[tuple[str, str]]] | None:
    """Cells holding Excel's error values (#N/A, #REF!...): a formula that failed, not a post's text."""
    problems = [(name, f"the cell holds Excel's error {text}; correct its formula") for name, text in values.items() if text in EXCEL_ERRORS]
    return ({}, problems) if problems else None


def _unknown(what: str, value: str, known) -> str:
    hint = did_you_mean(value, known) or f"; known: {', '.join(sorted(known))}"
    return f"unknown {what} {value!r}{hint}"


def _user_table(text: str | None) -> dict | str:
    """The ``x`` cell (a TOML inline table, as ``--to csv`` writes it) as a table, or why it is not one."""
    if not text:
        return {}
    try:
        value = None if "\n" in text else tomli.loads(f"x = {text}")["x"]
    except ValueError:  # tomli's TOMLDecodeError, or Python's limit on an integer's digits
        value = None
    return value if isinstance(value, dict) else f"x {text[:40]!r} is not a TOML inline table such as {{note = \"...\"}}"


def _list(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [item.strip() for item in re.split(r"[,;]", text) if item.strip()] or None


def _when(values: dict[str, str], plan: Plan, date_format: str | None, order: str | None) -> datetime | str:
    """The post's local wall time in the plan's zone, or why the row has none."""
    text = _time_text(values)
    if not text:
        return "no time (the at column, or date and time_24hr, is empty)"
    parsed = _parse(text, date_format, order)
    if isinstance(parsed, str):
        return parsed
    if parsed.year not in YEARS:
        return f"time {text!r} is in the year {parsed.year}; is it a typo?"
    if parsed.tzinfo is None:
        return parsed
    wall = parsed.astimezone(plan.tz)
    if wall.fold:  # the second pass of a repeated hour: the plan's wall times mean the first
        return f"time {text!r} is the second {wall:%H:%M} of the night the clocks go back in {plan.timezone}; a plan cannot say that"
    return wall.replace(tzinfo=None)


def _parse(text: str, date_format: str | None, order: str | None) -> datetime | str:
    if date_format:
        import pendulum

        try:
            parsed = pendulum.from_format(text, date_format)
        except ValueError:
            return f'time {text!r} does not match --date-format "{date_format}"'
        offset_given = any(token in date_format for token in ("Z", "ZZ"))
        return datetime.fromisoformat(parsed.isoformat()) if offset_given else parsed.naive()
    return parse_written_time(text, order)


def _title_from(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    if len(first) <= TITLE_LENGTH:
        return first
    return first[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
