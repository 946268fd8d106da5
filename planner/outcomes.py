"""The outcomes store: what was published and how it did, in one SQLite file beside the plan.

The plan stays the source of truth for what is planned; the store holds what happened. sqlite3
is imported only when a store is used, so that ``cadence check`` on a plan without a store
never loads it. Column names are plain words: the file opens in Datasette and in the
``sqlite-utils`` command line as it is.

Reading and writing are apart:

- :meth:`OutcomeStore.read` opens the store read-only (SQLite's ``mode=ro``): no migration, no
  journal mode switched, nothing created; ``check``, ``report`` and the app until it logs.
  Every row is validated as it is read, and a bad one is a :class:`StoreError` naming the
  table, the row and the column: the store is edited by hand (Datasette) and is input too.
- :func:`record` is the only way to write: one transaction, the write lock taken first
  (``BEGIN IMMEDIATE``), so every read-modify-write sees what other processes committed; the
  schema is created and upgraded (``sqlite_utils.Migrations``, imported by writers only) in that
  same transaction. All or nothing: a new store is built in a temporary file beside its place
  and linked there only when everything worked, so a failure leaves no store and no folder.

The file is in WAL mode with a busy timeout, so several processes can log at once.

Tables (each with a primary key, so that recording the same thing twice changes nothing):

- ``publications``: post_id, channel, published_at (UTC, ISO 8601), url, source, recorded_at;
- ``post_metrics``: post_id, day, impressions, reach, likes, comments, shares, saves, clicks,
  source, recorded_at;
- ``channel_metrics``: channel, day, metric (followers, reach, engagement_rate...), value,
  source, recorded_at.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

from planner.errors import PlanError, Problem
from planner.localtime import out_of_range

if TYPE_CHECKING:
    from planner.model import Plan

DEFAULT_LOCATION = os.path.join(".cadence", "outcomes.db")
BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's write before giving up
MIGRATION_SET = "cadence-outcomes"
SCHEMA_STEPS = ("0001_tables", "0002_provenance")  # the migrations, in order; never rename one that shipped
PLAN_WIDE = "plan"  # the channel name of figures about the whole plan, such as sales
POST_COUNTS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks")
CHANNEL_METRICS = ("followers", "reach", "impressions", "engagement_rate", "clicks", "visits")
ENGAGEMENTS = ("likes", "comments", "shares", "saves", "clicks")  # what a reader did, not what they saw
MAX_FIGURE = 2**63 - 1  # SQLite's largest integer: the largest count or figure the store takes
UPGRADERS = "`cadence log` or `cadence metrics`"  # the commands that create and upgrade a store

T = TypeVar("T")


class StoreError(Exception):
    """The store cannot be used: not SQLite, a newer schema, locked, unwritable, a bad row. One line."""


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


def figure_problem(value: float) -> str | None:
    """Why a channel's figure cannot go in the store (or come out of it), or None if it can."""
    if not math.isfinite(value):
        return "is not a finite number"
    if value < 0:
        return "is negative"
    if value > MAX_FIGURE:
        return "is more than a figure can be"
    return None


def store_path(plan: "Plan", override: str | None = None) -> str:
    """Where the plan's store is: ``--db``, else ``[plan] outcomes``, else ``.cadence/outcomes.db``.

    ``[plan] outcomes`` is read relative to the plan's folder, so the plan and its store move
    together. A plan may come from anyone who can open a pull request, so the store it names
    (or the default one, through a symlinked ``.cadence``) must lie inside the plan's folder,
    symlinks followed: else a :class:`PlanError` at the ``outcomes`` key (the loader has
    refused absolute paths and ``..`` already). ``--db`` is the user's own choice.
    """
    if override:
        return override
    folder = os.path.dirname(plan.path)
    path = os.path.normpath(os.path.join(folder, plan.outcomes or DEFAULT_LOCATION))
    try:
        root, resolved = os.path.realpath(folder or "."), os.path.realpath(path)
    except (OSError, ValueError) as error:  # a symlink loop, a name too long for the system
        raise _misplaced(plan, f"cannot be followed ({getattr(error, 'strerror', None) or error})") from None
    holder = os.path.dirname(resolved)
    if holder != root and not holder.startswith(os.path.join(root, "")):
        raise _misplaced(plan, f"leads outside the plan's folder, to {resolved} (through a symlink)")
    return path


