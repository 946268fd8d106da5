"""Figures from analytics exports: which post each row is about, and which rows cannot be used.

Three layouts are recognised by their header row (names compared without case):

- Buffer's analytics export of posts (one file per channel): ``date``, ``text``,
  ``serviceLink`` (the post's address), ``impressions``, ``reach``, ``likes`` (or
  ``reactions``), ``comments`` (or ``replies``), ``shares`` (or ``retweets``), ``saves``,
  ``clicks``;
- Meta Business Suite's post export (Insights > Content > Export), one file per platform:
  ``Post ID``, ``Publish time`` (``MM/DD/YYYY HH:MM``), ``Permalink``, ``Views``, ``Reach``,
  and ``Likes``, ``Comments``, ``Shares``, ``Saves`` (Instagram, told apart by
  ``Account username``) or ``Reactions``, ``Comments``, ``Shares``, ``Total clicks``
  (a Facebook Page, told apart by ``Page ID``). Its figures are lifetime totals;
- the generic layout: columns named after the fields, ``post_id``, ``channel``,
  ``published_at``, ``url``, ``day`` and the counts, or ``channel``, ``day``, ``metric``,
  ``value`` for a channel's figures (followers, reach...).

``--map column=field`` maps any other column. A row is matched to a post by its id; else by
its channel and time, to the nearest post within the channel's tolerance; else by its address,
against the publications the store has. Times are wall-clock times in the plan's zone.

A file is read the way it writes: the order of day and month in its dates
(:func:`planner.written_times.date_order`; Meta and Buffer write the month first) and the
decimal mark of its figures (:func:`planner.written_numbers.decimal_mark`) are decided once
for the whole file. Counts are whole numbers, and so are the channel figures that count
(followers, reach...). A channel's figure is read only inside the plan's horizon, so one
outside it is refused (``--extend`` widens the horizon to hold it).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache

from planner.errors import did_you_mean
from planner.importer import RowProblem
from planner.localtime import instant, out_of_range
from planner.model import Plan
from planner.outcomes import MAX_FIGURE, PLAN_WIDE, POST_COUNTS, Publication, figure_problem, known_metrics, utc_text, whole_metric
from planner.written_numbers import decimal_mark, read_number
from planner.written_times import date_order, parse_written_date, parse_written_time

FIELDS = ("post_id", "channel", "published_at", "url", "day", "metric", "value", *POST_COUNTS)
HOW_DATES = "--date-order day-first or --date-order month-first"


@dataclass(frozen=True)
class Layout:
    """A known export: how to tell it by its header, its columns' fields, its network."""

    name: str
    source: str  # written in the store's ``source`` column
    marks: tuple[str, ...]  # lower-case columns that all appear in its header
    columns: dict[str, str]  # lower-case column -> field
    network: str | None = None  # the channel it is about, when the plan has one by that name
    date_order: str | None = None  # "mdy": how its dates are written, when no row says


BUFFER = Layout(
    "Buffer analytics", "buffer", ("servicelink",),
    {"date": "published_at", "servicelink": "url", "impressions": "impressions", "reach": "reach", "likes": "likes",
     "reactions": "likes", "comments": "comments", "replies": "comments", "shares": "shares", "retweets": "shares",
     "reposts": "shares", "saves": "saves", "clicks": "clicks"},
    date_order="mdy",
)
META_INSTAGRAM = Layout(
    "Meta Business Suite (Instagram)", "meta", ("post id", "publish time", "account username"),
    {"publish time": "published_at", "permalink": "url", "views": "impressions", "reach": "reach", "likes": "likes",
     "comments": "comments", "shares": "shares", "saves": "saves"},
    network="instagram",
    date_order="mdy",
)
META_FACEBOOK = Layout(
    "Meta Business Suite (Facebook)", "meta", ("post id", "publish time", "page id"),
    {"publish time": "published_at", "permalink": "url", "views": "impressions", "reach": "reach", "reactions": "likes",
     "comments": "comments", "shares": "shares", "total clicks": "clicks"},
    network="facebook",
    date_order="mdy",
)
GENERIC = Layout("generic", "csv", (), {name: name for name in FIELDS} | {"id": "post_id", "at": "published_at"})
LAYOUTS = (BUFFER, META_INSTAGRAM, META_FACEBOOK)


