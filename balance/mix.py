"""The content mix over rolling windows: the limits, the sliding counts, and what-if checks.

Window semantics (documented in docs/rules.md, "The mix, precisely"):

- A window is ``window`` whole local days (default 14) ending on a day; every day of the
  checked range ends one window. Posts before the range count in the windows that reach back.
- A share (MIX001, MIX002) is judged only in windows holding at least ``min_posts`` posts
  (default 5): one promotion out of one post is not a 100% promotion plan. The report judges
  the mix it shows by the same definitions (:meth:`MixLimits.judges`, :func:`over_max`,
  :func:`under_min`), and so do the suggestions and the app.
- MIX004 judges only windows that lie wholly inside the plan's horizon and hold ``min_posts``.
- Limits name a kind (``promo``) or a flag (``promotional``: every promotional kind together).
- The mix is judged per channel and for the whole plan (the latter only with two or more
  channels, where it says something the channels do not).

Counts are bisections in the posts' sorted days, so a check is linear in days and posts,
whatever the window length.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Iterator

from balance.text import counted
from planner.model import FLAGS, MIX_PRESETS, Plan, Post

DEFAULT_WINDOW_DAYS = 14
DEFAULT_MIN_POSTS = 5
# The practitioners' advice, applied to any map [balance] leaves unset (see docs/rules.md):
DEFAULT_MAX_SHARE = {"promotional": 0.25}  # sell in at most a quarter of posts
DEFAULT_MIN_SHARE = {"useful": 0.4}  # most posts should give something useful
DEFAULT_MAX_STREAK = {"promotional": 2}  # never three promotions in a row
DEFAULT_MIN_COUNT = {"conversation": 2}  # a conversation post a week, two per 14-day window
SHARE_SLACK = 1e-9  # a share exactly at its limit keeps it, whatever the floating-point rounding


def over_max(count: int, total: int, limit: float) -> bool:
    """Whether ``count`` of ``total`` posts is more than a ``max_share`` of ``limit``."""
    return count / total > limit + SHARE_SLACK


def under_min(count: int, total: int, limit: float) -> bool:
    """Whether ``count`` of ``total`` posts is less than a ``min_share`` of ``limit``."""
    return count / total < limit - SHARE_SLACK


@dataclass(frozen=True)
class MixLimits:
    """The resolved mix limits of a plan: each key is a kind or a flag group of kinds."""

    window_days: int
    min_posts: int
    max_share: dict[str, float]
    min_share: dict[str, float]
    max_streak: dict[str, int]
    min_count: dict[str, int]
    groups: dict[str, frozenset[str]] = field(repr=False)  # key -> the kinds it covers

    @classmethod
    def of(cls, plan: Plan) -> "MixLimits":
        balance = plan.balance
        groups = {name: frozenset((name,)) for name in plan.kinds}
        for flag in FLAGS:
            groups.setdefault(flag, frozenset(name for name, kind in plan.kinds.items() if getattr(kind, flag)))

        preset = MIX_PRESETS.get(balance.preset or "", {})

        def limits(name: str, default: dict) -> dict:
            """The plan's own map; with a preset, the preset's map with the plan's keys over it;
            else the default's. A preset's or the default's flags count only if some kind has them."""
            configured = getattr(balance, name)
            if configured and name not in preset:
                return dict(configured)
            practice = preset.get(name, default)
            return {**{key: value for key, value in practice.items() if groups[key]}, **configured}

        window = balance.window or timedelta(days=DEFAULT_WINDOW_DAYS)
        return cls(
            window_days=max(1, -(-int(window.total_seconds()) // 86400)),
            min_posts=balance.min_posts or DEFAULT_MIN_POSTS,
            max_share=limits("max_share", DEFAULT_MAX_SHARE),
            min_share=limits("min_share", DEFAULT_MIN_SHARE),
            max_streak=limits("max_streak", DEFAULT_MAX_STREAK),
            min_count=limits("min_count", DEFAULT_MIN_COUNT),
            groups=groups,
        )

    def judges(self, posts: int) -> bool:
        """Whether a mix of ``posts`` posts is judged against the share limits at all."""
        return posts >= self.min_posts


@dataclass
class WindowCounts:
    """The windows ending on some days of a range, and their posts counted per limit key.

    ``ends[i]`` is the ordinal of window i's last day; ``totals[i]`` its posts;
    ``counts[key][i]`` its posts whose kind is in the key's group.
    """

    ends: list[int]
    totals: list[int]
    counts: dict[str, list[int]]


def window_counts(posts: list[Post], first: date, last: date, days: int, groups: dict[str, frozenset[str]], marks: tuple[date, ...] = ()) -> WindowCounts:
    """The windows of ``days`` days ending on ``first``..``last`` whose contents differ.

    The window ending on ``first`` comes first, then one for each later day on which a post
    enters or leaves the window (and each day in ``marks``): the days in between hold the
    same posts and are judged alike, so a sparse channel costs its posts, not its days. Each
    count is a difference of two running totals: per day where the windows are dense, else
    two bisections in the sorted days of the posts, so a check is linear in days and posts,
    whatever the window length. ``posts`` are counting posts in any order.
    """
    ordinals = sorted(post.day.toordinal() for post in posts)
    start, end = first.toordinal(), last.toordinal()
    changes = {start, *(mark.toordinal() for mark in marks), *ordinals, *(ordinal + days for ordinal in ordinals)}
    ends = sorted(day for day in changes if start <= day <= end)
    low = start - days  # the last day before the first window
    by_day = bool(ends) and end - low + 1 <= 4 * (len(ends) + len(ordinals))  # dense: a count per day is cheaper

    def counted(sorted_days: list[int]) -> list[int]:
        if not by_day:
            return [bisect_right(sorted_days, day) - bisect_right(sorted_days, day - days) for day in ends]
        # up_to[i]: the posts on or before the day low + i; a window's count is a difference of two
        per_day = [0] * (end - low + 1)
        for day, posts_that_day in Counter(sorted_days).items():  # counted at C speed: a dense channel has many a day
            if day <= end:
                per_day[max(day - low, 0)] += posts_that_day
        up_to = list(accumulate(per_day))
        return [up_to[day - low] - up_to[day - days - low] for day in ends]

    counts = {}
    for key, kinds in groups.items():
        counts[key] = counted(sorted(post.day.toordinal() for post in posts if post.kind in kinds))
    return WindowCounts(ends, counted(ordinals), counts)


def streaks(posts: list[Post], kinds: frozenset[str]) -> Iterator[list[Post]]:
    """Runs of consecutive posts (in the given order) whose kind is in ``kinds``."""
    run: list[Post] = []
    for post in posts:
        if post.kind in kinds:
            run.append(post)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


class MixState:
    """The mix of one group of posts (a channel, or the plan), for what-if questions.

    :meth:`fits` answers whether one more post of a kind on a day would create or worsen a
    share, streak or count violation; :meth:`add` records it, so that a series of proposals
    is judged with the ones already accepted.
    """

    def __init__(self, limits: MixLimits, posts: list[Post], horizon: tuple[date, date]):
        self.limits = limits
        self.horizon = horizon
        self.per_day: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.sequence: list[tuple[int, str]] = sorted((post.ts, post.kind) for post in posts)
        self._share_answers: dict[tuple[date, str], bool] = {}
        # per window's last day: its posts in all and per limit key; only the windows holding
        # an added post are dropped. The last window counted keeps its posts per kind, so that
        # the next day's is slid from it rather than counted afresh.
        self._windows: dict[int, tuple[int, dict[str, int]]] = {}
        self._last_counted: tuple[int, dict[str, int]] | None = None
        self._limit_keys = {*limits.max_share, *limits.min_share, *limits.min_count}
        # per kind: the last days (lo, hi) of a run of windows known to take one more post of
        # it, and the last window found not to; slots come in time order, so each window is
        # judged once per kind and a slot's question is answered from them
        self._fitting_run: dict[str, tuple[int, int]] = {}
        self._misfit: dict[str, int] = {}
        for post in posts:
            self.per_day[post.day.toordinal()][post.kind] += 1

    def add(self, day: date, ts: int, kind: str) -> None:
        ordinal = day.toordinal()
        self.per_day[ordinal][kind] += 1
        insort(self.sequence, (ts, kind))
        self._share_answers.clear()
        last = ordinal + self.limits.window_days - 1
        for end in range(ordinal, last + 1):
            self._windows.pop(end, None)
        for kind_known, (lo, hi) in list(self._fitting_run.items()):
            if hi >= ordinal and lo <= last:  # the run keeps the windows before the day's
                if lo < ordinal:
                    self._fitting_run[kind_known] = (lo, ordinal - 1)
                else:
                    del self._fitting_run[kind_known]
        self._misfit = {kind_known: end for kind_known, end in self._misfit.items() if not ordinal <= end <= last}
        if self._last_counted and ordinal <= self._last_counted[0]:
            self._last_counted = None

    def window(self, end: int) -> tuple[int, dict[str, int]]:
        """The window ending on the day ``end`` (an ordinal): its posts, and its posts per key
        of a share or count limit."""
        known = self._windows.get(end)
        if known is not None:
            return known
        size, per_day = self.limits.window_days, self.per_day
        previous = self._last_counted
        if previous is None or previous[0] != end - 1:  # counted afresh
            counts: dict[str, int] = defaultdict(int)
            for each in range(end - size + 1, end + 1):
                for name, n in per_day.get(each, {}).items():
                    counts[name] += n
        else:  # slid by one day
            counts = previous[1]
            for name, n in per_day.get(end, {}).items():
                counts[name] += n
            for name, n in per_day.get(end - size, {}).items():
                counts[name] -= n
        groups = self.limits.groups
        have = {key: sum(counts.get(k, 0) for k in groups[key]) for key in self._limit_keys}
        self._last_counted = (end, counts)
        known = self._windows[end] = (sum(counts.values()), have)
        return known

    def fits(self, day: date, ts: int, kind: str) -> bool:
        key = (day, kind)
        if key not in self._share_answers:
            self._share_answers[key] = self._shares_fit(day, kind)
        return self._share_answers[key] and self._streaks_fit(ts, kind)

    def _shares_fit(self, day: date, kind: str) -> bool:
        """Whether every window holding ``day`` keeps its share and count limits with one more ``kind``."""
        ordinal, size = day.toordinal(), self.limits.window_days
        last = ordinal + size - 1
        misfit = self._misfit.get(kind)
        if misfit is not None and ordinal <= misfit <= last:
            return False
        if len(self._windows) > 4 * size:  # slots come in time order: forget the windows behind them
            self._windows = {end: known for end, known in self._windows.items() if end >= ordinal}
        lo, hi = self._fitting_run.get(kind, (ordinal, ordinal - 1))
        if not lo <= ordinal <= hi + 1:
            lo, hi = ordinal, ordinal - 1
        for end in range(hi + 1, last + 1):
            if not self._judge_window(end, kind):
                self._misfit[kind] = end
                self._fitting_run[kind] = (lo, end - 1)
                return False
        self._fitting_run[kind] = (lo, max(hi, last))
        return True

    def _judge_window(self, end: int, kind: str) -> bool:
        limits, size = self.limits, self.limits.window_days
        before, have = self.window(end)
        after = before + 1
        if not limits.judges(after):
            return True
        # a window the post makes judged must keep every limit; one already judged must
        # not get worse on a limit the post moves
        newly_judged = not limits.judges(before)
        for key, limit in limits.max_share.items():
            inside = kind in limits.groups[key]
            if over_max(have[key] + inside, after, limit) and (newly_judged or inside):
                return False
        for key, limit in limits.min_share.items():
            inside = kind in limits.groups[key]
            if under_min(have[key] + inside, after, limit) and (newly_judged or not inside):
                return False
        whole = self.horizon[0].toordinal() <= end - size + 1 and end <= self.horizon[1].toordinal()
        for key, limit in limits.min_count.items() if whole and newly_judged else ():
            if have[key] + (kind in limits.groups[key]) < limit:
                return False
        return True

    def wanted(self, day: date) -> set[str]:
        """Kinds the window ending on ``day`` is short of (under a min_share or min_count)."""
        limits, size = self.limits, self.limits.window_days
        counts: dict[str, int] = defaultdict(int)
        for each in range(day.toordinal() - size + 1, day.toordinal() + 1):
            for name, n in self.per_day.get(each, {}).items():
                counts[name] += n
        total = sum(counts.values()) or 1
        short: set[str] = set()
        for key, limit in limits.min_share.items():
            if sum(counts[k] for k in limits.groups[key]) / total < limit:
                short |= limits.groups[key]
        for key, limit in limits.min_count.items():
            if sum(counts[k] for k in limits.groups[key]) < limit:
                short |= limits.groups[key]
        return short

    def _streaks_fit(self, ts: int, kind: str) -> bool:
        sequence = self.sequence
        position = bisect_right(sequence, (ts, "\uffff"))
        for key, limit in self.limits.max_streak.items():
            kinds = self.limits.groups[key]
            if kind not in kinds:
                continue
            run = 1
            index = position - 1
            while index >= 0 and sequence[index][1] in kinds:
                run, index = run + 1, index - 1
            index = position
            while index < len(sequence) and sequence[index][1] in kinds:
                run, index = run + 1, index + 1
            if run > limit:
                return False
        return True


def label(key: str) -> str:
    """How a limit's key reads as a subject: a kind as itself, a flag as "promotional posts"."""
    return f"{key} posts" if key in FLAGS else key


def posts_of(count: int, key: str) -> str:
    """A count of a limit's key's posts: "3 promo posts", "1 conversation post", "0 tip posts"."""
    return counted(count, f"{key} post")
