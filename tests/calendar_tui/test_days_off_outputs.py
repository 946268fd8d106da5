"""Holidays and blackouts in what the plan is exported and reported as: all-day events in the
.ics (read back by icalendar) and a section of `cadence report` in every format."""

from __future__ import annotations

import json
from datetime import date

import icalendar
import pytest

from tests.conftest import plan_text, post_toml, run_cadence

REASON = 'Nyepi; quiet, please\\n<b>#1</b> \\\\ *'  # as TOML writes it: a line break, markup, a backslash
READ_REASON = "Nyepi; quiet, please\n<b>#1</b> \\ *"
DAYS_OFF = f"""\
[channels.instagram]
cadence = "0 10 * * *"
on_holiday = "skip"

[channels.x]

[[blackout]]
from = 2027-03-08
to = 2027-03-09
reason = "{REASON}"
channels = ["instagram"]
kinds = ["promotional"]

[[blackout]]
from = 2027-03-20
reason = "x only"
channels = ["x"]

"""


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.toml"
    text = plan_text(DAYS_OFF + post_toml("tip", "2027-03-09T10:00:00"), start="2027-03-01", end="2027-03-31")
    path.write_text(text.replace("end = 2027-03-31\n", 'end = 2027-03-31\nholidays = ["ID"]\n'))
    return path


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]).split(".")[0]: event for event in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_the_ics_has_an_all_day_event_per_holiday_and_blackout(plan, tmp_path):
    out = tmp_path / "plan.ics"
    indonesian = {"LANG": "id_ID.UTF-8", "LANGUAGE": "id"}  # the holidays package reads these when not told a language
    assert run_cadence("export", str(plan), "--to", "ics", "-o", str(out), env=indonesian).returncode == 0
    found = events(out.read_bytes())
    blackout = found["blackout-20270308-20270309"]
    assert (blackout.decoded("DTSTART"), blackout.decoded("DTEND")) == (date(2027, 3, 8), date(2027, 3, 10))  # DTEND is the day after
    assert str(blackout["SUMMARY"]) == f"Blackout: {READ_REASON}"
    assert str(blackout["DESCRIPTION"]) == "Channels: instagram\nKinds: promotional"
    assert str(blackout["TRANSP"]) == "TRANSPARENT" and blackout["CATEGORIES"].cats == ["blackout"]
    nyepi = found["holiday-20270308-20270308"]
    assert (str(nyepi["SUMMARY"]), nyepi.decoded("DTSTART"), nyepi.decoded("DTEND")) == ("Holiday: Day of Silence", date(2027, 3, 8), date(2027, 3, 9))
    assert sorted(uid for uid in found if uid.startswith("holiday")) == [
        "holiday-20270308-20270308", "holiday-20270310-20270310", "holiday-20270311-20270311", "holiday-20270326-20270326", "holiday-20270328-20270328",
    ]
    assert "tip" in found and "blackout-20270320-20270320" in found


def test_the_ics_of_some_channels_and_days_lists_only_their_days_off(plan):
    only_instagram = events(run_cadence("export", str(plan), "--to", "ics", "--channel", "instagram", "--from", "2027-03-09", "--to", "2027-03-12").stdout.encode())
    assert sorted(uid for uid in only_instagram if "-" in uid) == ["blackout-20270308-20270309", "holiday-20270310-20270310", "holiday-20270311-20270311"]


def test_the_report_lists_holidays_and_blackouts_in_every_format(plan):
    def report(form: str) -> str:
        result = run_cadence("report", str(plan), "--today", "2027-04-01", "--format", form)
        assert result.returncode == 0, result.stderr
        return result.stdout

    text = report("text")
    section = text[text.index("holidays and blackouts"):].split("\n\n")[0].splitlines()
    assert section[:4] == [
        "holidays and blackouts",
        "  2027-03-08 holiday: Day of Silence",
        "  2027-03-08..2027-03-09 blackout: Nyepi; quiet, please\\n<b>#1</b> \\ * (instagram; promotional)",
        "  2027-03-10 holiday: Eid al-Fitr (estimated)",
    ]
    assert "  2027-03-20 blackout: x only (x)" in section
    rows = json.loads(report("json"))["report"]["days_off"]
    assert rows[1] == {"first": "2027-03-08", "last": "2027-03-09", "what": "blackout", "name": READ_REASON, "channels": ["instagram"], "kinds": ["promotional"]}
    assert "<li>2027-03-08..2027-03-09 blackout: Nyepi; quiet, please\\n&lt;b&gt;#1&lt;/b&gt; \\ * (instagram; promotional)</li>" in report("html")
    assert "- 2027-03-08..2027-03-09 blackout: Nyepi; quiet, please\\\\n&lt;b&gt;\\#1&lt;/b&gt; \\\\ \\* (instagram; promotional)" in report("md")
    # the week of Nyepi and Eid has 4 instagram slots, not 7: the channel skips holidays
    assert "  2027-W10           4" in text


def test_the_calendar_days_carry_their_holidays_and_the_blackouts_of_the_channels_shown(plan):
    from calendar_tui.session import Session
    from calendar_tui.view_model import CalendarIndex, Filters, days_between

    index = CalendarIndex.of(Session.open(str(plan), today=date(2027, 3, 1)))
    days = days_between(index, date(2027, 3, 7), date(2027, 3, 21), Filters())
    assert [days[date(2027, 3, n)].day_off_label for n in (7, 8, 9, 20)] == [
        "", "⊘ Nyepi; quiet, please\\n<b>#1</b> \\ * · Day of Silence", "⊘ Nyepi; quiet, please\\n<b>#1</b> \\ *", "⊘ x only",
    ]
    only_instagram = days_between(index, date(2027, 3, 20), date(2027, 3, 20), Filters(channels=frozenset({"instagram"})))
    assert only_instagram[date(2027, 3, 20)].days_off == ()
