"""A plan from a stranger's pull request (tests/data/hostile.toml) through every human format of
the real command line, read by what reads each: GitHub's runner and a terminal (text, help:
lines, suggest, diff, report, errors), GitHub's runner for annotations, a Markdown renderer for
pull-request comments, an HTML parser for the report page and the calendar site."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tests.conftest import DATA, run_cadence, store_with
from tests.output_readers import ALLOWED_TAGS, CONTROLS, HtmlPage, mentions, render, workflow_command

HOSTILE = DATA / "hostile.toml"
BEFORE = ("--today", "2027-01-01")  # for check and suggest: nothing is due yet
TODAY = ("--today", "2027-01-11")  # for diff and report: the week is over
CHANNEL = "::error file=README.md::pwned"  # the first channel's name, a workflow command
SHOWN_TITLE = '"Idea\\n\\::add-mask::ghp_token ##\\[add-mask]x \\x1b[2J\\u202eevil"'  # a backlog title as printed


def assert_safe_to_print(output: str) -> None:
    """No line a terminal or GitHub's runner would obey."""
    for line in output.split("\n"):
        assert not CONTROLS.search(line), line
        assert workflow_command(line) is None, line


def cadence(*args: str) -> str:
    result = run_cadence(*args)
    assert result.returncode in (0, 1), result.stderr
    assert_safe_to_print(result.stderr)
    return result.stdout


def test_check_text_shows_plan_text_and_obeys_none_of_it():
    output = cadence("check", str(HOSTILE), *BEFORE)
    assert_safe_to_print(output)
    assert f"CAD001 \\{CHANNEL} has no post for its slot Wed 2027-01-06 10:00 (tolerance 3h)" in output
    assert f"  help: fill it from the backlog: bk-`tick` {SHOWN_TITLE} (tip)" in output


def test_github_annotations_carry_the_plan_text_as_data_only():
    lines = cadence("check", str(HOSTILE), *BEFORE, "--format", "github").splitlines()
    commands = [workflow_command(line) for line in lines]
    assert [command for command, _, _ in commands] == ["error"] and commands[0][1]["file"] == "tests/data/hostile.toml"  # from the repository's root
    assert commands[0][2].splitlines() == [
        f"\\{CHANNEL} has no post for its slot Wed 2027-01-06 10:00 (tolerance 3h)",
        f"help: fill it from the backlog: bk-`tick` {SHOWN_TITLE} (tip)",
    ]


def test_suggest_text():
    output = cadence("suggest", str(HOSTILE), *BEFORE)
    assert_safe_to_print(output)
    assert output.splitlines()[0] == f"Wed 2027-01-06 10:00  \\{CHANNEL}  bk-`tick`  {SHOWN_TITLE} (tip)"


@pytest.fixture
def two_versions(tmp_path):
    """The hostile plan, and a version that retitles, moves and adds posts."""
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    text = HOSTILE.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    added = '\n[[post]]\nid = "@org/team `|`"\nat = 2027-01-06T10:00:00\nchannel = "::error file=README.md::pwned"\nkind = "tip"\ntitle = "<b>x</b>\\n# Heading\\r| a | b |"\n'
    new.write_text(text.replace("2027-01-05T09:00:00", "2027-01-07T09:00:00").replace("**bold**", "__bold__\\n##[error]x") + added, encoding="utf-8")
    return old, new


def test_diff_text(two_versions):
    output = cadence("diff", *map(str, two_versions), *TODAY)
    assert_safe_to_print(output)
    assert "  + 10:00 \\::error file=README.md::pwned @org/team `|`: tip \"<b>x</b>\\n# Heading\\r| a | b |\"" in output.splitlines()


def test_diff_markdown_renders_no_html_heading_or_mention(two_versions):
    output = cadence("diff", *map(str, two_versions), *TODAY, "--format", "md")
    assert_safe_to_print(output)
    page = render(output)
    assert set(page.tags) <= ALLOWED_TAGS and mentions(page) == []
    assert page.tags.count("h3") == 1 and page.texts["h4"] == ["New findings", "Fixed findings", "Mix per channel, around the changed days"]
    changes = page.tables[0]
    assert changes == [5] * 4  # the header and three changed posts, five cells each: no row split or joined
    assert "@org/team `|`" in page.texts["code"]  # the id, whole, in a code span that survives its backtick and pipe
    assert all(len(set(rows)) == 1 for rows in page.tables)


@pytest.fixture
def store(tmp_path):
    published = "".join(
        f"insert into publications (post_id, channel, published_at, url, source, recorded_at) values ('{post_id}', '{channel}', '{at}', null, 'cli', '{at}');\n"
        f"insert into post_metrics (post_id, day, impressions, reach, likes, comments, shares, saves, clicks, source, recorded_at) "
        f"values ('{post_id}', '2027-01-10', 100, 80, {likes}, 1, 0, 0, 0, 'cli', '2027-01-10T00:00:00Z');\n"
        for post_id, channel, at, likes in (("p|1`", CHANNEL, "2027-01-04T03:00:00Z", 9), ("p2", "\x1b]52;c;cm0gLXJmIH4=\x07x", "2027-01-05T02:00:00Z", 3))
    )
    path = tmp_path / "outcomes.db"
    store_with(published, path, HOSTILE)
    return str(path)


