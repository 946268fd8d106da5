"""Plan text in our outputs, read by what reads them (tests/output_readers.py): GitHub's runner,
a terminal and a CommonMark/GFM renderer. Properties over hostile text; the real command line on
a hostile plan is tests/test_hostile_plans.py."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from balance.formatters import RepositoryPaths, github
from balance.text import markdown, markdown_code, printable, printable_json
from planner.errors import Problem
from tests.conftest import DATA, check_file
from tests.output_readers import ALLOWED_TAGS, CONTROLS, mentions, render, workflow_command

# What a hostile plan writes: line breaks, escape sequences (ESC, CSI, OSC, C1), bidi controls,
# the runner's command markers, Markdown and HTML, mentions, and ordinary letters around them.
HOSTILE = st.lists(
    st.sampled_from(list(":#[] \t\n\r\x1b\x07\x9b\x85\u202e\u2028\xa0\\`*_|<>&@~$!-=()") + ["::", "##[", "add-mask", "org/team", "ü", "語"])
    | st.characters(exclude_categories=("Cs",)),
    max_size=30,
).map("".join)
@given(HOSTILE)
def test_printable_text_is_one_visible_line_that_no_runner_obeys(value):
    shown = printable(value)
    assert not CONTROLS.search(shown)
    for line in (shown, " " + shown, "\xa0\t" + shown, f"x {shown}", f"{shown}{shown}"):
        assert workflow_command(line) is None, line
    if not CONTROLS.search(value) and "::" not in value and "##[" not in value:
        assert shown == value  # ordinary text is printed as it is


def test_printable_shows_what_it_escapes():
    assert printable("a\nb\r\tc\x1b]0;t\x07\x9b\u202eevil") == "a\\nb\\r\\tc\\x1b]0;t\\x07\\x9b\\u202eevil"
    assert printable("::add-mask::x") == "\\::add-mask::x" and printable("see ::x") == "see \\::x"
    assert printable("a ##[add-mask]b") == "a ##\\[add-mask]b"
    assert printable("http://x.example:80 10:30 ::") == "http://x.example:80 10:30 \\::"


@given(st.dictionaries(HOSTILE, HOSTILE | st.lists(HOSTILE, max_size=3), max_size=3), st.sampled_from([None, 2]))
def test_printable_json_is_the_same_data_and_safe_to_print(document, indent):
    text = printable_json(json.dumps(document, indent=indent, ensure_ascii=False))
    assert json.loads(text) == document
    for line in text.split("\n"):
        assert not CONTROLS.search(line) and workflow_command(line) is None, line


@given(message=HOSTILE, path=HOSTILE.filter(str.strip), help_text=HOSTILE)
@settings(max_examples=40)
def test_github_annotations_are_one_command_each_with_the_plan_text_as_data(message, path, help_text):
    """Whatever a finding says, each line is exactly the annotation we meant: the runner reads
    back the file and the message (printable), and nothing ends the command early."""
    found = check_file(DATA / "CAD001.toml")[0]
    problem = Problem(path, 3, 1, message)
    paths = RepositoryPaths()  # GitHub reads a file from the repository's root: "a/../b" is "b" there
    shown = paths(path) or str(paths.absolute(path))
    output = github([replace(found, message=message, path=path, suggestions=(help_text,))], [problem], 1)
    lines = re.split("\r\n|\r|\n", output.removesuffix("\n"))  # the runner's lines (.NET ReadLine)
    assert len(lines) == 2
    assert workflow_command(lines[0]) == ("error", {"file": shown, "line": "3", "col": "1", "title": "invalid plan"}, printable(message))
    command, properties, data = workflow_command(lines[1])
    assert (command, properties["file"], properties["title"]) == ("error", shown, "CAD001 missed-slot")
    assert data == f"{printable(message)}\nhelp: {printable(help_text)}"


# -- Markdown, rendered by markdown-it-py with GitHub's tables ----------------------------------


def as_shown(value: str) -> str:
    """The text a reader sees for ``value``: printable, with the zero-width space after ``@``."""
    return re.sub(r"@(?=\w)", "@\u200b", printable(value))


@given(HOSTILE)
@settings(max_examples=80)
def test_markdown_is_the_same_text_in_a_heading_a_table_and_a_list_item(value):
    cell, code = markdown(value), markdown_code(value, in_table=True)
    page = render(
        f"## {cell}\n\n| text | code |\n| --- | --- |\n| {cell} | {code} |\n| {cell} | {code} |\n\n"
        f"- text: {cell} and code: {markdown_code(value)}\n"
    )
    assert set(page.tags) <= ALLOWED_TAGS - {"h3", "h4"}, page.tags  # no raw HTML element, no other heading
    assert (page.tags.count("h2"), page.tags.count("tr"), len(page.texts["td"]), page.tags.count("li")) == (1, 3, 4, 1)
    shown, literal = as_shown(value), printable(value) or " "
    assert page.texts["h2"] == [shown.strip()]
    assert page.texts["td"][0].strip() == shown.strip() and page.texts["td"][1] == literal
    assert page.texts["code"] == [literal] * 3
    assert mentions(page) == []


def test_markdown_escapes_html_mentions_and_headings():
    assert markdown("<img src=x onerror=alert(1)> @org/team\n## h") == "&lt;img src=x onerror=alert(1)&gt; @&#8203;org/team\\\\n\\#\\# h"
    assert markdown_code("a`b``c") == "```a`b``c```" and markdown_code("`x") == "`` `x ``" and markdown_code("a|b", in_table=True) == "`a\\|b`"
