"""CAD001-CAD005 beyond their fixtures: the edges where each fires or stays quiet."""

import pytest

from tests.conftest import check_text, plan_text, post_toml

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON"]\ntolerance = "2h"\n\n'
ONE_WEEK = {"start": "2027-01-04", "end": "2027-01-10"}


def codes(text: str, select: tuple[str, ...] = ("CAD",), **options) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check_text(text, select=select, **options)]


def test_cad001_a_post_within_tolerance_fills_the_slot():
    assert codes(plan_text(CHANNEL + post_toml("a", "2027-01-04T12:00:00"), **ONE_WEEK), ("CAD001",)) == []


def test_cad001_a_post_just_outside_tolerance_does_not():
    assert codes(plan_text(CHANNEL + post_toml("a", "2027-01-04T12:01:00"), **ONE_WEEK), ("CAD001",)) == [
        ("CAD001", "instagram has no post for its slot Mon 2027-01-04 10:00 (tolerance 2h)")
    ]


def test_cad001_each_post_fills_at_most_one_slot():
    channel = '[channels.instagram]\ncadence = ["0 10 * * MON", "0 11 * * MON"]\ntolerance = "2h"\n\n'
    found = codes(plan_text(channel + post_toml("a", "2027-01-04T10:30:00"), **ONE_WEEK), ("CAD001",))
    assert found == [("CAD001", "instagram has no post for its slot Mon 2027-01-04 11:00 (tolerance 2h)")]


def test_cad001_a_skipped_post_fills_nothing():
    text = plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00", status='"skipped"'), **ONE_WEEK)
    assert [code for code, _ in codes(text, ("CAD001",))] == ["CAD001"]


def test_cad001_slot_and_post_agree_on_a_spring_forward_night():
    channel = '[channels.x]\ncadence = ["30 2 * * SUN"]\ntolerance = "10m"\n\n'
    text = plan_text(channel + post_toml("a", "2027-03-28T02:30:00", channel="x"), timezone="Europe/Berlin", start="2027-03-22", end="2027-03-28")
    assert codes(text, ("CAD001",)) == []


