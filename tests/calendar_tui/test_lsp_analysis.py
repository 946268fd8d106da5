"""The language server's check of an edited post, read alone, is the check of the whole text."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_tui.lsp.analysis import analyse
from tests.conftest import DATA

TODAY = date(2027, 1, 1)
PLAN = (DATA / "CAD002.toml").read_text(encoding="utf-8") + '\n[[post]]\nid = "last"\nat = 2027-01-16T10:00:00\nchannel = "instagram"\nkind = "tip"\ntitle = "Last"\n'
LINES = PLAN.split("\n")
POST_LINES = [number for number, line in enumerate(LINES) if line and not line.startswith(("[", "#")) and number > LINES.index("[[post]]")]
VALUES = {  # what each key of a post may be changed to: valid, invalid, and unreadable
    "id": ['"renamed"', '"mon-1"', '""'],
    "at": ["2027-01-11T09:00:00", "2027-01-05T10:00:00", "2026-01-05T10:00:00", "2027-01-11", '"tomorrow"'],
    "channel": ['"instagram"', '"tiktok"'],
    "kind": ['"promo"', '"question"', '"nonsense"'],
    "title": ['"A new title ☕"', '""', '"""two\nlines"""', '"unterminated'],
    "status": ['"published"', '"idea"', '"lost"'],
    "owner": ['"andi"', '"nobody"'],
}
WRITTEN = [  # whole lines, in place of one
    "", "[[post]]", "[kinds.extra]", 'tags = ["a", "b"]', "x.note = 1", 'approved_by = ["andi"]', 'link = "https://example.com"',
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


@settings(max_examples=40)
@given(edits=st.lists(edit(), min_size=1, max_size=3))
def test_a_post_read_again_alone_gives_what_the_whole_text_gives(edits):
    previous = analyse(PLAN, "plan.toml", TODAY)
    lines = list(LINES)
    for number, written in edits:
        lines[number] = written
        text = "\n".join(lines)
        edited, whole = analyse(text, "plan.toml", TODAY, previous=previous), analyse(text, "plan.toml", TODAY)
        assert (edited.diagnostics, edited.problems) == (whole.diagnostics, whole.problems)
        assert [(d.code, d.line, d.column) for d in edited.diagnostics] == [(d.code, d.line, d.column) for d in whole.diagnostics]
        previous = edited
