"""What every rule reads: the plan, the checked range, "today", settings, and shared views.

The views (posts per channel in time order, cadence slots) are computed once per check and
shared by the rules that need them, so adding a rule does not add another pass over the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Callable

from balance.mix import MixLimits
from planner.cadence import expand
from planner.days_off import open_slots
from planner.model import Plan, Post

if TYPE_CHECKING:
    from balance.suggest import Suggester
    from planner.outcomes import Outcomes  # the store's code loads only where there is a store

_by_time = attrgetter("ts", "id")


@dataclass
class Context:
    plan: Plan
    first: date
    last: date
    today: date
    settings: dict[str, Any] = field(default_factory=dict)
    suggestions: bool = True  # backlog ideas under each gap
    outcomes: Outcomes | None = None  # the plan's records in the outcomes store; None: nothing is recorded of it
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, name: str, compute: Callable[["Context"], Any]) -> Any:
        """A result several rules need, computed by the first that asks."""
        if name not in self._shared:
            self._shared[name] = compute(self)
        return self._shared[name]

    @cached_property
    def posts(self) -> list[Post]:
        """Posts that count (not skipped) on local days of the range, in time order."""
        first, last = self.first, self.last
        return sorted(
            (post for post in self.plan.posts if first <= post.day <= last and post.status != "skipped"),
            key=_by_time,
        )

    @cached_property
    def by_channel(self) -> dict[str, list[Post]]:
        """:attr:`posts` split per channel, each in time order; every channel present."""
        split: dict[str, list[Post]] = {name: [] for name in self.plan.channels}
        for post in self.posts:
            split[post.channel].append(post)
        return split

    @cached_property
    def channel_history(self) -> dict[str, list[Post]]:
        """Every counting post of each channel, in or out of the range, in time order."""
        split: dict[str, list[Post]] = {name: [] for name in self.plan.channels}
        for post in self.history:
            split[post.channel].append(post)
        return split

    @cached_property
    def history(self) -> list[Post]:
        """Every counting post of the plan, in or out of the range, in time order."""
        return sorted((post for post in self.plan.posts if post.status != "skipped"), key=_by_time)

    @cached_property
    def slots(self) -> dict[str, list[int]]:
        """Cadence slot instants per channel over the range, less its days off (holidays it skips, blackouts)."""
        plan = self.plan
        return {
            name: open_slots(plan, name, expand(channel.cadence, self.first, self.last, plan.tz), plan.tz)
            for name, channel in plan.channels.items()
            if channel.cadence
        }

    @cached_property
    def gaps(self) -> dict[str, list[int]]:
        """Cadence slots no post fills, per channel (CAD001's findings; suggestions fill them).

        A post within the channel's tolerance of a slot fills it; each post fills at most one
        slot; one pass in time order, the earliest post that can fill a slot does.
        """
        gaps: dict[str, list[int]] = {}
        for name, slots in self.slots.items():
            tolerance = int(self.plan.channels[name].tolerance.total_seconds())
            times = [post.ts for post in self.channel_history[name]]
            cursor, unfilled = 0, []
            for slot in slots:
                while cursor < len(times) and times[cursor] < slot - tolerance:
                    cursor += 1
                if cursor < len(times) and times[cursor] <= slot + tolerance:
                    cursor += 1
                else:
                    unfilled.append(slot)
            gaps[name] = unfilled
        return gaps

    @cached_property
    def suggester(self) -> "Suggester":
        from balance.suggest import Suggester

        return Suggester(self)

    @cached_property
    def mix(self) -> MixLimits:
        return MixLimits.of(self.plan)

    def local(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.plan.tz)


def when(moment: datetime) -> str:
    """A local time as people read it in messages: "Mon 2027-01-04 10:00"."""
    return moment.strftime("%a %Y-%m-%d %H:%M")
