"""``cadence check``: run the rules on plans."""

from __future__ import annotations

import argparse
import sys

from calendar_tui.commands.common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    add_range_options,
    add_store_option,
    colour,
    fail,
    parse_codes,
    range_error,
    report_problems,
    today,
)


def register(commands) -> None:
    check = commands.add_parser("check", help="run the rules on plans", description="Run the rules on one or more plans.")
    check.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (TOML)")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text", help="output format (default: text)")
    add_range_options(check)
    check.add_argument("--select", type=parse_codes, default=(), metavar="CODES", help="only these rules (codes or prefixes, comma-separated)")
    check.add_argument("--ignore", type=parse_codes, default=(), metavar="CODES", help="skip these rules too (codes or prefixes)")
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    add_store_option(check)  # OUT rules read it; they run when the store exists
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from balance.engine import CheckOptions, run as run_rules
    from balance.formatters import FORMATTERS
    from balance.registry import vocabulary
    from planner.errors import PlanError
    from planner.loader import load_plan
    from planner.outcomes import StoreError, read_outcomes

    if error := range_error(args):
        return fail(error)
    options = CheckOptions(select=args.select, ignore=args.ignore, first=args.first, last=args.last, upcoming=args.upcoming)
    known = vocabulary()
    diagnostics, problems = [], []
    for path in args.plans:
        try:
            plan = load_plan(path, known)
        except PlanError as error:
            problems.extend(error.problems)
            continue
        try:
            outcomes = read_outcomes(plan, args.db)
        except StoreError as error:
            return fail(str(error))
        diagnostics.extend(run_rules(plan, options, today(args.today, plan.tz), outcomes))
    diagnostics.sort(key=lambda d: d.sort_key())
    report_problems(problems)
    sys.stdout.write(FORMATTERS[args.format](diagnostics, problems, len(args.plans), colour=colour(sys.stdout)))
    if problems:
        return EXIT_INVALID
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK
