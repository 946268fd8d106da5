"""MIX001-MIX004 beyond their fixtures: window semantics, stretches, flags, thresholds."""

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from balance.mix import window_counts

from tests.conftest import check_text, plan_text, post_toml

CHANNELS = '[channels.instagram]\nowner = "rina"\nmin_spacing = "1m"\n\n[channels.x]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'


def posts(kinds: str, channel: str = "instagram", start_day: int = 4) -> str:
    """One post a day from 2027-01-<start_day>, kinds by letter: t tip, p promo, q question."""
    names = {"t": "tip", "p": "promo", "q": "question"}
    return "".join(
        post_toml(f"{channel}-{i}", f"2027-01-{start_day + i:02d}T10:00:00", channel=channel, kind=names[k], link='"https://x.example"')
        for i, k in enumerate(kinds)
    )


def mix(text: str, codes=("MIX",)) -> list[str]:
    return [d.message for d in check_text(text, select=codes)]


def test_one_promo_out_of_one_post_is_not_judged():
    assert mix(plan_text(CHANNELS + posts("p"), end="2027-01-17"), ("MIX001",)) == []


def test_a_share_is_judged_from_min_posts_and_reported_once_per_stretch():
    found = mix(plan_text(CHANNELS + posts("tpttptpttq"), end="2027-01-17"), ("MIX001",))
    # windows ending 2027-01-08..2027-01-17 all break it: one finding, with the worst window
    assert found == ["promotional posts is 43% of instagram posts in 2027-01-04..2027-01-10 (3 of 7), max 25%"]


def test_flag_groups_and_kind_limits_can_be_mixed():
    text = plan_text(CHANNELS + "[balance]\nmax_share = { promo = 0.5, useful = 0.9 }\n\n" + posts("tttttt"), end="2027-01-17")
    assert mix(text, ("MIX001",)) == ["useful posts is 100% of instagram posts in 2027-01-04..2027-01-08 (5 of 5), max 90%"]


def test_plan_wide_mix_is_judged_when_there_are_several_channels():
    # each channel alone stays under min_posts; together they break the share
    text = plan_text(CHANNELS + posts("ppt") + posts("ttp", channel="x"), end="2027-01-17")
    assert mix(text, ("MIX001",)) == ["promotional posts is 50% of the plan's posts in 2027-01-04..2027-01-06 (3 of 6), max 25%"]


def test_windows_reach_back_before_the_checked_range():
    text = plan_text(CHANNELS + posts("ppttt"), end="2027-01-31")
    assert [d.message for d in check_text(text, select=("MIX001",), first=date(2027, 1, 8))] == [
        "promotional posts is 40% of instagram posts in 2027-01-04..2027-01-08 (2 of 5), max 25%"
    ]


def test_min_share_names_the_figures():
    text = plan_text(CHANNELS + "[balance]\nmin_share = { tip = 0.5 }\n\n" + posts("tqqqq"), end="2027-01-17")
    assert mix(text, ("MIX002",)) == ["tip is 20% of instagram posts in 2027-01-04..2027-01-08 (1 of 5), min 50%"]


def test_streaks_are_per_channel_and_skipped_posts_break_nothing():
    promo = {"kind": "promo", "link": '"https://x.example"'}
    across = "".join(
        post_toml(post_id, f"2027-01-{day}T10:00:00", channel=channel, **promo)
        for post_id, day, channel in (("a", "04", "instagram"), ("b", "05", "instagram"), ("c", "06", "x"), ("d", "07", "instagram"))
    )
    text = plan_text(CHANNELS + across, end="2027-01-17")
    assert mix(text, ("MIX003",)) == ["3 promotional posts in a row on instagram, max_streak 2: a, b, d"]
    three = plan_text(CHANNELS + posts("ppp"), end="2027-01-17")
    assert mix(three, ("MIX003",)) == ["3 promotional posts in a row on instagram, max_streak 2: instagram-0, instagram-1, instagram-2"]
    skipped = three.replace('kind = "promo"\ntitle = "Post instagram-1"', 'kind = "promo"\ntitle = "Post instagram-1"\nstatus = "skipped"')
    assert mix(skipped, ("MIX003",)) == []


def test_one_way_needs_a_whole_window_inside_the_horizon():
    short = plan_text(CHANNELS + posts("tttttttt"), end="2027-01-12")
    assert mix(short, ("MIX004",)) == []  # no 14-day window fits in 9 days
    long = plan_text(CHANNELS + posts("tttttttttttttt"), end="2027-01-17")
    assert mix(long, ("MIX004",)) == ["instagram has 0 conversation posts in 2027-01-04..2027-01-17 (of 14), min 2"]


