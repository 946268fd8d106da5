"""Cadence rules (CAD): post consistently, without gaps, floods or a fade-out."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Iterator

from balance.context import Context, when
from balance.diagnostic import Finding, LazyHelp
from balance.rule import Option, rule
from balance.text import counted
from planner.cadence import quoted
from planner.days_off import channel_days_off
from planner.durations import format_duration, whole_days
from planner.model import Post


@rule("CAD001", "missed-slot", "error")
def missed_slot(ctx: Context) -> Iterator[Finding]:
    """A cadence slot of a channel has no post.

    Why: consistency is what keeps an account alive; an account that posts irregularly
    loses reach and followers. A channel's ``cadence`` lists cron expressions (in the plan's
    time zone) and every occurrence in the checked range is a slot that needs a post.

    A post on the channel within ``tolerance`` (default 3h) of a slot fills it; each post
    fills at most one slot, matched in one pass in time order (the earliest post that can
    fill a slot does). Skipped posts fill nothing. On daylight-saving days a slot keeps its
    wall-clock time; a time that does not exist moves forward by the gap.

    Example::

        [channels.instagram]
        cadence = ["0 10 * * MON,WED,FRI"]
        tolerance = "3h"
        # no post near Wed 2027-01-06 10:00 ->
        # CAD001 instagram has no post for its slot Wed 2027-01-06 10:00

    Options: per channel, ``cadence`` and ``tolerance``.
    """
    help_for = ctx.suggester.help_for if ctx.suggestions else None
    for name, gaps in ctx.gaps.items():
        tolerance = format_duration(ctx.plan.channels[name].tolerance)
        for slot in gaps:
            moment = ctx.local(slot)
            yield Finding(
                message=f"{name} has no post for its slot {when(moment)} (tolerance {tolerance})",
                where=("channels", name, "cadence"),
                key=f"{name}@{slot}",
                channel=name,
                at=moment,
                day=moment.date(),
                suggestions=LazyHelp(help_for, name, slot) if help_for else (),
            )


@rule(
    "CAD002",
    "overloaded-day",
    "warning",
    options=(Option("max_per_day", "count", 3, "posts a channel may have on one local day when it sets no max_per_day"),),
)
def overloaded_day(ctx: Context) -> Iterator[Finding]:
    """A channel, or the whole plan, has more posts on one local day than it allows.

    Why: flooding followers' feeds drives unfollows; spread posts over the week instead.
    Days are local days of the plan's time zone, so a 23- or 25-hour day is still one day.

    Example::

        [channels.instagram]
        max_per_day = 2
        # three instagram posts on 2027-01-04 ->
        # CAD002 instagram has 3 posts on Mon 2027-01-04, more than max_per_day 2

    Options: a channel's ``max_per_day`` (else ``[rules] max_per_day``, default 3); the
    plan-wide limit is ``[plan] max_per_day`` (no limit unless set).
    """
    plan = ctx.plan
    default = ctx.settings["max_per_day"]
    for name, posts in ctx.by_channel.items():
        limit = plan.channels[name].max_per_day or default
        yield from _overloads(posts, limit, name, f"{name} has", f"max_per_day {limit}")
    if plan.max_per_day:
        yield from _overloads(ctx.posts, plan.max_per_day, None, "the plan has", f"[plan] max_per_day {plan.max_per_day}")


def _overloads(posts: list[Post], limit: int, channel: str | None, subject: str, limit_name: str) -> Iterator[Finding]:
    per_day: dict = defaultdict(list)
    for post in posts:
        per_day[post.day].append(post)
    for day, that_day in per_day.items():
        if len(that_day) <= limit:
            continue
        first_excess = that_day[limit]
        yield Finding(
            message=f"{subject} {len(that_day)} posts on {day:%a %Y-%m-%d}, more than {limit_name}",
            where=("post", first_excess.index),
            key=f"{channel or '*'}@{day}",
            channel=channel,
            day=day,
            post_ids=tuple(post.id for post in that_day),
        )


@rule(
    "CAD003",
    "long-silence",
    "warning",
    options=(Option("max_silence", "duration", "7d", "longest silence for a channel that sets no max_silence"),),
)
def long_silence(ctx: Context) -> Iterator[Finding]:
    """A channel goes without any post for longer than it allows.

    Why: an unattended account looks abandoned; followers drift away and the algorithm
    stops showing the account. Silence is counted in whole local days when the limit is
    whole days ("3d": three empty days in a row are fine, four are not) and in exact time
    otherwise ("36h"). The range's start and end bound the first and last silence. A
    channel's days off are not counted: the public holidays it skips (``on_holiday = "skip"``)
    and the blackouts of every kind that cover it.

    Example::

        [channels.tiktok]
        max_silence = "3d"
        # posts on 2027-01-04 and 2027-01-09 ->
        # CAD003 tiktok is silent for 4 days, Tue 2027-01-05..Fri 2027-01-08, max_silence 3d

    Options: a channel's ``max_silence`` (else ``[rules] max_silence``, default "7d").
    """
    default = ctx.settings["max_silence"]
    for name, posts in ctx.by_channel.items():
        limit = ctx.plan.channels[name].max_silence or default
        limit_text = format_duration(limit)
        days = whole_days(limit)
        if days is not None:
            yield from _silent_days(ctx, name, posts, days, limit_text)
        else:
            yield from _silent_spans(ctx, name, posts, limit, limit_text)


def _silent_days(ctx: Context, name: str, posts: list[Post], limit: int, limit_text: str) -> Iterator[Finding]:
    off = channel_days_off(ctx.plan, name)
    first_of_day: dict = {}
    for post in posts:
        first_of_day.setdefault(post.day, post)
    one = timedelta(days=1)
    bounds = [ctx.first - one, *first_of_day, ctx.last + one]
    for before, after in zip(bounds, bounds[1:]):
        empty = (after - before).days - 1
        resting = sum(1 for n in range(1, empty + 1) if off(before + n * one)) if off and empty > limit else 0
        if empty - resting > limit:
            post = first_of_day.get(after) or (posts[-1] if posts else None)
            first_empty, last_empty = before + one, after - one
            not_counted = f" (not counting {counted(resting, 'day')} off)" if resting else ""
            yield Finding(
                message=(
                    f"{name} is silent for {empty - resting} days, {first_empty:%a %Y-%m-%d}..{last_empty:%a %Y-%m-%d}{not_counted}, "
                    f"max_silence {limit_text}"
                ),
                where=("post", post.index) if post else ("channels", name),
                key=f"{name}@{first_empty}",
                channel=name,
                day=first_empty,
                post_ids=(post.id,) if post else (),
            )


def _silent_spans(ctx: Context, name: str, posts: list[Post], limit: timedelta, limit_text: str) -> Iterator[Finding]:
    from planner.localtime import day_bounds

    tz = ctx.plan.tz
    start, _ = day_bounds(ctx.first, tz)
    _, end = day_bounds(ctx.last, tz)
    marks = [start, *(post.ts for post in posts), end]
    seconds = limit.total_seconds()
    off = channel_days_off(ctx.plan, name)
    for index, (before, after) in enumerate(zip(marks, marks[1:])):
        resting = _seconds_off(off, before, after, tz) if off and after - before > seconds else 0
        if after - before - resting > seconds:
            post = posts[index] if index < len(posts) else (posts[-1] if posts else None)
            moment = ctx.local(before)
            hours = (after - before - resting) / 3600
            not_counted = " (not counting days off)" if resting else ""
            yield Finding(
                message=f"{name} is silent for {hours:.0f}h from {when(moment)}{not_counted}, max_silence {limit_text}",
                where=("post", post.index) if post else ("channels", name),
                key=f"{name}@{before}",
                channel=name,
                at=moment,
                day=moment.date(),
                post_ids=(post.id,) if post else (),
            )


def _seconds_off(off, before: int, after: int, tz) -> int:
    """The seconds from ``before`` to ``after`` that fall on days ``off``."""
    from planner.localtime import day_bounds, local

    total, day = 0, local(before, tz).date()
    while (bounds := day_bounds(day, tz))[0] < after:
        if off(day):
            total += max(0, min(bounds[1], after) - max(bounds[0], before))
        day += timedelta(days=1)
    return total


@rule(
    "CAD004",
    "fading",
    "info",
    options=(Option("fading_ratio", "number", 0.5, "last third's weekly rate below this share of the first third's fires"),),
)
def fading(ctx: Context) -> Iterator[Finding]:
    """A channel posts much less in the last third of the range than in the first.

    Why: accounts are often busy at launch and then left to fade; a plan should keep its
    pace to the end. The range is cut into three equal parts by local days; the rule fires
    when posts per week in the last part are under ``fading_ratio`` (0.5) of the first part.
    Ranges under three weeks and channels with fewer than six posts are not judged.

    Example::

        # instagram: 12 posts in January, 2 in March of a Q1 plan ->
        # CAD004 instagram fades: 0.7 posts a week in 2027-03-02..2027-03-31 against 2.8 in ...

    Options: ``[rules] fading_ratio`` (default 0.5).
    """
    span = (ctx.last - ctx.first).days + 1
    if span < 21:
        return
    third = span // 3
    early_end = ctx.first + timedelta(days=third - 1)
    late_start = ctx.last - timedelta(days=third - 1)
    weeks = third / 7
    ratio = ctx.settings["fading_ratio"]
    for name, posts in ctx.by_channel.items():
        if len(posts) < 6:
            continue
        early = sum(1 for post in posts if post.day <= early_end) / weeks
        late = sum(1 for post in posts if post.day >= late_start) / weeks
        if late < ratio * early:
            yield Finding(
                message=(
                    f"{name} fades: {late:.1f} posts a week in {late_start}..{ctx.last} "
                    f"against {early:.1f} in {ctx.first}..{early_end}"
                ),
                where=("channels", name),
                key=f"{name}@{ctx.first}..{ctx.last}",
                channel=name,
                day=late_start,
            )


@rule("CAD005", "too-close", "error")
def too_close(ctx: Context) -> Iterator[Finding]:
    """Two posts on one channel are closer together than the channel's ``min_spacing``.

    Why: schedulers reject or silently drop bunched posts, and two posts minutes apart
    compete with each other for the same followers' attention.

    Example::

        [channels.x]
        min_spacing = "1h"
        # posts at 10:00 and 10:20 on x ->
        # CAD005 x posts "b" 20m after "a", closer than min_spacing 1h

    Options: per channel, ``min_spacing`` (default "1h").
    """
    for name, posts in ctx.by_channel.items():
        spacing = ctx.plan.channels[name].min_spacing.total_seconds()
        for earlier, later in zip(posts, posts[1:]):
            gap = later.ts - earlier.ts
            if gap < spacing:
                yield Finding.about_pair(
                    earlier,
                    later,
                    f"{name} posts {later.id!r} {format_duration(timedelta(seconds=gap))} after {earlier.id!r}, "
                    f"closer than min_spacing {format_duration(ctx.plan.channels[name].min_spacing)}",
                )


@rule("CAD006", "never-fires", "error")
def never_fires(ctx: Context) -> Iterator[Finding]:
    """A channel's cadence asks for no post at all in the plan's horizon.

    Why: a cadence is a promise to post; one that can never fire (February 30th, a leap day
    in a year without one, a fifth Tuesday in a February with four, an empty list) turns the missed-slot check off for its channel
    without a word, so the account can go quiet while every check passes.

    Example::

        [channels.newsletter]
        cadence = ["0 9 30 2 *"]
        # CAD006 newsletter's cadence '0 9 30 2 *' never fires between 2027-01-04 and 2027-03-31

    Judged over the whole horizon, ``[plan] start..end``, whatever range is checked; no slot
    is expanded to find out. A channel with no ``cadence`` key promises nothing and is quiet.

    Options: none; per channel, ``cadence``.
    """
    plan = ctx.plan
    for name, channel in plan.channels.items():
        where = ("channels", name, "cadence")
        if channel.cadence == ():
            yield Finding(f"{name}'s cadence is an empty list: it asks for no post (leave the key out to promise none)", where, f"{name}@empty", name)
            continue
        for cron in channel.cadence or ():
            if cron.first_day(plan.start, plan.end) is None:
                yield Finding(
                    f"{name}'s cadence {quoted(cron.expr)} never fires between {plan.start} and {plan.end}",
                    where,
                    f"{name}@{cron.expr}",
                    name,
                )
