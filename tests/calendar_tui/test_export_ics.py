"""`cadence export --to ics`, read back by real clients: khal (import and list), vobject and
icalendar, from sample plans and from hostile ones."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
import tomlkit
from hypothesis import given, settings, strategies as st

from balance.registry import vocabulary
from planner.exporting.ics import to_ics
from planner.loader import load_plan, plan_from_text
from tests.conftest import DATA, SAMPLES, plan_text, post_toml, run_cadence

BERLIN_SAMPLE = SAMPLES / "lumen-saas-berlin.toml"
HOSTILE_PLAN = DATA / "hostile.toml"
CHANNEL = '[channels.instagram]\nlabel = "Instagram"\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'
# The autumn change in Berlin: 2027-10-31 03:00 CEST becomes 02:00 CET, so 02:30 happens twice
# (the plan means the first); 2027-03-28 02:30 does not exist (the plan means 03:30).
AUTUMN = plan_text(
    CHANNEL
    + post_toml("before", "2027-10-30T10:00:00")
    + post_toml("twice", "2027-10-31T02:30:00")
    + post_toml("after-change", "2027-10-31T03:30:00")
    + post_toml("monday", "2027-11-01T10:00:00")
    + post_toml("dropped", "2027-11-02T10:00:00", status='"skipped"'),
    timezone="Europe/Berlin",
    start="2027-10-25",
    end="2027-11-07",
)


def export(plan_path, *args: str) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "calendar_tui", "export", str(plan_path), *args], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.fixture
def autumn(tmp_path):
    path = tmp_path / "autumn.toml"
    path.write_text(AUTUMN)
    return path


def khal_lines(tmp_path, ics: bytes, zone: str, days: int = 730) -> list[str]:
    """What `khal list` prints for the imported calendar from 2027-01-01 on, with khal's clock in ``zone``."""
    pytest.importorskip("khal", reason="khal is in the test extra; install with pip install -e '.[test]'")
    home = tmp_path / f"khal-{zone.replace('/', '-')}"
    vdir = home / "calendar"
    vdir.mkdir(parents=True)
    (home / "plan.ics").write_bytes(ics)
    config = home / "config"
    config.write_text(
        f"[calendars]\n[[plan]]\npath = {vdir}\ntype = calendar\n\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"local_timezone = {zone}\ndefault_timezone = {zone}\n\n"
        f"[default]\ndefault_calendar = plan\n\n[sqlite]\npath = {home / 'khal.db'}\n"
    )
    khal = [sys.executable, "-m", "khal", "-c", str(config)]
    imported = subprocess.run([*khal, "import", "--batch", str(home / "plan.ics")], capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [*khal, "list", "--format", "{start} {title}", "--day-format", "", "2027-01-01", f"{days}d"], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    return sorted(line for line in listed.stdout.splitlines() if line.strip())


def expected_lines(plan, zone: str) -> list[str]:
    shown = ZoneInfo(zone)
    return sorted(
        f"{datetime.fromtimestamp(post.ts, shown):%Y-%m-%d %H:%M} [{plan.channels[post.channel].mark}] {post.title}"
        for post in plan.posts
        if post.status != "skipped"
    )


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC"])
def test_khal_shows_each_post_at_its_time_across_berlins_clock_changes(tmp_path, autumn, zone):
    """khal in Berlin shows the plan's wall times; khal in UTC shows the same instants."""
    shown = {}
    for path in (BERLIN_SAMPLE, autumn):
        plan = load_plan(str(path), vocabulary())
        shown[path] = khal_lines(tmp_path / path.stem, export(path), zone)
        assert shown[path] == expected_lines(plan, zone)
    if zone == "Europe/Berlin":  # written 02:30 on the spring-forward night, which does not exist
        assert "2027-03-28 03:30 [X] Weekend read: metrics that lie" in shown[BERLIN_SAMPLE]
    else:  # the first 02:30 of the autumn night is summer time (UTC+2); 03:30 is winter time (UTC+1)
        assert {"2027-10-31 00:30 [IG] Post twice", "2027-10-31 02:30 [IG] Post after-change"} <= set(shown[autumn])


def three_years(zone: str) -> str:
    """A plan over 2027..2029 in ``zone``: a post every 17 days at a time that moves through the
    day, and the change days' own hours (the gap's wall time, the repeated hour's)."""
    start, posts = datetime(2027, 1, 2, 0, 5), []
    for number in range(65):
        at = start + timedelta(days=17 * number, hours=5 * number % 24)
        posts.append(post_toml(f"p{number}", at.isoformat()))
    changes = {"Europe/Berlin": ("2029-03-25T02:30:00", "2029-10-28T02:30:00"), "America/New_York": ("2029-03-11T02:30:00", "2029-11-04T01:30:00")}
    posts += [post_toml(f"change{number}", at) for number, at in enumerate(changes[zone])]
    return plan_text(CHANNEL + "".join(posts), timezone=zone, start="2027-01-01", end="2029-12-31")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_a_plan_over_three_years_reads_at_the_plans_instants_in_every_client(tmp_path, zone):
    """vobject read the third year an hour off while the VTIMEZONE listed its changes in one
    comma-separated RDATE; one RDATE a line reads right in vobject, icalendar and khal."""
    vobject = pytest.importorskip("vobject")
    path = tmp_path / "three-years.toml"
    path.write_text(three_years(zone))
    plan = load_plan(str(path), vocabulary())
    ics = export(path)
    assert b"RDATE:20290" in ics and not re.search(rb"RDATE[^\r]*,", ics)  # the third year's changes, one a line
    wanted = {f"{post.id}.test-plan@content-cadence": post.ts for post in plan.posts}
    read_by_vobject = {event.uid.value: int(event.dtstart.value.timestamp()) for event in vobject.readOne(ics.decode()).vevent_list}
    read_by_icalendar = {str(event["UID"]): int(event["DTSTART"].dt.timestamp()) for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    assert read_by_vobject == wanted and read_by_icalendar == wanted
    assert khal_lines(tmp_path, ics, "UTC", days=3 * 366) == expected_lines(plan, "UTC")


def test_vobject_reads_every_field_back(tmp_path):
    vobject = pytest.importorskip("vobject")
    body = 'First line, with a comma; a semicolon\\ a backslash\nSecond line: "quoted" — ünïcödé ' + "long " * 30
    text = plan_text(
        CHANNEL
        + post_toml("tricky", "2027-01-05T09:00:00", title='"Tips, tricks; and \\\\ more"', body=f"'''{body}'''", link='"https://example.com/a?b=1,2"', tags='["x"]')
        + post_toml("idea", "2027-01-06T09:00:00", status='"idea"'),
        timezone="Europe/Berlin",
    )
    path = tmp_path / "plan.toml"
    path.write_text(text)
    ics = export(path)
    lines = ics.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF, folded at 75 octets
    calendar = vobject.readOne(ics.decode("utf-8"))
    events = {event.uid.value: event for event in calendar.vevent_list}
    tricky = events["tricky.test-plan@content-cadence"]
    assert tricky.summary.value == "[IG] Tips, tricks; and \\ more"
    assert tricky.dtstart.value == datetime(2027, 1, 5, 8, 0, tzinfo=timezone.utc)
    assert tricky.dtend.value - tricky.dtstart.value == (datetime(2027, 1, 5, 8, 15) - datetime(2027, 1, 5, 8, 0))
    assert tricky.description.value == (
        "Kind: tip\nChannel: Instagram\nStatus: draft\nOwner: rina\nLink: https://example.com/a?b=1,2\n\n" + body
    )
    assert tricky.url.value == "https://example.com/a?b=1,2"
    assert tricky.categories.value == ["tip", "instagram"]
    assert tricky.status.value == "TENTATIVE"
    assert tricky.dtstamp.value == datetime(2027, 1, 4, tzinfo=timezone.utc)  # the plan's start, not the clock
    assert calendar.vtimezone.tzid.value == "Europe/Berlin"


def test_same_plan_same_bytes_and_uids_survive_a_move(tmp_path, autumn):
    first = export(autumn)
    assert export(autumn) == first
    assert run_cadence("export", str(autumn), env={"CADENCE_TODAY": "2030-01-01"}).stdout.encode() == first.replace(b"\r\n", b"\n")
    moved = autumn.read_text().replace("2027-10-30T10:00:00", "2027-10-29T11:00:00")
    autumn.write_text(moved)
    plan = plan_from_text(moved, "x", vocabulary())
    assert b"UID:before.test-plan@content-cadence" in export(autumn)
    assert [post.id for post in plan.posts if post.status == "skipped"] == ["dropped"]
    assert b"dropped" not in first


def test_slots_channel_and_range(tmp_path):
    text = plan_text(
        '[channels.instagram]\ncadence = ["0 10 * * MON"]\n\n[channels.x]\ncadence = ["0 12 * * *"]\n\n'
        + post_toml("filled", "2027-01-04T10:00:00")
        + post_toml("tweet", "2027-01-04T12:00:00", channel="x"),
        timezone="Europe/Berlin",
    )
    path = tmp_path / "plan.toml"
    path.write_text(text)
    ics = export(path, "--to", "ics", "--slots", "--channel", "instagram", "--from", "2027-01-04", "--to", "2027-01-17")
    vobject = pytest.importorskip("vobject")
    events = vobject.readOne(ics.decode()).vevent_list
    slots = [event for event in events if event.summary.value == "[IG] open slot"]
    assert [event.dtstart.value.strftime("%Y-%m-%d %H:%M") for event in slots] == ["2027-01-11 10:00"]
    assert all(event.transp.value == "TRANSPARENT" for event in slots)
    assert [event.summary.value for event in events if event not in slots] == ["[IG] Post filled"]
    output = tmp_path / "out.ics"
    result = run_cadence("export", str(path), "--upcoming", "7d", "--today", "2027-01-05", "-o", str(output))
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == f"wrote 0 posts to {output}\n"


def test_bad_options_exit_2_with_did_you_mean(tmp_path):
    result = run_cadence("export", str(BERLIN_SAMPLE), "--channel", "linkdin")
    assert result.returncode == 2 and "--channel: unknown channel 'linkdin'; did you mean 'linkedin'?" in result.stderr
    result = run_cadence("export", str(BERLIN_SAMPLE), "--to", "icss")
    assert result.returncode == 2 and "did you mean 'ics'?" in result.stderr
    result = run_cadence("export", str(BERLIN_SAMPLE), "-o", str(tmp_path / "missing" / "x.ics"))
    assert result.returncode == 2 and "cannot be written" in result.stderr and "Traceback" not in result.stderr


# -- hostile plans: text from a stranger's pull request -----------------------------------------

HOSTILE = st.lists(
    st.sampled_from(["\r", "\n", "\r\n", ",", ";", "\\", ":", "::", "##[", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "END:VEVENT", "語" * 30])
    | st.characters(exclude_categories=("Cs",)),
    max_size=30,
).map("".join)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_back(value: str) -> str:
    """The text a client reads for ``value``: a line break is LF, a control character U+FFFD."""
    return CONTROL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def assert_lines_safe(ics: bytes) -> None:
    """Every physical line ends with CRLF, has no other CR or LF, is folded at 75 octets, and is
    nothing a CI log would run (no ``##[``, no ``::`` after leading spaces)."""
    assert ics.endswith(b"\r\n")
    for line in ics[:-2].split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line and len(line) <= 75, line
        assert b"##[" not in line and not line.decode().lstrip().startswith("::"), line


@given(name=HOSTILE.filter(str.strip), channel=HOSTILE.filter(bool), label=HOSTILE, title=HOSTILE, body=HOSTILE)
@settings(max_examples=40)
def test_hostile_text_reads_back_as_the_same_text_one_event_per_post(name, channel, label, title, body):
    vobject = pytest.importorskip("vobject")
    def post(post_id: str, at: str, **fields: str) -> str:
        values = {"id": post_id, "channel": channel, "kind": "tip", **fields}
        return "[[post]]\n" + f"at = {at}\n" + "".join(f"{key} = {tomlkit.string(value).as_string()}\n" for key, value in values.items()) + "\n"

    text = plan_text(
        f"[channels.{tomlkit.string(channel).as_string()}]\nlabel = {tomlkit.string(label).as_string()}\n\n"
        + post("one", "2027-01-05T09:00:00", title=title, body=body)
        + post("two", "2027-01-06T09:00:00", title=title + "2", link="https://example.com/?a=1,2"),
        timezone="Europe/Berlin",
    ).replace('name = "Test plan"', f"name = {tomlkit.string(name).as_string()}")
    plan = plan_from_text(text, "plan.toml", vocabulary())
    ics = to_ics(plan, plan.posts)
    assert_lines_safe(ics)
    mark = plan.channels[channel].mark
    for calendar in (icalendar.Calendar.from_ical(ics), vobject.readOne(ics.decode("utf-8"))):
        events = calendar.walk("VEVENT") if isinstance(calendar, icalendar.Calendar) else calendar.vevent_list
        texts = [_texts(event) for event in events]
        assert [summary for summary, _, _ in texts] == [read_back(f"[{mark}] {title}"), read_back(f"[{mark}] {title}2")]
        assert all(categories == ["tip", read_back(channel)] for _, _, categories in texts)
        assert texts[0][1].startswith(read_back(f"Kind: tip\nChannel: {label}\n")) and texts[0][1].endswith(read_back(body))
    assert calendar.contents["x-wr-calname"][0].value == read_back(name)  # icalendar keeps an X- property unparsed


def _texts(event) -> tuple[str, str, list[str]]:
    """SUMMARY, DESCRIPTION and CATEGORIES, as icalendar or vobject reads them."""
    if isinstance(event, icalendar.Event):
        return str(event["SUMMARY"]), str(event["DESCRIPTION"]), [str(category) for category in event["CATEGORIES"].cats]
    return event.summary.value, event.description.value, list(event.categories.value)




def test_the_hostile_fixture_in_icalendar_vobject_and_khal(tmp_path):
    """A bare CR in the plan's name once started a VEVENT of its own in vobject; a newline in it
    crashed the export. Now: two posts, two events, and the link that is not http(s) is no URL."""
    vobject = pytest.importorskip("vobject")
    ics = export(HOSTILE_PLAN)
    assert_lines_safe(ics)
    calendar = vobject.readOne(ics.decode("utf-8"))
    assert calendar.contents["x-wr-calname"][0].value == "Q1\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected\n## Owned"
    assert [event.uid.value.split(".")[0] for event in calendar.vevent_list] == ["p|1`", "p2"]
    assert ["url" in event.contents for event in calendar.vevent_list] == [False, True]  # javascript: is no URL
    assert [len(parsed.walk("VEVENT")) for parsed in [icalendar.Calendar.from_ical(ics)]] == [2]
    shown = khal_lines(tmp_path, ics, "Asia/Jakarta")
    assert shown == sorted([
        "2027-01-04 10:00 [<O] Hello <img src=x onerror=alert(1)> @org/team **bold** [link](javascript:alert(1))",
        "2027-01-05 09:00 [X|] \ufffd]0;owned\ufffdtitle",  # khal prints the title's line break as it is
        "::warning::fake",
    ])
