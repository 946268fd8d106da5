"""Output formats in process: colour only when asked, escaping for GitHub."""

import json
from dataclasses import replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from balance.diagnostic import LazyHelp
from balance.formatters import as_json, github, sarif, text
from balance.text import printable_json
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


def _json_row_by_the_encoder(d) -> str:
    """The row as as_json wrote it before its rows were put together by hand: the reference."""
    return printable_json(json.JSONEncoder(ensure_ascii=False).encode(d.to_json()))


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(["", "::warning", "##[x", "a\u202eb", "\x85"])
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.sampled_from([None, timezone.utc, ZoneInfo("Europe/Berlin")]))


@settings(max_examples=150, deadline=None)
@given(
    messages=st.lists(st.tuples(texts, texts, st.none() | texts, st.none() | moments, st.lists(texts, max_size=3), st.lists(texts, max_size=3)), min_size=1, max_size=4),
    line=st.integers(0, 10**6),
    lazy=st.booleans(),
)
def test_json_rows_are_what_the_encoder_writes_of_to_json(messages, line, lazy):
    found = check_file(DATA / "CAD001.toml")[0]
    odd = []
    for message, path, channel, at, post_ids, lines in messages:
        help_lines = LazyHelp(lambda channel, ts, lines=tuple(lines): lines, "c", 0) if lazy else tuple(lines)
        odd.append(replace(found, message=message, path=path, line=line, column=line % 7, channel=channel, at=at,
                           date=at.date() if at else None, post_ids=tuple(post_ids), suggestions=help_lines, key=message))
    rows = "".join(as_json(odd, [], 1)).split("\n")[1:-2]  # past the head, before the tail and the end
    assert [row.removesuffix(",") for row in rows] == [_json_row_by_the_encoder(d) for d in odd]
