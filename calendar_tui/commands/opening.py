"""``cadence open``: the calendar app (the only command that imports textual)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, choice, parse_date, report_problems, today

DEMO_PLAN = "lumen-saas-berlin.toml"


def register(commands) -> None:
    opener = commands.add_parser(
        "open",
        help="the calendar app",
        description="Open the calendar app on a plan. Without PLAN (as bare `cadence`): ./content-plan.toml if "
        "there is one, else a bundled demo plan, which is saved only as a copy under a new name in this folder.",
    )
    opener.add_argument("plan", metavar="PLAN", nargs="?", help="a plan file (TOML); default: ./content-plan.toml, else the demo")
    opener.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    opener.add_argument("--week-start", **choice("monday", "sunday"), default="monday", help="first day of the week")
    opener.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.errors import PlanError

    try:
        from calendar_tui.app import make_app

        path, demo = (args.plan, False) if args.plan else default_plan()
        app = make_app(path, today=today(args.today) if args.today else _env_today(), week_start=args.week_start, demo=demo)
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    app.run()
    if app.crash:
        print(app.crash, file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _env_today() -> date | None:
    return today(None) if os.environ.get("CADENCE_TODAY") else None


def default_plan() -> tuple[str, bool]:
    """./content-plan.toml if there is one, else the bundled demo plan; and whether it is the demo."""
    if os.path.exists("content-plan.toml"):
        return "content-plan.toml", False
    return demo_plan(), True


def demo_plan() -> str:
    """The Berlin sample plan, as installed with the package (in a clone: sample_plans/ itself)."""
    from importlib.resources import files

    return str(files("sample_plans") / DEMO_PLAN)
