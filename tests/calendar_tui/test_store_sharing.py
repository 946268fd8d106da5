"""Plans in one folder share its store and keep their records apart, through the real command line:
the manual's samples side by side, an old store upgraded and claimed, two plans' writers at once."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from datetime import date

from planner.loader import load_plan
from planner.outcomes import read_outcomes
from tests.conftest import ROOT, SAMPLES, run_cadence
from tests.planner.test_store_plans import FEBRUARY, JANUARY, folder_of_plans, followers, old_store, published

KOPI, HOLIDAY = "kopi-senja.toml", "maple-pine-holiday.toml"


def samples(tmp_path):
    """The sample plans and their metrics, copied as the manual's commands find them."""
    folder = tmp_path / "sample_plans"
    shutil.copytree(SAMPLES, folder)
    return folder


def test_the_readmes_import_leaves_the_plan_beside_it_alone(tmp_path):
    folder = samples(tmp_path)
    imported = run_cadence("metrics", "import", f"sample_plans/{KOPI}", "sample_plans/kopi-senja-metrics.csv", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    holiday = run_cadence("check", f"sample_plans/{HOLIDAY}", "--today", "2028-01-02", "--select", "OUT", cwd=tmp_path)
    assert (holiday.returncode, holiday.stdout, holiday.stderr) == (0, "0 errors, 0 warnings, 0 infos in 1 plan\n", "")
    report = run_cadence("report", f"sample_plans/{HOLIDAY}", "--today", "2028-01-02", cwd=tmp_path)
    assert report.stdout.splitlines()[0].endswith("(no outcomes recorded: published means the plan's status)")

    assert run_cadence("metrics", "import", f"sample_plans/{HOLIDAY}", "sample_plans/maple-pine-holiday-metrics.csv", cwd=tmp_path).returncode == 0
    kopi = read_outcomes(load_plan(str(folder / KOPI)))
    holiday = read_outcomes(load_plan(str(folder / HOLIDAY)))
    for outcomes, figures in ((kopi, "kopi-senja-metrics.csv"), (holiday, "maple-pine-holiday-metrics.csv")):  # each its own CSV's followers
        rows = csv.DictReader((folder / figures).open())
        expected = [(date.fromisoformat(row["day"]), float(row["value"])) for row in rows if (row["channel"], row["metric"]) == ("instagram", "followers")]
        assert outcomes.series("instagram") == expected and expected
    assert not set(kopi.publications) & set(holiday.publications)
    with sqlite3.connect(folder / ".cadence" / "outcomes.db") as connection:
        owners = dict(connection.execute("select plan, count(*) from publications group by plan").fetchall())
    assert owners == {KOPI: len(kopi.publications), HOLIDAY: len(holiday.publications)}


def test_an_old_store_is_upgraded_by_its_next_writer_and_what_it_left_is_claimed(tmp_path):
    folder_of_plans(tmp_path, **{"january.toml": JANUARY, "february.toml": FEBRUARY})
    store = tmp_path / ".cadence" / "outcomes.db"
    old_store(store, publications=[published("tt-jan", "tiktok")], channel_metrics=[followers("2027-01-10", 1000), followers("2027-01-26", 1010)])
    check = run_cadence("check", "january.toml", "--today", "2027-02-01", "--select", "OUT", cwd=tmp_path)
    assert check.returncode == 0 and check.stderr == (
        ".cadence/outcomes.db (written before each plan's records were its own): 1 row (1 channel figure) could be january.toml's "
        "or another plan's, so they are left out; `cadence metrics claim january.toml` makes them january.toml's\n"
    )
    logged = run_cadence("log", "february.toml", "ig-feb", "--at", "2027-02-02T10:05", cwd=tmp_path)
    assert logged.returncode == 0 and logged.stderr == (
        ".cadence/outcomes.db: upgraded so that each plan's records are its own: january.toml has 2 rows\n"
        ".cadence/outcomes.db: 1 row (1 channel figure) could be several plans' or none's, so they are no plan's yet; "
        "`cadence metrics claim PLAN` makes those about its posts, and its channels inside its horizon, the plan's\n"
    )
    claimed = run_cadence("metrics", "claim", "january.toml", "--channel", "instagram", cwd=tmp_path)
    assert (claimed.returncode, claimed.stdout, claimed.stderr) == (
        0, "january.toml claimed 1 unassigned row about instagram in .cadence/outcomes.db: 0 publications, 0 post figures, 1 channel figure\n", ""
    )
    report = run_cadence("report", "january.toml", "--today", "2027-02-01", cwd=tmp_path)
    assert "  followers: 1,000 on 2027-01-10 → 1,010 on 2027-01-26 (+1.0%) ▁█" in report.stdout.splitlines() and report.stderr == ""
    again = run_cadence("metrics", "claim", "january.toml", cwd=tmp_path)
    assert again.stdout == "january.toml claimed 0 unassigned rows in .cadence/outcomes.db: 0 publications, 0 post figures, 0 channel figures\n"
    own = run_cadence("metrics", "claim", "january.toml", "--from", "january.toml", cwd=tmp_path)
    assert (own.returncode, own.stderr) == (2, "cadence: error: --from january.toml is january.toml's own name in the store\n")


def test_the_app_says_what_it_left_out_of_an_old_store_and_what_its_upgrade_did(tmp_path):
    from calendar_tui.session import Session

    folder_of_plans(tmp_path, **{"january.toml": JANUARY, "february.toml": FEBRUARY})
    store = tmp_path / ".cadence" / "outcomes.db"
    old_store(store, channel_metrics=[followers("2027-01-10", 1000), followers("2027-01-26", 1010)])
    session = Session.open(str(tmp_path / "january.toml"), today=date(2027, 2, 1))
    assert session.followers("instagram") == [(date(2027, 1, 10), 1000.0)]
    assert session.store_notes == [
        f"{store} (written before each plan's records were its own): 1 row (1 channel figure) could be january.toml's or another plan's, "
        f"so they are left out; `cadence metrics claim {tmp_path / 'january.toml'}` makes them january.toml's"
    ]
    session.log_published("ig-launch")
    assert session.store_notes[0] == f"{store}: upgraded so that each plan's records are its own: january.toml has 1 row"
    assert session.published() == {"ig-launch"} and session.followers("instagram") == [(date(2027, 1, 10), 1000.0)]


LOGGER = """
import sys
from calendar_tui.cli import main
plan, posts = sys.argv[1], sys.argv[2:]
for post in posts:
    if main(["log", plan, post, "--at", "2027-01-05T10:00"]):
        sys.exit(1)
"""


def test_two_plans_writers_at_once_each_write_their_own_rows(tmp_path):
    folder = samples(tmp_path)  # an old store beside them, holding a figure of each: both writers upgrade it, or wait
    old_store(folder / ".cadence" / "outcomes.db", channel_metrics=[followers("2027-01-04", 3200), followers("2027-11-01", 9800)])
    plans = {name: load_plan(str(folder / name)) for name in (KOPI, HOLIDAY)}
    posts = {name: [post.id for post in plan.posts][:12] for name, plan in plans.items()}
    writers = [
        subprocess.Popen([sys.executable, "-c", LOGGER, str(folder / name), *ids], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for name, ids in posts.items()
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    for name, plan in plans.items():
        outcomes = read_outcomes(plan)
        assert set(outcomes.publications) == set(posts[name])
        assert len(outcomes.series("instagram")) == 1  # the old figure of its own horizon, told apart by the upgrade
    with sqlite3.connect(folder / ".cadence" / "outcomes.db") as connection:
        assert connection.execute("select count(*) from publications where plan = ''").fetchone() == (0,)
