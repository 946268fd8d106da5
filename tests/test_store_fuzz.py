"""The store fuzzer: broken copies of a real outcomes store never crash ``check`` or ``report``.

The store is input too: the manual (docs/outcomes.md) invites editing it in Datasette. Hypothesis takes a store
filled by the real commands (the sample plan's metrics imported, a post logged, a figure
recorded) and corrupts it: values of the wrong type, impossible dates, NaN and infinities,
negative counts, rows added and removed, tables and columns dropped, schema steps from the
future, random bytes of the file, truncation. Then it runs the real ``cadence check`` and
``cadence report`` on the sample plan beside it. Whatever the store: exit 0, 1 or 2, never a
traceback, and on exit 2 one line that names the store.

CI runs a bounded number of examples; a long run is one variable away:

    CADENCE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_store_fuzz.py -q
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, run_cadence
from tests.test_mutation_fuzz import run_in_process

EXAMPLES = int(os.environ.get("CADENCE_FUZZ_EXAMPLES", "40"))
PLAN = "kopi-senja.toml"
COMMANDS = [
    ["check", "--today", "2027-02-01"],
    ["check", "--today", "2027-02-01", "--format", "json", "--select", "OUT"],
    ["report", "--today", "2027-02-01"],
    ["report", "--today", "2027-02-01", "--format", "html"],
    ["report", "--today", "2027-03-31", "--format", "md"],
]

# What a hand edit or a bad script can leave in a cell (SQL literals).
VALUES = [
    "'lots'", "''", "NULL", "x'ff00'", "cast(x'ff41' as text)", "'a\nb'", "printf('%.5000c', 'x')", "-1", "-0.5", "0", "2.5",
    "1e308", "9e999", "-9e999", "9223372036854775807", "-9223372036854775808", "'12'", "' 7 '", "'2027-02-30'",
    "'2027-13-01'", "'2027-1-5'", "'20270104'", "'0001-01-01'", "'9999-12-31'", "'1900-01-01'", "'2999-12-31'",
    "'2027-01-04'", "'2027-02-01'", "'yesterday'", "'2027-01-04T10:00:00'", "'2027-01-04T10:00:00Z'",
    "'2027-01-04T10:00:00+25:00'", "'0001-01-01T00:00:00+14:00'", "'9999-12-31T23:59:59-12:00'", "'2027-W01-1'",
    "'instagram'", "'tiktok'", "'plan'", "'followers'", "'engagement_rate'", "'ig-latte-art-in-three-steps'",
    "'kopi-senja.toml'", "'renamed.toml'",
]
TABLES = {
    "publications": ("plan", "post_id", "channel", "published_at", "url", "source", "recorded_at"),
    "post_metrics": ("plan", "post_id", "day", "impressions", "reach", "likes", "comments", "shares", "saves", "clicks", "source"),
    "channel_metrics": ("plan", "channel", "day", "metric", "value", "source"),
    "_sqlite_migrations": ("migration_set", "name", "applied_at"),
}
SCHEMA_EDITS = [
    "drop table {table}",
    "alter table {table} drop column {column}",
    "alter table {table} rename to {table}_old",
    "alter table {table} rename column {column} to renamed",
    "delete from _sqlite_migrations",
    "delete from _sqlite_migrations where name = '0002_provenance'",
    "delete from _sqlite_migrations where name = '0003_plans'",
    "insert into _sqlite_migrations (migration_set, name, applied_at) values ('cadence-outcomes', {value}, 'x')",
    "create table {table}_copy as select * from {table}; drop table {table}; create view {table} as select * from {table}_copy",
    "pragma journal_mode = delete",
]


@lru_cache(maxsize=1)
def filled_store() -> bytes:
    """A store as the real commands write it, for the sample plan: imported, logged, recorded."""
    folder = Path(tempfile.mkdtemp(prefix="cadence-store-fuzz-"))
    plan = folder / PLAN
    shutil.copy(SAMPLES / PLAN, plan)
    for command in (
        ["metrics", "import", str(plan), str(SAMPLES / "kopi-senja-metrics.csv")],
        ["log", str(plan), "ig-how-we-roast-a-morning-at", "--at", "2027-01-13T10:05", "--url", "https://instagram.com/p/roast"],
        ["metrics", str(plan), "instagram", "followers", "3412", "--on", "2027-01-31"],
    ):
        assert run_cadence(*command).returncode == 0
    data = (folder / ".cadence" / "outcomes.db").read_bytes()
    shutil.rmtree(folder)
    return data


def corrupt(path: Path, rng: random.Random, steps: int) -> None:
    """Apply ``steps`` corruptions to the store at ``path``: through SQL, then to its bytes."""
    for _ in range(steps):
        kind = rng.choice(("value", "value", "value", "value", "insert", "delete", "schema", "bytes", "truncate", "page"))
        if kind in ("bytes", "truncate", "page"):
            data = bytearray(path.read_bytes())
            if kind == "bytes":
                for _ in range(rng.randint(1, 16)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            elif kind == "truncate":
                del data[rng.randrange(len(data) + 1):]
            elif len(data) >= 4096:
                start = rng.randrange(len(data) // 4096) * 4096
                data[start:start + 4096] = bytes(4096) if rng.random() < 0.5 else rng.randbytes(4096)
            path.write_bytes(bytes(data))
            continue
        table = rng.choice(list(TABLES))
        column, value = rng.choice(TABLES[table]), rng.choice(VALUES)
        if kind == "value":
            rows = "" if rng.random() < 0.2 else f" where rowid in (select rowid from {table} order by random() limit {rng.randint(1, 3)})"
            statement = f"update {table} set {column} = {value}{rows}"
        elif kind == "insert":
            statement = f"insert into {table} ({column}) values ({value})"
        elif kind == "delete":
            statement = f"delete from {table} where rowid in (select rowid from {table} order by random() limit {rng.randint(1, 5)})"
        else:
            statement = rng.choice(SCHEMA_EDITS).format(table=table, column=column, value=value)
        connection = sqlite3.connect(path)
        try:
            connection.executescript(statement)
        except (sqlite3.DatabaseError, UnicodeDecodeError):  # SQLite's message about a broken schema may not be UTF-8
            pass  # a constraint or a store already broken: this step changes nothing
        finally:
            connection.close()


def assert_clean_run(store: str, status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in out + err, err
    if status == 2:
        assert len(err.splitlines()) == 1 and store in err, err


def broken_copy(folder: Path, rng: random.Random, steps: int) -> tuple[Path, Path]:
    """The sample plan and a corrupted copy of its store in ``folder``."""
    plan, store = folder / PLAN, folder / ".cadence" / "outcomes.db"
    shutil.copy(SAMPLES / PLAN, plan)
    store.parent.mkdir()
    store.write_bytes(filled_store())
    corrupt(store, rng, steps)
    return plan, store


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(1, 3), randomness=st.randoms(use_true_random=False), command=st.sampled_from(COMMANDS))
def test_a_corrupted_store_never_crashes_check_or_report(steps, randomness, command):
    with tempfile.TemporaryDirectory() as folder:
        plan, store = broken_copy(Path(folder), randomness, steps)
        assert_clean_run(str(store), *run_in_process(command[0], str(plan), *command[1:]))


def test_corrupted_stores_through_the_real_command_line(tmp_path):
    rng = random.Random(16)
    for number, command in enumerate(COMMANDS):
        folder = tmp_path / f"copy{number}"
        folder.mkdir()
        plan, store = broken_copy(folder, rng, 2)
        result = run_cadence(command[0], str(plan), *command[1:])
        assert_clean_run(str(store), result.returncode, result.stdout, result.stderr)
