"""Plans sharing a store keep their records apart: each row names its plan; an old store, written
before rows did, is read as if upgraded and upgraded with the same assignment, on real files."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import load_plan
from planner.outcomes import KEYS, StoreError, _migrations, plan_key, read_outcomes, record
from tests.conftest import plan_text, post_toml

# Two months of one shop beside each other, and a copy of the first (a plan started from last
# month's file keeps its post ids): January shares instagram with February, and the post
# "ig-launch" with the copy.
JANUARY = plan_text("[channels.instagram]\n\n[channels.tiktok]\n\n" + post_toml("ig-launch", "2027-01-05T10:00:00") + post_toml("tt-jan", "2027-01-06T10:00:00", channel="tiktok"))
FEBRUARY = plan_text("[channels.instagram]\n\n" + post_toml("ig-feb", "2027-02-02T10:00:00"), start="2027-01-25", end="2027-02-28")
COPY = plan_text("[channels.facebook]\n\n" + post_toml("ig-launch", "2027-03-02T10:00:00", channel="facebook"), start="2027-03-01", end="2027-03-31")


def folder_of_plans(folder: Path, **plans: str) -> dict[str, object]:
    """The plans written into ``folder`` (name -> text), loaded."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in plans.items():
        (folder / name).write_text(text)
    return {name: load_plan(str(folder / name)) for name in plans}


def old_store(path: Path, publications=(), post_metrics=(), channel_metrics=()) -> None:
    """A store as content-cadence wrote it before rows named their plan: the first two schema steps."""
    from sqlite_utils import Database

    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    _migrations().apply(db, stop_before="0003_plans")
    for table, rows in (("publications", publications), ("post_metrics", post_metrics), ("channel_metrics", channel_metrics)):
        if rows:
            db[table].insert_all(rows)
    db.close()


def published(post_id: str, channel: str = "instagram") -> dict:
    return {"post_id": post_id, "channel": channel, "published_at": "2027-01-05T03:00:00Z", "source": "cli"}


def followers(day: str, value: float, channel: str = "instagram", metric: str = "followers") -> dict:
    return {"channel": channel, "day": day, "metric": metric, "value": value}


def test_a_plans_key_is_its_name_from_the_folder_that_holds_the_store(tmp_path, monkeypatch):
    team = tmp_path / "team"
    assert plan_key(str(team / "kopi.toml"), str(team / ".cadence" / "outcomes.db")) == "kopi.toml"  # the usual place
    assert plan_key(str(team / "kopi.toml"), str(team / "data" / "results.db")) == "kopi.toml"  # [plan] outcomes = "data/results.db"
    assert plan_key(str(team / "q1" / "kopi.toml"), str(team / ".cadence" / "outcomes.db")) == "q1/kopi.toml"
    assert plan_key(str(team / "kopi.toml"), str(tmp_path / "elsewhere" / "shared" / "x.db")) == "kopi.toml"  # --db outside: the name
    monkeypatch.chdir(team.parent)
    assert plan_key("team/kopi.toml", "team/.cadence/outcomes.db") == "kopi.toml"  # however the paths are written


def test_an_old_store_is_read_as_if_upgraded_and_upgraded_the_same_way(tmp_path):
    folder = tmp_path / "shop"
    plans = folder_of_plans(folder, **{"january.toml": JANUARY, "february.toml": FEBRUARY, "copy.toml": COPY})
    store = folder / ".cadence" / "outcomes.db"
    old_store(
        store,
        publications=[published("ig-launch"), published("tt-jan", "tiktok"), published("ig-feb"), published("gone")],
        channel_metrics=[
            followers("2027-01-10", 1000),  # January's: only its horizon holds the day
            followers("2027-01-26", 1010),  # January's or February's: both horizons hold it
            followers("2027-02-10", 1040),  # February's
            followers("2027-01-10", 500, channel="tiktok"),  # January's: its channel alone
        ],
    )
    before = store.read_bytes()
    notes: dict[str, list[str]] = {name: [] for name in plans}
    read = {name: read_outcomes(plan, notes=notes[name]) for name, plan in plans.items()}
    assert store.read_bytes() == before  # read-only: nothing upgraded, nothing assigned
    assert set(read["january.toml"].publications) == {"tt-jan"}  # ig-launch is the copy's too
    assert read["january.toml"].series("instagram") == [(date(2027, 1, 10), 1000.0)]
    assert read["february.toml"].series("instagram") == [(date(2027, 2, 10), 1040.0)]
    assert read["copy.toml"] is None
    assert notes["january.toml"] == [
        f"{store} (written before each plan's records were its own): 2 rows (1 publication, 1 channel figure) could be january.toml's "
        f"or another plan's, so they are left out; `cadence metrics claim {folder / 'january.toml'}` makes them january.toml's"
    ]

    said: list[str] = []
    record(str(store), lambda writing: None, plan=plans["february.toml"], notes=said)
    assert said == [
        f"{store}: upgraded so that each plan's records are its own: february.toml has 2 rows; january.toml has 3 rows",
        f"{store}: 3 rows (2 publications, 1 channel figure) could be several plans' or none's, so they are no plan's yet; "
        "`cadence metrics claim PLAN` makes those about its posts, and its channels inside its horizon, the plan's",
    ]
    assert {name: read_outcomes(plan) for name, plan in plans.items()} == read
    with sqlite3.connect(store) as connection:
        rows = connection.execute("select plan, post_id from publications order by post_id").fetchall()
    assert rows == [("", "gone"), ("february.toml", "ig-feb"), ("", "ig-launch"), ("january.toml", "tt-jan")]


