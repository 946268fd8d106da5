"""PLN005 over-capacity, PUB008 kind-not-on-channel and the owners' weekly load beyond their fixtures."""

from datetime import date

from balance.capacity import format_hours, weekly_load
from balance.registry import vocabulary
from planner.loader import plan_from_text
from tests.conftest import check_text, plan_text, post_toml

TEAM = """\
[channels.instagram]
owner = "rina"

[channels.tiktok]
owner = "andi"
kinds = ["tip", "question"]

[team.rina]
hours = 2

[team.andi]
hours = 1

[team.dewi]
hours = 6

"""


def with_effort(body: str) -> str:
    text = plan_text(TEAM + body, start="2027-01-04", end="2027-01-31")
    return text.replace("[kinds.tip]\n", '[kinds.tip]\neffort = "45m"\n').replace("[kinds.promo]\n", '[kinds.promo]\neffort = "1h"\n')


def found(text: str, code: str, **options) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in check_text(text, select=(code,), **options)]


def test_pln005_sums_a_week_and_sits_at_the_post_that_goes_over():
    posts = "".join(post_toml(f"p{n}", f"2027-01-0{4 + n}T10:00:00") for n in range(3))  # Mon..Wed, 45m each
    text = with_effort(posts)
    crossing_line = text.splitlines().index('id = "p2"')  # the header is the line before, 1-based
    assert found(text, "PLN005") == [(crossing_line, "rina's posts in 2027-W01 need 2h15m, 15m over their 2h a week (3 posts)")]


def test_pln005_counts_the_channel_owner_skips_skipped_posts_and_unestimated_kinds():
    posts = (
        post_toml("a", "2027-01-04T10:00:00", channel="tiktok", kind="tip")
        + post_toml("b", "2027-01-05T10:00:00", channel="tiktok", kind="question")  # no effort
        + post_toml("c", "2027-01-06T10:00:00", channel="tiktok", kind="tip", status='"skipped"')
    )
    assert found(with_effort(posts), "PLN005") == []
    more = posts + post_toml("d", "2027-01-10T22:00:00", channel="tiktok", kind="tip")  # Sunday night, same ISO week
    assert [message for _, message in found(with_effort(more), "PLN005")] == [
        "andi's posts in 2027-W01 need 1h30m, 30m over their 1h a week (3 posts)"
    ]
    other_owner = more.replace('kind = "tip"\ntitle = "Post d"', 'kind = "tip"\ntitle = "Post d"\nowner = "dewi"')
    assert found(with_effort(other_owner), "PLN005") == []


def test_pln005_counts_whole_weeks_at_the_edges_of_the_range():
    posts = "".join(post_toml(f"p{n}", f"2027-01-1{n}T10:00:00", kind="promo") for n in range(1, 4))  # Mon..Wed, 1h each
    text = with_effort(posts)
    assert len(found(text, "PLN005", first=date(2027, 1, 13), last=date(2027, 1, 13))) == 1
    assert found(text, "PLN005", first=date(2027, 1, 18), last=date(2027, 1, 31)) == []


def test_pln005_quiet_without_hours():
    posts = "".join(post_toml(f"p{n}", f"2027-01-0{4 + n}T10:00:00") for n in range(5))
    assert found(plan_text('[channels.instagram]\n\n' + posts), "PLN005") == []


def test_weekly_load_lists_everyone_with_hours_and_each_owner_with_posts():
    posts = (
        post_toml("a", "2027-01-04T10:00:00")
        + post_toml("b", "2027-01-05T10:00:00", kind="question")
        + post_toml("c", "2027-01-06T10:00:00", channel="tiktok", kind="promo")
        + post_toml("next-week", "2027-01-11T10:00:00")
    )
    plan = plan_from_text(with_effort(posts), "plan.toml", vocabulary())
    rows = [(load.owner, load.week, load.hours, load.needed, load.post_ids, load.unestimated, load.over) for load in weekly_load(plan, date(2027, 1, 7))]
    assert rows == [
        ("andi", "2027-W01", 1.0, 1.0, ("c",), 0, False),
        ("dewi", "2027-W01", 6.0, 0.0, (), 0, False),
        ("rina", "2027-W01", 2.0, 0.75, ("a", "b"), 1, False),
    ]


def test_format_hours():
    assert [format_hours(h) for h in (6, 7.5, 0.75, 0)] == ["6h", "7h30m", "45m", "0h"]


def test_pub008_only_on_channels_that_name_their_kinds():
    posts = post_toml("ok", "2027-01-04T10:00:00", channel="instagram", kind="promo") + post_toml(
        "off", "2027-01-05T10:00:00", channel="tiktok", kind="promo"
    )
    assert [message for _, message in found(with_effort(posts), "PUB008")] == [
        "'off' is a promo post, and tiktok carries only tip, question"
    ]


def test_iso_weeks_are_local_weeks_across_a_clock_change():
    # Berlin springs forward on Sunday 2027-03-28: 23:30 that night is still week 12 locally
    # (21:30 UTC); 00:30 on Monday is week 13 though it is Sunday 22:30 in UTC.
    posts = "".join(
        post_toml(post_id, at, kind="promo")
        for post_id, at in (("sat", "2027-03-27T10:00:00"), ("sun-late", "2027-03-28T23:30:00"), ("mon-early", "2027-03-29T00:30:00"))
    )
    text = plan_text(TEAM + posts, timezone="Europe/Berlin", start="2027-03-22", end="2027-04-04")
    text = text.replace("[kinds.promo]\n", '[kinds.promo]\neffort = "1h"\n')
    plan = plan_from_text(text, "plan.toml", vocabulary())
    assert [(load.owner, load.week, load.post_ids) for load in weekly_load(plan, date(2027, 3, 28)) if load.post_ids] == [
        ("rina", "2027-W12", ("sat", "sun-late"))
    ]
    assert [(load.week, load.post_ids) for load in weekly_load(plan, date(2027, 3, 29)) if load.post_ids] == [("2027-W13", ("mon-early",))]
    assert check_text(text, select=("PLN005",)) == []  # 2h of posts in 2h a week is not over
    later = text.replace("2027-03-29T00:30:00", "2027-03-28T22:30:00")
    assert [d.message for d in check_text(later, select=("PLN005",))] == ["rina's posts in 2027-W12 need 3h, 1h over their 2h a week (3 posts)"]


def test_audience_spread_lists_every_audience_then_posts_naming_none():
    from balance.audience import audience_spread

    text = plan_text(
        post_toml("a", "2027-01-04T10:00:00", audience='"students"')
        + post_toml("b", "2027-01-05T10:00:00", audience='"students"')
        + post_toml("c", "2027-01-06T10:00:00")
        + post_toml("d", "2027-01-07T10:00:00", audience='"students"', status='"skipped"')
        + '[channels.instagram]\n'
    ).replace('end = 2027-01-31\n', 'end = 2027-01-31\naudiences = ["students", "office-workers"]\n')
    plan = plan_from_text(text, "plan.toml", vocabulary())
    rows = [(row.audience, row.posts, row.share) for row in audience_spread(plan, plan.posts)]
    assert rows == [("students", 2, 2 / 3), ("office-workers", 0, 0.0), (None, 1, 1 / 3)]
    assert [(row.audience, row.share) for row in audience_spread(plan, [])] == [("students", None), ("office-workers", None)]
