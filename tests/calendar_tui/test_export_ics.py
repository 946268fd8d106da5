"""`cadence export --to ics`, read back by real clients: khal (import and list) and vobject."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from balance.registry import vocabulary
from planner.loader import load_plan, plan_from_text
from tests.conftest import SAMPLES, plan_text, post_toml, run_cadence

BERLIN_SAMPLE = SAMPLES / "lumen-saas-berlin.toml"
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


def khal_lines(tmp_path, ics: bytes, zone: str) -> list[str]:
    """What `khal list` prints for the imported calendar, with khal's clock in ``zone``."""
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
        [*khal, "list", "--format", "{start} {title}", "--day-format", "", "2027-01-01", "730d"], capture_output=True, text=True, timeout=120
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
