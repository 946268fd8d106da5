"""The report's data: weeks, mix, engagement, followers, goals and ranked posts, from a plan and its records."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from balance.capacity import iso_week
from balance.report import build_report
from balance.report_render import sparkline
from planner.loader import plan_from_text
from planner.outcomes import Outcomes, PostMetrics, Publication
from tests.conftest import plan_text, post_toml

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON,THU"]\n\n'


def published(*post_ids: str) -> dict[str, Publication]:
    return {post_id: Publication(post_id, "instagram", datetime(2027, 1, 4, tzinfo=timezone.utc)) for post_id in post_ids}


def test_weeks_count_slots_filled_planned_published_and_missed():
    plan = plan_from_text(plan_text(
        CHANNEL
        + post_toml("mon", "2027-01-04T10:00:00")
        + post_toml("thu", "2027-01-07T10:30:00", kind="question")
        + post_toml("extra", "2027-01-08T18:00:00", kind="promo", link='"https://x.example"')
        + post_toml("next", "2027-01-11T10:00:00")
        + post_toml("dropped", "2027-01-14T10:00:00", status='"skipped"'),
        end="2027-01-17",
    ), "plan.toml")
    outcomes = Outcomes(publications=published("mon", "extra"))
    report = build_report(plan, outcomes, today=date(2027, 1, 12))
    [channel] = report.channels
    first, second = channel.weeks
    assert (first.week, first.first, first.last) == ("2027-W01", date(2027, 1, 4), date(2027, 1, 10))
    assert (first.slots, first.filled, first.planned, first.published, first.missed) == (2, 2, 3, 2, 1)  # thu: past, unlogged
    assert (second.slots, second.filled, second.planned, second.published, second.missed) == (2, 1, 1, 0, 0)  # next (Mon): in its day of grace
    assert (channel.total.slots, channel.total.published, channel.total.missed) == (4, 2, 1)
    shares = {share.name: share for share in channel.mix}
    assert shares["tip"].share == 0.5 and shares["promo"].share == 0.5
    assert shares["promotional"].within and not shares["promotional"].judged  # 2 posts: fewer than min_posts


@pytest.mark.parametrize("min_posts, judged", [(None, False), (3, True)])
def test_the_report_judges_the_mix_published_as_check_judges_a_window(min_posts, judged):
    from balance.engine import CheckOptions, run
    from balance.report_render import render_text

    setting = f"[balance]\nmin_posts = {min_posts}\n\n" if min_posts else ""
    plan = plan_from_text(plan_text(
        setting + CHANNEL
        + post_toml("tip", "2027-01-04T10:00:00")
        + post_toml("promo", "2027-01-05T10:00:00", kind="promo", link='"https://x.example"')
        + post_toml("ask", "2027-01-06T10:00:00", kind="question"),
        end="2027-01-10",
    ), "plan.toml")
    outcomes = Outcomes(publications=published("tip", "promo", "ask"))
    report = build_report(plan, outcomes, today=date(2027, 1, 12))
    shares = {share.name: share for share in report.channels[0].mix}
    check = {finding.code for finding in run(plan, CheckOptions(select=("MIX001", "MIX002")), date(2027, 1, 12), outcomes)}
    assert shares["promotional"].judged is judged and shares["promotional"].within is not judged
    assert (check == {"MIX001", "MIX002"}) is judged  # a third promotional, a third useful: both limits broken once judged
    mix = next(line for line in render_text(report).splitlines() if "mix published" in line)
    if judged:
        assert mix == "  mix published: tip 33% · promo 33% · question 33% · promotional 33% (max 25%) ✗ · useful 33% (min 40%) ✗"
    else:
        assert mix == (
            "  mix published: tip 33% · promo 33% · question 33% · promotional 33% (max 25%) · useful 33% (min 40%); "
            "not judged: 3 posts, fewer than min_posts (5)"
        )


def test_published_and_missed_are_what_out004_says(tmp_path):
    from balance.engine import CheckOptions, run

    plan = plan_from_text(plan_text(
        CHANNEL
        + post_toml("logged", "2027-01-04T10:00:00")
        + post_toml("marked", "2027-01-05T10:00:00", status='"published"')  # with a store, the record decides
        + post_toml("late", "2027-01-07T10:00:00")
        + post_toml("grace", "2027-01-11T10:00:00"),  # yesterday: still within publish_grace
        end="2027-01-17",
    ), "plan.toml")
    outcomes = Outcomes(publications=published("logged"))
    today = date(2027, 1, 12)
    total = build_report(plan, outcomes, today).channels[0].total
    flagged = {finding.key for finding in run(plan, CheckOptions(), today, outcomes) if finding.code == "OUT004"}
    assert (total.published, total.missed) == (1, 2) and flagged == {"marked", "late"}


def test_a_post_marked_published_counts_without_a_store():
    plan = plan_from_text(plan_text(CHANNEL + post_toml("mon", "2027-01-04T10:00:00", status='"published"'), end="2027-01-10"), "plan.toml")
    report = build_report(plan, None, today=date(2027, 1, 12))
    assert not report.store
    assert report.channels[0].total.published == 1


def test_weeks_follow_local_days_across_a_daylight_saving_change():
    text = plan_text('[channels.blog]\ncadence = ["30 2 * * *"]\n\n', timezone="Europe/Berlin", start="2027-03-22", end="2027-04-04")
    report = build_report(plan_from_text(text, "plan.toml"), None, today=date(2027, 3, 1))
    assert [(week.week, week.slots) for week in report.channels[0].weeks] == [("2027-W12", 7), ("2027-W13", 7)]  # 28 March: 02:30 is 03:30


def test_engagement_followers_goals_and_ranking():
    plan = plan_from_text(plan_text(
        CHANNEL
        + post_toml("a", "2027-01-04T10:00:00")
        + post_toml("b", "2027-01-07T10:00:00", kind="question")
        + post_toml("c", "2027-01-11T10:00:00")
        + post_toml("d", "2027-01-14T10:00:00")
        + post_toml("e", "2027-01-18T10:00:00", kind="question"),
        end="2027-01-24",
    ).replace("[kinds.tip]", '[[goal]]\nmetric = "followers"\nchannel = "instagram"\ntarget = 2000\nby = 2027-01-31\nbaseline = 1000\n\n[kinds.tip]'), "plan.toml")
    figures = {name: PostMetrics(name, date(2027, 1, 25), reach=100 * n, likes=likes, comments=comments)
               for n, (name, likes, comments) in enumerate((("a", 10, 1), ("b", 30, 9), ("c", 20, 2), ("d", 5, 0), ("e", 50, 20)), 1)}
    followers = [(date(2027, 1, 4), 1000.0), (date(2027, 1, 11), 1100.0), (date(2027, 1, 18), 1250.0)]
    outcomes = Outcomes(published("a", "b", "c", "d", "e"), figures, {("instagram", "followers"): followers})
    report = build_report(plan, outcomes, today=date(2027, 1, 25))
    [channel] = report.channels
    assert [(row.kind, row.posts, row.median) for row in channel.engagement] == [("question", 2, 54.5), ("tip", 3, 11.0)]
    assert (channel.followers.first, channel.followers.last, round(channel.followers.growth, 3)) == (1000.0, 1250.0, 0.25)
    [goal] = report.goals
    assert (goal.value, goal.day, goal.on_track) == (1250.0, date(2027, 1, 18), False)
    assert round(goal.expected) == round(1000 + 1000 * 14 / 27)
    assert goal.reaches is not None and goal.reaches > goal.by
    assert [post.post_id for post in report.top] == ["e", "b", "c"]
    assert [post.post_id for post in report.bottom] == ["d", "a"]  # lowest first, never a top post again


def test_iso_weeks_and_sparklines():
    assert iso_week(date(2027, 1, 3)) == "2026-W53" and iso_week(date(2027, 1, 4)) == "2027-W01"
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5]) == "▅▅" and sparkline([]) == ""


def test_a_goal_with_one_record_shows_it_and_is_not_judged():
    from balance.engine import CheckOptions, run
    from balance.report_render import RENDERERS

    goal = '[[goal]]\nmetric = "followers"\nchannel = "instagram"\ntarget = 2000\nby = 2027-01-31\n\n'
    plan = plan_from_text(plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00"), end="2027-01-24").replace("[kinds.tip]", goal + "[kinds.tip]"), "plan.toml")
    outcomes = Outcomes(published("a"), {}, {("instagram", "followers"): [(date(2027, 1, 11), 1100.0)]})
    [report_goal] = build_report(plan, outcomes, today=date(2027, 1, 25)).goals
    assert (report_goal.value, report_goal.day, report_goal.first_record, report_goal.on_track) == (1100.0, date(2027, 1, 11), True, None)
    rendered = {name: render(build_report(plan, outcomes, today=date(2027, 1, 25))) for name, render in RENDERERS.items()}
    line = "followers 2,000 on instagram by 2027-01-31: 1,100 on 2027-01-11, the first day of its path; a later record shows the progress"
    assert f"  {line}\n" in rendered["text"] and f"- … {line}\n" in rendered["md"] and line in rendered["html"]
    assert "nothing recorded yet" not in rendered["text"]
    assert [d for d in run(plan, CheckOptions(select=("OUT003",)), date(2027, 1, 25), outcomes)] == []
