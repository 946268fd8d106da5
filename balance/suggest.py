"""Filling gaps from the backlog without breaking the mix.

An idea fits an open slot when it may go on that channel, its ``cooldown`` has passed since
it last went out there (never less than ``repeat_window``, so it cannot repeat itself), and
one more post of its kind there keeps every MIX limit of the channel and of the plan: no
share over its maximum or under its minimum, no streak over its maximum, in any window that
holds the slot. Ideas of kinds the channel's mix is short of there come first, then the
least used, then backlog order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import datetime
from typing import TYPE_CHECKING

from balance.mix import MixState
from balance.text import fold
from planner.model import BacklogIdea

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
        self.repeat_window = ctx.settings["repeat_window"].total_seconds()
        self.uses: dict[tuple[str, str], list[int]] = {}
        by_title = {fold(idea.title): idea.id for idea in plan.backlog}
        for post in plan.posts:
            idea_id = post.idea or by_title.get(fold(post.title))
            if idea_id and post.counts:
                self.uses.setdefault((idea_id, post.channel), []).append(post.ts)

    @cached_property
    def plan_mix(self) -> MixState:
        return MixState(self.ctx.mix, self.ctx.history, self.horizon)

    def channel_mix(self, channel: str) -> MixState:
        """A channel's mix, built when first asked: a check of a few days asks for few channels."""
        if channel not in self._channel_mix:
            self._channel_mix[channel] = MixState(self.ctx.mix, self.ctx.channel_history[channel], self.horizon)
        return self._channel_mix[channel]

    def candidates(self, channel: str, ts: int) -> list[BacklogIdea]:
        """Ideas that fit the slot, best first: kinds the mix is short of there, then the least used."""
        day = self.ctx.local(ts).date()
        kind_fits: dict[str, bool] = {}
        fitting = []
        for idea in self.ctx.plan.backlog:
            if (idea.channels and channel not in idea.channels) or self._cooling(idea, channel, ts):
                continue
            if idea.kind not in kind_fits:  # the mix question depends on the kind alone
                kind_fits[idea.kind] = self.channel_mix(channel).fits(day, ts, idea.kind) and self.plan_mix.fits(day, ts, idea.kind)
            if kind_fits[idea.kind]:
                fitting.append(idea)
        if not fitting:
            return []
        wanted = self.channel_mix(channel).wanted(day)
        return sorted(fitting, key=lambda idea: (idea.kind not in wanted, len(self.uses.get((idea.id, channel), ())), idea.index))

    def _cooling(self, idea: BacklogIdea, channel: str, ts: int) -> bool:
        cooldown = max(idea.cooldown.total_seconds() if idea.cooldown else 0, self.repeat_window)
        return any(abs(ts - used) < cooldown for used in self.uses.get((idea.id, channel), ()))

    def help_for(self, channel: str, ts: int) -> tuple[str, ...]:
        """``help:`` lines for a gap: the best ideas, or why none fits."""
        ideas = self.candidates(channel, ts)[:SHOWN]
        if not ideas:
            return ("no backlog idea fits this slot without breaking the mix; add evergreen ideas to [[backlog]]",)
        return tuple(f"fill it from the backlog: {idea.id} \"{idea.title}\" ({idea.kind})" for idea in ideas)

    def accept(self, channel: str, ts: int, idea: BacklogIdea) -> None:
        day = self.ctx.local(ts).date()
        self.channel_mix(channel).add(day, ts, idea.kind)
        self.plan_mix.add(day, ts, idea.kind)
        self.uses.setdefault((idea.id, channel), []).append(ts)

    def propose(self) -> list[Proposal]:
        """One proposal per open slot in the range, in time order, each judged with the ones before."""
        open_slots = sorted((ts, channel) for channel, gaps in self.ctx.gaps.items() for ts in gaps)
        proposals = []
        for ts, channel in open_slots:
            ideas = self.candidates(channel, ts)
            idea = ideas[0] if ideas else None
            if idea is not None:
                self.accept(channel, ts, idea)
            proposals.append(Proposal(channel, self.ctx.local(ts), ts, idea))
        return proposals