def _misplaced(plan: "Plan", reason: str) -> PlanError:
    if plan.outcomes:
        line, column = plan.locate(("plan", "outcomes"))
        message = f"outcomes {plan.outcomes!r} {reason}; the store must be inside the plan's folder (or pass --db PATH)"
    else:
        line, column = plan.locate(("plan",))
        message = f"the outcomes store {DEFAULT_LOCATION} {reason}; the store must be inside the plan's folder (or pass --db PATH)"
    return PlanError([Problem(plan.path, line, column, message)])


def utc_text(moment: datetime) -> str:
    """An instant as the store writes it: ISO 8601 in UTC, to the second, with a Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_text() -> str:
    return utc_text(datetime.now(timezone.utc))


# -- the schema: each step is a migration; never edit one that has shipped, add another ----


def _migrations():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name=SCHEMA_STEPS[0])
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

    @migrations(name=SCHEMA_STEPS[1])
    def provenance(db) -> None:
        """When each row was recorded, and where channel figures came from (a CSV, the CLI)."""
        for name in ("publications", "post_metrics", "channel_metrics"):
            db[name].add_column("recorded_at", str)
        db["channel_metrics"].add_column("source", str)
        db["publications"].create_index(["channel", "published_at"])

    return migrations


# -- what a row may hold: each check returns the value as the rules use it, or raises ---------


class _BadValue(ValueError):
    """A value in the store that the rules cannot use; the message says why, after the value."""


def _text(value) -> str:
    if isinstance(value, str) and value and (value.isascii() or _is_utf8(value)):
        return value
    if isinstance(value, str) and value:
        raise _BadValue("is not UTF-8 text")
    raise _BadValue("is empty" if value in (None, "") else "is not text")


def _optional_text(value) -> str | None:
    return None if value is None else _text(value)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")  # the connection reads bytes that are not UTF-8 as lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def _day(value) -> date:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _BadValue("is not a date (YYYY-MM-DD)") from None
    if day.isoformat() != value:  # 20270104 and 2027-W01-1 parse too; the store writes one form
        raise _BadValue("is not a date written YYYY-MM-DD")
    if reason := out_of_range(day):
        raise _BadValue(f"is out of range: {reason}")
    return day


def _instant(value) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _BadValue("is not a time in ISO 8601 with its offset, such as 2027-01-04T03:12:00Z")
    if reason := out_of_range(moment.date()):
        raise _BadValue(f"is out of range: {reason}")
    return moment.astimezone(timezone.utc)


def _count(value) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise _BadValue("is not a whole number")
    if value < 0:
        raise _BadValue("is negative")
    return value


def _figure(value) -> float:
    if type(value) not in (int, float):
        raise _BadValue("is not a number")
    if reason := figure_problem(value):
        raise _BadValue(reason)
    return float(value)


# What reading takes from each table: (column, check), the primary key first.
READ_COLUMNS = {
    "publications": (("post_id", _text), ("channel", _text), ("published_at", _instant), ("url", _optional_text), ("source", _optional_text)),
    "post_metrics": (("post_id", _text), ("day", _day), *((name, _count) for name in POST_COUNTS), ("source", _optional_text)),
    "channel_metrics": (("channel", _text), ("day", _day), ("metric", _text), ("value", _figure)),
}
KEY_WIDTH = {"publications": 1, "post_metrics": 2, "channel_metrics": 3}  # how many of the columns above are the key


def _shown(value) -> str:
    """A value for a one-line message: short, and without the raw bytes of a blob."""
    if isinstance(value, bytes):  # as SQLite writes a blob
        return f"x'{value[:16].hex()}{'...' if len(value) > 16 else ''}'"
    if value is None:
        return "NULL"
    if isinstance(value, str):  # repr escapes line breaks, and bytes that are not UTF-8 (as \udcff)
        return repr(value if len(value) <= 40 else value[:40] + "...")
    return repr(value)


def _plain(value) -> str:
    """A name as it is when it is short printable text, else as :func:`_shown` shows it."""
    return value if isinstance(value, str) and value.isprintable() and len(value) <= 40 else _shown(value)


class OutcomeStore:
    """An open outcomes store: read-only from :meth:`read`, or in the transaction of :func:`record`."""

    def __init__(self, path: str, connection, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.connection = connection
        connection.text_factory = _lenient_text
        self.timeout = timeout
        self._db = None

    @classmethod
    def read(cls, path: str, timeout: float = BUSY_TIMEOUT) -> "OutcomeStore":
        """The store at ``path``, opened read-only: nothing in it changes (SQLite may add its -wal
        and -shm files beside a store in WAL mode, as any reader does).

        Raises :class:`StoreError` for a missing store, a file that is not an outcomes store,
        a schema newer than this version knows, or one too old to be read as it is.
        """
        if not os.path.exists(path):
            raise StoreError(f"{path}: no outcomes store there (record something with {UPGRADERS})")
        _check_file(path)
        import sqlite3
        from urllib.parse import quote

        with _translated(path, timeout):
            connection = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, timeout=timeout)
            store = cls(path, connection, timeout)
            try:
                store._check_schema(writing=False)
            except BaseException:
                connection.close()
                raise
        return store

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "OutcomeStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db(self):
        """The store through sqlite-utils, for writing (imported only then)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.connection, execute_plugins=False)
        return self._db

    def _check_schema(self, writing: bool) -> None:
        """Refuse a store this version cannot use; for reading, one it cannot read as it is.

        A store a step or more behind is read as long as it has the columns reading takes; a
        writer upgrades it. An empty SQLite file is set up by a writer; any other database is
        not a store, and nothing is added to it.
        """
        tables = {row[0] for row in self.connection.execute("select name from sqlite_master where type = 'table'")}

        def lacking(table: str, columns: Iterable[str]) -> list[str]:
            present = {row[1] for row in self.connection.execute(f"pragma table_info({table})")} if table in tables else set()
            return [name for name in columns if name not in present]

        applied = []
        if "_sqlite_migrations" in tables:
            if missing := lacking("_sqlite_migrations", ("migration_set", "name")):
                raise StoreError(f"{self.path}: the _sqlite_migrations table has no column {missing[0]}; was it changed by hand?")
            applied = [row[0] for row in self.connection.execute(
                "select name from _sqlite_migrations where migration_set = ? order by rowid", [MIGRATION_SET])]
        unknown = [name for name in applied if name not in SCHEMA_STEPS]
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer content-cadence (schema step {_plain(unknown[-1])}); upgrade content-cadence to use it"
            )
        if not tables:
            if writing:
                return
            raise StoreError(
                f"{self.path} is an empty SQLite file, not an outcomes store yet (a first write that was cut short?); "
                f"delete it, or record something with {UPGRADERS}, which sets it up"
            )
        if writing:
            if not applied:
                raise StoreError(f"{self.path} is an SQLite database but not an outcomes store; move it away or pass --db")
            return
        for table, columns in READ_COLUMNS.items():
            missing = lacking(table, [name for name, _ in columns])
            if not missing:
                continue
            if not applied:
                raise StoreError(f"{self.path} is an SQLite database but not an outcomes store (no {table} table); move it away or pass --db")
            if len(applied) < len(SCHEMA_STEPS):
                raise StoreError(
                    f"{self.path} needs an upgrade before it can be read ({table} has no column {missing[0]}); "
                    f"record something with {UPGRADERS}, which upgrades it"
                )
            if table not in tables:
                raise StoreError(f"{self.path} has no {table} table; was it changed by hand?")
            raise StoreError(f"{self.path}: the {table} table has no column {missing[0]}; was it changed by hand?")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: the write lock is taken first, so the busy timeout waits for it."""
        with _translated(self.path, self.timeout):
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.connection.rollback()
                raise
            self.connection.commit()

    def _upgrade(self) -> None:
        """Create or upgrade the schema (inside the write transaction)."""
        self._check_schema(writing=True)
        migrations = _migrations()
        if migrations.pending(self.db):
            migrations.apply(self.db)

    # -- writing (inside :func:`record`) --------------------------------------------------

    def log_publication(self, post_id: str, channel: str, published_at: datetime, url: str | None = None, source: str = "cli") -> None:
        """Record that a post went out; logging it again moves the record to the new time."""
        row = {"post_id": post_id, "channel": channel, "published_at": utc_text(published_at), "source": source, "recorded_at": _now_text()}
        if url is not None:  # logging again without an address keeps the one recorded
            row["url"] = url
        self.db["publications"].upsert(row, pk="post_id")

    def record_channel_metric(self, channel: str, day: date, metric: str, value: float, source: str = "cli") -> None:
        """Record one figure of a channel on a day, such as its followers."""
        row = {"channel": channel, "day": day.isoformat(), "metric": metric, "value": float(value), "source": source, "recorded_at": _now_text()}
        self.db["channel_metrics"].upsert(row, pk=("channel", "day", "metric"))

    def write_metrics(self, post_rows: Iterable[dict], channel_rows: Iterable[dict], publications: Iterable[dict] = ()) -> dict[str, list[int]]:
        """Write imported rows; say which source lines added, updated or changed nothing.

        Each row is a dict of the table's columns plus ``line`` (its place in the source, for
        the caller's report); a line that wrote rows to several tables counts once, as its
        biggest change. A value the row leaves out (None: a count the export lacks, an
        address it does not give) keeps the one stored, so that an import never undoes what
        another command recorded. A row equal to the stored one is not rewritten, so importing
        the same file twice leaves the same rows, ``recorded_at`` included.
        """
        status: dict[int, str] = {}
        rank = {"unchanged": 0, "updated": 1, "added": 2}
        tables = (
            ("post_metrics", ("post_id", "day"), (*POST_COUNTS, "source"), list(post_rows)),
            ("channel_metrics", ("channel", "day", "metric"), ("value", "source"), list(channel_rows)),
            ("publications", ("post_id",), ("channel", "published_at", "url", "source"), list(publications)),
        )
        for table, keys, values, rows in tables:
            if not rows:
                continue
            stored = {
                tuple(row[:len(keys)]): tuple(row[len(keys):])
                for row in self.connection.execute(f"select {', '.join(keys + values)} from {table}").fetchall()
            }
            changed = []
            stamp = _now_text()
            for row in rows:
                key = tuple([row[name] for name in keys])
                before = stored.get(key)
                now = tuple([row.get(name) for name in values])
                if before is not None:
                    now = tuple([old if new is None else new for new, old in zip(now, before)])
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
                self.connection.executemany(
                    f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                    f"on conflict ({', '.join(keys)}) do update set "
                    + ", ".join(f"{name} = excluded.{name}" for name in values + ("recorded_at",)),
                    changed,
                )
        return {change: sorted(line for line, state in status.items() if state == change) for change in rank}

    # -- reading -------------------------------------------------------------------------

    def _rows(self, table: str, query: str = "", latest: str = "") -> Iterator[tuple]:
        """The table's rows, each value checked (see READ_COLUMNS); a bad one is a StoreError.

        With ``latest`` (a column), only the row with its greatest value per key of the other
        key columns is read, and checked (older rows are never used).
        """
        columns = READ_COLUMNS[table]
        names = [f"max({name})" if name == latest else name for name, _ in columns]
        with _translated(self.path, self.timeout):
            rows = self.connection.execute(f"select rowid, {', '.join(names)} from {table} {query}").fetchall()
        for rowid, *values in rows:
            try:
                yield tuple([check(value) for (_, check), value in zip(columns, values)])
            except _BadValue:
                raise self._bad_row(table, rowid, values) from None

    def _bad_row(self, table: str, rowid: int, values: list) -> StoreError:
        columns = READ_COLUMNS[table]
        key = ", ".join(_plain(value) for value in values[: KEY_WIDTH[table]])
        for (name, check), value in zip(columns, values):
            try:
                check(value)
            except _BadValue as problem:
                return StoreError(f"{self.path}: {table} row {rowid} ({key}): {name} {_shown(value)} {problem}; correct or delete that row")
        raise AssertionError("a row that failed its checks passes them")

    def published(self) -> dict[str, Publication]:
        """Every publication record, by post id."""
        return {row[0]: Publication(row[0], row[1], row[2], row[3], row[4] or "cli") for row in self._rows("publications")}

    def latest_post_metrics(self) -> dict[str, PostMetrics]:
        """Each post's figures on the last day they were measured."""
        rows = self._rows("post_metrics", "group by post_id", latest="day")  # SQLite takes the other columns from that row
        return {post_id: PostMetrics(post_id, day, *counts, source=source or "cli") for post_id, day, *counts, source in rows}

    def snapshot(self) -> Outcomes:
        """The whole store, read once."""
        series: dict[tuple[str, str], list[tuple[date, float]]] = {}
        for channel, day, metric, value in self._rows("channel_metrics", "order by channel, metric, day"):
            series.setdefault((channel, metric), []).append((day, value))
        return Outcomes(publications=self.published(), post_metrics=self.latest_post_metrics(), channel_metrics=series)


