"""`cadence add`: a post into its channel's next free slot that keeps the plan clean, or --at a time,
through the writer; and the use-case behind it."""

from __future__ import annotations

import shutil
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import load_plan
from tests.conftest import ROOT, SAMPLES, check_file, plan_text, run_cadence

QUEUE = """\
[channels.instagram]
cadence = "0 10 * * *"
on_holiday = "skip"
owner = "rina"

[team.rina]

[[blackout]]
from = 2027-03-09
reason = "Nyepi week: no selling"
kinds = ["promotional"]

[[post]]
id = "first"
at = 2027-03-07T10:00:00
channel = "instagram"
kind = "tip"
title = "The first tip"
status = "approved"
"""


def queue_plan(write_plan):
    # Indonesia: Nyepi on 8 March, Eid al-Fitr on 10 and 11 March 2027
    text = plan_text(QUEUE, start="2027-03-07", end="2027-03-14").replace("end = 2027-03-14\n", 'end = 2027-03-14\nholidays = ["ID"]\n')
    path = write_plan(text)
    assert run_cadence("fmt", str(path)).returncode == 0  # formatted, so that a check after the add shows the writer kept it so
    return path


def keys(path, today: str) -> set[tuple[str, str]]:
    return {(d.code, d.key) for d in check_file(path, today=today)}


def test_a_post_goes_to_the_next_slot_that_adds_no_finding(write_plan):
    path = queue_plan(write_plan)
    before, text = keys(path, "2027-03-07"), path.read_text()
    args = ("--channel", "instagram", "--kind", "promo", "Hampers for Lebaran", "--status", "approved", "--today", "2027-03-07")
    dry = run_cadence("add", str(path), *args, "--dry-run")
    assert dry.stdout == "would add ig-20270312-hampers-for-lebaran to instagram on Fri 2027-03-12 10:00 (its next free slot)\n"
    assert path.read_text() == text
    result = run_cadence("add", str(path), "--channel", "instagram", "--kind", "promo", "Hampers for Lebaran", "--status", "approved", "--today", "2027-03-07")
    # the 8th, 10th and 11th are holidays instagram skips; the 9th is blacked out for promotions
    assert (result.returncode, result.stdout) == (0, "added ig-20270312-hampers-for-lebaran to instagram on Fri 2027-03-12 10:00 (its next free slot)\n")
    assert keys(path, "2027-03-07") <= before
    post = next(post for post in load_plan(str(path)).posts if post.id == "ig-20270312-hampers-for-lebaran")
    assert (post.kind, post.title, post.status, str(post.at)) == ("promo", "Hampers for Lebaran", "approved", "2027-03-12 10:00:00+07:00")  # Jakarta
    assert run_cadence("fmt", "--check", str(path)).returncode == 0


def test_a_slot_too_soon_for_a_draft_is_passed_over_and_no_slot_at_all_is_explained(write_plan):
    path = queue_plan(write_plan)
    added = run_cadence("add", str(path), "--channel", "instagram", "--kind", "tip", "Grind size", "--today", "2027-03-07")
    assert added.stdout == "added ig-20270312-grind-size to instagram on Fri 2027-03-12 10:00 (its next free slot)\n"  # a draft due on the 9th is PUB001
    text = path.read_text()
    refused = run_cadence("add", str(path), "--channel", "instagram", "--kind", "tip", "Another tip", "--today", "2027-03-12")
    assert refused.returncode == 2 and path.read_text() == text
    assert refused.stderr.startswith("cadence: error: none of instagram's next 2 open slots takes the post without a new finding; at the first, Sat 2027-03-13 10:00: PUB001 ")
    assert refused.stderr.rstrip().endswith("place it with --at, or change what the findings name")


def test_at_places_the_post_by_hand_and_names_the_findings_it_brings(write_plan):
    path = queue_plan(write_plan)
    result = run_cadence("add", str(path), "--channel", "instagram", "--kind", "promo", "Sale", "--at", "2027-03-09T12:00", "--body", "Two for one", "--link", "https://kopi.example/sale", "--today", "2027-03-08")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "added ig-20270309-sale to instagram on Tue 2027-03-09 12:00 (at the time given)",
        "  new finding: PLN006 post ig-20270309-sale on Tue 2027-03-09 falls in a blackout (2027-03-09): Nyepi week: no selling",
        "  new finding: PUB001 'ig-20270309-sale' is still a draft and due Tue 2027-03-09 12:00 (tomorrow)",
    ]
    post = load_plan(str(path)).posts[-1]
    assert (post.body, post.link) == ("Two for one", "https://kopi.example/sale")


def test_mistakes_exit_2_and_leave_the_plan_as_it_was(write_plan):
    path = queue_plan(write_plan)
    text = path.read_text()
    for args, message in [
        (("--channel", "instagam", "--kind", "tip"), "cadence: error: unknown channel 'instagam'; did you mean 'instagram'? (known: instagram)"),
        (("--channel", "instagram", "--kind", "promotion"), "cadence: error: unknown kind 'promotion'; did you mean 'promo'? (known: promo, question, tip)"),
        (("--channel", "instagram", "--kind", "tip", "--owner", "andi"), "cadence: error: unknown team member 'andi' (known: rina)"),
        (("--channel", "instagram", "--kind", "tip", "--at", "2027-03-09T12:00+07:00"), "has an offset; write the plan's local time"),
        (("--channel", "instagram", "--kind", "tip", "--at", "next monday"), "'next monday' is not a date-time"),
    ]:
        result = run_cadence("add", str(path), "A title", *args, "--today", "2027-03-07")
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert path.read_text() == text
    blank = run_cadence("add", str(path), "   ", "--channel", "instagram", "--kind", "tip")
    assert (blank.returncode, blank.stderr) == (2, "cadence: error: the title must not be empty\n")


@settings(max_examples=8)
@given(
    channel=st.sampled_from(["linkedin", "x", "blog", "newsletter"]),
    kind=st.sampled_from(["tip", "case", "promo", "question"]),
    title=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
    status=st.sampled_from(["draft", "approved"]),
)
def test_an_added_post_never_adds_a_finding_and_a_refused_one_changes_nothing(tmp_path_factory, channel, kind, title, status):
    path = tmp_path_factory.mktemp("add") / "lumen.toml"
    shutil.copy(SAMPLES / "lumen-saas-berlin.toml", path)
    before, text = keys(path, "2027-03-22"), path.read_text()
    result = run_cadence("add", str(path), "--channel", channel, "--kind", kind, "--status", status, "--today", "2027-03-22", "--", title)
    if result.returncode == 0:
        assert keys(path, "2027-03-22") <= before
        assert run_cadence("fmt", "--check", str(path)).returncode == 0
        assert title in {post.title for post in load_plan(str(path)).posts}
    else:
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert path.read_text() == text


def test_the_use_case_loads_neither_textual_nor_argparse():
    probe = "import sys\nimport calendar_tui.usecases.add_post\nprint(sorted(m for m in ('textual', 'argparse', 'rich') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
