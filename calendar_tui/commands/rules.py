"""``cadence rules``: list the rules, or explain one."""

from __future__ import annotations

import argparse

from calendar_tui.commands.common import EXIT_OK, fail

TODAY_MARK = "today"  # the rule reads today's date: the same file may pass today and fail tomorrow


def register(commands) -> None:
    rules = commands.add_parser(
        "rules",
        help="list the rules, or explain one",
        description=f"List the rules, or explain one. Rules marked {TODAY_MARK!r} depend on today's date.",
    )
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as CAD001")
    rules.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from balance.registry import BY_CODE, RULES

    if args.code is None:
        width = max(len(rule.name) for rule in RULES)
        for rule in RULES:
            print(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {TODAY_MARK if rule.uses_today else '':<5}  {rule.summary}")
        return EXIT_OK
    rule = BY_CODE.get(args.code.upper())
    if rule is None:
        from planner.errors import did_you_mean

        hint = did_you_mean(args.code.upper(), BY_CODE) or "; `cadence rules` lists them"
        return fail(f"no rule {args.code!r}{hint}")
    depends = "; depends on today's date: pre-commit hooks leave it out" if rule.uses_today else ""
    print(f"{rule.code} {rule.name} (default severity: {rule.severity}{depends})\n")
    print(rule.doc)
    if rule.options:
        print("\nSettings in [rules]:")
        for option in rule.options:
            print(f"  {option.name} = {option.default!r}  ({option.kind}) {option.help}")
    return EXIT_OK