def read_outcomes(plan: "Plan", override: str | None = None) -> Outcomes | None:
    """The plan's outcomes, read-only, or None when it has no store and none was named with ``--db``.

    A store named with ``--db`` must exist; the default one is optional.
    """
    path = store_path(plan, override)
    if override is None and not os.path.exists(path):
        return None
    with OutcomeStore.read(path) as store:
        return store.snapshot()


def record(
    path: str,
    write: Callable[[OutcomeStore], T],
    then: Callable[[], object] | None = None,
    undo: Callable[[], object] | None = None,
    timeout: float = BUSY_TIMEOUT,
) -> T:
    """``write(store)`` in one write transaction on the store at ``path``, created if need be.

    All or nothing: if ``write`` raises, nothing is written, and a store that did not exist (and
    its folder) is not created. ``then`` runs once ``write`` is done and before the transaction
    commits (or the new store is put in place), for what must happen with it or not at all,
    such as marking the post in the plan: if ``then`` raises, nothing is written either; if the
    store fails after ``then`` (a full disk at the commit), ``undo`` puts back what ``then``
    did before the error is raised. Returns what ``write`` returns. Raises
    :class:`StoreError` for what SQLite or the file system refuse, in one line naming the store.
    """
    if os.path.lexists(path):
        return _update(path, write, then, undo, timeout)
    return _create(path, write, then, undo, timeout)


