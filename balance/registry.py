"""The one list of rules. A rule exists for users when, and only when, it is listed here."""

from __future__ import annotations

from balance.rule import Option, Rule
from balance.rules import cadence
from planner.loader import RuleVocabulary

RULES: tuple[Rule, ...] = (
    cadence.missed_slot,
    cadence.overloaded_day,
    cadence.long_silence,
    cadence.fading,
    cadence.too_close,
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
    )
