"""Run the rules over a plan: choose the rules, resolve settings, locate and filter findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from balance.context import Context
from balance.diagnostic import Diagnostic
from balance.registry import RULES, options
from balance.rule import Rule
from planner.durations import parse_duration
from planner.model import Plan

if TYPE_CHECKING:
    from planner.outcomes import Outcomes  # the store's code loads only where there is a store


@dataclass(frozen=True)
class CheckOptions:
    """What the command line adds to a plan's own ``[rules]``.

    ``select`` replaces the plan's selection; ``ignore`` adds to the plan's. Both take codes
    or prefixes ("CAD" is every cadence rule). ``suggestions`` off leaves the backlog ideas
    out of CAD001's findings (the app, which offers them on demand, saves the work).
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    first: date | None = None
    last: date | None = None
    upcoming: timedelta | None = None
    suggestions: bool = True


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(pattern) for pattern in patterns)


def active_rules(plan: Plan, options: CheckOptions) -> list[tuple[Rule, str]]:
    """The rules to run and the severity of each, after config and command line."""
    config = plan.rules
    select = options.select or config.select
    ignore = config.ignore + options.ignore
    chosen = []
    for rule in RULES:
        severity = config.severity.get(rule.code, rule.severity)
        if severity == "off" or (select and not _matches(rule.code, select)) or _matches(rule.code, ignore):
            continue
        chosen.append((rule, severity))
    return chosen


def settings(plan: Plan) -> dict[str, Any]:
    """Every rule setting, from ``[rules]`` or its default (durations parsed)."""
    resolved = {}
    for name, option in options().items():
        value = plan.rules.settings.get(name, option.default)
        if option.kind == "duration" and isinstance(value, str):
            value = parse_duration(value)
        resolved[name] = value
    return resolved


def checked_range(plan: Plan, options: CheckOptions, today: date) -> tuple[date, date]:
    """The local days to check: the horizon, unless ``--from/--to`` or ``--upcoming`` say otherwise.

    Each stays inside the horizon: outside it there is no plan to check.
    """
    if options.upcoming is not None:
        if today > plan.end:
            return today, plan.end  # an empty range
        last = today + timedelta(days=min(max(options.upcoming.days, 1) - 1, (plan.end - today).days))
        return max(today, plan.start), last
    return max(options.first or plan.start, plan.start), min(options.last or plan.end, plan.end)


# Rules judged over the whole horizon or the plan itself: a check of a few days leaves them out.
WHOLE_PLAN_RULES = ("CAD004", "PLN")
SPANNING_RULES = ("CAD003", "MIX")  # findings that span days (a silence, a stretch of windows, a streak), however many


def spanning_only() -> CheckOptions:
    """Options that run only the :data:`SPANNING_RULES`, over the whole plan: a silence or a
    stretch that reaches some days may start long before them, and is dated where it starts.
    (Not select: the plan's own ``[rules] select`` still holds.)"""
    return CheckOptions(ignore=tuple(rule.code for rule in RULES if not rule.code.startswith(SPANNING_RULES)), suggestions=False)


def days_only(first: date, last: date) -> CheckOptions:
    """Options that check the days ``first..last`` with the rules whose findings belong to a
    day: the quick check after an edit, before the whole plan's (:func:`kept_until_whole_check`)."""
    return CheckOptions(first=first, last=last, ignore=WHOLE_PLAN_RULES + SPANNING_RULES, suggestions=False)


def kept_until_whole_check(diagnostic: Diagnostic, first: date, last: date) -> bool:
    """Whether a finding from before an edit stands until the whole plan is checked again,
    when the days ``first..last`` were checked again with :func:`days_only` and the
    :data:`SPANNING_RULES` with :func:`spanning_only`: a finding of no day, of a whole-plan
    rule, or of a day outside the range."""
    d = diagnostic
    return not d.code.startswith(SPANNING_RULES) and (
        d.code.startswith(WHOLE_PLAN_RULES) or d.date is None or not first <= d.date <= last
    )


def look_back_days(context: Context) -> int:
    """How far a day's findings depend on other days: the longest window, silence or repeat.

    A check of the days around an edit, padded by this on each side, finds on those days what
    the whole plan's check finds there (the rules of :data:`WHOLE_PLAN_RULES` aside).
    """
    plan = context.plan
    spans = [context.mix.window_days, context.settings["repeat_window"].days, context.settings["max_silence"].days]
    spans += [channel.max_silence.days for channel in plan.channels.values() if channel.max_silence]
    spans += [channel.tolerance.days + 1 for channel in plan.channels.values()]
    return max(spans) + 1


def context_for(plan: Plan, options: CheckOptions, today: date, outcomes: Outcomes | None = None) -> Context:
    """What the rules see for this plan, range and day (and its outcomes store, if it has one)."""
    first, last = checked_range(plan, options, today)
    return Context(
        plan=plan, first=first, last=last, today=today, settings=settings(plan), suggestions=options.suggestions, outcomes=outcomes
    )


def run(plan: Plan, options: CheckOptions, today: date, outcomes: Outcomes | None = None) -> list[Diagnostic]:
    """Every diagnostic for ``plan``, sorted by path, line and code; OUT rules need ``outcomes``."""
    return run_in(context_for(plan, options, today, outcomes), options)


def run_in(context: Context, options: CheckOptions) -> list[Diagnostic]:
    """Every diagnostic, with a context the caller also reads (its gaps, say): computed once."""
    plan = context.plan
    if context.first > context.last:
        return []
    ignored_by_post = {post.id: post.ignore for post in plan.posts if post.ignore}
    positions: dict[tuple, tuple[int, int]] = {}  # a channel's missed slots all sit at its cadence
    diagnostics = []
    for rule, severity in active_rules(plan, options):
        for finding in rule.check(context):
            if ignored_by_post and any(rule.code in ignored_by_post.get(post_id, ()) for post_id in finding.post_ids):
                continue
            if finding.where not in positions:
                positions[finding.where] = plan.locate(finding.where)
            line, column = positions[finding.where]
            diagnostics.append(
                Diagnostic(
                    code=rule.code,
                    name=rule.name,
                    severity=severity,
                    message=finding.message,
                    path=plan.path,
                    line=line,
                    column=column,
                    channel=finding.channel,
                    at=finding.at,
                    date=finding.day,
                    post_ids=finding.post_ids,
                    suggestions=finding.suggestions,
                    key=finding.key,
                )
            )
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics
