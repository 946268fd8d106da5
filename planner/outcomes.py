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

Plans in one folder share its store, and each plan's records are its own: every row names its
``plan`` (:func:`plan_key`: the plan's file name, as seen from the folder that holds the
store's folder), a store is opened for one plan, and it reads and writes only that plan's rows.
A store written before rows named their plan is upgraded by its next writer, which gives each
row to the one plan beside the store it can be about (:class:`Scope`) and leaves the others
unassigned (``plan`` is empty) until ``cadence metrics claim`` gives them to a plan; readers
read such a store as if it were upgraded.

Tables (each with a primary key, so that recording the same thing twice changes nothing):

- ``publications``: plan, post_id, channel, published_at (UTC, ISO 8601), url, source, recorded_at;
- ``post_metrics``: plan, post_id, day, impressions, reach, likes, comments, shares, saves,
  clicks, source, recorded_at;
- ``channel_metrics``: plan, channel, day, metric (followers, reach, engagement_rate...), value,
  source, recorded_at.
"""

from __future__ import annotations

import dataclasses
import errno
import math
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

from planner.localtime import out_of_range
from planner.store_location import store_path, store_to_read

if TYPE_CHECKING:
    from planner.model import Plan

BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's write before giving up
MIGRATION_SET = "cadence-outcomes"
SCHEMA_STEPS = ("0001_tables", "0002_provenance", "0003_plans")  # the migrations, in order; never rename one that shipped
UNASSIGNED = ""  # the plan of a row that an upgrade could not tell apart: no plan reads it until claimed
KEYS = {"publications": ("post_id",), "post_metrics": ("post_id", "day"), "channel_metrics": ("channel", "day", "metric")}
PLAN_WIDE = "plan"  # the channel name of figures about the whole plan, such as sales
POST_COUNTS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks")
CHANNEL_METRICS = ("followers", "reach", "impressions", "engagement_rate", "clicks", "visits")
COUNTED = ("followers", "reach", "impressions", "clicks", "visits")  # the channel figures that are counts: whole numbers
ENGAGEMENTS = ("likes", "comments", "shares", "saves", "clicks")  # what a reader did, not what they saw
MAX_FIGURE = 2**63 - 1  # SQLite's largest integer: the largest count or figure the store takes
UPGRADERS = "`cadence log` or `cadence metrics`"  # the commands that create and upgrade a store
_PLAN_TABLE = re.compile(r"^[ \t]*\[[ \t]*plan[ \t]*\]", re.M)  # a TOML file with this is a plan (or meant to be one)

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


def whole_metric(metric: str) -> bool:
    """Whether a channel figure of ``metric`` is a count, so a whole number (a goal's own metric may be any number)."""
    return metric in COUNTED


def figure_problem(value: float) -> str | None:
    """Why a channel's figure cannot go in the store (or come out of it), or None if it can."""
    if not math.isfinite(value):
        return "is not a finite number"
    if value < 0:
        return "is negative"
    if value > MAX_FIGURE:
        return "is more than a figure can be"
    return None


# -- whose rows: each plan's records are its own ---------------------------------------------


def plan_key(plan_path: str, store: str) -> str:
    """The name a plan's rows carry in the store at ``store``: its path from the folder that holds
    the store's folder, with ``/`` (for the usual ``.cadence/outcomes.db``, that is the plan's
    file name, ``kopi-senja.toml``); a plan outside that folder (a store named with ``--db``
    elsewhere) is known by its file name alone. Renaming a plan file renames its key: ``cadence
    metrics claim NEW --from OLD`` gives the new name the old one's rows.
    """
    base = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(store))))
    named = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(plan_path))), os.path.basename(plan_path))
    relative = os.path.relpath(named, base)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return os.path.basename(plan_path)
    return relative.replace(os.sep, "/")


@dataclass(frozen=True)
class Scope:
    """What a plan reads from a store, so which rows can be about it: the rows of its posts, and
    the figures of its channels (and of the whole plan) of the metrics it knows, inside its horizon."""

    key: str
    posts: dict[str, str]  # post id -> its channel
    channels: frozenset[str]
    metrics: frozenset[str]
    first: str  # the horizon, as the store writes days
    last: str

    @classmethod
    def of(cls, plan: "Plan", store: str) -> "Scope":
        return cls(
            plan_key(plan.path, store), {post.id: post.channel for post in plan.posts}, frozenset([*plan.channels, PLAN_WIDE]),
            frozenset(known_metrics(plan)), plan.start.isoformat(), plan.end.isoformat(),
        )

    def about(self, table: str, key: tuple, channel: str | None = None) -> bool:
        """Whether the row of ``table`` with ``key`` (its key columns, as stored) can be this plan's,
        and with ``channel``, whether it is about that channel."""
        if table != "channel_metrics":
            return key[0] in self.posts and channel in (None, self.posts[key[0]])
        figure_channel, day, metric = key
        inside = isinstance(day, str) and self.first <= day <= self.last
        return inside and figure_channel in self.channels and metric in self.metrics and channel in (None, figure_channel)


@dataclass(frozen=True)
class Sharing:
    """The plans whose store is one file: the plan it is opened for first, and those beside it."""

    scopes: tuple[Scope, ...]
    unreadable: tuple[str, ...] = ()  # "path: why" of each plan file beside the store that cannot be read

    def owner(self, table: str, key: tuple) -> str:
        """The plan a row written before rows named their plan belongs to: the only plan using
        the store, else the one plan it can be about; else nobody (:data:`UNASSIGNED`)."""
        if self.unreadable:
            return UNASSIGNED
        if len(self.scopes) == 1:
            return self.scopes[0].key
        owners = [scope.key for scope in self.scopes if scope.about(table, key)]
        return owners[0] if len(owners) == 1 else UNASSIGNED


def sharing(plan: "Plan", store: str) -> Sharing:
    """``plan`` and the plans beside the store at ``store`` whose store it is (by default, or by
    their ``[plan] outcomes``): the plan files in the store's folder, in the folder that holds
    it, and in ``plan``'s. A TOML file there with a ``[plan]`` table that cannot be read is
    named in :attr:`Sharing.unreadable`: it may be a plan of this store.
    """
    from planner.errors import PlanError
    from planner.loader import plan_from_text
    from planner.planfile import UnreadableInput, read_input

    where = os.path.abspath(store)
    target = os.path.realpath(where)
    scopes = {plan_key(plan.path, store): Scope.of(plan, store)}
    unreadable = []
    own = os.path.realpath(plan.path)
    for folder in sorted({os.path.dirname(where), os.path.dirname(os.path.dirname(where)), os.path.dirname(os.path.abspath(plan.path))}):
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".toml"))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if os.path.realpath(path) == own:
                continue
            try:
                text = read_input(path)
            except UnreadableInput:
                continue  # not a file, or not text: no plan
            if not _PLAN_TABLE.search(text):
                continue  # another tool's TOML
            try:
                other = plan_from_text(text, path)
            except PlanError as error:
                unreadable.append(str(error.problems[0]))
                continue
            try:
                if os.path.realpath(store_path(other)) != target:
                    continue  # its store is another file
            except PlanError:
                continue  # its store is outside its folder: it never opens this one
            scopes.setdefault(plan_key(path, store), Scope.of(other, store))
    return Sharing(tuple(scopes.values()), tuple(unreadable))


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

    @migrations(name=SCHEMA_STEPS[2])
    def plans(db) -> None:
        """Each row is one plan's: ``plan`` leads every primary key, so plans sharing the store
        keep their records apart. Rows written before are left unassigned here; the writer that
        upgrades gives them to their plans (:meth:`OutcomeStore._assign`)."""
        for table, key in KEYS.items():
            db[table].add_column("plan", str, not_null_default=UNASSIGNED)
            db[table].transform(pk=("plan", *key), column_order=("plan",))

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


# What reading takes from each table: (column, check), the key columns (KEYS) first.
READ_COLUMNS = {
    "publications": (("post_id", _text), ("channel", _text), ("published_at", _instant), ("url", _optional_text), ("source", _optional_text)),
    "post_metrics": (("post_id", _text), ("day", _day), *((name, _count) for name in POST_COUNTS), ("source", _optional_text)),
    "channel_metrics": (("channel", _text), ("day", _day), ("metric", _text), ("value", _figure)),
}


def _shown(value) -> str:
    """A value for a one-line message: short, and without the raw bytes of a blob."""
    if isinstance(value, bytes):  # as SQLite writes a blob
        return f"x'{value[:16].hex()}{'...' if len(value) > 16 else ''}'"
    if value is None:
        return "NULL"
    if isinstance(value, str):  # repr escapes line breaks, and bytes that are not UTF-8 (as \udcff)
        return repr(value if len(value) <= 40 else value[:40] + "...")
    return repr(value)


ROW_KINDS = {"publications": "publication", "post_metrics": "post figure", "channel_metrics": "channel figure"}


def _rows_of(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def _kinds_of(counts: dict[str, int]) -> str:
    """Rows counted per table, as people say it: "3 rows (1 publication, 2 channel figures)"."""
    kinds = ", ".join(f"{count} {ROW_KINDS[table]}{'' if count == 1 else 's'}" for table, count in counts.items() if count)
    return f"{_rows_of(sum(counts.values()))} ({kinds})"


def _plain(value) -> str:
    """A name as it is when it is short printable text, else as :func:`_shown` shows it."""
    return value if isinstance(value, str) and value.isprintable() and len(value) <= 40 else _shown(value)


class OutcomeStore:
    """An outcomes store open for one plan's records: read-only from :meth:`read`, or in the
    transaction of :func:`record`."""

    def __init__(self, path: str, connection, plan: "Plan", timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.connection = connection
        connection.text_factory = _lenient_text
        self.plan = plan
        self.key = plan_key(plan.path, path)
        self.timeout = timeout
        self.partitioned = True  # False: written before rows named their plan; read as if upgraded
        self.upgraded: list[str] = []  # what an upgrade did, to say once it is committed
        self._db = None
        self._sharing: Sharing | None = None

    @classmethod
    def read(cls, path: str, plan: "Plan", timeout: float = BUSY_TIMEOUT) -> "OutcomeStore":
        """The store at ``path``, opened read-only for ``plan``'s records: nothing in it changes
        (SQLite may add its -wal and -shm files beside a store in WAL mode, as any reader does).

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
            store = cls(path, connection, plan, timeout)
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
        self.partitioned = SCHEMA_STEPS[2] in applied
        for table, columns in READ_COLUMNS.items():
            missing = lacking(table, [name for name, _ in columns] + (["plan"] if self.partitioned else []))
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
        pending = [migration.name for migration in migrations.pending(self.db)]
        if pending:
            migrations.apply(self.db)
        if SCHEMA_STEPS[2] in pending:
            self._assign()

    def _assign(self) -> None:
        """Give each row written before rows named their plan to its plan (:meth:`Sharing.owner`).

        Refused while a plan file beside the store cannot be read: it may be one of the plans,
        and rows given away now are not taken back.
        """
        rows = {table: self.connection.execute(f"select rowid, {', '.join(key)} from {table}").fetchall() for table, key in KEYS.items()}
        if not any(rows.values()):
            return
        shared = self.sharing
        if shared.unreadable:
            raise StoreError(
                f"{self.path} must be upgraded so that each plan's records are its own, and {shared.unreadable[0]}; "
                "it may be a plan of this store: correct it or move it away, then run this again (nothing was written)"
            )
        given: dict[str, int] = {}
        left = {table: 0 for table in KEYS}
        for table, found in rows.items():
            owners = [(shared.owner(table, tuple(key)), rowid) for rowid, *key in found]
            self.connection.executemany(f"update {table} set plan = ? where rowid = ?", owners)
            for owner, _ in owners:
                if owner == UNASSIGNED:
                    left[table] += 1
                else:
                    given[owner] = given.get(owner, 0) + 1
        owned = "; ".join(f"{key} has {_rows_of(count)}" for key, count in sorted(given.items()))
        self.upgraded.append(f"{self.path}: upgraded so that each plan's records are its own: {owned or 'no row could be told apart'}")
        if sum(left.values()):
            self.upgraded.append(
                f"{self.path}: {_kinds_of(left)} could be several plans' or none's, so they are no plan's yet; "
                "`cadence metrics claim PLAN` makes those about its posts, and its channels inside its horizon, the plan's"
            )

    @property
    def sharing(self) -> Sharing:
        """The plans that use this store (found once)."""
        if self._sharing is None:
            self._sharing = sharing(self.plan, self.path)
        return self._sharing

    # -- writing (inside :func:`record`) --------------------------------------------------

    def log_publication(self, post_id: str, channel: str, published_at: datetime, url: str | None = None, source: str = "cli") -> None:
        """Record that a post went out; logging it again moves the record to the new time."""
        row = {"plan": self.key, "post_id": post_id, "channel": channel, "published_at": utc_text(published_at), "source": source, "recorded_at": _now_text()}
        if url is not None:  # logging again without an address keeps the one recorded
            row["url"] = url
        self.db["publications"].upsert(row, pk=("plan", *KEYS["publications"]))

    def record_channel_metric(self, channel: str, day: date, metric: str, value: float, source: str = "cli") -> None:
        """Record one figure of a channel on a day, such as its followers."""
        row = {"plan": self.key, "channel": channel, "day": day.isoformat(), "metric": metric, "value": float(value), "source": source, "recorded_at": _now_text()}
        self.db["channel_metrics"].upsert(row, pk=("plan", *KEYS["channel_metrics"]))

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
            ("post_metrics", (*POST_COUNTS, "source"), list(post_rows)),
            ("channel_metrics", ("value", "source"), list(channel_rows)),
            ("publications", ("channel", "published_at", "url", "source"), list(publications)),
        )
        for table, values, rows in tables:
            if not rows:
                continue
            keys = KEYS[table]
            stored = {
                tuple(row[:len(keys)]): tuple(row[len(keys):])
                for row in self.connection.execute(f"select {', '.join(keys + values)} from {table} where plan = ?", [self.key]).fetchall()
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
                changed.append((self.key, *key, *now, stamp))
            if changed:
                columns = ("plan", *keys, *values, "recorded_at")
                self.connection.executemany(
                    f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                    f"on conflict (plan, {', '.join(keys)}) do update set "
                    + ", ".join(f"{name} = excluded.{name}" for name in values + ("recorded_at",)),
                    changed,
                )
        return {change: sorted(line for line, state in status.items() if state == change) for change in rank}

    # -- reading -------------------------------------------------------------------------

    def _rows(self, table: str, query: str = "", latest: str = "") -> Iterator[tuple]:
        """The table's rows, each value checked (see READ_COLUMNS); a bad one is a StoreError.

        With ``latest`` (a column), only the row with its greatest value per key of the other
        key columns is read, and checked (older rows are never used). Only this plan's rows are
        read: those naming it, or in a store written before rows named their plan, those that
        an upgrade would give it.
        """
        columns = READ_COLUMNS[table]
        names = [f"max({name})" if name == latest else name for name, _ in columns]
        mine, parameters = ("where plan = ?", [self.key]) if self.partitioned else ("", [])
        with _translated(self.path, self.timeout):
            rows = self.connection.execute(f"select rowid, {', '.join(names)} from {table} {mine} {query}", parameters).fetchall()
        width = len(KEYS[table])
        for rowid, *values in rows:
            if not self.partitioned and self.sharing.owner(table, tuple(values[:width])) != self.key:
                continue
            try:
                yield tuple([check(value) for (_, check), value in zip(columns, values)])
            except _BadValue:
                raise self._bad_row(table, rowid, values) from None

    def _bad_row(self, table: str, rowid: int, values: list) -> StoreError:
        columns = READ_COLUMNS[table]
        key = ", ".join(_plain(value) for value in values[: len(KEYS[table])])
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
        """The plan's records, read once."""
        series: dict[tuple[str, str], list[tuple[date, float]]] = {}
        for channel, day, metric, value in self._rows("channel_metrics", "order by channel, metric, day"):
            series.setdefault((channel, metric), []).append((day, value))
        return Outcomes(publications=self.published(), post_metrics=self.latest_post_metrics(), channel_metrics=series)

    def notes(self, recorded: bool) -> list[str]:
        """What a reader of this plan's records is told: rows that could be its but are left out
        (no plan was given them), and, when it has no records (``recorded`` False), the rows of
        plans that are not there any more, one of which it may have been before a rename."""
        scope = Scope.of(self.plan, self.path)
        with _translated(self.path, self.timeout):
            left = {table: sum(1 for _, *key in self._unassigned(table) if scope.about(table, tuple(key))) for table in KEYS}
            gone = [] if recorded or not self.partitioned else self._plans_gone()
        notes = []
        if sum(left.values()) and not self.partitioned and self.sharing.unreadable:
            notes.append(
                f"{self.path} was written before each plan's records were its own, and {self.sharing.unreadable[0]}, "
                f"so no row can be told apart: {_kinds_of(left)} that could be {self.key}'s are left out until it can be read"
            )
        elif sum(left.values()):
            written = "" if self.partitioned else " (written before each plan's records were its own)"
            notes.append(
                f"{self.path}{written}: {_kinds_of(left)} could be {self.key}'s or another plan's, so they are left out; "
                f"`cadence metrics claim {self.plan.path}` makes them {self.key}'s"
            )
        if gone:
            notes.append(
                f"{self.path} has no records of {self.key}, but has records of {', '.join(gone)}, "
                f"{'a plan that is' if len(gone) == 1 else 'plans that are'} not there any more; if {self.plan.path} was renamed, "
                f"`cadence metrics claim {self.plan.path} --from OLD` makes OLD's records its own"
            )
        return notes

    def _unassigned(self, table: str) -> list[tuple]:
        """(rowid, *key) of the rows of ``table`` no plan was given (in an old store: would be given)."""
        key = ", ".join(KEYS[table])
        if self.partitioned:
            return self.connection.execute(f"select rowid, {key} from {table} where plan = ?", [UNASSIGNED]).fetchall()
        rows = self.connection.execute(f"select rowid, {key} from {table}").fetchall()
        return [row for row in rows if self.sharing.owner(table, tuple(row[1:])) == UNASSIGNED]

    def _plans_gone(self) -> list[str]:
        """The plans the store has rows of whose file is not where their key says (renamed or removed)."""
        base = os.path.dirname(os.path.dirname(os.path.abspath(self.path)))
        keys = {row[0] for table in KEYS for row in self.connection.execute(f"select distinct plan from {table}")}
        return sorted(
            key for key in keys
            if isinstance(key, str) and key not in (UNASSIGNED, self.key) and key.isprintable() and len(key) <= 255
            and not os.path.exists(os.path.join(base, key))
        )

    def claim(self, source: str = UNASSIGNED, channel: str | None = None) -> tuple[dict[str, int], int]:
        """Make this plan's the rows of ``source`` (no plan's, or a renamed plan's key) that can
        be about it (:meth:`Scope.about`), only those about ``channel`` if given. Returns the
        rows made its own per table, and how many were left because it has its own already."""
        scope = Scope.of(self.plan, self.path)
        claimed, left = {}, 0
        for table, key in KEYS.items():
            rows = self.connection.execute(f"select rowid, {', '.join(key)} from {table} where plan = ?", [source]).fetchall()
            mine = [(self.key, rowid) for rowid, *values in rows if scope.about(table, tuple(values), channel)]
            claimed[table] = self.connection.executemany(f"update or ignore {table} set plan = ? where rowid = ?", mine).rowcount
            left += len(mine) - claimed[table]
        return claimed, left


def read_outcomes(plan: "Plan", override: str | None = None, notes: list[str] | None = None) -> Outcomes | None:
    """The plan's outcomes, read-only, or None when nothing is recorded of it: no store (and none
    named with ``--db``), or a store with no row of this plan. What the reader should be told
    about the store (:meth:`OutcomeStore.notes`) is added to ``notes``.

    A store named with ``--db`` must exist; the default one is optional.
    """
    path = store_to_read(plan, override)
    if path is None:
        return None
    with OutcomeStore.read(path, plan) as store:
        outcomes = store.snapshot()
        recorded = bool(outcomes.publications or outcomes.post_metrics or outcomes.channel_metrics)
        if notes is not None:
            notes.extend(store.notes(recorded))
    return outcomes if recorded else None


def record(
    path: str,
    write: Callable[[OutcomeStore], T],
    *,
    plan: "Plan",
    then: Callable[[], object] | None = None,
    undo: Callable[[], object] | None = None,
    timeout: float = BUSY_TIMEOUT,
    notes: list[str] | None = None,
) -> T:
    """``write(store)`` in one write transaction on the store at ``path``, created if need be,
    opened for ``plan``'s records.

    All or nothing: if ``write`` raises, nothing is written, and a store that did not exist (and
    its folder) is not created. ``then`` runs once ``write`` is done and before the transaction
    commits (or the new store is put in place), for what must happen with it or not at all,
    such as marking the post in the plan: if ``then`` raises, nothing is written either; if the
    store fails after ``then`` (a full disk at the commit), ``undo`` puts back what ``then``
    did before the error is raised. Returns what ``write`` returns; what an upgrade of the
    store did is added to ``notes`` once it is committed. Raises :class:`StoreError` for what
    SQLite or the file system refuse, in one line naming the store.
    """
    job = _Job(write, plan, then, undo, timeout, notes if notes is not None else [])
    if os.path.lexists(path):
        return _update(path, job)
    return _create(path, job)


@dataclass(frozen=True)
class _Job:
    """What :func:`record` was asked to do."""

    write: Callable[[OutcomeStore], object]
    plan: "Plan"
    then: Callable[[], object] | None
    undo: Callable[[], object] | None
    timeout: float
    notes: list[str]


def _update(path: str, job: _Job):
    _check_file(path)
    import sqlite3

    with _translated(path, job.timeout):
        store = OutcomeStore(path, sqlite3.connect(path, timeout=job.timeout), job.plan, job.timeout)
    with store:
        with _undone_on_failure(job.undo) as done:
            with store._transaction():
                store._upgrade()
                result = job.write(store)
                if job.then is not None:
                    job.then()
                    done()
        job.notes.extend(store.upgraded)
        with _translated(path, job.timeout):
            if store.connection.execute("pragma journal_mode").fetchone()[0] != "wal":  # a store made by hand
                store.connection.execute("pragma journal_mode=wal")
    return result


def _create(path: str, job: _Job):
    """The new store is built beside its place and linked there once it is complete."""
    import secrets
    import sqlite3

    folder, name = os.path.split(os.path.abspath(path))
    made = _make_folders(path, folder)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    try:
        with _translated(path, job.timeout):
            store = OutcomeStore(path, sqlite3.connect(temporary, timeout=job.timeout), job.plan, job.timeout)
            with store:
                store.connection.execute("pragma journal_mode=wal")
                with store._transaction():
                    store._upgrade()
                    result = job.write(store)
        if os.path.lexists(path):  # another process made the store meanwhile: write into it instead
            return _update(path, job)
        with _undone_on_failure(job.undo) as done:
            if job.then is not None:
                job.then()
                done()
            try:
                _put_in_place(temporary, path)
            except FileExistsError:  # made in the last moment: ``then`` is done, so the rows go there too
                return _update(path, dataclasses.replace(job, then=None, undo=None))
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
    from planner.planfile import fsync_folder

    try:
        os.link(temporary, path)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.rename(temporary, path)  # a file system without hard links
    fsync_folder(os.path.dirname(os.path.abspath(path)))


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
