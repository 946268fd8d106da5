"""Writers of the outcomes store racing, as real processes: every write that exited 0 is in the store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, timedelta

from tests.conftest import ROOT, plan_text, post_toml

POSTS = 48
LOGGER = """
import sys
from calendar_tui.cli import main
plan, worker, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for number in range(worker, int(sys.argv[4]), workers):
    status = main(["log", plan, f"p{number:03d}", "--at", "2027-01-05T10:00", "--url", f"https://instagram.example/p/{number}"])
    if status:
        sys.exit(status)
"""


def racing_plan(tmp_path):
    """A year-long plan of 48 posts, and an export measuring each on every day of the year (without addresses)."""
    posts = "".join(post_toml(f"p{n:03d}", f"2027-01-{5 + n // 8:02d}T{8 + n % 8:02d}:00:00") for n in range(POSTS))
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text("[channels.instagram]\nmax_per_day = 20\n\n" + posts, start="2027-01-01", end="2027-12-31"))
    days = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]
    rows = "".join(f"p{n:03d},2027-01-{5 + n // 8:02d}T{8 + n % 8:02d}:00,{day},{n + day.day}\n" for day in days for n in range(POSTS))
    export = tmp_path / "figures.csv"
    export.write_text("post_id,published_at,day,likes\n" + rows)
    return plan, export


def test_addresses_logged_while_an_import_runs_are_all_kept(tmp_path):
    plan, export = racing_plan(tmp_path)
    command = [sys.executable, "-m", "calendar_tui"]
    importer = subprocess.Popen([*command, "metrics", "import", str(plan), str(export)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    loggers = [
        subprocess.Popen([sys.executable, "-c", LOGGER, str(plan), str(worker), "4", str(POSTS)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for worker in range(4)
    ]
    for process in (importer, *loggers):
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    with sqlite3.connect(tmp_path / ".cadence" / "outcomes.db") as connection:
        urls = dict(connection.execute("select post_id, url from publications").fetchall())
        measured = connection.execute("select count(*) from post_metrics").fetchone()[0]
    assert urls == {f"p{n:03d}": f"https://instagram.example/p/{n}" for n in range(POSTS)}
    assert measured == POSTS * 365
