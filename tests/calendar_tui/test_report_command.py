"""`cadence report` for real: a copy of a sample with its metrics imported, in each format, read back."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tests.conftest import SAMPLES, run_cadence


@pytest.fixture
def kopi(tmp_path):
    """The Kopi Senja sample and its metrics CSV, imported into the default store."""
    for name in ("kopi-senja.toml", "kopi-senja-metrics.csv"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    plan = tmp_path / "kopi-senja.toml"
    assert run_cadence("metrics", "import", str(plan), str(tmp_path / "kopi-senja-metrics.csv")).returncode == 0
    return plan


def report(plan, *options: str) -> str:
    result = run_cadence("report", str(plan), "--today", "2027-02-01", *options)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_carries_the_figures_the_text_shows(kopi):
    data = json.loads(report(kopi, "--format", "json"))
    assert data["version"] == 1
    body = data["report"]
    assert (body["first"], body["last"], body["today"], body["store"]) == ("2027-01-04", "2027-01-31", "2027-02-01", True)
    instagram = body["channels"][0]
    assert instagram["total"] == {"week": "total", "first": "2027-01-04", "last": "2027-01-31", "slots": 12, "filled": 12, "planned": 12, "published": 11, "missed": 1}
    assert [week["week"] for week in instagram["weeks"]] == ["2027-W01", "2027-W02", "2027-W03", "2027-W04"]
    assert round(instagram["followers"]["growth"], 3) == 0.047
    text = report(kopi)
    assert "  total             12         12         12         11          1" in text
    assert "followers: 3,200 on 2027-01-04 → 3,350 on 2027-01-25 (+4.7%) ▁▃▅█" in text
    goal = body["goals"][0]
    assert (goal["value"], goal["on_track"], goal["reaches"]) == (3350.0, False, "2027-09-15")
    assert "the path is at 3,640 (behind); the trend reaches it on 2027-09-15" in text
    assert [post["post_id"] for post in body["top"]] == ["tt-guess-the-origin-by-the", "tt-duet-us-your-best-latte-art", "tt-three-mistakes-with-a-moka"]


def test_from_and_to_narrow_the_weeks(kopi):
    data = json.loads(report(kopi, "--format", "json", "--from", "2027-01-11", "--to", "2027-01-17"))
    assert [week["week"] for week in data["report"]["channels"][0]["weeks"]] == ["2027-W02"]
    assert data["report"]["channels"][0]["total"]["published"] == 2
    backwards = run_cadence("report", str(kopi), "--from", "2027-01-17", "--to", "2027-01-11")
    assert (backwards.returncode, backwards.stderr) == (2, "cadence: error: --from 2027-01-17 is after --to 2027-01-11\n")


def test_markdown_has_a_table_per_channel(kopi):
    markdown = report(kopi, "--format", "md")
    assert markdown.startswith("## Kopi Senja — January 2027\n")
    assert "| week | slots | filled | planned | published | missed |" in markdown
    assert "| **total** | **12** | **12** | **12** | **11** | **1** |" in markdown
    assert "- ⚠️ followers 5,000 on instagram by 2027-03-31: 3,350 on 2027-01-25" in markdown


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_self_contained_page_with_svg_charts_and_no_script(kopi, tmp_path):
    out = tmp_path / "report.html"
    result = run_cadence("report", str(kopi), "--today", "2027-02-01", "--format", "html", "-o", str(out))
    assert result.stdout == f"wrote the html report of {kopi} to {out}\n"
    page = Page()
    page.feed(out.read_text())
    assert "script" not in page.tags and page.links == []
    assert page.tags.count("svg") == 3 * 2 + 1  # per channel: weeks and followers; the one goal with records
    assert page.tags.count("table") == 3 + 2
    assert "Kopi Senja — January 2027" in page.text
    unwritable = run_cadence("report", str(kopi), "--format", "html", "-o", str(tmp_path / "missing" / "r.html"))
    assert unwritable.returncode == 2 and unwritable.stderr.endswith("cannot be written: No such file or directory\n")


def test_without_a_store_the_report_says_published_means_the_status(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    text = report(plan)
    assert text.splitlines()[0] == "Kopi Senja — January 2027: 2027-01-04 to 2027-01-31, as of 2027-02-01 (no outcomes recorded: published means the plan's status)"
    assert "  total             12         12         12          0         12" in text


def test_a_plan_wide_goal_reads_the_plan_channel(tmp_path):
    plan = tmp_path / "lumen.toml"
    plan.write_bytes((SAMPLES / "lumen-saas-berlin.toml").read_bytes())
    for day, sales in (("2027-03-15", "2"), ("2027-03-29", "9"), ("2027-04-05", "15")):
        assert run_cadence("metrics", str(plan), "plan", "sales", sales, "--on", day).returncode == 0
    text = run_cadence("report", str(plan), "--today", "2027-04-12").stdout
    assert "  sales 40 by 2027-04-30: 15 on 2027-04-05, 34% of the way; the path is at 19.3 (behind); the trend reaches it on 2027-05-17" in text


def test_output_replaces_the_file_whole_and_keeps_its_mode(kopi, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("an older report\n")
    out.chmod(0o640)
    linked = tmp_path / "published-copy.md"
    linked.hardlink_to(out)  # a reader holding the old file sees it whole, never half rewritten
    result = run_cadence("report", str(kopi), "--today", "2027-02-01", "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert linked.read_text() == "an older report\n" and out.read_text() == report(kopi, "--format", "md")
    assert out.stat().st_mode & 0o777 == 0o640