def test_window_and_min_posts_are_settings():
    text = plan_text(CHANNELS + "[balance]\nwindow = \"3d\"\nmin_posts = 3\n\n" + posts("tpttttpt"), end="2027-01-17")
    assert mix(text, ("MIX001",)) == [
        "promotional posts is 33% of instagram posts in 2027-01-04..2027-01-06 (1 of 3), max 25%",
        "promotional posts is 33% of instagram posts in 2027-01-08..2027-01-10 (1 of 3), max 25%",
    ]


@given(
    days=st.lists(st.integers(0, 60), max_size=40),
    first=st.integers(0, 60),
    span=st.integers(0, 40),
    size=st.integers(1, 21),
)
def test_sliding_windows_match_counting_from_scratch(days, first, span, size):
    base = date(2027, 1, 1)
    posts = [SimpleNamespace(day=base + timedelta(days=d), kind="tip" if d % 3 else "promo") for d in days]
    start, end = base + timedelta(days=first), base + timedelta(days=first + span)
    groups = {"tip": frozenset({"tip"}), "promo": frozenset({"promo"}), "both": frozenset({"tip", "promo"})}
    counted = window_counts(posts, start, end, size, groups)
    seen = {
        date.fromordinal(last): ({key: counted.counts[key][index] for key in groups}, counted.totals[index])
        for index, last in enumerate(counted.ends)
    }
    assert counted.ends == sorted(counted.ends) and counted.ends[:1] == [start.toordinal()]
    previous = None
    for offset in range(span + 1):
        day = start + timedelta(days=offset)
        inside = [p for p in posts if day - timedelta(days=size - 1) <= p.day <= day]
        expected = ({key: sum(p.kind in kinds for p in inside) for key, kinds in groups.items()}, len(inside))
        got = seen.get(day, previous)  # days not yielded hold the same posts as the one before
        assert got == expected
        previous = got



def test_a_preset_sets_the_limits_of_its_practice():
    # 2 promotions in 8 posts: a quarter, which the default allows and 80-20 does not
    text = plan_text(CHANNELS + '[balance]\npreset = "80-20"\n\n' + posts("ttpttttp"), end="2027-01-17")
    assert mix(text.replace('preset = "80-20"', ""), ("MIX001",)) == []
    assert mix(text, ("MIX001",)) == ["promotional posts is 25% of instagram posts in 2027-01-04..2027-01-11 (2 of 8), max 20%"]
    assert mix(text.replace("80-20", "4-1-1"), ("MIX001", "MIX002", "MIX003")) == [  # 1 in 6 is the limit itself
        "promotional posts is 20% of instagram posts in 2027-01-04..2027-01-08 (1 of 5), max 17%",
        "promotional posts is 25% of instagram posts in 2027-01-04..2027-01-11 (2 of 8), max 17%",
    ]
    assert set(mix(plan_text(CHANNELS + '[balance]\npreset = "4-1-1"\n\n' + posts("tqtpp"), end="2027-01-17"), ("MIX001", "MIX002", "MIX003"))) == {
        "promotional posts is 40% of instagram posts in 2027-01-04..2027-01-08 (2 of 5), max 17%",
        "useful posts is 40% of instagram posts in 2027-01-04..2027-01-08 (2 of 5), min 67%",
        "2 promotional posts in a row on instagram, max_streak 1: instagram-3, instagram-4",
    }
    thirds = plan_text(CHANNELS + '[balance]\npreset = "thirds"\n\n' + posts("tqptqptqp"), end="2027-01-17")
    assert mix(thirds, ("MIX001", "MIX002", "MIX003")) == []
    thin = plan_text(CHANNELS + '[balance]\npreset = "thirds"\n\n' + posts("qptqqqqtq"), end="2027-01-17")
    assert mix(thin, ("MIX001", "MIX002")) == [
        "useful posts is 14% of instagram posts in 2027-01-04..2027-01-10 (1 of 7), min 33%",
    ]


def test_the_plans_own_keys_win_over_its_preset():
    text = plan_text(CHANNELS + '[balance]\npreset = "4-1-1"\nmax_share = { promotional = 0.5 }\n\n' + posts("ttpttttp"), end="2027-01-17")
    assert mix(text, ("MIX001",)) == []
    with_own_min = text.replace("0.5 }", "0.5 }\nmin_share = { question = 0.1 }")
    assert mix(with_own_min, ("MIX002",)) == [  # the preset's useful limit stays beside the plan's own
        "question is 0% of instagram posts in 2027-01-04..2027-01-08 (0 of 5), min 10%",
    ]
