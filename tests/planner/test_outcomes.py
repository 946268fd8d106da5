"""The outcomes store on a real SQLite file: round trips, its path, upgrades, and its faults."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import plan_from_text
from planner.outcomes import MIGRATION_SET, OutcomeStore, StoreError, _migrations, read_outcomes, record, store_path
from tests.conftest import plan_text

JAN4 = datetime(2027, 1, 4, 3, 0, tzinfo=timezone.utc)


def read_store(path: str) -> OutcomeStore:
    """The store, read-only (closed when the test's objects are collected)."""
    return OutcomeStore.read(path)


def test_a_publication_and_a_series_come_back_as_written(tmp_path):
    path = str(tmp_path / "nested" / "outcomes.db")

    def write(store):
        store.log_publication("ig-latte", "instagram", JAN4, url="https://instagram.example/p/1")
        store.record_channel_metric("instagram", date(2027, 1, 5), "followers", 1200)
        store.record_channel_metric("instagram", date(2027, 1, 4), "followers", 1180)

    record(path, write)
    with OutcomeStore.read(path) as store:
        publication = store.published()["ig-latte"]
        assert (publication.channel, publication.published_at, publication.url) == ("instagram", JAN4, "https://instagram.example/p/1")
        assert store.snapshot().series("instagram") == [(date(2027, 1, 4), 1180.0), (date(2027, 1, 5), 1200.0)]
        assert store.snapshot().series("instagram", "reach") == []


def test_logging_again_replaces_the_record_and_a_local_time_is_stored_in_utc(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: store.log_publication("a", "instagram", JAN4))
    record(path, lambda store: store.log_publication("a", "instagram", datetime.fromisoformat("2027-01-04T10:05:00+07:00")))
    assert read_store(path).published()["a"].published_at == datetime(2027, 1, 4, 3, 5, tzinfo=timezone.utc)
    rows = sqlite3.connect(path).execute("select published_at from publications").fetchall()
    assert rows == [("2027-01-04T03:05:00Z",)]


def test_the_store_is_in_wal_mode(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None)
    assert sqlite3.connect(path).execute("pragma journal_mode").fetchone() == ("wal",)


def test_writing_the_same_rows_twice_changes_nothing(tmp_path):
    path = str(tmp_path / "outcomes.db")
    rows = [{"post_id": "a", "day": "2027-01-05", "likes": 3, "reach": 90, "source": "csv", "line": 2}]
    followers = [{"channel": "instagram", "day": "2027-01-05", "metric": "followers", "value": 100.0, "source": "csv", "line": 3}]
    assert record(path, lambda store: store.write_metrics(rows, followers)) == {"added": [2, 3], "updated": [], "unchanged": []}
    before = sqlite3.connect(path).execute("select * from post_metrics").fetchall()
    assert record(path, lambda store: store.write_metrics(rows, followers)) == {"added": [], "updated": [], "unchanged": [2, 3]}
    assert sqlite3.connect(path).execute("select * from post_metrics").fetchall() == before
    changed = [{**rows[0], "likes": 4}]
    assert record(path, lambda store: store.write_metrics(changed, [])) == {"added": [], "updated": [2], "unchanged": []}
    assert read_store(path).latest_post_metrics()["a"].likes == 4


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
        OutcomeStore.read(str(path))
    assert str(raised.value) == f"{path} is not an SQLite database, so not an outcomes store; move it away or pass --db"
    assert path.read_text() == "followers,100\n" * 200


def test_a_newer_schema_is_refused(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values (?, '9999_future', '2030-01-01')", [MIGRATION_SET]
        )
    for use in (OutcomeStore.read, lambda path: record(path, lambda store: None)):
        with pytest.raises(StoreError, match=r"newer content-cadence \(schema step 9999_future\)"):
            use(path)


def test_a_locked_store_waits_then_gives_up_with_a_message(tmp_path):
    path = str(tmp_path / "outcomes.db")
    record(path, lambda store: None)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin exclusive")
    try:
        with pytest.raises(StoreError, match="is locked by another program; gave up after waiting 0.2 s"):
            record(path, lambda store: store.log_publication("a", "instagram", JAN4), timeout=0.2)
    finally:
        holder.execute("rollback")
    record(path, lambda store: store.log_publication("a", "instagram", JAN4))
    assert set(read_store(path).published()) == {"a"}


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
    with OutcomeStore.read(path) as store:  # read as it is, not upgraded
        assert store.published()["a"].published_at == JAN4
        assert store.snapshot().series("instagram") == [(date(2027, 1, 4), 10.0)]
    assert open(path, "rb").read() == before

    record(path, lambda store: None)
    upgraded = Database(path)
    assert set(upgraded["channel_metrics"].columns_dict) >= {"source", "recorded_at"}
    assert [m.name for m in _migrations().pending(upgraded)] == []
    assert read_store(path).snapshot().series("instagram") == [(date(2027, 1, 4), 10.0)]


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
        record(path, lambda store: store.write_metrics(rows, []))
        for row in batch:  # a count the row leaves out (None) keeps the one stored
            stored = expected.get((row["post_id"], row["day"]), (None, None))
            expected[(row["post_id"], row["day"])] = tuple(new if new is not None else old for new, old in zip((row["likes"], row["reach"]), stored))
        again = record(path, lambda store: store.write_metrics(rows[-1:] if rows else [], []))
        assert again["added"] == again["updated"] == []
    stored = sqlite3.connect(path).execute("select post_id, day, likes, reach from post_metrics").fetchall()
    assert {(post_id, day): (likes, reach) for post_id, day, likes, reach in stored} == expected
