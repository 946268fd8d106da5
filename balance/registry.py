"""The one list of rules. A rule exists for users when, and only when, it is listed here."""

from __future__ import annotations

from balance.rule import Option, Rule
from balance.rules import cadence, mix, outcomes, publishing, strategy
from planner.loader import RuleVocabulary

RULES: tuple[Rule, ...] = (
    cadence.missed_slot,
    cadence.overloaded_day,
    cadence.long_silence,
    cadence.fading,
    cadence.too_close,
    cadence.never_fires,
    mix.share_too_high,
    mix.share_too_low,
    mix.streak,
    mix.one_way,
    publishing.not_ready,
    publishing.missing_approval,
    publishing.no_owner,
    publishing.missing_link,
    publishing.banned_term,
    publishing.stale,
    publishing.repeat,
    publishing.kind_not_on_channel,
    publishing.too_long_for_network,
    publishing.too_many_tags,
    strategy.no_goals,
    strategy.no_review,
    strategy.thin_backlog,
    strategy.outside_horizon,
    strategy.over_capacity,
    strategy.in_blackout,
    outcomes.flat_followers,
    outcomes.follower_spike,
    outcomes.behind_goal,
    outcomes.planned_not_published,
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def options() -> dict[str, Option]:
    """Every rule setting, by its name in ``[rules]``."""
    return {option.name: option for rule in RULES for option in rule.options}


def vocabulary() -> RuleVocabulary:
    """What ``[rules]`` and a post's ``ignore`` may name, for the plan loader."""
    return RuleVocabulary(
        codes=frozenset(BY_CODE),
        settings={name: option.kind for name, option in options().items()},
        defaults={name: option.default for name, option in options().items()},
    )
