"""The language server's check after an edit of one post (that post read again alone, the days
around it checked again) gives what the check of the whole text gives: at once for the findings
of days, once completed for all."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from balance.engine import WHOLE_PLAN_RULES
from bench.generate import generate
from calendar_tui.lsp.analysis import analyse, complete

TODAY = date(2027, 3, 1)
PLAN = generate(150, 2, 1)  # a year: the days around an edit are a small part of it
LINES = PLAN.split("\n")
FIRST_POST = LINES.index("[[post]]")
POST_LINES = [n for n, line in enumerate(LINES) if n > FIRST_POST and " = " in line and not line.startswith(("[", "#", "body"))]
VALUES = {  # what each key of a post may be changed to: valid, invalid, and unreadable
    "id": ['"renamed"', '"p000001"', '""'],
    "at": ["2027-06-14T09:00:00", "2027-06-15T09:30:00", "2027-02-01T09:00:00", "2026-01-05T10:00:00", "2027-01-11", '"tomorrow"'],
    "channel": ['"ch00"', '"ch01"', '"nowhere"'],
    "kind": ['"promo"', '"question"', '"case"', '"nonsense"'],
    "title": ['"A new title ☕"', '"Post 3: why milk 3"', '""', '"""two\nlines"""', '"unterminated'],
    "status": ['"published"', '"idea"', '"skipped"', '"lost"'],
    "owner": ['"ana"', '"nobody"'],
}
WRITTEN = [  # whole lines, in place of one
    "", "[[post]]", "[kinds.extra]", 'tags = ["a", "b"]', "x.note = 1", 'approved_by = ["ben"]', 'link = "https://example.com"',
    'ignore = ["CAD002"]', 'title = "twice"',
]


@st.composite
def edit(draw):
    """A line of a post and what it becomes: its key with another value, or another line."""
    number = draw(st.sampled_from(POST_LINES))
    key = LINES[number].split(" = ")[0]
    if key in VALUES and draw(st.booleans()):
        return number, f"{key} = {draw(st.sampled_from(VALUES[key]))}"
    return number, draw(st.sampled_from(WRITTEN))


def of_days(analysis) -> list:
    """The findings that belong to days, the rules judged over the whole plan aside."""
    return [d for d in analysis.diagnostics if d.date is not None and not d.code.startswith(WHOLE_PLAN_RULES)]


@settings(max_examples=30)
@given(edits=st.lists(edit(), min_size=1, max_size=2))
def test_an_edited_post_checked_around_its_days_gives_what_the_whole_text_gives(edits):
    previous = analyse(PLAN, "plan.toml", TODAY)
    lines = list(LINES)
    for number, written in edits:
        lines[number] = written
        text = "\n".join(lines)
        edited, whole = analyse(text, "plan.toml", TODAY, previous=previous), analyse(text, "plan.toml", TODAY)
        assert edited.problems == whole.problems
        assert of_days(edited) == of_days(whole)  # lines and columns too: a Diagnostic holds them
        assert (complete(edited) if edited.partial else edited).diagnostics == whole.diagnostics
        previous = edited


def test_a_partial_analysis_places_first_the_findings_nearest_the_edited_post():
    """The server sends these at once after an edit of a plan with thousands of findings."""
    number = next(n for n in range(len(LINES) // 2, len(LINES)) if LINES[n].startswith("title = "))
    text = "\n".join(LINES[:number] + ['title = "Retitled"'] + LINES[number + 1 :])
    edited = analyse(text, "plan.toml", TODAY, previous=analyse(PLAN, "plan.toml", TODAY))
    assert edited.partial and LINES[edited.edited_line - 1] == "[[post]]" and edited.edited_line < number + 1
    every = edited.placed()
    nearest = edited.placed(5)
    distances = sorted(abs(placed.line + 1 - edited.edited_line) for placed in every)
    assert len(every) == len(edited.diagnostics) > 5 and len(nearest) == 5
    assert sorted(abs(placed.line + 1 - edited.edited_line) for placed in nearest) == distances[:5]
    assert [placed for placed in every if placed in nearest] == nearest  # in the order of all
    assert len(complete(edited).placed(5)) == len(every)  # the whole check's are sent all at once
