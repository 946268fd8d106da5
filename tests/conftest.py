"""Shared test helpers: paths to the data, the real `cadence` command, small plans."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLES = ROOT / "sample_plans"

settings.register_profile("ci", deadline=None, max_examples=60)
settings.load_profile("ci")

HEADER = """\
[plan]
name = "Test plan"
timezone = "{timezone}"
start = {start}
end = {end}

[kinds.tip]
useful = true

[kinds.promo]
promotional = true

[kinds.question]
conversation = true
"""


def plan_text(body: str = "", timezone: str = "Asia/Jakarta", start: str = "2027-01-04", end: str = "2027-01-31") -> str:
    """A valid plan header (kinds tip, promo, question) followed by ``body``."""
    return HEADER.format(timezone=timezone, start=start, end=end) + "\n" + body


def post_toml(post_id: str, at: str, channel: str = "instagram", kind: str = "tip", **extra: str) -> str:
    """A [[post]] table; ``extra`` values are TOML (``status='"draft"'``), ``title`` replaces the default."""
    title = extra.pop("title", f'"Post {post_id}"')
    lines = [f'[[post]]\nid = "{post_id}"\nat = {at}\nchannel = "{channel}"\nkind = "{kind}"\ntitle = {title}']
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n\n"


def run_cadence(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command line, run in this process (``calendar_tui.cli.main``) for speed.

    It gets what a subprocess would: its own working folder and environment, standard output
    and error as bytes decoded the way ``subprocess.run(text=True)`` decodes them, the exit
    status (SystemExit included), and a traceback on standard error with status 1 for an
    exception nothing caught. ``CADENCE_TESTS_IN_SUBPROCESS=1`` runs every call as a real
    process instead; tests of what only a process shows (start-up imports, signals, the app)
    call :func:`run_cadence_process`.
    """
    if os.environ.get("CADENCE_TESTS_IN_SUBPROCESS"):
        return run_cadence_process(*args, cwd=cwd, env=env)
    import io
    import traceback

    from calendar_tui.cli import main

    streams = {name: io.BytesIO() for name in ("stdout", "stderr")}
    saved = {name: getattr(sys, name) for name in streams}
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        for name, buffer in streams.items():  # as Python sets up a process's streams on UTF-8
            errors = "backslashreplace" if name == "stderr" else "strict"
            setattr(sys, name, io.TextIOWrapper(buffer, encoding="utf-8", errors=errors, newline="\n", write_through=True))
        os.environ.clear()
        os.environ.update(_command_environment(env))
        os.chdir(cwd or ROOT)
        try:
            status = main(list(args))
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            if not isinstance(exit.code, (int, type(None))):
                print(exit.code, file=sys.stderr)
        except Exception:
            traceback.print_exc()
            status = 1
    finally:
        for name, stream in saved.items():
            getattr(sys, name).detach()  # flushed into its buffer, which stays open to be read
            setattr(sys, name, stream)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    output, errors = (_as_text(streams[name].getvalue()) for name in ("stdout", "stderr"))
    return subprocess.CompletedProcess(["cadence", *args], status, output, errors)


def run_cadence_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as CI and pre-commit run it."""
    return subprocess.run(
        [sys.executable, "-m", "calendar_tui", *args],
        cwd=cwd or ROOT,
        env=_command_environment(env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _command_environment(env: dict[str, str] | None) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if key != "CADENCE_TODAY"}
    return {**inherited, "NO_COLOR": "1", **(env or {})}


def _as_text(data: bytes) -> str:
    """Bytes as ``subprocess.run(text=True)`` gives them: UTF-8, universal newlines."""
    import io

    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None).read()


@pytest.fixture
def write_plan(tmp_path: Path):
    """Write plan text to a file and return its path."""

    def write(text: str, name: str = "plan.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def check_file(path, today: str = "2027-01-01", outcomes=None, **options):
    """Diagnostics for a plan file, in process, with every rule the registry lists."""
    from datetime import date

    from balance.engine import CheckOptions, run
    from balance.registry import vocabulary
    from planner.loader import load_plan

    plan = load_plan(str(path), vocabulary())
    return run(plan, CheckOptions(**options), date.fromisoformat(today), outcomes)


def store_with(sql: str, path: Path, plan_path: Path):
    """A real outcomes store at ``path`` (created, migrated) holding the rows of ``sql`` as the
    records of the plan at ``plan_path``; the plan's snapshot."""
    import sqlite3

    from planner.loader import load_plan
    from planner.outcomes import KEYS, OutcomeStore, plan_key, record

    plan = load_plan(str(plan_path))
    record(str(path), lambda store: None, plan=plan)
    with sqlite3.connect(path) as connection:
        connection.executescript(sql)
        for table in KEYS:  # the rows the SQL leaves without a plan are this plan's
            connection.execute(f"update {table} set plan = ? where plan = ''", [plan_key(str(plan_path), str(path))])
    connection.close()
    with OutcomeStore.read(str(path), plan) as store:
        return store.snapshot()


def check_text(text: str, today: str = "2027-01-01", **options):
    """Diagnostics for plan text, in process."""
    from datetime import date

    from balance.engine import CheckOptions, run
    from balance.registry import vocabulary
    from planner.loader import plan_from_text

    plan = plan_from_text(text, "plan.toml", vocabulary())
    return run(plan, CheckOptions(**options), date.fromisoformat(today))


def hostile_lock(kind: str, lock: Path, elsewhere: Path) -> None:
    """Put at a lock file's path what a hostile repository (or a save killed long ago, chmod-ed
    since) could hold there: a symlink to a file elsewhere, a dangling symlink, a FIFO, a folder
    or a read-only file."""
    if kind == "symlink to a file elsewhere":
        elsewhere.write_text("someone else's file\n")
        lock.symlink_to(elsewhere)
    elif kind == "dangling symlink":
        lock.symlink_to(elsewhere)
    elif kind == "FIFO":
        os.mkfifo(lock)
    elif kind == "folder":
        lock.mkdir()
    else:
        lock.write_text("")
        lock.chmod(0o444)
