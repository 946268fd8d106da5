"""The outcomes store on a real SQLite file: round trips, its path, upgrades, and its faults."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import PlanError
from planner.loader import plan_from_text
from planner.outcomes import MIGRATION_SET, OutcomeStore, Outcomes, StoreError, _migrations, read_outcomes, record, store_path
from tests.conftest import plan_text, post_toml

JAN4 = datetime(2027, 1, 4, 3, 0, tzinfo=timezone.utc)
PLAN = plan_from_text(plan_text("[channels.instagram]\n\n[channels.x]\n\n" + post_toml("a", "2027-01-04T10:00:00") + post_toml("ig-latte", "2027-01-04T10:00:00")), "plan.toml")


def snapshot(path: str) -> Outcomes:
    """Everything the store holds, read as ``check`` reads it."""
    with OutcomeStore.read(path, PLAN) as store:
        return store.snapshot()


def test_a_publication_and_a_series_come_back_as_written(tmp_path):
    path = str(tmp_path / "nested" / "outcomes.db")

    def write(store):
        store.log_publication("ig-latte", "instagram", JAN4, url="https://instagram.example/p/1")
        store.record_channel_metric("instagram", date(2027, 1, 5), "followers", 1200)
        store.record_channel_metric("instagram", date(2027, 1, 4), "followers", 1180)

    record(path, write, plan=PLAN)
    with OutcomeStore.read(path, PLAN) as store:
        publication = store.published()["ig-latte"]
        assert (publication.channel, publication.published_at, publication.url) == ("instagram", JAN4, "https://instagram.example/p/1")
        assert store.snapshot().series("instagram") == [(date(2027, 1, 4), 1180.0), (date(2027, 1, 5), 1200.0)]
        assert store.snapshot().series("instagram", "reach") == []


def test_logging_again_replaces_the_record_and_a_local_time_is_stored_in_utc(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: store.log_publication("a", "instagram", JAN4), plan=PLAN)
    record(path, lambda store: store.log_publication("a", "instagram", datetime.fromisoformat("2027-01-04T10:05:00+07:00")), plan=PLAN)
    assert snapshot(path).publications["a"].published_at == datetime(2027, 1, 4, 3, 5, tzinfo=timezone.utc)
    rows = sqlite3.connect(path).execute("select published_at from publications").fetchall()
    assert rows == [("2027-01-04T03:05:00Z",)]


def test_the_store_is_in_wal_mode(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None, plan=PLAN)
    assert sqlite3.connect(path).execute("pragma journal_mode").fetchone() == ("wal",)


def test_writing_the_same_rows_twice_changes_nothing(tmp_path):
    path = str(tmp_path / "outcomes.db")
    rows = [{"post_id": "a", "day": "2027-01-05", "likes": 3, "reach": 90, "source": "csv", "line": 2}]
    followers = [{"channel": "instagram", "day": "2027-01-05", "metric": "followers", "value": 100.0, "source": "csv", "line": 3}]
    assert record(path, lambda store: store.write_metrics(rows, followers), plan=PLAN) == {"added": [2, 3], "updated": [], "unchanged": []}
    before = sqlite3.connect(path).execute("select * from post_metrics").fetchall()
    assert record(path, lambda store: store.write_metrics(rows, followers), plan=PLAN) == {"added": [], "updated": [], "unchanged": [2, 3]}
    assert sqlite3.connect(path).execute("select * from post_metrics").fetchall() == before
    changed = [{**rows[0], "likes": 4}]
    assert record(path, lambda store: store.write_metrics(changed, []), plan=PLAN) == {"added": [], "updated": [2], "unchanged": []}
    assert snapshot(path).post_metrics["a"].likes == 4


def test_store_path_default_plan_key_and_override(tmp_path):
    plain = plan_from_text(plan_text(), str(tmp_path / "plan.toml"))
    assert store_path(plain) == str(tmp_path / ".cadence" / "outcomes.db")
    keyed = plan_from_text(plan_text().replace("[kinds.tip]", 'outcomes = "data/results.db"\n\n[kinds.tip]', 1), str(tmp_path / "plan.toml"))
    assert keyed.outcomes == "data/results.db"
    assert store_path(keyed) == str(tmp_path / "data" / "results.db")
    assert store_path(keyed, "elsewhere.db") == "elsewhere.db"


def test_no_store_reads_as_none_but_a_named_one_must_exist(tmp_path):
    plan = plan_from_text(plan_text(), str(tmp_path / "plan.toml"))
    assert read_outcomes(plan) is None
    with pytest.raises(StoreError, match="no outcomes store there"):
        read_outcomes(plan, str(tmp_path / "missing.db"))


def test_a_file_that_is_not_sqlite_is_refused_in_one_line(tmp_path):
    path = tmp_path / "outcomes.db"
    path.write_text("followers,100\n" * 200)
    with pytest.raises(StoreError) as raised:
        OutcomeStore.read(str(path), PLAN)
    assert str(raised.value) == f"{path} is not an SQLite database, so not an outcomes store; move it away or pass --db"
    assert path.read_text() == "followers,100\n" * 200


def test_a_newer_schema_is_refused(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None, plan=PLAN)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values (?, '9999_future', '2030-01-01')", [MIGRATION_SET]
        )
    for use in (lambda path: OutcomeStore.read(path, PLAN), lambda path: record(path, lambda store: None, plan=PLAN)):
        with pytest.raises(StoreError, match=r"newer content-cadence \(schema step 9999_future\)"):
            use(path)


def test_a_locked_store_waits_then_gives_up_with_a_message(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None, plan=PLAN)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin exclusive")
    try:
        with pytest.raises(StoreError, match="is locked by another program; gave up after waiting 0.2 s"):
            record(path, lambda store: store.log_publication("a", "instagram", JAN4), timeout=0.2, plan=PLAN)
    finally:
        holder.execute("rollback")
    record(path, lambda store: store.log_publication("a", "instagram", JAN4), plan=PLAN)
    assert set(snapshot(path).publications) == {"a"}


def test_a_store_made_by_the_first_migration_alone_is_read_as_it_is_and_upgraded_by_a_writer(tmp_path):
    from sqlite_utils import Database

    path = str(tmp_path / "outcomes.db")
    old = Database(path)
    _migrations().apply(old, stop_before="0002_provenance")
    old["publications"].insert({"post_id": "a", "channel": "instagram", "published_at": "2027-01-04T03:00:00Z", "url": None, "source": "cli"})
    old["channel_metrics"].insert({"channel": "instagram", "day": "2027-01-04", "metric": "followers", "value": 10.0})
    assert "recorded_at" not in old["publications"].columns_dict
    old.close()

    before = open(path, "rb").read()
    with OutcomeStore.read(path, PLAN) as store:  # read as it is: not upgraded, not switched to WAL
        assert store.published()["a"].published_at == JAN4
        assert store.snapshot().series("instagram") == [(date(2027, 1, 4), 10.0)]
    assert open(path, "rb").read() == before

    record(path, lambda store: None, plan=PLAN)
    upgraded = Database(path)
    assert upgraded.journal_mode == "wal"
    assert set(upgraded["channel_metrics"].columns_dict) >= {"source", "recorded_at"}
    assert [m.name for m in _migrations().pending(upgraded)] == []
    assert snapshot(path).series("instagram") == [(date(2027, 1, 4), 10.0)]


ROWS = st.lists(
    st.fixed_dictionaries({
        "post_id": st.sampled_from(["a", "b", "c"]),
        "day": st.sampled_from(["2027-01-04", "2027-01-05"]),
        "likes": st.none() | st.integers(0, 10**6),
        "reach": st.none() | st.integers(0, 10**6),
    }),
    max_size=12,
)


@settings(max_examples=30)
@given(first=ROWS, second=ROWS)
def test_the_store_holds_the_last_value_written_for_each_key_and_a_repeat_changes_nothing(tmp_path_factory, first, second):
    path = str(tmp_path_factory.mktemp("store") / "outcomes.db")
    expected = {}
    for batch in (first, second):
        rows = [{**row, "source": "csv", "line": line} for line, row in enumerate(batch, 2)]
        record(path, lambda store: store.write_metrics(rows, []), plan=PLAN)
        for row in batch:  # a count the row leaves out (None) keeps the one stored
            stored = expected.get((row["post_id"], row["day"]), (None, None))
            expected[(row["post_id"], row["day"])] = tuple(new if new is not None else old for new, old in zip((row["likes"], row["reach"]), stored))
        again = record(path, lambda store: store.write_metrics(rows[-1:] if rows else [], []), plan=PLAN)
        assert again["added"] == again["updated"] == []
    stored = sqlite3.connect(path).execute("select post_id, day, likes, reach from post_metrics").fetchall()
    assert {(post_id, day): (likes, reach) for post_id, day, likes, reach in stored} == expected


# -- the store is input: every value read is checked, and a bad one is named ----------------


def filled_store(path: str) -> None:
    def write(store):
        store.log_publication("ig-latte", "instagram", JAN4, url="https://instagram.example/p/1")
        store.record_channel_metric("instagram", date(2027, 1, 4), "followers", 1180)
        store.write_metrics([{"post_id": "ig-latte", "day": "2027-01-05", "likes": 3, "source": "csv", "line": 2}], [])

    record(path, write, plan=PLAN)


BAD_VALUES = [
    ("update channel_metrics set value = 'lots'", "channel_metrics row 1 (instagram, 2027-01-04, followers): value 'lots' is not a number"),
    ("update channel_metrics set value = 9e999", "channel_metrics row 1 (instagram, 2027-01-04, followers): value inf is not a finite number"),
    ("update channel_metrics set value = -3", "channel_metrics row 1 (instagram, 2027-01-04, followers): value -3.0 is negative"),
    ("update channel_metrics set value = 1e19", "channel_metrics row 1 (instagram, 2027-01-04, followers): value 1e+19 is more than a figure can be"),
    ("update channel_metrics set day = '2027-02-30'", "channel_metrics row 1 (instagram, 2027-02-30, followers): day '2027-02-30' is not a date (YYYY-MM-DD)"),
    ("update channel_metrics set day = '20270104'", "channel_metrics row 1 (instagram, 20270104, followers): day '20270104' is not a date written YYYY-MM-DD"),
    ("update channel_metrics set day = '0001-01-01'", "day '0001-01-01' is out of range: 0001-01-01 is outside the days a plan can name"),
    ("update publications set published_at = 'yesterday'",
     "publications row 1 (ig-latte): published_at 'yesterday' is not a time in ISO 8601 with its offset, such as 2027-01-04T03:12:00Z"),
    ("update publications set published_at = '2027-01-04T10:00:00'", "published_at '2027-01-04T10:00:00' is not a time in ISO 8601 with its offset"),
    ("update publications set post_id = x'ff00'", "publications row 1 (x'ff00'): post_id x'ff00' is not text"),
    ("update publications set url = cast(x'ff41' as text)", "publications row 1 (ig-latte): url '\\udcffA' is not UTF-8 text"),
    ("update publications set channel = ''", "publications row 1 (ig-latte): channel '' is empty"),
    ("update publications set post_id = 'a\nb', published_at = 'now'", "publications row 1 ('a\\nb'): published_at 'now' is not a time"),
    ("update post_metrics set likes = -4", "post_metrics row 1 (ig-latte, 2027-01-05): likes -4 is negative"),
    ("update post_metrics set likes = 2.5", "post_metrics row 1 (ig-latte, 2027-01-05): likes 2.5 is not a whole number"),
    ("update post_metrics set reach = 'many'", "post_metrics row 1 (ig-latte, 2027-01-05): reach 'many' is not a whole number"),
]


@pytest.mark.parametrize("sql, message", BAD_VALUES, ids=[sql for sql, _ in BAD_VALUES])
def test_a_bad_value_is_refused_in_one_line_naming_its_table_row_and_column(tmp_path, sql, message):
    path = str(tmp_path / "outcomes.db")
    filled_store(path)
    with sqlite3.connect(path) as connection:
        connection.execute(sql)
    connection.close()
    with pytest.raises(StoreError) as raised:
        snapshot(path)
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    assert "\n" not in str(raised.value) and str(raised.value).endswith("; correct or delete that row")


def test_an_empty_file_is_set_up_by_a_writer_and_another_database_is_left_alone(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")  # what a first write cut short by a full disk used to leave
    with pytest.raises(StoreError, match=r"empty\.db is an empty SQLite file, not an outcomes store yet .*; delete it, or record something"):
        OutcomeStore.read(str(empty), PLAN)
    record(str(empty), lambda store: store.log_publication("a", "instagram", JAN4), plan=PLAN)
    assert set(snapshot(str(empty)).publications) == {"a"}

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table customers (name text)")
    connection.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match=r"other\.db is an SQLite database but not an outcomes store \(no publications table\)"):
        OutcomeStore.read(str(other), PLAN)
    with pytest.raises(StoreError, match=r"other\.db is an SQLite database but not an outcomes store; move it away or pass --db"):
        record(str(other), lambda store: store.log_publication("a", "instagram", JAN4), plan=PLAN)
    assert other.read_bytes() == before


def test_a_store_too_old_to_read_names_the_commands_that_upgrade_it(tmp_path):
    path = str(tmp_path / "outcomes.db")
    filled_store(path)
    with sqlite3.connect(path) as connection:  # as if a later step had added the url column
        connection.execute("alter table publications drop column url")
        connection.execute("delete from _sqlite_migrations where name = '0002_provenance'")
    connection.close()
    with pytest.raises(StoreError) as raised:
        snapshot(path)
    assert str(raised.value) == (
        f"{path} needs an upgrade before it can be read (publications has no column url); "
        "record something with `cadence log` or `cadence metrics`, which upgrades it"
    )


# -- writing is all or nothing -------------------------------------------------------------


def files_under(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<folder>" for path in sorted(folder.rglob("*"))}


class Refused(Exception):
    pass


def refuse() -> None:
    raise Refused


def test_a_write_or_then_that_fails_leaves_no_store_and_no_folder(tmp_path):
    path = str(tmp_path / "deep" / "er" / "outcomes.db")
    for write, then in ((lambda store: refuse(), None), (lambda store: store.log_publication("a", "instagram", JAN4), refuse)):
        with pytest.raises(Refused):
            record(path, write, then=then, plan=PLAN)
        assert files_under(tmp_path) == {}


def test_a_write_or_then_that_fails_leaves_an_existing_store_as_it_was(tmp_path):
    path = str(tmp_path / "outcomes.db")
    filled_store(path)
    before = files_under(tmp_path)
    for write, then in ((lambda store: (store.log_publication("b", "x", JAN4), refuse()), None),
                        (lambda store: store.record_channel_metric("x", date(2027, 1, 4), "followers", 3), refuse)):
        with pytest.raises(Refused):
            record(path, write, then=then, plan=PLAN)
        assert files_under(tmp_path) == before


COMMIT_FAILS = """
import resource, signal, sys
from datetime import datetime, timezone
from planner.loader import plan_from_text
from planner.outcomes import StoreError, record

