"""Filling gaps from the backlog without breaking the mix.

An idea fits an open slot when it may go on that channel (and its text is within the limits
of the channel's network: PUB009, PUB010), its ``cooldown`` has passed since
it last went out there (never less than ``repeat_window``, so it cannot repeat itself), its
``recycle_after`` since it last went out anywhere, it has gone out fewer than ``max_uses``
times in the whole plan, the slot's day is not after its ``expires``, and
one more post of its kind there keeps every MIX limit of the channel and of the plan: no
share over its maximum or under its minimum, no streak over its maximum, in any window that
holds the slot; and no ``[[blackout]]`` of the slot's day covers its kind on that channel.

Fitting ideas are ranked by the mix findings they clear (windows holding the slot that are
short of a ``min_count`` or ``min_share``, or over a ``max_share``, and would not be with one
more post of the idea's kind: MIX004, MIX002, MIX001), then by what the mix lacks on that day,
then the least used, then backlog order. ``cadence suggest``, the CAD001 help lines and the
app's fill dialog all use this one order.

Counting what an idea clears is skipped for the slots that no short window holds: the
windows that miss a limit are found once per mix (one sliding pass over the horizon) and
kept up to date as proposals are accepted, so a plan's thousands of gaps cost little more
than the fit test.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

from balance.mix import MixState, over_max, under_min
from balance.text import fold
from planner.days_off import BlackoutIndex
from planner.model import BacklogIdea, idea_post
from planner.networks import over_network_limits

if TYPE_CHECKING:
    from balance.context import Context

SHOWN = 3  # ideas listed under a gap


@dataclass(frozen=True)
class Proposal:
    """One open slot and the idea proposed for it (None: nothing fits)."""

    channel: str
    at: datetime
    ts: int
    idea: BacklogIdea | None


class Suggester:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        plan = ctx.plan
        self.horizon = (plan.start, plan.end)
        self._channel_mix: dict[str, MixState] = {}
        self._wanted_on: dict[tuple[str | None, date], set[str]] = {}  # emptied when a proposal is accepted
        self._short_ends: dict[str | None, set[int]] = {}  # per mix (None: the plan's), windows missing a limit
        self._heads_of: dict[str, dict[str, list[tuple[BacklogIdea, float]]]] = {}  # per channel, see _heads
        self._within_limits: dict[tuple[str, str], bool] = {}  # (idea, channel): see _may_go_on
        self._help_lines: dict[tuple[int, ...], tuple[str, ...]] = {}  # per ideas shown (their indexes): see help_for
        self.repeat_window = ctx.settings["repeat_window"].total_seconds()
        self._blackouts = BlackoutIndex(plan)
        # each idea's uses per channel, sorted, so a cooldown test is one bisection
        self.uses: dict[tuple[str, str], list[int]] = {}
        self._cooldowns = [max(idea.cooldown.total_seconds() if idea.cooldown else 0, self.repeat_window) for idea in plan.backlog]
        by_title = {fold(idea.title): idea.id for idea in plan.backlog}
        for post in plan.posts:
            idea_id = post.idea or by_title.get(fold(post.title))
            if idea_id and post.counts:
                self.uses.setdefault((idea_id, post.channel), []).append(post.ts)
        for used in self.uses.values():
            used.sort()
        # and on every channel, for recycle_after and max_uses
        self.all_uses: dict[str, list[int]] = {}
        for (idea_id, _), used in self.uses.items():
            self.all_uses.setdefault(idea_id, []).extend(used)
        for used in self.all_uses.values():
            used.sort()

    @cached_property
    def plan_mix(self) -> MixState:
        return MixState(self.ctx.mix, self.ctx.history, self.horizon)

    def channel_mix(self, channel: str) -> MixState:
        """A channel's mix, built when first asked: a check of a few days asks for few channels."""
        if channel not in self._channel_mix:
            self._channel_mix[channel] = MixState(self.ctx.mix, self.ctx.channel_history[channel], self.horizon)
        return self._channel_mix[channel]

    def candidates(self, channel: str, ts: int) -> list[BacklogIdea]:
        """Ideas that fit the slot, best first (see the module's docstring for the order)."""
        fitting, rank = self._fitting(channel, ts)
        return sorted(fitting, key=rank)

    def best(self, channel: str, ts: int, count: int) -> list[BacklogIdea]:
        """The first ``count`` of :meth:`candidates`, without ranking the rest: each kind's
        ideas wait in rank order (:meth:`_heads`), so a kind gives its first ``count`` that are
        not cooling down, and only the kinds' ranks are worked out per slot."""
        day = self.ctx.local(ts).date()
        fitting: list[BacklogIdea] = []
        for kind, ideas in self._heads(channel).items():
            if not self._kind_fits(channel, day, ts, kind):
                continue
            taken = 0
            for idea, cooldown in ideas:
                if not (self._cooling(idea, channel, ts, cooldown) or self._retired(idea, day, ts)):
                    fitting.append(idea)
                    taken += 1
                    if taken == count:
                        break
        return heapq.nsmallest(count, fitting, key=self._rank(channel, day, {idea.kind for idea in fitting}))

    def _heads(self, channel: str) -> dict[str, list[tuple[BacklogIdea, float]]]:
        """Per kind, the ideas that may go on the channel, with their cooldowns, least used
        first, then in backlog order: the order :meth:`_rank` gives ideas of one kind."""
        if channel not in self._heads_of:
            heads: dict[str, list[tuple[BacklogIdea, float]]] = defaultdict(list)
            for idea, cooldown in zip(self.ctx.plan.backlog, self._cooldowns):
                if self._may_go_on(idea, channel):
                    heads[idea.kind].append((idea, cooldown))
            for ideas in heads.values():
                ideas.sort(key=lambda pair: (len(self.uses.get((pair[0].id, channel), ())), pair[0].index))
            self._heads_of[channel] = dict(heads)
        return self._heads_of[channel]

    def _may_go_on(self, idea: BacklogIdea, channel: str) -> bool:
        """Whether the idea is for the channel, and a post of its text is within the limits of
        the channel's network (a post over them fails when it is published)."""
        if idea.channels and channel not in idea.channels:
            return False
        key = (idea.id, channel)
        if key not in self._within_limits:
            self._within_limits[key] = over_network_limits(self.ctx.plan, idea_post(idea, channel)) is None
        return self._within_limits[key]

    def _fitting(self, channel: str, ts: int) -> tuple[list[BacklogIdea], Callable[[BacklogIdea], tuple]]:
        """The ideas that fit the slot, in backlog order, and their rank (lowest first)."""
        day = self.ctx.local(ts).date()
        kind_fits: dict[str, bool] = {}
        fitting = []
        for idea, cooldown in zip(self.ctx.plan.backlog, self._cooldowns):
            if (
                not self._may_go_on(idea, channel)
                or self._cooling(idea, channel, ts, cooldown)
                or self._retired(idea, day, ts)
            ):
                continue
            if idea.kind not in kind_fits:  # the blackout and mix questions depend on the kind alone
                kind_fits[idea.kind] = self._kind_fits(channel, day, ts, idea.kind)
            if kind_fits[idea.kind]:
                fitting.append(idea)
        return fitting, self._rank(channel, day, {idea.kind for idea in fitting})

    def _kind_fits(self, channel: str, day: date, ts: int, kind: str) -> bool:
        """Whether a post of ``kind`` may fill the slot: no blackout covers it, and the channel's
        mix and the plan's keep their limits with it."""
        return (
            self._blackouts.covering(day, channel, self.ctx.plan.kinds[kind]) is None
            and self.channel_mix(channel).fits(day, ts, kind)
            and self.plan_mix.fits(day, ts, kind)
        )

    def _rank(self, channel: str, day: date, kinds: set[str]) -> Callable[[BacklogIdea], tuple]:
        """The rank of an idea of one of ``kinds`` in a slot of the channel on ``day`` (lowest first)."""
        cleared = dict.fromkeys(kinds, 0)
        wanted: set[str] = set()
        if len(kinds) > 1:  # kinds to tell apart: by what they clear, then by what the mix lacks
            mixes = [(channel, self.channel_mix(channel))]
            if len(self.ctx.plan.channels) > 1:  # the plan's mix is judged only then
                mixes.append((None, self.plan_mix))
            for name, mix in mixes:
                if self._short_near(name, mix, day):
                    for kind in kinds:
                        cleared[kind] += _cleared(mix, day, kind)
                wanted |= self._wanted(name, mix, day)
        return lambda idea: (-cleared[idea.kind], idea.kind not in wanted, len(self.uses.get((idea.id, channel), ())), idea.index)

    def _wanted(self, name: str | None, mix: MixState, day: date) -> set[str]:
        """The kinds a mix is short of on a day, asked once per day (slots share days)."""
        if (name, day) not in self._wanted_on:
            self._wanted_on[name, day] = mix.wanted(day)
        return self._wanted_on[name, day]

    def _short_near(self, name: str | None, mix: MixState, day: date) -> bool:
        """Whether a judged window holding ``day`` misses a limit of ``mix``."""
        size, ordinal = mix.limits.window_days, day.toordinal()
        if name not in self._short_ends:
            first, last = self.horizon
            self._short_ends[name] = set(_short_windows(mix, first.toordinal(), last.toordinal() + size))
        ends = self._short_ends[name]
        return bool(ends) and any(end in ends for end in range(ordinal, ordinal + size))

    def _cooling(self, idea: BacklogIdea, channel: str, ts: int, cooldown: float) -> bool:
        """Whether the idea went out on the channel less than ``cooldown`` seconds before or after ``ts``."""
        used = self.uses.get((idea.id, channel))
        if not used:
            return False
        nearest = bisect_right(used, ts - cooldown)  # the first use after ts - cooldown
        return nearest < len(used) and used[nearest] < ts + cooldown

    def _retired(self, idea: BacklogIdea, day: date, ts: int) -> bool:
        """Whether the idea is past its ``expires``, used ``max_uses`` times, or went out anywhere
        less than ``recycle_after`` before or after ``ts``."""
        if idea.expires is not None and day > idea.expires:
            return True
        used = self.all_uses.get(idea.id, ())
        if idea.max_uses is not None and len(used) >= idea.max_uses:
            return True
        if idea.recycle_after is None or not used:
            return False
        wait = idea.recycle_after.total_seconds()
        nearest = bisect_right(used, ts - wait)
        return nearest < len(used) and used[nearest] < ts + wait

    def help_for(self, channel: str, ts: int) -> tuple[str, ...]:
        """``help:`` lines for a gap: the best ideas, or why none fits. Gaps given the same
        ideas share one tuple of lines: thousands of gaps, a few answers."""
        ideas = self.best(channel, ts, SHOWN)
        shown = tuple(idea.index for idea in ideas)
        if shown not in self._help_lines:
            self._help_lines[shown] = tuple(
                f"fill it from the backlog: {idea.id} \"{idea.title}\" ({idea.kind})" for idea in ideas
            ) or ("no backlog idea fits this slot without breaking the mix; add evergreen ideas to [[backlog]]",)
        return self._help_lines[shown]

    def accept(self, channel: str, ts: int, idea: BacklogIdea) -> None:
        """Record a proposal, so that the next ones are judged with it."""
        day = self.ctx.local(ts).date()
        insort(self.uses.setdefault((idea.id, channel), []), ts)
        self._heads_of.pop(channel, None)  # one more use moves the idea back among its kind
        insort(self.all_uses.setdefault(idea.id, []), ts)
        self._wanted_on.clear()
        for name, mix in ((channel, self.channel_mix(channel)), (None, self.plan_mix)):
            mix.add(day, ts, idea.kind)
            if name in self._short_ends:  # only the windows holding the day changed
                ordinal, size = day.toordinal(), mix.limits.window_days
                self._short_ends[name] -= set(range(ordinal, ordinal + size))
                self._short_ends[name] |= set(_short_windows(mix, ordinal, ordinal + size - 1))

    def propose(self) -> list[Proposal]:
        """One proposal per open slot in the range, in time order, each judged with the ones before."""
        open_slots = sorted((ts, channel) for channel, gaps in self.ctx.gaps.items() for ts in gaps)
        proposals = []
        for ts, channel in open_slots:
            ideas = self.best(channel, ts, 1)
            idea = ideas[0] if ideas else None
            if idea is not None:
                self.accept(channel, ts, idea)
            proposals.append(Proposal(channel, self.ctx.local(ts), ts, idea))
        return proposals