def _update(path: str, write: Callable[[OutcomeStore], T], then, undo, timeout: float) -> T:
    _check_file(path)
    import sqlite3

    with _translated(path, timeout):
        store = OutcomeStore(path, sqlite3.connect(path, timeout=timeout), timeout)
    with store:
        with _undone_on_failure(undo) as done:
            with store._transaction():
                store._upgrade()
                result = write(store)
                if then is not None:
                    then()
                    done()
        with _translated(path, timeout):
            if store.connection.execute("pragma journal_mode").fetchone()[0] != "wal":  # a store made by hand
                store.connection.execute("pragma journal_mode=wal")
    return result


def _create(path: str, write: Callable[[OutcomeStore], T], then, undo, timeout: float) -> T:
    """The new store is built beside its place and linked there once it is complete."""
    import secrets
    import sqlite3

    folder, name = os.path.split(os.path.abspath(path))
    made = _make_folders(path, folder)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    try:
        with _translated(path, timeout):
            store = OutcomeStore(path, sqlite3.connect(temporary, timeout=timeout), timeout)
            with store:
                store.connection.execute("pragma journal_mode=wal")
                with store._transaction():
                    store._upgrade()
                    result = write(store)
        if os.path.lexists(path):  # another process made the store meanwhile: write into it instead
            return _update(path, write, then, undo, timeout)
        with _undone_on_failure(undo) as done:
            if then is not None:
                then()
                done()
            try:
                _put_in_place(temporary, path)
            except FileExistsError:  # made in the last moment: ``then`` is done, so the rows go there too
                return _update(path, write, None, None, timeout)
            except OSError as error:
                raise StoreError(f"{path}: cannot create the outcomes store: {error.strerror or error}") from None
        return result
    except BaseException:
        _remove(temporary)
        for made_folder in reversed(made):
            try:
                os.rmdir(made_folder)
            except OSError:  # another process's store went in meanwhile
                break
        raise
    finally:
        _remove(temporary)


