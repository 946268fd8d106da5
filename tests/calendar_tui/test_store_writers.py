"""Writers of the outcomes store racing, as real processes: every write that exited 0 is in the store."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLES, plan_text, post_toml, run_cadence

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


# -- reading commands never write ------------------------------------------------------------


def sample(tmp_path):
    plan = tmp_path / "kopi-senja.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    return plan


def files_under(folder) -> dict[str, bytes]:
    """Every file and folder under ``folder``, with its bytes; SQLite's -wal and -shm files aside.

    A reader of a store in WAL mode shares its -shm index with writers; no row lives there.
    """
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<folder>"
        for path in sorted(folder.rglob("*"))
        if not path.name.endswith(("-wal", "-shm"))
    }


READERS = [
    ["check", "{plan}", "--today", "2027-02-01"],
    ["check", "{plan}", "--today", "2027-02-01", "--baseline", "{plan}.json"],
    ["report", "{plan}", "--today", "2027-02-01", "--format", "json"],
    ["diff", "{plan}", "{plan}"],
    ["suggest", "{plan}", "--today", "2027-02-01"],
]


def test_check_report_diff_and_suggest_leave_an_old_store_as_it_is(tmp_path):
    from sqlite_utils import Database

    from planner.outcomes import _migrations

    plan = sample(tmp_path)
    (tmp_path / ".cadence").mkdir()
    old = Database(tmp_path / ".cadence" / "outcomes.db")  # a store of the first schema, in rollback-journal mode
    _migrations().apply(old, stop_before="0002_provenance")
    old["publications"].insert({"post_id": "ig-latte-art-in-three-steps", "channel": "instagram", "published_at": "2027-01-04T03:12:00Z"})
    old["channel_metrics"].insert({"channel": "instagram", "day": "2027-01-04", "metric": "followers", "value": 3200.0})
    old.close()
    (tmp_path / "kopi-senja.toml.json").write_text('{"version": 1, "diagnostics": []}')
    before = files_under(tmp_path)
    for command in READERS:
        result = run_cadence(*(word.format(plan=plan) for word in command))
        assert result.returncode in (0, 1), (command, result.stderr)
        assert files_under(tmp_path) == before, command
    assert Database(tmp_path / ".cadence" / "outcomes.db").journal_mode == "delete"


def test_the_app_reads_the_store_as_it_is_until_it_logs(tmp_path):
    from sqlite_utils import Database

    from calendar_tui.session import Session
    from planner.outcomes import _migrations

    plan = sample(tmp_path)
    (tmp_path / ".cadence").mkdir()
    old = Database(tmp_path / ".cadence" / "outcomes.db")  # the first schema, in rollback-journal mode
    _migrations().apply(old, stop_before="0002_provenance")
    old["publications"].insert({"post_id": "tt-15-second-latte-heart", "channel": "tiktok", "published_at": "2027-01-05T12:13:00Z"})
    old.close()
    before = files_under(tmp_path)
    session = Session.open(str(plan), today=date(2027, 2, 1))
    assert session.published() == {"tt-15-second-latte-heart"} and session.store_problem is None
    assert files_under(tmp_path) == before
    session.log_published("ig-latte-art-in-three-steps")
    assert session.published() == {"tt-15-second-latte-heart", "ig-latte-art-in-three-steps"}
    assert Database(tmp_path / ".cadence" / "outcomes.db").journal_mode == "wal"  # a writer upgrades it


def test_a_reader_named_a_missing_store_creates_nothing(tmp_path):
    plan = sample(tmp_path)
    before = files_under(tmp_path)
    for command in ("check", "report"):
        result = run_cadence(command, str(plan), "--db", str(tmp_path / "new" / "outcomes.db"))
        assert result.returncode == 2 and "no outcomes store there" in result.stderr
    assert files_under(tmp_path) == before


def test_a_store_outside_the_plans_folder_is_a_located_error_and_is_not_opened(tmp_path):
    team, elsewhere = tmp_path / "team", tmp_path / "elsewhere"
    team.mkdir()
    elsewhere.mkdir()
    with sqlite3.connect(elsewhere / "crm.db") as connection:
        connection.execute("create table customers (name text)")
    connection.close()
    before = files_under(elsewhere)
    (team / "data").symlink_to(elsewhere)
    plan = sample(team)
    commands = (["check"], ["report"], ["log", "ig-latte-art-in-three-steps", "--mark"], ["metrics", "instagram", "followers", "3300"])
    for location, message in (
        ('"../elsewhere/crm.db"', "outcomes must stay inside the plan's folder: '../elsewhere/crm.db' goes up with '..'"),
        ('"data/crm.db"', f"outcomes 'data/crm.db' leads outside the plan's folder, to {elsewhere / 'crm.db'} (through a symlink); "
                          "the store must be inside the plan's folder (or pass --db PATH)"),
    ):
        text = (SAMPLES / "kopi-senja.toml").read_text().replace('timezone = "Asia/Jakarta"\n', f'timezone = "Asia/Jakarta"\noutcomes = {location}\n', 1)
        plan.write_text(text)
        for command, *rest in commands:
            result = run_cadence(command, str(plan), *rest)
            assert (result.returncode, result.stderr.splitlines()) == (2, [f"{plan}:8:1: {message}"]), command
            assert plan.read_text() == text and files_under(elsewhere) == before


# -- a failed command changes nothing ------------------------------------------------------

LATTE = "ig-latte-art-in-three-steps"
WRITERS = {
    "log": ["log", "{plan}", LATTE, "--at", "2027-01-04T10:12", "--url", "https://instagram.com/p/abc"],
    "log --mark": ["log", "{plan}", LATTE, "--at", "2027-01-04T10:12", "--mark"],
    "metrics": ["metrics", "{plan}", "instagram", "followers", "3300", "--on", "2027-01-10"],
    "metrics import": ["metrics", "import", "{plan}", "{csv}"],
}
FIGURES = f"post_id,day,likes\n{LATTE},2027-01-05,12\n"
# Faults, and the writers each one must stop (exit 2); a file size limit stops them when it is small enough.
FAULTS = {
    "none": set(),
    "a name mistyped": set(WRITERS),
    "a bad figure": set(WRITERS),
    "a read-only plan": {"log --mark"},
    "a store that is a folder": set(WRITERS),
    "a store that is not SQLite": set(WRITERS),
    "a bad row in the store": {"metrics import"},  # the import reads the addresses logged
    "a store outside the folder": set(WRITERS),
    "a broken plan": set(WRITERS),
    "a full disk": None,
}


def with_fault(folder, writer: str, fault: str) -> list[str]:
    """Set ``fault`` up in ``folder`` (a plan, a CSV, maybe a store); the writer's command line."""
    plan, store = folder / "kopi-senja.toml", folder / ".cadence" / "outcomes.db"
    figures = FIGURES + (f"{LATTE},2027-01-06,nan\n" if fault == "a bad figure" else "")
    (folder / "figures.csv").write_text(figures)
    words = [word.format(plan=plan, csv=folder / "figures.csv") for word in WRITERS[writer]]
    if fault == "a name mistyped":
        words = [{LATTE: "ig-latte-art", "instagram": "instagam"}.get(word, word) for word in words]
        words += ["--channel", "instagam"] if writer == "metrics import" else []
    elif fault == "a bad figure":
        words = [{"2027-01-04T10:12": "monday", "3300": "-5"}.get(word, word) for word in words]
    elif fault == "a read-only plan":
        plan.chmod(0o444)
    elif fault == "a store that is a folder":
        shutil.rmtree(store.parent, ignore_errors=True)
        store.mkdir(parents=True)
    elif fault == "a store that is not SQLite":
        store.parent.mkdir(exist_ok=True)
        store.write_text("post_id,channel\n")
    elif fault == "a bad row in the store" and store.exists():
        with sqlite3.connect(store) as connection:
            connection.execute("update publications set published_at = 'yesterday'")
        connection.close()
    elif fault == "a store outside the folder":
        plan.write_text(plan.read_text().replace('timezone = "Asia/Jakarta"\n', 'timezone = "Asia/Jakarta"\noutcomes = "../outcomes.db"\n'))
    elif fault == "a broken plan":
        plan.write_text(plan.read_text() + "\n[[post]\n")
    return words


