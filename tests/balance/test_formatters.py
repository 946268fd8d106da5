"""Output formats in process: colour only when asked, escaping for GitHub."""

import json
from dataclasses import replace

from balance.formatters import as_json, github, sarif, text
from planner.errors import Problem
from tests.conftest import DATA, check_file


def test_text_colours_codes_by_severity_only_when_asked():
    found = check_file(DATA / "CAD001.toml")
    assert "\033[" not in text(found, [], 1)
    coloured = text(found, [], 1, colour=True)
    assert "\033[1m\033[31mCAD001\033[0m" in coloured


def test_github_escapes_percent_and_property_separators_and_shows_plan_line_breaks():
    found = check_file(DATA / "CAD001.toml")
    odd = [replace(found[0], message="100% sure\nreally", path="a,b:c.toml")]
    line = github(odd, [], 1)
    assert "file=a%2Cb%3Ac.toml" in line and "100%25 sure\\nreally%0Ahelp: " in line


def test_json_is_compact_with_one_diagnostic_per_line_and_reads_back_whole():
    found = check_file(DATA / "CAD003.toml") + check_file(DATA / "CAD001.toml")
    odd = [replace(found[0], message='quote " backslash \\ newline\n kopi terénak')] + found[1:]
    problems = [Problem("bad.toml", 3, 1, "invalid TOML")]
    output = "".join(as_json(odd, problems, 2))
    lines = output.splitlines()
    assert len(lines) == len(odd) + 2  # the head, a line per diagnostic, the tail
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == [d.to_json() for d in odd]
    assert json.loads(output) == {
        "version": 1,
        "diagnostics": [d.to_json() for d in odd],
        "invalid": [{"path": "bad.toml", "line": 3, "column": 1, "message": "invalid TOML"}],
        "summary": {"errors": 1, "warnings": 2, "infos": 0, "plans": 2},
    }
    assert json.loads("".join(as_json([], [], 1)))["diagnostics"] == []


def test_sarif_reads_back_with_every_result():
    found = check_file(DATA / "CAD001.toml")
    document = json.loads(sarif(found, [], 1))
    assert [result["ruleId"] for result in document["runs"][0]["results"]] == [d.code for d in found]
