"""Strategy rules (PLN): targets to aim at, a rhythm of review, a backup of ideas, a horizon, realistic hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

from balance.capacity import format_hours, loads, monday
from balance.context import Context, when
from balance.diagnostic import Finding
from balance.rule import rule
from balance.text import counted
from planner.days_off import BlackoutIndex, span

NEXT_DAYS = 14


@rule("PLN001", "no-goals", "warning")
def no_goals(ctx: Context) -> Iterator[Finding]:
    """The plan has no goal with a metric, a target and a date, or a goal lacks one of them.

    Why: without a measurable target nobody can tell whether the plan works; set what to
    reach (followers, reach, engagement rate, clicks, sales) and by when.

    Example::

        [[goal]]
        metric = "followers"
        target = 5000
        # no "by" ->
        # PLN001 goal "followers" has no date (by); a goal needs a metric, a target and a date

    Options: ``[[goal]]`` tables with ``metric``, ``target``, ``by`` (and ``channel``).
    """
    goals = ctx.plan.goals
    for goal in goals:
        missing = [name for name, value in (("metric", goal.metric), ("target", goal.target), ("date (by)", goal.by)) if value is None]
        if missing:
            yield Finding(
                message=f"goal {goal.metric or goal.index + 1!r} has no {' or '.join(missing)}; a goal needs a metric, a target and a date",
                where=("goal", goal.index),
                key=f"goal{goal.index}",
            )
    if not goals:
        yield Finding(
            message="the plan has no [[goal]]; add one with a metric, a target and a date (by)",
            where=("plan",),
            key="no-goal",
        )


@rule("PLN002", "no-review", "warning")
def no_review(ctx: Context) -> Iterator[Finding]:
    """The plan has no review cadence.

    Why: results need regular evaluation to improve tactics; a plan nobody reviews repeats
    its mistakes.

    Example::

        [review]
        cadence = "0 16 * * FRI"   # Friday afternoons
        # missing ->
        # PLN002 the plan has no [review] cadence; add one, e.g. cadence = "0 16 * * FRI"

    Options: ``[review] cadence``: one or more cron expressions.
    """
    if not ctx.plan.review:
        yield Finding(
            message='the plan has no [review] cadence; add one, e.g. cadence = "0 16 * * FRI"',
            where=("review",) if ctx.plan.locate(("review",)) != (1, 1) else ("plan",),
            key="no-review",
        )


@rule("PLN003", "thin-backlog", "warning", uses_today=True)
def thin_backlog(ctx: Context) -> Iterator[Finding]:
    """Fewer backlog ideas can fill gaps than there are open slots in the next two weeks.

    Why: a backup plan of evergreen ideas keeps the account consistent when a planned post
    falls through; without one, a gap stays a gap.

    Open slots are CAD001's gaps from today (or the range's start, if later) for 14 days.
    An idea counts when it fits at least one of them (channel, cooldown, mix; see
    ``cadence suggest``).

    Example::

        # 4 open slots next week, 1 idea that fits ->
        # PLN003 4 open slots in 2027-01-05..2027-01-18 but only 1 backlog idea can fill them

    Options: ``[[backlog]]`` ideas with ``kind``, ``channels`` and ``cooldown``.
    """
    start = max(ctx.today, ctx.first)
    end = min(start + timedelta(days=NEXT_DAYS - 1), ctx.last)
    suggester = ctx.suggester
    open_slots = [
        (ts, channel)
        for channel, gaps in ctx.gaps.items()
        for ts in gaps
        if start <= ctx.local(ts).date() <= end
    ]
    if not open_slots:
        return
    usable = {idea.id for ts, channel in open_slots for idea in suggester.candidates(channel, ts)}
    if len(usable) >= len(open_slots):
        return
    first_gap = ctx.local(min(open_slots)[0])
    yield Finding(
        message=(
            f"{counted(len(open_slots), 'open slot')} in {start}..{end} but only "
            f"{counted(len(usable), 'backlog idea')} can fill them"
        ),
        where=("backlog", 0) if ctx.plan.backlog else ("plan",),
        key=f"backlog@{start}",
        day=first_gap.date(),
        suggestions=(
            f"add {len(open_slots) - len(usable)} evergreen idea(s) to [[backlog]]; the first gap is {when(first_gap)}",
            *(f"usable now: {idea_id}" for idea_id in sorted(usable)),
        ),
    )


@rule("PLN004", "outside-horizon", "warning")
def outside_horizon(ctx: Context) -> Iterator[Finding]:
    """A post lies outside the plan's horizon, ``[plan] start..end``.

    Why: every other rule looks only inside the horizon, so a post before its start or after
    its end (a typo in a year, an import from last quarter) would hide there unchecked.

    Skipped posts count too: they are still in the file. The local day of the post is
    compared, so a post at 23:30 on the last day is inside.

    Example::

        [plan]
        end = 2027-01-31
        [[post]]
        at = 2028-01-12T10:00:00   # a year too late ->
        # PLN004 post ig-latte is on 2028-01-12, after the plan's end 2027-01-31; move it, or widen [plan] end

    Options: ``[plan] start`` and ``end``; ``cadence import --extend`` widens them.
    """
    plan = ctx.plan
    for post in plan.posts:
        if post.day < plan.start:
            side, bound, key = "before the plan's start", plan.start, "start"
        elif post.day > plan.end:
            side, bound, key = "after the plan's end", plan.end, "end"
        else:
            continue
        yield Finding.about(post, f"post {post.id} is on {post.day}, {side} {bound}; move it, or widen [plan] {key}", field="at")


@rule("PLN005", "over-capacity", "warning")
def over_capacity(ctx: Context) -> Iterator[Finding]:
    """An owner's posts in an ISO week need more hours than ``[team.NAME] hours`` gives them.

    Why: a dedicated team needs realistic hours (about six a week for one person doing
    social media); a week planned beyond them ends in rushed or skipped posts.

    A post needs its kind's ``effort`` and belongs to its ``owner``, or to its channel's
    owner. Skipped posts need nothing; kinds without ``effort`` count as none. The finding
    sits at the post that takes the owner over their hours. Weeks that touch the checked
    range are counted whole.

    Example::

        [team.rina]
        hours = 6
        [kinds.tip]
        effort = "2h"
        # four tips for rina in one week ->
        # PLN005 rina's posts in 2027-W01 need 8h, 2h over their 6h a week (4 posts)

    Options: per member, ``hours`` (a week); per kind, ``effort`` (a duration).
    """
    plan = ctx.plan
    if not plan.hours:
        return
    first, last = monday(ctx.first), monday(ctx.last) + timedelta(days=6)
    posts = {post.id: post for post in ctx.history if first <= post.day <= last}
    for load in loads(plan, posts.values()).values():
        if not load.over:
            continue
        week_posts = [posts[post_id] for post_id in load.post_ids]
        needed, crossing = 0.0, week_posts[-1]
        for post in week_posts:
            effort = plan.kinds[post.kind].effort
            needed += effort.total_seconds() / 3600 if effort else 0
            if needed > load.hours:
                crossing = post
                break
        count = len(week_posts)
        yield Finding(
            message=(
                f"{load.owner}'s posts in {load.week} need {format_hours(load.needed)}, "
                f"{format_hours(load.needed - load.hours)} over their {format_hours(load.hours)} a week "
                f"({counted(count, 'post')})"
            ),
            where=("post", crossing.index),
            key=f"{load.owner}@{load.week}",
            at=crossing.at,
            day=crossing.day,
            post_ids=load.post_ids,
            suggestions=(f"move a post to another week, give one to someone else, or raise [team.{load.owner}] hours",),
        )


@rule("PLN006", "in-blackout", "error")
def in_blackout(ctx: Context) -> Iterator[Finding]:
    """A post falls on a day of a ``[[blackout]]`` that covers its channel and kind.

    Why: some days call for silence, or for no selling: a national day of mourning, Nyepi,
    a crisis at the company. A post scheduled long before is easy to forget; this keeps it
    from going out, and the message gives the blackout's reason.

    Days are local days of the plan's time zone, ``from`` to ``to`` inclusive. A blackout
    names ``channels`` and ``kinds`` (kind names or the flags useful, promotional,
    conversation) to cover only those; without them it covers every channel or kind. A
    blackout that covers a channel for every kind also takes its cadence slots away, so
    CAD001 does not ask for a post there. Skipped posts are never in a blackout: skipping a
    post is how to keep it in the file. A post in several blackouts gets one finding, naming
    the one that lasts longest after it.

    Example::

        [[blackout]]
        from = 2027-03-08
        reason = "Nyepi: no promotion"
        kinds = ["promotional"]
        # a promotion at 2027-03-08T10:00:00 ->
        # PLN006 post ig-promo on Mon 2027-03-08 falls in a blackout (2027-03-08): Nyepi: no promotion

    Options: ``[[blackout]]`` tables with ``from``, ``to``, ``reason``, ``channels``, ``kinds``.
    """
    plan = ctx.plan
    if not plan.blackouts:
        return
    blackouts = BlackoutIndex(plan)
    for post in ctx.posts:
        if (blackout := blackouts.covering(post.day, post.channel, plan.kinds[post.kind])) is not None:
            yield Finding(
                message=f"post {post.id} on {post.day:%a %Y-%m-%d} falls in a blackout ({span(blackout.first, blackout.last)}): {blackout.reason}",
                where=("post", post.index, "at"),
                key=f"{post.id}@blackout",
                channel=post.channel,
                at=post.at,
                day=post.day,
                post_ids=(post.id,),
                suggestions=('move it out of the blackout, or set its status to "skipped"',),
            )
