"""Imports flow calendar_tui -> balance -> planner; the engine never loads textual or rich."""

import json
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES

PROBE = """
import json, sys
sys.argv = ["cadence"] + {args!r}
{body}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "calendar_tui", "balance", "croniter", "dateutil"))))
"""


def loaded_after(body: str, args: list[str] | None = None) -> set[str]:
    code = PROBE.format(args=args or [], body=body)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_planner_and_balance_never_load_textual_or_rich():
    loaded = loaded_after("import planner, planner.loader, balance, balance.engine, balance.formatters, balance.registry")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "calendar_tui")}


def test_planner_does_not_import_balance():
    loaded = loaded_after("import planner.loader, planner.model, planner.cadence, planner.source")
    assert not {m for m in loaded if m.split(".")[0] in ("balance", "calendar_tui", "textual", "rich")}


def test_cadence_check_does_not_load_textual():
    body = "from calendar_tui.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = loaded_after(body, ["check", str(SAMPLES / "kopi-senja.toml"), "--format", "json"])
    assert "balance.engine" in loaded  # the check really ran
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_a_check_of_plain_cadences_does_not_load_croniter():
    # croniter (and dateutil under it) reads only expressions the plain parser leaves to it
    body = "from calendar_tui.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = loaded_after(body, ["check", str(SAMPLES / "kopi-senja.toml"), "--today", "2027-01-01"])
    assert "balance.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("croniter", "dateutil")}


def test_a_check_registers_no_other_command():
    body = "from calendar_tui.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = loaded_after(body, ["check", str(SAMPLES / "kopi-senja.toml"), "--today", "2027-01-01"])
    assert {m for m in loaded if m.startswith("calendar_tui.commands.")} <= {"calendar_tui.commands.check", "calendar_tui.commands.common", "calendar_tui.commands.opening"}
    assert "calendar_tui.commands.fmt" in loaded_after(body, ["--version"])  # no command named: every one