@contextmanager
def _undone_on_failure(undo: Callable[[], object] | None) -> Iterator[Callable[[], None]]:
    """Call ``undo`` if the block fails after it called ``done()`` (``then`` had its effect)."""
    state = {"done": False}
    try:
        yield lambda: state.update(done=True)
    except BaseException:
        if state["done"] and undo is not None:
            undo()
        raise


def _make_folders(path: str, folder: str) -> list[str]:
    """Create the store's missing folders; the ones made, outermost first (to remove on failure)."""
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    made = []
    for each in reversed(missing):
        try:
            os.mkdir(each)
        except FileExistsError:
            continue
        except OSError as error:
            for made_folder in reversed(made):
                os.rmdir(made_folder)
            raise StoreError(f"{path}: cannot create the store's folder: {error.strerror or error}") from None
        made.append(each)
    return made


def _put_in_place(temporary: str, path: str) -> None:
    """Link the finished store at ``path``, never over one made meanwhile (FileExistsError)."""
    try:
        os.link(temporary, path)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.rename(temporary, path)  # a file system without hard links
    descriptor = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:  # some file systems cannot fsync a folder; the link is made
        if error.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(descriptor)


def _remove(temporary: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(temporary + suffix)
        except FileNotFoundError:
            pass


def _check_file(path: str) -> None:
    """A store is a regular file: a folder or a device is refused before SQLite opens it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise StoreError(f"{path} is a symlink to nothing, not an outcomes store") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be opened: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise StoreError(f"{path} is a directory, not an outcomes store")
    if not stat.S_ISREG(mode):
        raise StoreError(f"{path} is not a regular file, so not an outcomes store")


def _lenient_text(data: bytes) -> str:
    """Text as stored; bytes that are not UTF-8 become lone surrogates, which the checks refuse."""
    return data.decode("utf-8", "surrogateescape")


@contextmanager
def _translated(path: str, timeout: float = BUSY_TIMEOUT) -> Iterator[None]:
    """SQLite's errors as one-line :class:`StoreError` messages that name the store."""
    import sqlite3  # here, not at the top: a check of a plan without a store never loads it

    try:
        yield
    except UnicodeDecodeError:  # SQLite's own message quotes a damaged schema that is not UTF-8
        raise StoreError(f"{path} is a damaged SQLite database (its schema is not text); restore it from a backup, or move it away") from None
    except sqlite3.DatabaseError as error:
        message = " ".join(str(error).split())[:200]
        if "not a database" in message:
            raise StoreError(f"{path} is not an SQLite database, so not an outcomes store; move it away or pass --db") from None
        if "malformed" in message:
            raise StoreError(f"{path} is a damaged SQLite database ({message}); restore it from a backup, or move it away") from None
        if "locked" in message or "busy" in message:
            raise StoreError(f"{path} is locked by another program; gave up after waiting {timeout:g} s") from None
        if "readonly" in message:
            raise StoreError(f"{path}: cannot write the outcomes store ({message})") from None
        if "unable to open" in message:
            raise StoreError(f"{path}: cannot open the outcomes store ({message})") from None
        if "disk is full" in message or "disk I/O" in message:
            raise StoreError(f"{path}: not written: {message}; nothing was recorded") from None
        raise StoreError(f"{path}: {message}") from None