def test_cad001_a_post_on_every_real_slot_of_a_spring_forward_night_fills_them_all():
    # 02:00 and 02:30 do not exist that night: they move onto 03:00 and 03:30, the same slots
    channel = '[channels.x]\ncadence = ["*/30 1-4 * * *"]\ntolerance = "10m"\nmax_per_day = 8\n\n'
    walls = ["01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]
    posts = "".join(post_toml(f"p{n}", f"2027-03-28T{wall}:00", channel="x") for n, wall in enumerate(walls))
    text = plan_text(channel + posts, timezone="Europe/Berlin", start="2027-03-28", end="2027-03-28")
    assert codes(text, ("CAD001",)) == []


def test_cad001_reports_the_slot_time_and_date_in_the_plan_zone():
    text = plan_text('[channels.x]\ncadence = ["30 2 * * SUN"]\n\n', timezone="Europe/Berlin", start="2027-03-28", end="2027-03-28")
    (diagnostic,) = check_text(text, select=("CAD001",))
    assert diagnostic.at.isoformat() == "2027-03-28T03:30:00+02:00"
    assert diagnostic.date.isoformat() == "2027-03-28"
    assert diagnostic.line == 17  # the channel's cadence key


def test_cad002_counts_local_days_not_utc_days():
    # 06:00 in Jakarta is 23:00 UTC the day before: three posts on one local day
    channel = '[channels.instagram]\nmax_per_day = 2\nmin_spacing = "1m"\n\n'
    posts = "".join(post_toml(f"p{h}", f"2027-01-05T{h:02d}:00:00") for h in (6, 12, 20))
    assert [c for c, _ in codes(plan_text(channel + posts, **ONE_WEEK), ("CAD002",))] == ["CAD002"]
    posts = "".join(post_toml(f"p{d}", f"2027-01-0{d}T06:00:00") for d in (5, 6))
    assert codes(plan_text(channel + posts, **ONE_WEEK), ("CAD002",)) == []


def test_cad002_plan_wide_limit():
    channels = '[channels.instagram]\n[channels.x]\n\n'
    posts = post_toml("a", "2027-01-05T09:00:00") + post_toml("b", "2027-01-05T10:00:00", channel="x")
    text = plan_text(channels + posts, **ONE_WEEK).replace('end = 2027-01-10', 'end = 2027-01-10\nmax_per_day = 1')
    assert codes(text, ("CAD002",)) == [("CAD002", "the plan has 2 posts on Tue 2027-01-05, more than [plan] max_per_day 1")]


def test_cad003_counts_empty_local_days():
    channel = '[channels.instagram]\nmax_silence = "3d"\n\n'
    quiet = post_toml("a", "2027-01-04T10:00:00") + post_toml("b", "2027-01-08T10:00:00")
    assert codes(plan_text(channel + quiet, start="2027-01-04", end="2027-01-08"), ("CAD003",)) == []
    loud = post_toml("a", "2027-01-04T10:00:00") + post_toml("b", "2027-01-09T10:00:00")
    assert codes(plan_text(channel + loud, start="2027-01-04", end="2027-01-09"), ("CAD003",)) == [
        ("CAD003", "instagram is silent for 4 days, Tue 2027-01-05..Fri 2027-01-08, max_silence 3d")
    ]


def test_cad003_hour_limits_compare_instants():
    channel = '[channels.instagram]\nmax_silence = "36h"\n\n'
    posts = post_toml("a", "2027-01-04T00:00:00") + post_toml("b", "2027-01-05T13:00:00") + post_toml("c", "2027-01-06T23:00:00")
    found = codes(plan_text(channel + posts, start="2027-01-04", end="2027-01-06"), ("CAD003",))
    assert found == [("CAD003", "instagram is silent for 37h from Mon 2027-01-04 00:00, max_silence 36h")]


def test_cad003_a_channel_with_no_posts_is_one_long_silence():
    assert codes(plan_text('[channels.instagram]\n', **ONE_WEEK), ("CAD003",)) == []  # 7 days is not over 7d
    found = codes(plan_text('[channels.instagram]\n', start="2027-01-04", end="2027-01-11"), ("CAD003",))
    assert found == [("CAD003", "instagram is silent for 8 days, Mon 2027-01-04..Mon 2027-01-11, max_silence 7d")]


def test_cad004_is_not_judged_on_short_ranges():
    posts = "".join(post_toml(f"p{d}", f"2027-01-{d:02d}T10:00:00") for d in range(4, 11))
    assert codes(plan_text('[channels.instagram]\n' + posts, start="2027-01-04", end="2027-01-20"), ("CAD004",)) == []


def test_cad005_exactly_min_spacing_apart_is_fine():
    channel = '[channels.instagram]\nmin_spacing = "90m"\n\n'
    posts = post_toml("a", "2027-01-04T10:00:00") + post_toml("b", "2027-01-04T11:30:00")
    assert codes(plan_text(channel + posts, **ONE_WEEK), ("CAD005",)) == []
    posts = post_toml("a", "2027-01-04T10:00:00") + post_toml("b", "2027-01-04T11:29:00")
    assert codes(plan_text(channel + posts, **ONE_WEEK), ("CAD005",)) == [
        ("CAD005", "instagram posts 'b' 89m after 'a', closer than min_spacing 90m")
    ]


def test_cad005_across_the_autumn_repeated_hour_uses_real_elapsed_time():
    # 01:50 EDT, then 01:10 EST the same night: the wall clock goes back, real time moves 20m on
    channel = '[channels.x]\nmin_spacing = "1h"\n\n'
    posts = post_toml("b", "2027-11-07T01:10:00-05:00", channel="x") + post_toml("a", "2027-11-07T01:50:00", channel="x")
    text = plan_text(channel + posts, timezone="America/New_York", start="2027-11-07", end="2027-11-07")
    assert codes(text, ("CAD005",)) == [("CAD005", "x posts 'b' 20m after 'a', closer than min_spacing 1h")]


@pytest.mark.parametrize("cadence, message", [
    ('["0 9 30 2 *"]', "instagram's cadence '0 9 30 2 *' never fires between 2027-01-04 and 2027-01-31"),
    ('["0 9 29 2 *"]', "instagram's cadence '0 9 29 2 *' never fires between 2027-01-04 and 2027-01-31"),  # 2027 has no leap day
    ('["0 9 31 4,6 *"]', "instagram's cadence '0 9 31 4,6 *' never fires between 2027-01-04 and 2027-01-31"),
    ('["0 10 * * MON", "0 9 1 2 *"]', "instagram's cadence '0 9 1 2 *' never fires between 2027-01-04 and 2027-01-31"),  # February: after the end
    ("[]", "instagram's cadence is an empty list: it asks for no post (leave the key out to promise none)"),
])
def test_a_cadence_that_never_fires_in_the_horizon_is_cad006(cadence, message):
    assert codes(plan_text(f"[channels.instagram]\ncadence = {cadence}\n"), ("CAD006",)) == [("CAD006", message)]


@pytest.mark.parametrize("cadence", ['["0 9 29 2 *"]', '["0 10 * * MON"]', '["0 10 L * *"]', '["0 10 * * 1#1"]'])
def test_a_cadence_that_fires_in_the_horizon_or_none_at_all_is_not_cad006(cadence):
    leap = plan_text(f"[channels.instagram]\ncadence = {cadence}\n", start="2028-01-03", end="2028-03-31")
    assert codes(leap, ("CAD006",)) == []
    assert codes(plan_text("[channels.instagram]\nowner = \"rina\"\n"), ("CAD006",)) == []


def test_cad006_judges_nth_weekdays_and_last_days_over_the_horizon():
    channel = '[channels.instagram]\ncadence = ["0 9 * 2 TUE#5", "0 9 LW 2 *"]\n'
    assert codes(plan_text(channel, start="2027-01-04", end="2027-03-31"), ("CAD006",)) == [
        ("CAD006", "instagram's cadence '0 9 * 2 TUE#5' never fires between 2027-01-04 and 2027-03-31")  # four Tuesdays
    ]
    assert codes(plan_text(channel, start="2028-01-03", end="2028-03-31"), ("CAD006",)) == []  # Tuesday the 29th
