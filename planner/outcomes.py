"""The outcomes store: what was published and how it did, in one SQLite file beside the plan.

The plan stays the source of truth for what is planned; the store holds what happened. It is
built with sqlite-utils, imported here only, and only when a store is used (sqlite3 too), so
that ``cadence check`` on a plan without a store never loads them. The schema is created and upgraded
with ``sqlite_utils.Migrations``; writes take the write lock at once (``BEGIN IMMEDIATE``) and
are grouped with ``db.atomic()``; the file is in WAL mode with a busy timeout, so several
processes can log at once. Column names are plain words: the file opens in Datasette and in
the ``sqlite-utils`` command line as it is.

Tables (each with a primary key, so that recording the same thing twice changes nothing):

- ``publications``: post_id, channel, published_at (UTC, ISO 8601), url, source, recorded_at;
- ``post_metrics``: post_id, day, impressions, reach, likes, comments, shares, saves, clicks,
  source, recorded_at;
- ``channel_metrics``: channel, day, metric (followers, reach, engagement_rate...), value,
  source, recorded_at.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from planner.model import Plan

DEFAULT_LOCATION = os.path.join(".cadence", "outcomes.db")
BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's write before giving up
MIGRATION_SET = "cadence-outcomes"
PLAN_WIDE = "plan"  # the channel name of figures about the whole plan, such as sales
POST_COUNTS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks")
CHANNEL_METRICS = ("followers", "reach", "impressions", "engagement_rate", "clicks", "visits")
ENGAGEMENTS = ("likes", "comments", "shares", "saves", "clicks")  # what a reader did, not what they saw


class StoreError(Exception):
    """The store cannot be used: not SQLite, a newer schema, locked, unwritable. One line."""


@dataclass(frozen=True, slots=True)
class Publication:
    """A post that went out: when (UTC), where, and at which address."""

    post_id: str
    channel: str
    published_at: datetime
    url: str | None = None
    source: str = "cli"


@dataclass(frozen=True, slots=True)
class PostMetrics:
    """A post's figures as measured on one day (cumulative, as the networks report them)."""

    post_id: str
    day: date
    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    source: str = "cli"

    @property
    def engagement(self) -> int:
        """Likes, comments, shares, saves and clicks together."""
        return sum(getattr(self, name) or 0 for name in ENGAGEMENTS)


@dataclass(frozen=True)
class Outcomes:
    """Everything the store holds, read once: what the rules and the report work from."""

    publications: dict[str, Publication] = field(default_factory=dict)
    post_metrics: dict[str, PostMetrics] = field(default_factory=dict)  # the latest day per post
    channel_metrics: dict[tuple[str, str], list[tuple[date, float]]] = field(default_factory=dict)

    def series(self, channel: str, metric: str = "followers") -> list[tuple[date, float]]:
        """A channel's recorded values of ``metric``, by day."""
        return self.channel_metrics.get((channel, metric), [])


def known_metrics(plan: "Plan") -> list[str]:
    """The channel figures the store takes: the usual ones, and those the plan's goals measure."""
    return [*CHANNEL_METRICS, *sorted({goal.metric for goal in plan.goals if goal.metric} - set(CHANNEL_METRICS))]


def store_path(plan: "Plan", override: str | None = None) -> str:
    """Where the plan's store is: ``--db``, else ``[plan] outcomes``, else ``.cadence/outcomes.db``.

    ``[plan] outcomes`` is read relative to the plan's folder, so the plan and its store move
    together.
    """
    if override:
        return override
    folder = os.path.dirname(plan.path)
    return os.path.normpath(os.path.join(folder, plan.outcomes or DEFAULT_LOCATION))