def store_rows(folder) -> dict | None:
    """Every row of the store, read as SQLite reads it (the -wal file included), or None without one."""
    path = folder / ".cadence" / "outcomes.db"
    if not path.is_file():
        return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")]
        return {table: sorted(map(repr, connection.execute(f"select * from [{table}]"))) for table in tables}
    except sqlite3.DatabaseError:
        return None  # not SQLite: its bytes are compared all the same
    finally:
        connection.close()


def limited(size: int):
    """A file size limit for the command, as a full disk would stop it (EFBIG instead of ENOSPC)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    return apply


@settings(max_examples=int(os.environ.get("CADENCE_FUZZ_EXAMPLES", "16")), deadline=None)
@given(writer=st.sampled_from(sorted(WRITERS)), fault=st.sampled_from(sorted(FAULTS)), store_first=st.booleans(), disk=st.integers(0, 96 * 1024))
@example(writer="log --mark", fault="a read-only plan", store_first=False, disk=0)
@example(writer="log", fault="a full disk", store_first=False, disk=0)
@example(writer="log --mark", fault="a full disk", store_first=True, disk=40 * 1024)
@example(writer="metrics import", fault="a bad row in the store", store_first=False, disk=0)
def test_a_command_that_fails_changes_nothing(tmp_path_factory, writer, fault, store_first, disk):
    from planner.loader import load_plan
    from planner.outcomes import record

    folder = tmp_path_factory.mktemp("failing")
    plan = folder / "kopi-senja.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    if store_first:
        latte = lambda store: store.log_publication("tt-15-second-latte-heart", "tiktok", datetime(2027, 1, 5, tzinfo=timezone.utc))  # noqa: E731
        record(str(folder / ".cadence" / "outcomes.db"), latte, plan=load_plan(str(plan)))
    words = with_fault(folder, writer, fault)
    before, rows = files_under(folder), store_rows(folder)
    result = subprocess.run(
        [sys.executable, "-m", "calendar_tui", *words], cwd=ROOT, capture_output=True, text=True, timeout=60,
        preexec_fn=limited(disk) if fault == "a full disk" else None,
    )
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr, result.stderr
    expected = FAULTS[fault] if fault != "a bad row in the store" or store_first else set()  # no store, no row to spoil
    if expected is not None:
        assert result.returncode == (2 if writer in expected else 0), result.stderr
    if result.returncode == 2:
        assert files_under(folder) == before and store_rows(folder) == rows, result.stderr
    plan.chmod(0o644)
