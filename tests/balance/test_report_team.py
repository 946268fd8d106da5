"""`cadence report`'s team sections: each owner's hours per ISO week, and the spread over audiences."""

import json
import re
from datetime import date
from html.parser import HTMLParser

from balance.registry import vocabulary
from balance.report import build_report
from balance.report_render import RENDERERS
from planner.loader import load_plan
from tests.conftest import DATA, SAMPLES, run_cadence

TEAM = DATA / "team" / "after.toml"


def report_of(path, **range_):
    return build_report(load_plan(str(path), vocabulary()), None, date(2027, 1, 25), **range_)


def test_owners_hours_per_week_and_the_audiences():
    report = report_of(TEAM)
    rina = [(load.week, load.needed, load.over) for load in report.owners if load.owner == "rina"]
    assert rina == [("2027-W01", 17 / 6, False), ("2027-W02", 17 / 6, False), ("2027-W03", 4.0, True), ("2027-W04", 13 / 6, False)]
    assert {load.owner for load in report.owners} == {"andi", "bayu", "rina"}
    assert [(row.audience, row.posts) for row in report.audiences] == [("students", 1), ("office-workers", 1), (None, 23)]


def test_a_range_counts_its_weeks_whole():
    report = report_of(TEAM, first=date(2027, 1, 20), last=date(2027, 1, 20))
    assert [(load.owner, load.week, load.needed) for load in report.owners] == [("andi", "2027-W03", 0.0), ("bayu", "2027-W03", 1.75), ("rina", "2027-W03", 4.0)]


def test_each_format_shows_them():
    report = report_of(TEAM)
    text = RENDERERS["text"](report)
    assert "  2027-W03  0h of 1h  1h45m of 3h  4h of 3h30m ✗\n" in text
    assert "audiences: students 1 (4%) · office-workers 1 (4%) · no audience 23 (92%)\n" in text
    assert "| 2027-W03 | 0h of 1h | 1h45m of 3h | 4h of 3h30m ✗ |" in RENDERERS["md"](report)
    document = json.loads(RENDERERS["json"](report))["report"]
    assert {"owner": "rina", "week": "2027-W03", "over": True, "hours": 3.5, "needed": 4.0}.items() <= next(
        row for row in document["owners"] if row["owner"] == "rina" and row["week"] == "2027-W03"
    ).items()
    html = RENDERERS["html"](report)
    HTMLParser().feed(html)
    assert '<td class="bad">4h of 3h30m ✗</td>' in html and "<h2>Audiences</h2>" in html


def test_plans_without_hours_efforts_or_audiences_leave_the_sections_out():
    report = report_of(SAMPLES / "kopi-senja.toml")
    assert report.owners == [] and report.audiences == []
    assert not re.search("owners|audiences", RENDERERS["text"](report))


def test_the_command_prints_them():
    result = run_cadence("report", str(TEAM), "--today", "2027-01-25")
    assert result.returncode == 0
    assert result.stdout.endswith(
        "owners: hours their posts need per ISO week, of their hours (✗ over)\n"
        "  week      andi      bayu         rina\n"
        "  2027-W01  0h of 1h  1h30m of 3h  2h50m of 3h30m\n"
        "  2027-W02  0h of 1h  1h05m of 3h  2h50m of 3h30m\n"
        "  2027-W03  0h of 1h  1h45m of 3h  4h of 3h30m ✗\n"
        "  2027-W04  0h of 1h  1h05m of 3h  2h10m of 3h30m\n"
        "\n"
        "audiences: students 1 (4%) · office-workers 1 (4%) · no audience 23 (92%)\n"
    )