def _judged_windows(mix: MixState, first_end: int, last_end: int):
    """Each judged window ending on ``first_end``..``last_end``: its last day, whether it lies
    wholly inside the horizon, its counts per kind and its total."""
    limits, size, per_day = mix.limits, mix.limits.window_days, mix.per_day
    horizon_first, horizon_last = mix.horizon[0].toordinal(), mix.horizon[1].toordinal()
    counts: dict[str, int] = defaultdict(int)
    for each in range(first_end - size, first_end):  # the window before the first one, slid below
        for name, n in per_day.get(each, {}).items():
            counts[name] += n
    for end in range(first_end, last_end + 1):
        for name, n in per_day.get(end, {}).items():
            counts[name] += n
        for name, n in per_day.get(end - size, {}).items():
            counts[name] -= n
        total = sum(counts.values())
        if limits.judges(total):
            yield end, horizon_first <= end - size + 1 and end <= horizon_last, counts, total


def _short_windows(mix: MixState, first_end: int, last_end: int):
    """The last days of the judged windows that miss a min_count, a min_share or a max_share."""
    limits = mix.limits
    for end, whole, counts, total in _judged_windows(mix, first_end, last_end):
        have = {key: sum(counts[k] for k in limits.groups[key]) for key in {*limits.min_count, *limits.min_share, *limits.max_share}}
        if (
            (whole and any(have[key] < limit for key, limit in limits.min_count.items()))
            or any(under_min(have[key], total, limit) for key, limit in limits.min_share.items())
            or any(over_max(have[key], total, limit) for key, limit in limits.max_share.items())
        ):
            yield end


def _cleared(mix: MixState, day: date, kind: str) -> int:
    """How many (window, limit) shortfalls one more post of ``kind`` on ``day`` would end, in
    the judged windows holding the day: under a min_count (MIX004, whole windows only) or a
    min_share (MIX002), over a max_share (MIX001)."""
    limits, ordinal = mix.limits, day.toordinal()
    cleared = 0
    for _, whole, counts, total in _judged_windows(mix, ordinal, ordinal + limits.window_days - 1):
        for key, limit in limits.min_count.items() if whole else ():
            have = sum(counts[k] for k in limits.groups[key])
            cleared += kind in limits.groups[key] and have < limit <= have + 1
        for key, limit in limits.min_share.items():
            have = sum(counts[k] for k in limits.groups[key])
            cleared += kind in limits.groups[key] and under_min(have, total, limit) and not under_min(have + 1, total + 1, limit)
        for key, limit in limits.max_share.items():
            have = sum(counts[k] for k in limits.groups[key])
            cleared += kind not in limits.groups[key] and over_max(have, total, limit) and not over_max(have, total + 1, limit)
    return cleared
