"""``cadence suggest``: a backlog idea for each open slot, and ``--apply`` to add them."""

from __future__ import annotations

import argparse
import sys

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, add_range_options, choice, fail, range_error, read_plan, report_problems, today


def register(commands) -> None:
    suggest = commands.add_parser(
        "suggest",
        help="propose a backlog idea for each open slot",
        description="Propose a backlog idea for each open cadence slot, keeping every MIX rule satisfied.",
    )
    suggest.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    suggest.add_argument("--format", **choice("text", "json"), default="text", help="output format (default: text)")
    suggest.add_argument("--apply", action="store_true", help="add the proposals to the plan as posts (status idea)")
    add_range_options(suggest)
    suggest.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from balance.engine import CheckOptions
    from balance.suggest_render import RENDERERS
    from calendar_tui.usecases.apply_suggestions import proposals

    if error := range_error(args):
        return fail(error)
    plan = read_plan(args.plan)
    if plan is None:
        return EXIT_INVALID
    proposed = proposals(plan, CheckOptions(first=args.first, last=args.last, upcoming=args.upcoming), today(args.today, plan.tz))
    if args.apply and args.format == "text" and proposed:
        return _apply(plan, proposed)
    sys.stdout.write(RENDERERS[args.format](proposed))
    return EXIT_OK


def _apply(plan, proposed) -> int:
    from balance.suggest_render import render_applied
    from calendar_tui.usecases.apply_suggestions import apply_suggestions
    from planner.errors import PlanError
    from planner.planfile import SaveError
    from planner.writer import EditError

    try:
        applied = apply_suggestions(plan, proposed)
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    except EditError as error:
        return fail(f"{plan.path}: nothing added: {error}")
    except SaveError as error:
        return fail(str(error))
    sys.stdout.write(render_applied(applied.added, plan.path, applied.unfilled))
    return EXIT_OK
