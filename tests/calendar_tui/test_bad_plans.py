"""Every bad input: a clear `path:line:col: message`, exit 2, never a traceback."""

import pytest

from tests.conftest import DATA, SAMPLES, run_cadence, run_cadence_process

BAD = DATA / "bad_plans"

EXPECTED = {
    "broken_toml.toml": ("9:25", "invalid TOML"),
    "wrong_types.toml": ("4:1", "start must be a date"),
    "unknown_key.toml": ("11:1", "unknown key 'cadense' in [channels.instagram]; did you mean 'cadence'?"),
    "unknown_reference.toml": ("15:1", "unknown channel 'instagarm'"),
    "duplicate_id.toml": ("20:1", "duplicate id 'latte'; it is already used at line 12"),
    "bad_cron.toml": ("8:1", "cron expression '0 25 * * MON' is not valid"),
    "bad_zone.toml": ("3:1", "unknown time zone 'Asia/Jakart'"),
    "impossible_date.toml": ("4:9", "invalid TOML"),
    "end_before_start.toml": ("5:1", "the plan ends (2027-01-01) before it starts (2027-03-31)"),
    "empty.toml": ("1:1", "is empty"),
    "binary.toml": ("1:1", "is a binary file"),
    "a_directory.toml": ("1:1", "is a directory"),
    "not_utf8.toml": ("2:1", "is not UTF-8 text"),
    "tricky_strings.toml": ("27:1", "unknown kind 'tipp'"),
    "merge_conflict.toml": ("17:1", "merge conflict: keep the right lines between <<<<<<< and >>>>>>>"),
    "bad_networks.toml": ("15:1", "unknown network 'blusky'; did you mean 'bluesky'?"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_plan_is_reported_with_its_line_and_exit_2(name):
    result = run_cadence("check", str(BAD / name))
    position, message = EXPECTED[name]
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{BAD / name}:{position}: " in result.stderr
    assert message in result.stderr


def test_a_missing_path():
    result = run_cadence_process("check", "no/such/plan.toml")
    assert result.returncode == 2
    assert result.stderr.strip() == "no/such/plan.toml:1:1: no such file"


def test_a_goal_of_nan_is_a_located_error_for_report_and_check(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLES / "kopi-senja.toml").read_text().replace("target = 5000", "target = nan"))
    for command in ("report", "check"):
        result = run_cadence(command, str(plan))
        assert result.returncode == 2 and result.stderr == f"{plan}:16:1: target must be a finite number, not nan\n"


def test_several_errors_are_all_listed_in_line_order():
    result = run_cadence("check", str(BAD / "several_errors.toml"))
    assert result.returncode == 2
    lines = [line.split(": ", 1)[0].rsplit(":", 2)[1] for line in result.stderr.splitlines()]
    assert lines == ["11", "12", "17", "20", "24"]


def test_a_bad_plan_among_good_ones_still_fails_with_2_and_the_good_ones_are_checked():
    result = run_cadence("check", str(DATA / "CAD001.toml"), str(BAD / "bad_zone.toml"), "--today", "2027-01-01")
    assert result.returncode == 2
    assert "CAD001" in result.stdout
    assert "bad_zone.toml:3:1" in result.stderr


def test_bad_arguments_exit_2_with_usage():
    for args in (["check"], ["check", "x.toml", "--from", "yesterday"], ["check", "x.toml", "--upcoming", "soon"], ["frobnicate"]):
        result = run_cadence(*args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_bad_cadence_today_variable():
    result = run_cadence("check", str(DATA / "clean.toml"), env={"CADENCE_TODAY": "tomorrow"})
    assert result.returncode == 2
    assert "CADENCE_TODAY='tomorrow' is not a date" in result.stderr