@dataclass
class MetricsImport:
    """What a CSV holds for the store, and the rows that cannot go in, by CSV line."""

    layout: Layout
    post_rows: list[dict] = field(default_factory=list)
    channel_rows: list[dict] = field(default_factory=list)
    publications: list[dict] = field(default_factory=list)  # rows that say when and where a post went out
    unmatched: list[RowProblem] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.post_rows) + len(self.channel_rows) + len(self.unmatched) + len(self.rejected)

    def horizon(self, plan: Plan) -> tuple[date, date]:
        """The plan's horizon widened to hold every channel figure (``--extend``)."""
        days = [date.fromisoformat(row["day"]) for row in self.channel_rows]
        return min([plan.start, *days]), max([plan.end, *days])


class MappingError(ValueError):
    """A ``--map`` that names a column the file lacks, or a field there is not."""


def outside_horizon(plan: Plan, day: date) -> str | None:
    """Why a channel's figure of ``day`` cannot go in, or None: every reader reads the plan's
    horizon only (check, report and goals), so a figure outside it would never be seen."""
    if plan.start <= day <= plan.end:
        return None
    return f"is outside the plan ({plan.start} to {plan.end}), where nothing reads it; --extend widens the plan to hold it"


def detect(header: list[str]) -> Layout:
    names = {column.strip().lower() for column in header}
    return next((layout for layout in LAYOUTS if all(mark in names for mark in layout.marks)), GENERIC)


def column_fields(header: list[str], layout: Layout, overrides: dict[str, str]) -> dict[int, str]:
    """Which field each column (by position) fills; ``overrides`` are ``--map`` pairs."""
    stripped = [column.strip() for column in header]
    for column, field_name in overrides.items():
        if column not in stripped:
            raise MappingError(f"--map: the CSV has no column {column!r}" + (did_you_mean(column, stripped) or f"; its columns: {', '.join(stripped)}"))
        if field_name not in FIELDS:
            raise MappingError(f"--map: no field {field_name!r}" + (did_you_mean(field_name, FIELDS) or f"; fields: {', '.join(FIELDS)}"))
    fields = {}
    for position, column in enumerate(stripped):
        field_name = overrides.get(column) or layout.columns.get(column.lower())
        if field_name and field_name not in fields.values():
            fields[position] = field_name
    if not fields:
        raise MappingError(f"no column is one this import knows (its columns: {', '.join(stripped)}); map them with --map COLUMN=FIELD")
    return fields


