"""`cadence log`: a publication record in a real store, --mark through the plan writer, concurrency."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES, plan_text, post_toml, run_cadence

LATTE = "ig-latte-art-in-three-steps"


def sample(tmp_path, name: str = "kopi-senja.toml"):
    plan = tmp_path / name
    plan.write_bytes((SAMPLES / name).read_bytes())
    return plan


def rows(store, table: str = "publications"):
    with sqlite3.connect(store) as connection:
        return connection.execute(f"select * from {table} order by 1").fetchall()


def test_log_records_the_instant_in_utc_and_says_where(tmp_path):
    plan = sample(tmp_path)
    result = run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:12", "--url", "https://instagram.com/p/abc", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    store = tmp_path / ".cadence" / "outcomes.db"
    assert result.stdout == f"logged {LATTE} on instagram, published Mon 2027-01-04 10:12 WIB, in {store}\n"
    [(plan_name, post_id, channel, published_at, url, source, recorded_at)] = rows(store)
    assert (plan_name, post_id, channel, published_at, url, source) == (
        "kopi-senja.toml", LATTE, "instagram", "2027-01-04T03:12:00Z", "https://instagram.com/p/abc", "cli"
    )
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()  # without --mark the plan is untouched


def test_mark_changes_only_the_status_line_and_keeps_the_plan_formatted(tmp_path):
    plan = sample(tmp_path)
    before = plan.read_text().splitlines()
    result = run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:12+07:00", "--mark")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"marked {LATTE} published in {plan}\n")
    after = plan.read_text().splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and changed == [('status = "scheduled"', 'status = "published"')]
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0
    again = run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:15", "--mark")
    assert again.stdout.endswith(f"{LATTE} is already published in {plan}\n")


def test_mark_puts_a_missing_status_in_its_canonical_place(tmp_path):
    plan = tmp_path / "plan.toml"
    text = plan_text("[channels.instagram]\n\n" + post_toml("p1", "2027-01-05T10:00:00", owner='"rina"', tags='["x"]'))
    plan.write_text(text)
    assert run_cadence("fmt", str(plan)).returncode == 0
    formatted = plan.read_text()
    assert run_cadence("log", str(plan), "p1", "--at", "2027-01-05T10:00", "--mark").returncode == 0
    added = [line for line in plan.read_text().splitlines() if line not in formatted.splitlines()]
    assert added == ['status = "published"']
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0


def test_logging_again_keeps_the_address_when_none_is_given(tmp_path):
    plan = sample(tmp_path)
    run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:12", "--url", "https://instagram.com/p/abc")
    run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:20")
    [row] = rows(tmp_path / ".cadence" / "outcomes.db")
    assert (row[3], row[4]) == ("2027-01-04T03:20:00Z", "https://instagram.com/p/abc")


def test_bad_input_exits_2_with_one_line(tmp_path):
    plan = sample(tmp_path)
    unknown = run_cadence("log", str(plan), "ig-latte-art")
    assert (unknown.returncode, unknown.stderr) == (2, f"cadence: error: {plan}: unknown post 'ig-latte-art'; did you mean '{LATTE}'?\n")
    when = run_cadence("log", str(plan), LATTE, "--at", "monday")
    assert (when.returncode, when.stderr) == (2, "cadence: error: --at: 'monday' is not a date-time; write it as 2027-01-04T10:12 (or with an offset, +07:00)\n")
    (tmp_path / ".cadence").mkdir()
    (tmp_path / ".cadence" / "outcomes.db").write_text("post_id,channel\n")
    foreign = run_cadence("log", str(plan), LATTE)
    assert foreign.returncode == 2 and foreign.stderr.count("\n") == 1 and "is not an SQLite database" in foreign.stderr
    swapped = run_cadence("log", LATTE, "kopi-senja.toml", cwd=tmp_path)
    assert (swapped.returncode, swapped.stderr) == (
        2, f"cadence: error: kopi-senja.toml is a plan, not a post id, and there is no file {LATTE}: the order is `cadence log PLAN POST_ID`\n"
    )


def test_a_locked_store_waits_for_the_busy_timeout_then_exits_2(tmp_path):
    plan = sample(tmp_path)
    assert run_cadence("log", str(plan), LATTE).returncode == 0
    holder = sqlite3.connect(tmp_path / ".cadence" / "outcomes.db", isolation_level=None)
    holder.execute("begin exclusive")
    try:
        result = run_cadence("log", str(plan), LATTE)
    finally:
        holder.execute("rollback")
    assert result.returncode == 2
    assert result.stderr == f"cadence: error: {tmp_path / '.cadence' / 'outcomes.db'} is locked by another program; gave up after waiting 5 s\n"


LOGGER = """
import sys
from calendar_tui.cli import main
plan, worker = sys.argv[1], int(sys.argv[2])
for number in range(worker * 50, worker * 50 + 50):
    status = main(["log", plan, f"p{number:03d}", "--at", "2027-01-05T10:00"])
    if status:
        sys.exit(status)
"""


def test_200_logs_from_4_processes_at_once_leave_200_rows(tmp_path):
    plan = tmp_path / "plan.toml"
    posts = "".join(post_toml(f"p{n:03d}", f"2027-01-{5 + n // 20:02d}T{8 + n % 10:02d}:{n % 2 * 30:02d}:00") for n in range(200))
    plan.write_text(plan_text("[channels.instagram]\nmax_per_day = 20\n\n" + posts))
    workers = [
        subprocess.Popen([sys.executable, "-c", LOGGER, str(plan), str(worker)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for worker in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], errors
    assert not any("locked" in error for error in errors)
    assert len(rows(tmp_path / ".cadence" / "outcomes.db")) == 200


def test_mark_keeps_a_byte_order_mark(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "kopi-senja.toml").read_bytes())
    result = run_cadence("log", str(plan), LATTE, "--at", "2027-01-04T10:12", "--mark", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert plan.read_bytes().startswith(b"\xef\xbb\xbf") and 'status = "published"' in plan.read_text("utf-8-sig")
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0



def test_a_mark_that_cannot_be_made_records_nothing(tmp_path):
    plan = tmp_path / "plan.toml"
    inline = 'post = [{ id = "p1", at = 2027-01-05T10:00:00, channel = "instagram", kind = "tip", title = "Post p1" }]\n'
    plan.write_text(inline + plan_text("[channels.instagram]\n\n"))  # the writer edits [[post]] tables only
    result = run_cadence("log", str(plan), "p1", "--at", "2027-01-05T10:00", "--mark", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"cadence: error: {plan}: not marked: no post with id 'p1'; nothing was recorded\n"
    assert not (tmp_path / ".cadence").exists()
