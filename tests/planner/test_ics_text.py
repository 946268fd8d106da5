"""The hand-written escaping and folding of the .ics export, read back by icalendar's parser."""

from __future__ import annotations

from hypothesis import given, strategies as st
from icalendar import Calendar

from planner.exporting.ics import fold, text

TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300)


@given(TEXTS)
def test_escaped_and_folded_text_reads_back_the_same(value):
    line = fold("SUMMARY:" + text(value))
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))
    ics = f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == value.replace("\r\n", "\n").replace("\r", "\n")


def test_folding_never_splits_a_character():
    line = fold("SUMMARY:" + "é" * 100 + "😀" * 30)
    assert line.replace("\r\n ", "") == "SUMMARY:" + "é" * 100 + "😀" * 30
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))