def test_report_text(store):
    output = cadence("report", str(HOSTILE), *TODAY, "--db", store)
    assert_safe_to_print(output)
    assert output.splitlines()[0].startswith("Q1\\rEND:VEVENT\\rBEGIN:VEVENT\\rSUMMARY:injected\\n## Owned: 2027-01-04 to 2027-01-10")
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07x (X | col)" in output.splitlines()


def test_report_markdown_renders_no_html_heading_or_mention(store):
    output = cadence("report", str(HOSTILE), *TODAY, "--db", store, "--format", "md")
    assert_safe_to_print(output)
    page = render(output)
    assert set(page.tags) <= ALLOWED_TAGS and mentions(page) == []
    assert page.texts["h2"] == ["Q1\\rEND:VEVENT\\rBEGIN:VEVENT\\rSUMMARY:injected\\n## Owned"]
    assert page.texts["h3"] == [
        "<details open><summary>@\u200borg/team</summary>", "X | col", "Goals", "Top posts", "Owners' hours per week", "Audiences",
    ]
    assert all(len(set(rows)) == 1 for rows in page.tables)  # every row has its header's cells
    assert page.tables[2] == [6, 6, 6]  # top posts: the header and two posts
    assert "p|1`" in page.texts["code"]


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data):
        self.text += data


def test_report_html_escapes_everything(store):
    html = cadence("report", str(HOSTILE), *TODAY, "--db", store, "--format", "html")
    assert_safe_to_print(html)
    page = Page()
    page.feed(html)
    assert page.tags.isdisjoint({"details", "summary", "img", "script"}) and "onerror" not in page.attributes
    assert "<details open><summary>@org/team</summary>" in page.text and "<img src=x onerror=alert(1)> 2 (100%)" in page.text
    assert "Hello <img src=x onerror=alert(1)> @org/team **bold** [link](javascript:alert(1)) (p|1`)" in page.text
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07x" in page.text  # shown, as in every human format


def test_calendar_site_escapes_everything(store, tmp_path):
    result = run_cadence("export", str(HOSTILE), "--to", "html", "-o", str(tmp_path / "site"), *TODAY, "--db", store)
    assert result.returncode == 0, result.stderr
    assert_safe_to_print(result.stderr)
    pages = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "site").iterdir()}
    assert sorted(pages) == ["2027-01.html", "index.html"]
    for html in pages.values():
        assert_safe_to_print(html)
        page = HtmlPage(html)
        assert set(page.tags).isdisjoint({"details", "summary", "img"}) and page.values("src") == []
        assert not [name for _, name, _ in page.attributes if name.startswith("on")] and "javascript:alert(1)" not in page.values("href")
    january = HtmlPage(pages["2027-01.html"])
    assert "Hello <img src=x onerror=alert(1)> @org/team **bold** [link](javascript:alert(1))" in january.text
    assert f"\\{CHANNEL}" in january.values("data-channel") and "<details open><summary>@org/team</summary>" in january.text  # a filter's value, its label
    assert "\\x1b]0;owned\\x07title\\n\\::warning::fake" in january.text  # shown, as in every human format
    assert "javascript:alert(1)" in january.text  # the link, as text
    assert "Q1\\rEND:VEVENT\\rBEGIN:VEVENT\\rSUMMARY:injected\\n## Owned" in HtmlPage(pages["index.html"]).text


def test_errors_that_quote_plan_text(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(HOSTILE.read_text(encoding="utf-8").replace('channel = "\\u001b]52;c;cm0gLXJmIH4=\\u0007x"', 'channel = "\\u001b]0;t\\u0007\\n::add-mask::y"'), encoding="utf-8")
    for command in ("check", "report", "suggest", "export"):
        result = run_cadence(command, str(broken))
        assert result.returncode == 2 and "unknown channel" in result.stderr, command
        assert_safe_to_print(result.stderr)
    result = run_cadence("export", str(HOSTILE), "--channel", "\x1b]0;t\x07::add-mask::y")
    assert result.returncode == 2 and "unknown channel" in result.stderr
    assert_safe_to_print(result.stderr)


def test_json_and_sarif_carry_the_text_whole_and_are_safe_to_print(two_versions, store):
    """For programs, the text as it is; for a CI log that shows them, nothing to obey (the
    characters printable escapes are JSON escapes here, the same data)."""
    title = "Idea\n::add-mask::ghp_token ##[add-mask]x \x1b[2J\u202eevil"
    outputs = {
        "check": cadence("check", str(HOSTILE), *BEFORE, "--format", "json"),
        "sarif": cadence("check", str(HOSTILE), *BEFORE, "--format", "sarif"),
        "suggest": cadence("suggest", str(HOSTILE), *BEFORE, "--format", "json"),
        "report": cadence("report", str(HOSTILE), *TODAY, "--db", store, "--format", "json"),
        "diff": cadence("diff", *map(str, two_versions), *TODAY, "--format", "json"),
    }
    for output in outputs.values():
        assert_safe_to_print(output)
    documents = {name: json.loads(output) for name, output in outputs.items()}
    assert documents["check"]["diagnostics"][0]["suggestions"] == [f'fill it from the backlog: bk-`tick` "{title}" (tip)']
    assert documents["suggest"]["proposals"][0]["title"] == title
    assert documents["sarif"]["runs"][0]["results"][0]["message"]["text"].endswith(f'"{title}" (tip)')
    assert documents["report"]["report"]["plan"] == "Q1\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:injected\n## Owned"
    assert "__bold__\n##[error]x" in documents["diff"]["posts"][0]["fields"]["title"]["new"]
