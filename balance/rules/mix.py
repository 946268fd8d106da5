"""Mix rules (MIX): useful content first, promotion in measure, and talking with followers.

Window semantics are in :mod:`balance.mix`. Each rule reports one diagnostic per continuous
stretch of violating windows, with the figures of the worst window in it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Callable, Iterator

from balance.context import Context
from balance.diagnostic import Finding
from balance.mix import label, over_max, posts_of, streaks, under_min, window_counts
from balance.rule import rule
from planner.model import Post


@dataclass
class _Worst:
    first: date
    last: date
    figure: float
    count: int
    total: int


def _groups(ctx: Context) -> Iterator[tuple[str | None, list[Post]]]:
    """(channel, posts) per channel, then (None, all posts) when the plan has several channels."""
    used = 0
    for channel, posts in ctx.by_channel.items():
        if posts:
            used += 1
            yield channel, posts
    if used > 1:
        yield None, ctx.posts


def _context_posts(ctx: Context, channel: str | None) -> list[Post]:
    """Counting posts in time order, including those a window reaches back to before the range."""
    return ctx.history if channel is None else ctx.channel_history[channel]


Judge = Callable[[int, int, float], "float | None"]  # (count, total, limit) -> how bad, or None


def _too_high(count: int, total: int, limit: float) -> float | None:
    return count / total if over_max(count, total, limit) else None


def _too_low(count: int, total: int, limit: float) -> float | None:
    return limit - count / total if under_min(count, total, limit) else None


def _too_few(count: int, total: int, limit: float) -> float | None:
    return float(limit - count) if count < limit else None


def _stretches(ctx: Context, code: str) -> list[tuple[str | None, str, _Worst, list[Post]]]:
    """(channel, key, worst window, its posts) for each stretch of windows breaking ``code``.

    MIX001, MIX002 and MIX004 are judged in one pass over the windows, shared by the three.
    """
    return ctx.shared("mix-stretches", _judge_windows)[code]


def _judge_windows(ctx: Context) -> dict[str, list[tuple[str | None, str, _Worst, list[Post]]]]:
    mix = ctx.mix
    judges: list[tuple[str, dict, Judge, bool]] = [
        ("MIX001", mix.max_share, _too_high, False),
        ("MIX002", mix.min_share, _too_low, False),
        ("MIX004", mix.min_count, _too_few, True),  # whole windows inside the horizon only
    ]
    keys = {key: mix.groups[key] for _, limits, _, _ in judges for key in limits}
    found: dict[str, list] = {code: [] for code, *_ in judges}
    whole_from = ctx.plan.start + timedelta(days=mix.window_days - 1)  # the first whole window's end
    start = ctx.plan.start.toordinal()
    for channel, _ in _groups(ctx):
        history = _context_posts(ctx, channel)
        days = [post.day for post in history]
        windows = window_counts(history, ctx.first, ctx.last, mix.window_days, keys, marks=(whole_from,))
        ends, totals = windows.ends, windows.totals
        judged = [index for index, total in enumerate(totals) if mix.judges(total)]
        first_whole = bisect_left(ends, whole_from.toordinal())
        for code, limits, judge, whole_only in judges:
            candidates = [index for index in judged if index >= first_whole] if whole_only else judged
            for key, limit in limits.items():
                counts = windows.counts[key]
                bad = [(index, badness) for index in candidates if (badness := judge(counts[index], totals[index], limit)) is not None]
                # a stretch is a run of consecutive windows; its worst is the first of the worst
                for stretch in _runs(bad):
                    index, badness = max(stretch, key=itemgetter(1))
                    worst = _Worst(
                        date.fromordinal(max(ends[index] - mix.window_days + 1, start)),  # no posts before the plan
                        date.fromordinal(ends[index]),
                        badness,
                        counts[index],
                        totals[index],
                    )
                    found[code].append((channel, key, worst, _posts_between(history, days, worst)))
    return found


def _runs(entries: list[tuple[int, float]]) -> Iterator[list[tuple[int, float]]]:
    """``entries`` (index, value) split where the indexes stop being consecutive."""
    run: list[tuple[int, float]] = []
    for entry in entries:
        if run and entry[0] != run[-1][0] + 1:
            yield run
            run = []
        run.append(entry)
    if run:
        yield run


def _posts_between(posts: list[Post], days: list[date], worst: _Worst) -> list[Post]:
    """The posts on the worst window's days; ``days`` are the posts' days, in the same order."""
    return posts[bisect_left(days, worst.first) : bisect_right(days, worst.last)]


def _window_finding(message: str, channel: str | None, key: str, worst: _Worst, at: Post, post_ids: tuple[str, ...] = ()) -> Finding:
    """A finding about a stretch of windows, located at one of its posts, dated by its worst window."""
    return Finding(message, ("post", at.index), f"{channel or '*'}:{key}@{worst.first}", channel, None, worst.first, post_ids)


def _subject(channel: str | None) -> str:
    return f"{channel} posts" if channel else "the plan's posts"


@rule("MIX001", "share-too-high", "warning")
def share_too_high(ctx: Context) -> Iterator[Finding]:
    """A kind (or flag group) takes more than its ``max_share`` of the posts in some window.

    Why: followers who are sold to in every other post stop listening. Practitioners keep
    promotion to a fifth to a quarter of what an account posts; the rest informs or entertains.
    The default allows a quarter; ``preset = "80-20"`` a fifth.

    Windows are ``[balance] window`` long (default 14 days), judged once they hold
    ``min_posts`` posts (default 5), per channel and for the whole plan. One diagnostic per
    stretch of consecutive violating windows, with the worst window's figures.

    Example::

        [balance]
        max_share = { promo = 0.2 }
        # MIX001 promo is 38% of instagram posts in 2027-01-04..2027-01-17 (5 of 13), max 20%

    Options: ``[balance] max_share`` (a kind or a flag: ``useful``, ``promotional``,
    ``conversation``); default ``{ promotional = 0.25 }``, the upper end of "a fifth to a
    quarter"; ``window``, ``min_posts``.

    ``[balance] preset`` sets the mix limits (MIX001, MIX002, MIX003) from a well-known
    practice; any key the plan writes in the same map wins over the preset's:

    - ``"80-20"``: max_share promotional 20%. The 80/20 rule: four posts in five inform,
      educate or entertain, one promotes (https://blog.hootsuite.com/social-media-content-mix/).
    - ``"4-1-1"``: of every six posts four useful, one soft and one hard promotion:
      max_share promotional 1/6, min_share useful 4/6, max_streak promotional 1. Andrew
      Davis (Tippingpoint Labs), popularised by Joe Pulizzi of the Content Marketing
      Institute (https://contentmarketinginstitute.com/articles/4-1-1-rule-social-media/).
    - ``"thirds"``: a third promotion, a third shared ideas, a third conversation:
      max_share promotional 1/3, min_share useful 1/3; conversation stays with MIX004's
      ``min_count``, since a strict third breaks most windows of even a perfect rotation.
      Hootsuite's rule of thirds (https://blog.hootsuite.com/social-media-rule-of-thirds/).
    """
    limits = ctx.mix.max_share
    for channel, key, worst, posts in _stretches(ctx, "MIX001"):
        matching = [post for post in posts if post.kind in ctx.mix.groups[key]]
        message = (
            f"{label(key)} is {worst.figure:.0%} of {_subject(channel)} in {worst.first}..{worst.last} "
            f"({worst.count} of {worst.total}), max {limits[key]:.0%}"
        )
        yield _window_finding(message, channel, key, worst, matching[-1], tuple(post.id for post in matching))


@rule("MIX002", "share-too-low", "warning")
def share_too_low(ctx: Context) -> Iterator[Finding]:
    """A kind (or flag group) has less than its ``min_share`` of the posts in some window.

    Why: an account earns attention by being useful; tips and how-tos are what people save,
    share and come back for. Keep them the larger part of the mix.

    Windows and stretches as in MIX001.

    Example::

        [balance]
        min_share = { tip = 0.4 }
        # MIX002 tip is 20% of the plan's posts in 2027-02-01..2027-02-14 (3 of 15), min 40%

    Options: ``[balance] min_share``; default ``{ useful = 0.4 }``; ``window``, ``min_posts``.
    """
    limits = ctx.mix.min_share
    for channel, key, worst, posts in _stretches(ctx, "MIX002"):
        message = (
            f"{label(key)} is {worst.count / worst.total:.0%} of {_subject(channel)} in {worst.first}..{worst.last} "
            f"({worst.count} of {worst.total}), min {limits[key]:.0%}"
        )
        yield _window_finding(message, channel, key, worst, posts[0])


@rule("MIX003", "streak", "warning")
def streak(ctx: Context) -> Iterator[Finding]:
    """More than ``max_streak`` posts of a kind (or flag group) in a row on a channel.

    Why: promotions back to back read as a sales channel; space them out between useful
    and conversational posts.

    Example::

        [balance]
        max_streak = { promo = 2 }
        # three promos in a row on instagram ->
        # MIX003 3 promo posts in a row on instagram, max_streak 2: launch-1, launch-2, launch-3

    Options: ``[balance] max_streak``; default ``{ promotional = 2 }``.
    """
    limits = ctx.mix.max_streak
    for channel, posts in ctx.by_channel.items():
        for key, limit in limits.items():
            for run in streaks(posts, ctx.mix.groups[key]):
                if len(run) > limit:
                    yield Finding(
                        message=(
                            f"{posts_of(len(run), key)} in a row on {channel}, max_streak {limit}: "
                            + ", ".join(post.id for post in run)
                        ),
                        where=("post", run[limit].index),
                        key=f"{channel}:{key}@{run[0].id}",
                        channel=channel,
                        at=run[limit].at,
                        day=run[limit].day,
                        post_ids=tuple(post.id for post in run),
                    )


@rule("MIX004", "one-way", "info")
def one_way(ctx: Context) -> Iterator[Finding]:
    """A window has fewer than ``min_count`` conversation posts (questions, polls).

    Why: social media is a conversation; an account that only broadcasts builds no
    closeness with its prospects. Ask, poll, invite replies.

    Judged on windows wholly inside the plan's horizon that hold ``min_posts`` posts.

    Example::

        [balance]
        min_count = { question = 1 }
        # MIX004 instagram has 0 question posts in 2027-01-04..2027-01-17 (of 9), min 1

    Options: ``[balance] min_count``; default ``{ conversation = 2 }`` (one a week).
    """
    limits = ctx.mix.min_count
    for channel, key, worst, posts in _stretches(ctx, "MIX004"):
        message = f"{channel or 'the plan'} has {posts_of(worst.count, key)} in {worst.first}..{worst.last} (of {worst.total}), min {limits[key]}"
        yield _window_finding(message, channel, key, worst, posts[0])
