"""The hand-written escaping and folding of the .ics export, read back by icalendar's parser."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st
from icalendar import Calendar

from planner.exporting.ics import fold, text

TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(TEXTS)
def test_escaped_and_folded_text_reads_back_the_same(value):
    line = fold("SUMMARY:" + text(value))
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))
    ics = f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    line_breaks_as_lf = value.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "\ufffd", line_breaks_as_lf)  # TEXT holds no control


def test_folding_never_splits_a_character():
    line = fold("SUMMARY:" + "é" * 100 + "😀" * 30)
    assert line.replace("\r\n ", "") == "SUMMARY:" + "é" * 100 + "😀" * 30
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))
