"""`cadence check` as CI runs it: real subprocess, real sample plans, every format."""

import json

from tests.conftest import DATA, SAMPLES, run_cadence, run_cadence_process

KOPI = str(SAMPLES / "kopi-senja.toml")
LUMEN = str(SAMPLES / "lumen-saas-berlin.toml")
MAPLE = str(SAMPLES / "maple-pine-holiday.toml")
CAD001 = str(DATA / "CAD001.toml")
CAD003 = str(DATA / "CAD003.toml")


def test_the_clean_sample_passes():
    result = run_cadence_process("check", KOPI, "--today", "2027-01-01")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings, 0 infos in 1 plan\n"


def test_findings_are_path_line_col_code_message_sorted():
    result = run_cadence_process("check", CAD003, CAD001, "--today", "2027-01-01")
    assert result.returncode == 1  # CAD001 is an error
    assert result.stdout.splitlines() == [
        f"{CAD001}:29:1: CAD001 instagram has no post for its slot Thu 2027-01-14 10:00 (tolerance 3h)",
        '  help: fill it from the backlog: bk-two "An evergreen question" (question)',
        '  help: fill it from the backlog: bk-one "An evergreen tip" (tip)',
        f"{CAD003}:67:1: CAD003 instagram is silent for 3 days, Fri 2027-01-08..Sun 2027-01-10, max_silence 2d",
        f"{CAD003}:76:1: CAD003 instagram is silent for 3 days, Fri 2027-01-15..Sun 2027-01-17, max_silence 2d",
        "",
        "1 error, 2 warnings, 0 infos in 2 plans",
    ]


def test_warnings_pass_unless_strict():
    assert run_cadence("check", CAD003, "--today", "2027-01-01").returncode == 0
    assert run_cadence("check", CAD003, "--today", "2027-01-01", "--strict").returncode == 1


def test_json_carries_every_field():
    result = run_cadence("check", CAD001, "--format", "json", "--today", "2027-01-01")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["summary"] == {"errors": 1, "warnings": 0, "infos": 0, "plans": 1}
    (diagnostic,) = document["diagnostics"]
    assert diagnostic == {
        "code": "CAD001",
        "name": "missed-slot",
        "severity": "error",
        "message": "instagram has no post for its slot Thu 2027-01-14 10:00 (tolerance 3h)",
        "path": CAD001,
        "line": 29,
        "column": 1,
        "channel": "instagram",
        "at": "2027-01-14T10:00:00+07:00",
        "date": "2027-01-14",
        "post_ids": [],
        "suggestions": [
            'fill it from the backlog: bk-two "An evergreen question" (question)',
            'fill it from the backlog: bk-one "An evergreen tip" (tip)',
        ],
        "fingerprint": diagnostic["fingerprint"],
    }
    assert len(diagnostic["fingerprint"]) == 32


def test_json_post_ids_and_null_at():
    result = run_cadence("check", str(DATA / "CAD002.toml"), "--format", "json", "--today", "2027-01-01")
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["at"] is None and diagnostic["date"] == "2027-01-11"
    assert diagnostic["post_ids"] == ["mon-2", "mon-2-noon", "mon-2-evening"]


def test_sarif_has_rules_results_and_fingerprints():
    result = run_cadence("check", LUMEN, "--format", "sarif", "--today", "2027-03-01")
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"CAD001", "CAD005"} <= {rule["id"] for rule in rules}
    for found in run["results"]:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
        assert found["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
        assert found["partialFingerprints"]["cadenceFingerprint/v1"]
    fingerprints = [found["partialFingerprints"]["cadenceFingerprint/v1"] for found in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_fingerprints_survive_unrelated_edits(tmp_path):
    edited = tmp_path / "CAD001.toml"
    edited.write_text("# a new comment line shifts every line\n" + (DATA / "CAD001.toml").read_text())
    before = json.loads(run_cadence("check", CAD001, "--format", "sarif", "--today", "2027-01-01").stdout)
    after = json.loads(run_cadence("check", str(edited), "--format", "sarif", "--today", "2027-01-01").stdout)
    first, second = before["runs"][0]["results"][0], after["runs"][0]["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] + 1 == second["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert first["partialFingerprints"] == second["partialFingerprints"]


def test_github_annotations():
    result = run_cadence("check", CAD001, CAD003, "--format", "github", "--today", "2027-01-01")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=tests/data/CAD001.toml,line=29,col=1,title=CAD001 missed-slot::"  # from the repository's root
        "instagram has no post for its slot Thu 2027-01-14 10:00 (tolerance 3h)"
        '%0Ahelp: fill it from the backlog: bk-two "An evergreen question" (question)'
        '%0Ahelp: fill it from the backlog: bk-one "An evergreen tip" (tip)'
    )
    assert lines[1].startswith("::warning file=tests/data/CAD003.toml,line=67,col=1,title=CAD003 long-silence::")


def test_select_and_ignore_take_codes_and_prefixes():
    both = [CAD001, CAD003, "--today", "2027-01-01"]
    assert "CAD003" not in run_cadence("check", *both, "--select", "CAD001").stdout
    assert "CAD001" not in run_cadence("check", *both, "--ignore", "cad001").stdout
    assert "0 errors, 0 warnings" in run_cadence("check", *both, "--ignore", "CAD").stdout


def test_repeated_select_and_ignore_add_up():
    both = [CAD001, CAD003, "--today", "2027-01-01"]
    selected = run_cadence("check", *both, "--select", "CAD001", "--select", "CAD003").stdout
    assert "CAD001" in selected and "CAD003" in selected
    assert "0 errors, 0 warnings" in run_cadence("check", *both, "--ignore", "CAD001", "--ignore", "CAD003").stdout


def test_from_and_to_narrow_the_range():
    result = run_cadence("check", CAD001, "--from", "2027-01-04", "--to", "2027-01-10", "--today", "2027-01-01")
    assert result.returncode == 0
    assert "CAD001" not in result.stdout


def test_upcoming_checks_from_today_and_today_can_come_from_the_environment():
    late = run_cadence("check", CAD001, "--upcoming", "14d", env={"CADENCE_TODAY": "2027-01-15"})
    assert late.returncode == 0
    early = run_cadence("check", CAD001, "--upcoming", "14d", env={"CADENCE_TODAY": "2027-01-08"})
    assert early.returncode == 1 and "Thu 2027-01-14" in early.stdout
    flag_wins = run_cadence("check", CAD001, "--upcoming", "14d", "--today", "2027-01-15", env={"CADENCE_TODAY": "2027-01-08"})
    assert flag_wins.returncode == 0


def test_upcoming_and_from_do_not_mix():
    result = run_cadence("check", CAD001, "--upcoming", "14d", "--from", "2027-01-01")
    assert result.returncode == 2 and "cannot be combined" in result.stderr


def test_no_colour_when_not_a_terminal():
    assert "\033[" not in run_cadence("check", LUMEN, "--today", "2027-03-01", env={"NO_COLOR": ""}).stdout


def test_version():
    result = run_cadence("--version")
    assert result.returncode == 0 and result.stdout.startswith("cadence ")
