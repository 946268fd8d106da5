"""How posts spread over the plan's audiences (``[plan] audiences``, a post's ``audience``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from planner.model import Plan, Post


@dataclass(frozen=True, slots=True)
class AudienceShare:
    """The counting posts for one audience; ``audience`` None: posts that name none."""

    audience: str | None
    posts: int
    share: float | None  # None when there are no posts at all


def audience_spread(plan: Plan, posts: Iterable[Post]) -> list[AudienceShare]:
    """Every audience of the plan in its order (a neglected one shows 0), then posts naming none.

    Skipped posts count for nothing.
    """
    counts = Counter(post.audience for post in posts if post.counts)
    total = sum(counts.values())
    names: list[str | None] = [*plan.audiences, *([None] if counts[None] else [])]
    return [AudienceShare(name, counts[name], counts[name] / total if total else None) for name in names]
