"""``cadence report``: what happened against what was planned, per channel and ISO week."""

from __future__ import annotations

import argparse
import sys

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, add_store_option, choice, fail, parse_date, range_error, read_plan, report_problems, today, write_output

FORMATS = ("text", "md", "json", "html")


def register(commands) -> None:
    report = commands.add_parser(
        "report",
        help="what happened against the plan: cadence, mix, engagement, followers, goals",
        description=(
            "Per channel and ISO week: cadence slots, slots filled, posts planned, published and missed; the mix "
            "published against the limits; median engagement per kind; followers; each goal against its "
            "straight-line path; the top and bottom posts."
        ),
    )
    report.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    report.add_argument("--from", dest="first", type=parse_date, metavar="DATE", help="first local day (default: the plan's start)")
    report.add_argument("--to", dest="last", type=parse_date, metavar="DATE", help="last local day (default: the plan's end)")
    report.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    report.add_argument("--format", **choice(*FORMATS), default="text", help="text (default), md, json or html")
    report.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    add_store_option(report)
    report.set_defaults(run=run, upcoming=None)


def run(args: argparse.Namespace) -> int:
    from balance.report import build_report
    from balance.report_render import RENDERERS
    from planner.errors import PlanError
    from planner.outcomes import StoreError, read_outcomes

    if error := range_error(args):
        return fail(error)
    plan = read_plan(args.plan)
    if plan is None:
        return EXIT_INVALID
    notes: list[str] = []
    try:
        outcomes = read_outcomes(plan, args.db, notes)  # read-only: a report never changes the store
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    except StoreError as error:
        return fail(str(error))
    for note in notes:  # rows of the store the report leaves out, and why
        print(note, file=sys.stderr)
    text = RENDERERS[args.format](build_report(plan, outcomes, today(args.today, plan.tz), args.first, args.last))
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if not write_output(args.output, text.encode("utf-8")):
        return EXIT_INVALID
    print(f"wrote the {args.format} report of {args.plan} to {args.output}")
    return EXIT_OK
