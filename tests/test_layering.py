"""Imports flow calendar_tui -> balance -> planner; the engine never loads textual or rich,
sqlite_utils is loaded only when an outcomes store is used, and pygls only by the language server."""

import json
import subprocess
import sys

from tests.conftest import DATA, ROOT, SAMPLES, store_with

PROBE = """
import json, sys
sys.argv = ["cadence"] + {args!r}
{body}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "calendar_tui", "balance", "planner", "croniter", "dateutil", "hashlib", "icalendar", "sqlite_utils", "sqlite3", "difflib", "holidays", "textual_serve", "aiohttp", "pygls", "lsprotocol", "tomlkit"))))
"""
RUN_MAIN = "from calendar_tui.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"


def loaded_after(body: str, args: list[str] | None = None) -> set[str]:
    code = PROBE.format(args=args or [], body=body)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_planner_and_balance_never_load_textual_or_rich():
    loaded = loaded_after(
        "import planner, planner.loader, balance, balance.engine, balance.formatters, balance.registry, balance.diff, balance.capacity, balance.calendar_site"
    )
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "calendar_tui")}


def test_planner_does_not_import_balance():
    loaded = loaded_after("import planner.loader, planner.model, planner.cadence, planner.source, planner.importer, planner.exporting.ics, planner.exporting.vendors, planner.merge, planner.versions")
    assert not {m for m in loaded if m.split(".")[0] in ("balance", "calendar_tui", "textual", "rich")}


def test_cadence_check_does_not_load_textual_or_the_language_server():
    loaded = loaded_after(RUN_MAIN, ["check", str(SAMPLES / "kopi-senja.toml"), "--format", "json"])
    assert "balance.engine" in loaded  # the check really ran
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "textual_serve", "aiohttp", "pygls", "lsprotocol")}


def test_the_language_server_does_not_load_textual():
    loaded = loaded_after("import calendar_tui.lsp.server, calendar_tui.commands.lsp")
    assert {"pygls", "calendar_tui.lsp.analysis", "calendar_tui.usecases.move_post"} <= loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_a_check_of_plain_cadences_loads_neither_croniter_nor_hashlib_nor_tomlkit():
    # croniter (and dateutil under it) gives the days of L, W, # and L5 only;
    # hashlib makes fingerprints, which only --format json and sarif print;
    # tomlkit is the writer's, and a check writes nothing
    loaded = loaded_after(RUN_MAIN, ["check", str(SAMPLES / "kopi-senja.toml"), "--today", "2027-01-01"])
    assert "balance.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("croniter", "dateutil", "hashlib", "tomlkit")}


def test_a_check_of_a_last_day_cadence_loads_croniter(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLES / "kopi-senja.toml").read_text().replace('cadence = ["0 9 * * SAT"]', 'cadence = ["0 9 L * *"]'))
    loaded = loaded_after(RUN_MAIN, ["check", str(plan), "--today", "2027-01-01"])
    assert {"balance.engine", "croniter"} <= loaded


def test_difflib_is_loaded_only_for_a_did_you_mean():
    sample = str(SAMPLES / "kopi-senja.toml")
    assert "difflib" not in loaded_after(RUN_MAIN, ["check", sample, "--today", "2027-01-01", "--select", "PUB,CAD001"])
    assert "difflib" in loaded_after(RUN_MAIN, ["check", sample, "--select", "PBU"])  # the probe sees it when a hint is made


def test_a_check_registers_no_other_command():
    loaded = loaded_after(RUN_MAIN, ["check", str(SAMPLES / "kopi-senja.toml"), "--today", "2027-01-01"])
    assert {m for m in loaded if m.startswith("calendar_tui.commands.")} <= {"calendar_tui.commands.check", "calendar_tui.commands.common", "calendar_tui.commands.opening"}
    assert "calendar_tui.commands.fmt" in loaded_after(RUN_MAIN, ["--version"])  # no command named: every one


def test_icalendar_is_loaded_only_for_an_ics_export():
    sample = str(SAMPLES / "kopi-senja.toml")
    assert "icalendar" not in loaded_after(RUN_MAIN, ["check", sample])
    assert "icalendar" not in loaded_after(RUN_MAIN, ["export", sample, "--to", "csv", "-o", "/dev/null"])
    assert "icalendar" in loaded_after(RUN_MAIN, ["export", sample, "--to", "ics", "-o", "/dev/null"])


def test_holidays_is_loaded_only_for_a_plan_that_names_holidays():
    assert "holidays" not in loaded_after(RUN_MAIN, ["check", str(SAMPLES / "kopi-senja.toml")])
    assert "holidays" in loaded_after(RUN_MAIN, ["check", str(DATA / "PLN006.toml")])


def test_cadence_check_without_a_store_loads_neither_the_store_code_nor_sqlite(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLES / "kopi-senja.toml").read_text())
    loaded = loaded_after(RUN_MAIN, ["check", str(plan)])
    assert "balance.engine" in loaded and not {"planner.outcomes", "sqlite_utils", "sqlite3"} & loaded
    store_with((DATA / "OUT004.sql").read_text(), tmp_path / "outcomes.db", plan)
    with_store = loaded_after(RUN_MAIN, ["check", str(plan), "--db", str(tmp_path / "outcomes.db")])
    assert {"planner.outcomes", "sqlite3"} <= with_store and "sqlite_utils" not in with_store  # a store is read with sqlite3 alone; writers use sqlite-utils
    (tmp_path / ".cadence").mkdir()
    (tmp_path / "outcomes.db").rename(tmp_path / ".cadence" / "outcomes.db")
    assert "planner.outcomes" in loaded_after(RUN_MAIN, ["check", str(plan)])  # the plan's own store, found without --db


def test_cadence_diff_does_not_load_textual():
    sample = str(SAMPLES / "kopi-senja.toml")
    loaded = loaded_after(RUN_MAIN, ["diff", sample, str(ROOT / "tests" / "data" / "clean.toml"), "--today", "2027-01-01"])
    assert "balance.diff" in loaded  # the diff really ran
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_the_use_cases_load_no_front_end():
    """calendar_tui.usecases sits below the command line and the app: no textual, rich or argparse."""
    code = """
import json, pkgutil, sys, importlib
import calendar_tui.usecases as package
modules = [importlib.import_module(f"calendar_tui.usecases.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
print(json.dumps([len(modules), sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "argparse"))]))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    count, front_ends = json.loads(result.stdout)
    assert count >= 6 and front_ends == []
