"""Opening the app from the command line: which plan, and bad plans before any screen."""

import os

from calendar_tui.commands.opening import DEMO_PLAN, default_plan
from tests.conftest import ROOT, SAMPLES, run_cadence


def test_the_bundled_demo_is_the_berlin_sample_plan():
    demo = ROOT / "calendar_tui" / "demo" / DEMO_PLAN
    assert demo.read_bytes() == (SAMPLES / DEMO_PLAN).read_bytes()


def test_without_a_plan_cadence_opens_content_plan_toml_else_the_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert os.path.exists(default_plan()) and default_plan().endswith(DEMO_PLAN)
    (tmp_path / "content-plan.toml").write_text("")
    assert default_plan() == "content-plan.toml"


def test_open_reports_a_bad_plan_with_its_line_and_exit_2(tmp_path):
    result = run_cadence("open", str(tmp_path / "missing.toml"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'missing.toml'}:1:1: no such file"
    broken = run_cadence("open", str(ROOT / "tests" / "data" / "bad_plans" / "unknown_key.toml"))
    assert broken.returncode == 2 and "unknown key 'cadense'" in broken.stderr and "Traceback" not in broken.stderr
