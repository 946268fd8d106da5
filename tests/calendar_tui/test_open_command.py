"""Opening the app from the command line: which plan, and bad plans before any screen."""

import os

from calendar_tui.commands.opening import DEMO_PLAN, default_plan, demo_plan
from tests.conftest import ROOT, SAMPLES, run_cadence


def test_the_bundled_demo_is_the_berlin_sample_plan_itself():
    # one copy, installed as the sample_plans package's data: the demo cannot drift from the sample
    assert os.path.samefile(demo_plan(), SAMPLES / DEMO_PLAN)


def test_without_a_plan_cadence_opens_content_plan_toml_else_the_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_plan() == (demo_plan(), True)
    (tmp_path / "content-plan.toml").write_text("")
    assert default_plan() == ("content-plan.toml", False)


def test_only_the_plan_opened_for_want_of_one_is_the_demo(tmp_path, monkeypatch):
    from calendar_tui.app import CadenceApp
    from calendar_tui.cli import main

    opened = []
    monkeypatch.setattr(CadenceApp, "run", lambda app: opened.append((app.session.file.path, app.session.demo)))
    monkeypatch.chdir(tmp_path)
    sample = str(SAMPLES / DEMO_PLAN)
    assert main(["open", "--today", "2027-03-22"]) == 0 and main(["open", sample, "--today", "2027-03-22"]) == 0
    assert opened == [(demo_plan(), True), (sample, False)]  # the sample named is a plan like any other, saved in place


def test_open_reports_a_bad_plan_with_its_line_and_exit_2(tmp_path):
    result = run_cadence("open", str(tmp_path / "missing.toml"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'missing.toml'}:1:1: no such file"
    broken = run_cadence("open", str(ROOT / "tests" / "data" / "bad_plans" / "unknown_key.toml"))
    assert broken.returncode == 2 and "unknown key 'cadense'" in broken.stderr and "Traceback" not in broken.stderr