def read_metrics_csv(
    records: list[tuple[int, list[str]]],
    plan: Plan,
    publications: dict[str, Publication],
    measured: date,
    overrides: dict[str, str] | None = None,
    channel: str | None = None,
    decimal: str | None = None,
    order: str | None = None,
    extend: bool = False,
) -> MetricsImport:
    """The rows of a file's ``records`` (:func:`planner.tabular.read_table`) matched to the plan's
    posts and channels; ``measured`` is the day of figures whose row names none (lifetime totals
    are as of the day of the export).

    ``decimal`` ("." or ",") and ``order`` ("dmy" or "mdy") say how the file writes numbers
    and dates; left out, the file's cells decide, or :class:`ConventionError` says that they
    do not. With ``extend``, channel figures outside the horizon go in (see :meth:`MetricsImport.horizon`).
    """
    header = records[0][1] if records else []
    layout = detect(header)
    result = MetricsImport(layout)
    fields = column_fields(header, layout, overrides or {})
    default_channel = channel or (layout.network if layout.network in plan.channels else None)
    rows = []
    columns = sorted(fields.items())
    for start, cells in records[1:]:
        values = {name: text for position, name in columns if position < len(cells) and (text := cells[position].strip())}
        if values:
            if default_channel and "channel" not in values:
                values["channel"] = default_channel
            rows.append((start, values))
    reading = _Reading(plan, order or date_order(_dates(rows), layout.date_order, how=HOW_DATES), decimal or decimal_mark(_figures(rows)), extend)
    matcher = _Matcher(reading, publications)
    claimed: dict[tuple[str, str], int] = {}
    for start, values in rows:
        try:
            if "metric" in values or "value" in values:
                result.channel_rows.append({**_channel_row(values, reading, measured), "source": layout.source, "line": start})
                continue
            row = _counts(values, reading)
            post_id, moment = matcher.match(values)
            day = reading.day(values["day"]).isoformat() if "day" in values else measured.isoformat()
        except _Rejected as problem:
            result.rejected.append(RowProblem(start, str(problem)))
            continue
        except _Unmatched as problem:
            result.unmatched.append(RowProblem(start, str(problem)))
            continue
        key = (post_id, day)
        if key in claimed:
            result.rejected.append(RowProblem(start, f"is about {post_id} on {day}, as line {claimed[key]} is; keep one"))
            continue
        claimed[key] = start
        result.post_rows.append({"post_id": post_id, "day": day, **row, "source": layout.source, "line": start})
        if moment is not None:
            result.publications.append({
                "post_id": post_id, "channel": matcher.channel_of[post_id], "published_at": utc_text(moment),
                "url": values.get("url"),  # None keeps the address stored: the import does not own it
                "source": layout.source, "line": start,
            })
    return result


def _dates(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, str]]:
    """Each date of the file, at the first line that writes it (an export repeats a handful)."""
    first: dict[str, int] = {}
    for start, values in rows:
        for name in ("published_at", "day"):
            if name in values:
                first.setdefault(values[name], start)
    return [(line, text) for text, line in first.items()]


def _figures(rows: list[tuple[int, dict[str, str]]]):
    """The figures of the file that have a mark, as (line, text, whether a count), for deciding its decimal mark."""
    for start, values in rows:
        for name in POST_COUNTS:
            text = values.get(name)
            if text is not None and ("." in text or "," in text):
                yield start, text, True
        text = values.get("value")
        if text is not None and ("." in text or "," in text):
            yield start, text, whole_metric(values.get("metric", ""))


class _Rejected(ValueError):
    """The row is wrong in itself: a negative count, a bad date, a date outside the plan."""


class _Unmatched(ValueError):
    """The row is fine but about no post of the plan."""


@dataclass(frozen=True)
class _Reading:
    """How this file is read: the plan, its dates' order, its decimal mark, whether to extend."""

    plan: Plan
    order: str
    decimal: str | None  # None: no figure says, and none needs it to
    extend: bool

    def day(self, text: str) -> date:
        day = _written_day(text, self.order)
        if isinstance(day, str):
            raise _Rejected(day)
        if reason := out_of_range(day):
            raise _Rejected(f"day {text!r} is out of range: {reason}")
        return day

    def moment(self, text: str) -> datetime:
        moment = parse_written_time(text, self.order)
        if isinstance(moment, str):
            raise _Rejected(moment)
        local = moment.astimezone(self.plan.tz).date() if moment.tzinfo else moment.date()
        if not self.plan.start <= local <= self.plan.end:
            raise _Rejected(f"{local} is outside the plan ({self.plan.start} to {self.plan.end})")
        return moment


@lru_cache(maxsize=4096)
def _written_day(text: str, order: str) -> date | str:
    """:func:`parse_written_date`, once per text: an export repeats a handful of days."""
    return parse_written_date(text, order)


def _counts(values: dict[str, str], reading: _Reading) -> dict[str, int | None]:
    counts = {}
    for name in POST_COUNTS:
        text = values.get(name)
        if text is None:
            counts[name] = None
            continue
        try:
            number = read_number(text, reading.decimal, whole=True)
        except ValueError as error:
            raise _Rejected(f"{name} {error}") from None
        if number < 0:
            raise _Rejected(f"{name} is negative ({text})")
        if number > MAX_FIGURE:
            raise _Rejected(f"{name} {text} is more than a count can be")
        counts[name] = number
    return counts


