"""Outcome rules (OUT): the plan judged against what the outcomes store recorded.

They run only when the plan's store (``.cadence/outcomes.db`` beside it, ``[plan]
outcomes``, or ``--db``) has records of the plan; without any they are silent, since nothing
was recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

from balance.context import Context, when
from balance.diagnostic import Finding
from balance.goals import goal_progress, is_overdue
from balance.rule import Option, rule


def _figure(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


@rule(
    "OUT001",
    "flat-followers",
    "warning",
    options=(
        Option("flat_window", "duration", "28d", "how far back OUT001 looks for follower growth"),
        Option("flat_growth", "number", 0.01, "growth over flat_window below this share fires OUT001"),
    ),
    uses_today=True,
)
def flat_followers(ctx: Context) -> Iterator[Finding]:
    """A channel's recorded followers grew by less than ``flat_growth`` over ``flat_window``.

    Why: followers that stay flat for weeks say the content no longer reaches new people;
    rethink the tactics (formats, times, collaborations) rather than posting more of the same.

    The latest follower record in the checked range is compared with the last record at least
    ``flat_window`` older; a channel without records that far apart is not judged.

    Example::

        $ cadence metrics plan.toml instagram followers 3200 --on 2027-01-04
        $ cadence metrics plan.toml instagram followers 3210 --on 2027-02-01
        # ->
        # OUT001 instagram followers grew 0.3% in 28 days (3,200 to 3,210); under 1%: rethink tactics

    Options: ``flat_window`` (default "28d"), ``flat_growth`` (default 0.01, that is 1%).
    """
    if ctx.outcomes is None:
        return
    window, floor = ctx.settings["flat_window"], ctx.settings["flat_growth"]
    for name in ctx.plan.channels:
        series = [(day, value) for day, value in ctx.outcomes.series(name) if ctx.first <= day <= min(ctx.last, ctx.today)]
        if not series:
            continue
        day, value = series[-1]
        earlier = [(d, v) for d, v in series if d <= day - window]
        if not earlier or earlier[-1][1] <= 0:
            continue
        since, before = earlier[-1]
        growth = (value - before) / before
        if growth < floor:
            yield Finding(
                message=(
                    f"{name} followers grew {growth:.1%} in {(day - since).days} days ({_figure(before)} to {_figure(value)}); "
                    f"under {floor:.0%}: rethink tactics"
                ),
                where=("channels", name),
                key=f"{name}:{day}",
                channel=name,
                day=day,
            )


@rule(
    "OUT002",
    "follower-spike",
    "warning",
    options=(Option("spike_growth", "number", 0.2, "a one-day rise in followers above this share fires OUT002"),),
)
def follower_spike(ctx: Context) -> Iterator[Finding]:
    """A channel's followers rose by more than ``spike_growth`` from one day to the next.

    Why: a sudden jump in followers is more often bought or fake accounts than a post gone
    viral; fake followers do not engage and drag the engagement rate down. Look at where the
    new followers came from before celebrating.

    Only records on consecutive days inside the plan's horizon are compared, so a week without
    records is no spike.

    Example::

        $ cadence metrics plan.toml instagram followers 3300 --on 2027-01-11
        $ cadence metrics plan.toml instagram followers 4400 --on 2027-01-12
        # ->
        # OUT002 instagram followers jumped 33.3% in a day (3,300 to 4,400 on 2027-01-12); check they are real accounts

    Options: ``spike_growth`` (default 0.2, that is 20%).
    """
    if ctx.outcomes is None:
        return
    ceiling = ctx.settings["spike_growth"]
    for name in ctx.plan.channels:
        series = ctx.outcomes.series(name)
        for (before_day, before), (day, value) in zip(series, series[1:]):
            if not ctx.first <= day <= ctx.last or before_day < ctx.plan.start or day - before_day != timedelta(days=1) or before <= 0:
                continue
            rise = (value - before) / before
            if rise > ceiling:
                yield Finding(
                    message=(
                        f"{name} followers jumped {rise:.1%} in a day ({_figure(before)} to {_figure(value)} on {day}); "
                        "check they are real accounts"
                    ),
                    where=("channels", name),
                    key=f"{name}:{day}",
                    channel=name,
                    day=day,
                )


@rule(
    "OUT003",
    "behind-goal",
    "warning",
    options=(Option("goal_margin", "number", 0.0, "share of the target a goal may lag its path before OUT003 fires"),),
    uses_today=True,
)
def behind_goal(ctx: Context) -> Iterator[Finding]:
    """A goal's latest recorded figure is below the straight-line path from its start to its target.

    Why: a target is only useful if progress is measured against it while there is time to
    change course; halfway to the date, the figure should be about halfway to the target.

    The path starts at the goal's ``baseline`` on the plan's first day (else at its first
    record: a goal with one record and no baseline is on its path) and ends at ``target`` on
    ``by``. The figures are the channel's records of the goal's metric (a goal without a
    channel reads the channel ``plan``). The message says when the current trend (the
    least-squares line through the records) reaches the target.

    Example::

        [[goal]]
        metric = "followers"
        channel = "instagram"
        target = 5000
        baseline = 3200
        by = 2027-03-31
        # records: 3,300 on 2027-01-31 ->
        # OUT003 goal followers 5,000 on instagram by 2027-03-31: 3,300 on 2027-01-31, the path is at 3,800; at this trend it reaches 5,000 on 2027-09-14

    Options: ``goal_margin`` (default 0.0: any shortfall fires).
    """
    if ctx.outcomes is None:
        return
    margin = ctx.settings["goal_margin"]
    for goal in ctx.plan.goals:
        progress = goal_progress(ctx.plan, goal, ctx.outcomes, min(ctx.today, ctx.last))
        if progress is None or progress.behind <= margin * abs(goal.target):
            continue
        trend = f"at this trend it reaches {_figure(goal.target)} on {progress.reaches}" if progress.reaches else "at this trend it never reaches it"
        on = f" on {goal.channel}" if goal.channel else ""
        yield Finding(
            message=(
                f"goal {goal.metric} {_figure(goal.target)}{on} by {goal.by}: {_figure(progress.value)} on {progress.day}, "
                f"the path is at {_figure(progress.expected)}; {trend}"
            ),
            where=("goal", goal.index),
            key=f"goal{goal.index}",
            channel=goal.channel,
            day=progress.day,
        )


@rule(
    "OUT004",
    "planned-not-published",
    "warning",
    options=(Option("publish_grace", "duration", "1d", "how long after its time a post may go without a publication record"),),
    uses_today=True,
)
def planned_not_published(ctx: Context) -> Iterator[Finding]:
    """A planned post's time has passed and the store has no record that it was published.

    Why: a plan is only as good as its execution; posts that were planned but never went out
    are the gaps followers actually see. Log each publication (``cadence log``), or mark the
    post ``skipped`` if it was dropped on purpose.

    A post counts as overdue once its local day plus ``publish_grace`` is before today.

    Example::

        [[post]]
        id = "ig-latte-art"
        at = 2027-01-04T10:00:00
        status = "published"
        # no `cadence log plan.toml ig-latte-art` by 2027-01-06 ->
        # OUT004 ig-latte-art was planned for Mon 2027-01-04 10:00 on instagram and has no publication record

    Options: ``publish_grace`` (default "1d").
    """
    if ctx.outcomes is None:
        return
    grace = ctx.settings["publish_grace"]
    for post in ctx.posts:
        if not is_overdue(post, ctx.outcomes, ctx.today, grace):
            continue
        yield Finding(
            message=f"{post.id} was planned for {when(post.at)} on {post.channel} and has no publication record",
            where=("post", post.index),
            key=post.id,
            channel=post.channel,
            at=post.at,
            day=post.day,
            post_ids=(post.id,),
        )
