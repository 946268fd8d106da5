"""What was recorded against what was planned, as OUT rules and the report both read it: whether
a post went out (and whether it is overdue), and a goal against its straight-line path with
when the current trend reaches the target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.model import Goal, Plan, Post

if TYPE_CHECKING:  # the store's code loads only where there is a store
    from planner.outcomes import Outcomes


def is_published(post: Post, outcomes: Outcomes | None) -> bool:
    """With records of the plan, only its publication record says a post went out; without any, the plan's status."""
    if outcomes is None:
        return post.status == "published"
    return post.id in outcomes.publications


def is_overdue(post: Post, outcomes: Outcomes | None, today: date, grace: timedelta) -> bool:
    """Not published, and its local day plus ``grace`` (OUT004's ``publish_grace``) is before today."""
    return not is_published(post, outcomes) and post.day + grace < today


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    channel: str  # the series read: the goal's channel, or "plan" for a plan-wide goal
    start_day: date
    start_value: float
    day: date  # the latest record considered
    value: float
    expected: float  # the straight line from start to target, on ``day``
    reaches: date | None  # when the trend meets the target; None if it never does

    @property
    def behind(self) -> float:
        """How far short of the path, in the goal's units (0 or less: on or ahead of it)."""
        rising = self.goal.target >= self.start_value
        return (self.expected - self.value) if rising else (self.value - self.expected)

    @property
    def done(self) -> float:
        """Share of the way from start to target, 0..1 or beyond."""
        span = self.goal.target - self.start_value
        return (self.value - self.start_value) / span if span else 1.0


def goal_progress(plan: Plan, goal: Goal, outcomes: Outcomes, today: date) -> GoalProgress | None:
    """The goal's progress from its records up to ``today``; None if it cannot be told.

    The records read are those inside the plan's horizon, as every reader's (a figure outside
    it is refused when recorded). The path starts at the goal's ``baseline`` on the plan's first
    day, or else at its first record; the trend is the least-squares line through the records
    since the start. A single record without a baseline is where the path starts: it is
    shown, and nothing is behind.
    """
    if goal.metric is None or goal.target is None or goal.by is None:
        return None
    from planner.outcomes import PLAN_WIDE

    channel = goal.channel or PLAN_WIDE
    series = [(day, value) for day, value in outcomes.series(channel, goal.metric) if plan.start <= day <= min(today, goal.by)]
    if goal.baseline is not None:
        start_day, start_value = plan.start, goal.baseline
    elif series:
        start_day, start_value = series[0]
    else:
        return None
    if not series:
        return None
    day, value = series[-1]
    length = (goal.by - start_day).days
    elapsed = (day - start_day).days
    expected = goal.target if length <= 0 else start_value + (goal.target - start_value) * min(elapsed / length, 1.0)
    points = series if goal.baseline is None else [(start_day, start_value), *series]
    return GoalProgress(goal, channel, start_day, start_value, day, value, expected, _reaches(points, goal.target, value, day))


def _reaches(points: list[tuple[date, float]], target: float, value: float, day: date) -> date | None:
    if (target - value) == 0:
        return day
    if len(points) < 2:
        return None
    origin = points[0][0]
    xs = [(d - origin).days for d, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread  # per day
    days = (target - value) / slope if slope else -1
    if days < 0 or days > 3650:
        return None  # moving away from the target, or not within ten years
    return day + timedelta(days=round(days))