PLAN = plan_from_text(open(sys.argv[2]).read(), "plan.toml")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
try:
    record(
        sys.argv[1],
        lambda store: store.log_publication("late", "instagram", datetime(2027, 1, 4, tzinfo=timezone.utc)),
        then=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard)),  # the disk fills up before the commit
        undo=lambda: (resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard)), print("undone")),
        plan=PLAN,
    )
except StoreError as error:
    print(error)
"""


def test_when_the_commit_fails_after_then_undo_puts_back_what_then_did(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = str(tmp_path / "outcomes.db")
    filled_store(path)
    (tmp_path / "plan.toml").write_text(plan_text("[channels.instagram]\n"))
    result = subprocess.run([sys.executable, "-c", COMMIT_FAILS, path, str(tmp_path / "plan.toml")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout == f"undone\n{path}: not written: disk I/O error; nothing was recorded\n", result.stderr
    assert set(snapshot(path).publications) == {"ig-latte"}


# -- [plan] outcomes: inside the plan's folder, symlinks followed ---------------------------


def plan_storing_at(folder, location: str):
    return plan_from_text(plan_text().replace("[kinds.tip]", f"outcomes = {location}\n\n[kinds.tip]", 1), str(folder / "plan.toml"))


OUTSIDE = [
    ('"/tmp/outcomes.db"', "outcomes must be a path relative to the plan's folder, inside it, not '/tmp/outcomes.db'"),
    ('"~/outcomes.db"', "outcomes must be a path relative to the plan's folder, inside it, not '~/outcomes.db'"),
    ('"../shared/outcomes.db"', "outcomes must stay inside the plan's folder: '../shared/outcomes.db' goes up with '..'"),
    ('"data/../../outcomes.db"', "outcomes must stay inside the plan's folder: 'data/../../outcomes.db' goes up with '..'"),
    ('"data\\\\..\\\\..\\\\x.db"', "outcomes must stay inside the plan's folder: 'data\\\\..\\\\..\\\\x.db' goes up with '..'"),
    ('"."', "outcomes must name a file (such as \".cadence/outcomes.db\"), not the folder '.'"),
    ('"data/"', "outcomes must name a file (such as \".cadence/outcomes.db\"), not the folder 'data/'"),
    ('"a\\u0000b.db"', "outcomes must be a file name without control characters, not the string 'a\\x00b.db'"),
    ('"' + "a" * 1025 + '"', "outcomes is a path of 1025 characters; at most 1024"),
]


@pytest.mark.parametrize("location, message", OUTSIDE, ids=[location[:30] for location, _ in OUTSIDE])
def test_an_outcomes_key_that_leads_out_of_the_folder_is_a_located_plan_error(tmp_path, location, message):
    with pytest.raises(PlanError) as raised:
        plan_storing_at(tmp_path, location)
    assert [str(problem) for problem in raised.value.problems] == [f"{tmp_path / 'plan.toml'}:7:1: {message}"]


def test_symlinks_are_followed_and_must_stay_inside_the_folder(tmp_path):
    folder, elsewhere = tmp_path / "team", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "data").symlink_to(elsewhere)
    keyed = plan_storing_at(folder, '"data/results.db"')
    with pytest.raises(PlanError) as raised:
        store_path(keyed)
    assert str(raised.value) == (
        f"{folder / 'plan.toml'}:7:1: outcomes 'data/results.db' leads outside the plan's folder, to {elsewhere / 'results.db'} "
        "(through a symlink); the store must be inside the plan's folder (or pass --db PATH)"
    )
    (folder / ".cadence").symlink_to(elsewhere)  # the default place, too
    with pytest.raises(PlanError, match=r"plan\.toml:1:1: the outcomes store \.cadence/outcomes\.db leads outside the plan's folder"):
        store_path(plan_from_text(plan_text(), str(folder / "plan.toml")))
    assert store_path(keyed, str(elsewhere / "mine.db")) == str(elsewhere / "mine.db")  # --db is the user's own choice

    (folder / "archive").mkdir()
    (folder / "data").unlink()
    (folder / "data").symlink_to(folder / "archive")  # a link that stays inside is fine
    assert store_path(keyed) == str(folder / "data" / "results.db")