def _channel_row(values: dict[str, str], reading: _Reading, measured: date) -> dict:
    plan = reading.plan
    channel, metric, text = values.get("channel"), values.get("metric"), values.get("value")
    if not channel:
        raise _Rejected("a channel figure needs a channel (a channel column, or --channel)")
    if channel not in plan.channels and channel != PLAN_WIDE:
        raise _Rejected(_unknown("channel", channel, [*plan.channels, PLAN_WIDE]))
    if not metric or text is None:
        raise _Rejected("a channel figure needs both metric and value")
    if metric not in (known := known_metrics(plan)):
        raise _Rejected(_unknown("metric", metric, known))
    try:
        value = read_number(text, reading.decimal, whole=whole_metric(metric))
    except ValueError as error:
        raise _Rejected(f"value {error}") from None
    if problem := figure_problem(value):
        raise _Rejected(f"{metric} {problem} ({text})")
    day = reading.day(values["day"]) if "day" in values else measured
    if not reading.extend and (reason := outside_horizon(plan, day)):
        raise _Rejected(f"{day} {reason}")
    return {"channel": channel, "day": day.isoformat(), "metric": metric, "value": float(value)}


def _unknown(what: str, name: str, known) -> str:
    return f"unknown {what} {name!r}{did_you_mean(name, known)}"


class _Matcher:
    """Finds a row's post: by id, else by channel and time within tolerance, else by address."""

    def __init__(self, reading: _Reading, publications: dict[str, Publication]):
        self.reading = reading
        self.plan = plan = reading.plan
        self.channel_of = {post.id: post.channel for post in plan.posts}
        self.times: dict[str, tuple[list[int], list[str]]] = {}
        for name in plan.channels:
            posts = sorted((post.ts, post.id) for post in plan.posts if post.channel == name and post.status != "skipped")
            self.times[name] = ([ts for ts, _ in posts], [post_id for _, post_id in posts])
        self.publications = publications
        self.urls = {_address(p.url): post_id for post_id, p in publications.items() if p.url}

    def match(self, values: dict[str, str]) -> tuple[str, datetime | None]:
        """The post's id, and the instant the row says it went out (if it says)."""
        moment = None
        if "published_at" in values:
            moment = self.reading.moment(values["published_at"])
        post_id = values.get("post_id")
        if post_id:
            if post_id not in self.channel_of:
                raise _Unmatched(_unknown("post", post_id, self.channel_of))
            return post_id, self._instant(moment) if moment else None
        channel = values.get("channel")
        if channel and channel not in self.plan.channels:
            raise _Rejected(_unknown("channel", channel, self.plan.channels))
        tried = []
        if moment is not None:
            ts = instant(moment, self.plan.tz)
            found = self._nearest(ts, [channel] if channel else list(self.plan.channels))
            if found:
                return found, self._instant(moment)
            where = f" on {channel}" if channel else ""
            tried.append(f"no post{where} within its tolerance of {moment:%a %Y-%m-%d %H:%M}")
        url = values.get("url")
        if url:
            found = self.urls.get(_address(url))
            if found:
                return found, self._instant(moment) if moment else None
            tried.append(f"no publication logged with the address {url}")
        if not tried:
            raise _Rejected("the row names no post: it needs a post_id, a time, or an address")
        raise _Unmatched("; ".join(tried))

    def _instant(self, moment: datetime) -> datetime:
        return datetime.fromtimestamp(instant(moment, self.plan.tz), timezone.utc)

    def _nearest(self, ts: int, channels: list[str]) -> str | None:
        best = None
        for name in channels:
            times, ids = self.times[name]
            tolerance = int(self.plan.channels[name].tolerance.total_seconds())
            position = bisect_left(times, ts)
            for index in (position - 1, position):
                if 0 <= index < len(times) and abs(times[index] - ts) <= tolerance:
                    distance = abs(times[index] - ts)
                    if best is None or distance < best[0]:
                        best = (distance, ids[index])
        return best[1] if best else None


def _address(url: str) -> str:
    return url.strip().rstrip("/").lower()
