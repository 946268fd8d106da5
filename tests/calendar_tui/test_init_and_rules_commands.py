"""`cadence init` writes a plan that passes its own check; `cadence rules` documents every rule."""

import re

import tomli

from balance.registry import RULES
from tests.conftest import ROOT, run_cadence


def test_init_writes_a_commented_plan_that_passes_its_own_check(tmp_path):
    plan = tmp_path / "content-plan.toml"
    result = run_cadence("init", "--today", "2026-11-21", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = plan.read_text()
    assert text.count("\n#") > 10  # commented
    assert "max_share = { promotional = 0.25 }" in text  # the defaults, written out
    data = tomli.loads(text)
    assert str(data["plan"]["start"]) == "2026-11-30"
    check = run_cadence("check", str(plan), "--today", "2026-11-21", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 errors, 0 warnings, 0 infos" in check.stdout
    formatted = run_cadence("fmt", "--check", str(plan))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_init_never_overwrites_unless_forced(tmp_path):
    plan = tmp_path / "mine.toml"
    plan.write_text("keep me")
    result = run_cadence("init", str(plan))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert plan.read_text() == "keep me"
    assert run_cadence("init", str(plan), "--force").returncode == 0


def test_init_takes_a_time_zone_and_rejects_an_unknown_one_with_a_hint(tmp_path):
    plan = tmp_path / "plan.toml"
    typo = run_cadence("init", str(plan), "--timezone", "Asia/Jakrta")
    assert typo.returncode == 2 and "did you mean 'Asia/Jakarta'?" in typo.stderr and not plan.exists()
    assert run_cadence("init", str(plan), "--timezone", "Asia/Jakarta", "--today", "2027-01-01").returncode == 0
    assert tomli.loads(plan.read_text())["plan"]["timezone"] == "Asia/Jakarta"
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0


def test_init_refuses_a_folder_and_a_read_only_file_in_one_line(tmp_path):
    folder = run_cadence("init", str(tmp_path), "--force")
    assert folder.returncode == 2 and folder.stderr.count("\n") == 1 and "is a folder" in folder.stderr
    plan = tmp_path / "plan.toml"
    plan.write_text("mine")
    plan.chmod(0o444)
    refused = run_cadence("init", str(plan), "--force")
    assert refused.returncode == 2 and "read-only" in refused.stderr and plan.read_text() == "mine"


def test_init_names_a_missing_folder_and_creates_nothing(tmp_path):
    result = run_cadence("init", "sub/dir/plan.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "cadence: error: sub/dir/plan.toml: the folder sub/dir does not exist; create it first (mkdir -p sub/dir)\n"
    assert list(tmp_path.iterdir()) == []


def test_rules_lists_every_rule_with_severity_and_summary():
    result = run_cadence("rules")
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    for rule, line in zip(RULES, lines):
        assert line.split()[:3] == [rule.code, rule.name, rule.severity]
        assert line.endswith(rule.summary)


def test_rules_code_prints_the_whole_docstring_and_settings():
    result = run_cadence("rules", "pub007")
    assert result.returncode == 0
    assert result.stdout.startswith("PUB007 repeat (default severity: warning)")
    assert "Why:" in result.stdout and "Example::" in result.stdout
    assert "repeat_window = '14d'" in result.stdout and "repeat_similarity = 0.8" in result.stdout


def test_rules_unknown_code():
    result = run_cadence("rules", "CAD01")
    assert result.returncode == 2 and "did you mean 'CAD001'?" in result.stderr


def test_every_rule_is_documented_has_a_fixture_and_a_readme_entry():
    readme = (ROOT / "README.md").read_text()
    for rule in RULES:
        doc = rule.doc
        assert doc and "Why:" in doc and "Example::" in doc and "Options:" in doc, rule.code
        assert (ROOT / "tests" / "data" / f"{rule.code}.toml").exists(), rule.code
        assert f"| {rule.code} | {rule.name} |" in readme, rule.code


def test_rules_that_depend_on_today_are_marked_and_left_out_of_the_pre_commit_hook():
    depends = {rule.code for rule in RULES if rule.uses_today}
    assert {"PUB001", "PUB006", "PLN003"} <= depends
    marked = {line.split()[0] for line in run_cadence("rules").stdout.splitlines() if line.split()[3] == "today"}
    assert marked == depends
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    (entry,) = re.findall(r"entry: (cadence check.*)", hooks)
    assert set(entry.split("--ignore ")[1].split(",")) == depends