def test_one_plan_alone_takes_every_row_of_an_old_store(tmp_path):
    plans = folder_of_plans(tmp_path, **{"january.toml": JANUARY})
    store = tmp_path / ".cadence" / "outcomes.db"
    old_store(store, publications=[published("gone")], channel_metrics=[followers("2030-01-01", 9)])
    record(str(store), lambda writing: None, plan=plans["january.toml"])
    with sqlite3.connect(store) as connection:
        assert {row[0] for table in KEYS for row in connection.execute(f"select plan from {table}")} == {"january.toml"}


def test_a_plan_beside_the_store_that_cannot_be_read_stops_the_upgrade(tmp_path):
    plans = folder_of_plans(tmp_path, **{"january.toml": JANUARY})
    (tmp_path / "february.toml").write_text(FEBRUARY.replace("[channels.instagram]", "[channels.instagram"))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")  # TOML, but no plan
    store = tmp_path / ".cadence" / "outcomes.db"
    old_store(store, publications=[published("tt-jan", "tiktok")])
    before = store.read_bytes()
    with pytest.raises(StoreError) as raised:
        record(str(store), lambda writing: writing.log_publication("ig-launch", "instagram", datetime(2027, 1, 5, tzinfo=timezone.utc)), plan=plans["january.toml"])
    assert str(raised.value).startswith(f"{store} must be upgraded so that each plan's records are its own, and {tmp_path / 'february.toml'}:")
    assert str(raised.value).endswith("it may be a plan of this store: correct it or move it away, then run this again (nothing was written)")
    assert store.read_bytes() == before
    notes: list[str] = []
    assert read_outcomes(plans["january.toml"], notes=notes) is None  # nothing can be told apart while it cannot be read
    assert notes[0].startswith(f"{store} was written before each plan's records were its own, and {tmp_path / 'february.toml'}:")
    assert notes[0].endswith("so no row can be told apart: 1 row (1 publication) that could be january.toml's are left out until it can be read")
    (tmp_path / "february.toml").write_text(FEBRUARY)
    record(str(store), lambda writing: None, plan=plans["january.toml"])
    assert set(read_outcomes(plans["january.toml"]).publications) == {"tt-jan"}


def test_a_renamed_plan_is_told_where_its_records_are_and_claims_them(tmp_path):
    plans = folder_of_plans(tmp_path, **{"january.toml": JANUARY})
    store = tmp_path / ".cadence" / "outcomes.db"
    record(str(store), lambda writing: writing.record_channel_metric("instagram", date(2027, 1, 10), "followers", 1000), plan=plans["january.toml"])
    (tmp_path / "january.toml").rename(tmp_path / "2027-01.toml")
    renamed = load_plan(str(tmp_path / "2027-01.toml"))
    notes: list[str] = []
    assert read_outcomes(renamed, notes=notes) is None
    assert notes == [
        f"{store} has no records of 2027-01.toml, but has records of january.toml, a plan that is not there any more; "
        f"if {tmp_path / '2027-01.toml'} was renamed, `cadence metrics claim {tmp_path / '2027-01.toml'} --from OLD` makes OLD's records its own"
    ]
    claimed = record(str(store), lambda writing: writing.claim("january.toml"), plan=renamed)
    assert claimed == ({"publications": 0, "post_metrics": 0, "channel_metrics": 1}, 0)
    assert read_outcomes(renamed).series("instagram") == [(date(2027, 1, 10), 1000.0)]


# Rows of an old store: publications and figures of the plans' posts and channels, on days
# inside and outside their horizons. Whatever they are, a reader sees what it sees once a
# writer has upgraded the store.
POST_IDS = ("ig-launch", "tt-jan", "ig-feb", "nobody")
DAYS = ("2027-01-04", "2027-01-20", "2027-01-26", "2027-02-10", "2027-03-05", "2027-05-01")
OLD_ROWS = st.fixed_dictionaries({
    "publications": st.lists(st.sampled_from(POST_IDS), unique=True).map(lambda ids: [published(post_id) for post_id in ids]),
    "post_metrics": st.lists(st.tuples(st.sampled_from(POST_IDS), st.sampled_from(DAYS)), unique=True).map(
        lambda keys: [{"post_id": post_id, "day": day, "likes": 3} for post_id, day in keys]),
    "channel_metrics": st.lists(
        st.tuples(st.sampled_from(("instagram", "tiktok", "facebook", "plan")), st.sampled_from(DAYS), st.sampled_from(("followers", "visits"))),
        unique=True,
    ).map(lambda keys: [followers(day, 100.0, channel, metric) for channel, day, metric in keys]),
})


@settings(max_examples=25)
@given(rows=OLD_ROWS, writer=st.sampled_from(("january.toml", "february.toml", "copy.toml")))
def test_readers_of_an_old_store_see_what_they_see_once_it_is_upgraded(tmp_path_factory, rows, writer):
    folder = tmp_path_factory.mktemp("shop")
    plans = folder_of_plans(folder, **{"january.toml": JANUARY, "february.toml": FEBRUARY, "copy.toml": COPY})
    store = folder / ".cadence" / "outcomes.db"
    old_store(store, **rows)
    before = store.read_bytes()
    as_if = {name: read_outcomes(plan) for name, plan in plans.items()}
    assert store.read_bytes() == before
    record(str(store), lambda writing: None, plan=plans[writer])
    assert {name: read_outcomes(plan) for name, plan in plans.items()} == as_if
