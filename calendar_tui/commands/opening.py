"""``cadence open``: the calendar app (the only command that imports textual)."""

from __future__ import annotations

import argparse
import os
from datetime import date

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, parse_date, report_problems, today

DEMO_PLAN = "lumen-saas-berlin.toml"


def register(commands) -> None:
    opener = commands.add_parser("open", help="the calendar app", description="Open the calendar app on a plan.")
    opener.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    opener.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    opener.add_argument("--week-start", choices=("monday", "sunday"), default="monday", help="first day of the week")
    opener.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.errors import PlanError

    try:
        from calendar_tui.app import make_app

        app = make_app(args.plan, today=today(args.today) if args.today else _env_today(), week_start=args.week_start)
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    app.run()
    return EXIT_OK


def _env_today() -> date | None:
    return today(None) if os.environ.get("CADENCE_TODAY") else None


def default_plan() -> str:
    """./content-plan.toml if there is one, else the bundled demo plan."""
    if os.path.exists("content-plan.toml"):
        return "content-plan.toml"
    from importlib.resources import files

    return str(files("calendar_tui") / "demo" / DEMO_PLAN)