def utc_text(moment: datetime) -> str:
    """An instant as the store writes it: ISO 8601 in UTC, to the second, with a Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_text() -> str:
    return utc_text(datetime.now(timezone.utc))


# -- the schema: each step is a migration; never edit one that has shipped, add another ----


def _migrations():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="0001_tables")
    def tables(db) -> None:
        db["publications"].create(
            {"post_id": str, "channel": str, "published_at": str, "url": str, "source": str},
            pk="post_id",
            not_null={"channel", "published_at"},
        )
        counts = {name: int for name in POST_COUNTS}
        db["post_metrics"].create({"post_id": str, "day": str, **counts, "source": str}, pk=("post_id", "day"))
        db["channel_metrics"].create(
            {"channel": str, "day": str, "metric": str, "value": float},
            pk=("channel", "day", "metric"),
            not_null={"value"},
        )

    @migrations(name="0002_provenance")
    def provenance(db) -> None:
        """When each row was recorded, and where channel figures came from (a CSV, the CLI)."""
        for name in ("publications", "post_metrics", "channel_metrics"):
            db[name].add_column("recorded_at", str)
        db["channel_metrics"].add_column("source", str)
        db["publications"].create_index(["channel", "published_at"])

    return migrations


class OutcomeStore:
    """An open outcomes store. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, path: str, db, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.db = db
        self.timeout = timeout

    @classmethod
    def open(cls, path: str, create: bool = False, timeout: float = BUSY_TIMEOUT) -> "OutcomeStore":
        """Open the store at ``path``, creating it (and its folder) if ``create``; upgrade its schema.

        Raises :class:`StoreError` for a missing store (unless ``create``), a file that is not
        SQLite, a schema newer than this version knows, or a store locked past ``timeout``.
        """
        if os.path.isdir(path):
            raise StoreError(f"{path} is a directory, not an outcomes store")
        if not os.path.exists(path):
            if not create:
                raise StoreError(f"{path}: no outcomes store there (record something with `cadence log` or `cadence metrics`)")
            try:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            except OSError as error:
                raise StoreError(f"{path}: cannot create the store's folder: {error.strerror or error}") from None
        import sqlite3

        from sqlite_utils import Database

        with _translated(path, timeout):
            connection = sqlite3.connect(path, timeout=timeout)
            store = cls(path, Database(connection, execute_plugins=False), timeout)
            try:
                store._prepare()
            except BaseException:
                connection.close()
                raise
        return store

    def _prepare(self) -> None:
        self.db.execute("PRAGMA journal_mode=wal")
        migrations = _migrations()
        known = {migration.name for migration in migrations._migrations}
        unknown = sorted(m.name for m in migrations.applied(self.db) if m.name not in known)
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer content-cadence (schema step {unknown[-1]}); upgrade content-cadence to use it"
            )
        if migrations.pending(self.db):
            with self._writing():
                migrations.apply(self.db)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "OutcomeStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction: the write lock is taken first, so the busy timeout waits for it."""
        with _translated(self.path, self.timeout):
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic():
                    yield
            except BaseException:
                self.db.conn.rollback()
                raise
            self.db.conn.commit()

    # -- writing -------------------------------------------------------------------------

    def log_publication(self, post_id: str, channel: str, published_at: datetime, url: str | None = None, source: str = "cli") -> None:
        """Record that a post went out; logging it again moves the record to the new time."""
        row = {"post_id": post_id, "channel": channel, "published_at": utc_text(published_at), "source": source, "recorded_at": _now_text()}
        if url is not None:  # logging again without an address keeps the one recorded
            row["url"] = url
        with self._writing():
            self.db["publications"].upsert(row, pk="post_id")

    def record_channel_metric(self, channel: str, day: date, metric: str, value: float, source: str = "cli") -> None:
        """Record one figure of a channel on a day, such as its followers."""
        row = {"channel": channel, "day": day.isoformat(), "metric": metric, "value": float(value), "source": source, "recorded_at": _now_text()}
        with self._writing():
            self.db["channel_metrics"].upsert(row, pk=("channel", "day", "metric"))

    def write_metrics(self, post_rows: Iterable[dict], channel_rows: Iterable[dict], publications: Iterable[dict] = ()) -> dict[str, list[int]]:
        """Write imported rows in one transaction; say which source lines added, updated or changed nothing.

        Each row is a dict of the table's columns plus ``line`` (its place in the source, for
        the caller's report); a line that wrote rows to several tables counts once, as its
        biggest change. A row equal to the stored one is not rewritten, so importing the same
        file twice leaves the same rows, ``recorded_at`` included.
        """
        status: dict[int, str] = {}
        rank = {"unchanged": 0, "updated": 1, "added": 2}
        tables = (
            ("post_metrics", ("post_id", "day"), (*POST_COUNTS, "source"), list(post_rows)),
            ("channel_metrics", ("channel", "day", "metric"), ("value", "source"), list(channel_rows)),
            ("publications", ("post_id",), ("channel", "published_at", "url", "source"), list(publications)),
        )
        with self._writing():
            for table, keys, values, rows in tables:
                if not rows:
                    continue
                stored = {
                    tuple(row[:len(keys)]): tuple(row[len(keys):])
                    for row in self.db.execute(f"select {', '.join(keys + values)} from {table}").fetchall()
                }
                changed = []
                stamp = _now_text()
                for row in rows:
                    key = tuple([row[name] for name in keys])
                    before = stored.get(key)
                    now = tuple([row.get(name) for name in values])
                    if before == now:
                        status.setdefault(row["line"], "unchanged")
                        continue
                    change = "updated" if before is not None else "added"
                    if rank[change] >= rank[status.get(row["line"], "unchanged")]:
                        status[row["line"]] = change
                    stored[key] = now
                    changed.append((*key, *now, stamp))
                if changed:
                    columns = keys + values + ("recorded_at",)
                    self.db.conn.executemany(
                        f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                        f"on conflict ({', '.join(keys)}) do update set "
                        + ", ".join(f"{name} = excluded.{name}" for name in values + ("recorded_at",)),
                        changed,
                    )
        return {change: sorted(line for line, state in status.items() if state == change) for change in rank}

    # -- reading -------------------------------------------------------------------------

    def published(self) -> dict[str, Publication]:
        """Every publication record, by post id."""
        with _translated(self.path):
            rows = self.db.execute("select post_id, channel, published_at, url, source from publications").fetchall()
        return {row[0]: Publication(row[0], row[1], _instant(row[2]), row[3], row[4] or "cli") for row in rows}

    def latest_post_metrics(self) -> dict[str, PostMetrics]:
        """Each post's figures on the last day they were measured."""
        columns = ", ".join(POST_COUNTS)
        with _translated(self.path):
            rows = self.db.execute(
                f"select post_id, max(day), {columns}, source from post_metrics group by post_id"
            ).fetchall()
        return {row[0]: PostMetrics(row[0], date.fromisoformat(row[1]), *row[2:-1], source=row[-1] or "cli") for row in rows}

    def snapshot(self) -> Outcomes:
        """The whole store, read once."""
        series: dict[tuple[str, str], list[tuple[date, float]]] = {}
        with _translated(self.path):
            rows = self.db.execute("select channel, metric, day, value from channel_metrics order by channel, metric, day").fetchall()
        for channel, metric, day, value in rows:
            series.setdefault((channel, metric), []).append((date.fromisoformat(day), value))
        return Outcomes(publications=self.published(), post_metrics=self.latest_post_metrics(), channel_metrics=series)


def read_outcomes(plan: "Plan", override: str | None = None) -> Outcomes | None:
    """The plan's outcomes, or None when it has no store and none was named with ``--db``.

    A store named with ``--db`` must exist; the default one is optional.
    """
    path = store_path(plan, override)
    if override is None and not os.path.exists(path):
        return None
    with OutcomeStore.open(path) as store:
        return store.snapshot()


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


@contextmanager
def _translated(path: str, timeout: float = BUSY_TIMEOUT) -> Iterator[None]:
    """SQLite's errors as one-line :class:`StoreError` messages that name the store."""
    import sqlite3  # here, not at the top: a check of a plan without a store never loads it

    try:
        yield
    except sqlite3.DatabaseError as error:
        message = str(error)
        if "not a database" in message or "malformed" in message:
            raise StoreError(f"{path} is not an SQLite database, so not an outcomes store; move it away or pass --db") from None
        if "locked" in message or "busy" in message:
            raise StoreError(f"{path} is locked by another program; gave up after waiting {timeout:g} s") from None
        if "readonly" in message or "unable to open" in message:
            raise StoreError(f"{path}: cannot write the outcomes store ({message})") from None
        raise StoreError(f"{path}: {message}") from None
