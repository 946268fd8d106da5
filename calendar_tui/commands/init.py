"""``cadence init``: write a commented starter plan."""

from __future__ import annotations

import argparse
import os

from calendar_tui.commands.common import EXIT_OK, fail, parse_date, today


def register(commands) -> None:
    init = commands.add_parser("init", help="write a commented starter plan", description="Write a commented starter plan.")
    init.add_argument("plan", nargs="?", default="content-plan.toml", metavar="PLAN", help="where to write it (default: content-plan.toml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument("--today", type=parse_date, metavar="DATE", help="start the plan from this date (also CADENCE_TODAY)")
    init.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calendar_tui.starter import starter_plan

    if os.path.exists(args.plan) and not args.force:
        return fail(f"{args.plan} already exists; pass --force to overwrite it")
    with open(args.plan, "w", encoding="utf-8") as handle:
        handle.write(starter_plan(today(args.today), path=args.plan, timezone=_local_zone()))
    print(f"wrote {args.plan}; check it with: cadence check {args.plan}")
    return EXIT_OK


def _local_zone() -> str:
    """This machine's IANA zone name, for a new plan; UTC when it cannot be told."""
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "")
    if not name and os.path.islink("/etc/localtime"):
        name = os.path.realpath("/etc/localtime").split("zoneinfo/", 1)[-1]
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return "UTC"
    return name or "UTC"
