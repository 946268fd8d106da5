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
    init.add_argument("--timezone", type=_zone, metavar="ZONE", help='the plan\'s IANA time zone, e.g. "Asia/Jakarta" (default: this machine\'s)')
    init.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calendar_tui.starter import starter_plan
    from planner.planfile import PlanFile, SaveError, fingerprint, read_bytes

    if os.path.isdir(args.plan):
        return fail(f"{args.plan} is a folder; name the plan file, e.g. {os.path.join(args.plan, 'content-plan.toml')}")
    folder = os.path.dirname(args.plan)
    if folder and not os.path.isdir(folder):
        return fail(f"{args.plan}: the folder {folder} does not exist; create it first (mkdir -p {folder})")
    if os.path.exists(args.plan) and not args.force:
        return fail(f"{args.plan} already exists; pass --force to overwrite it")
    text = starter_plan(today(args.today), path=args.plan, timezone=args.timezone or _local_zone())
    try:  # through the write protocol: atomic, and never over a file that appears meanwhile unless --force
        existing = fingerprint(read_bytes(args.plan)) if args.force and os.path.exists(args.plan) else None
        PlanFile(args.plan, "", existing).save(text)
    except OSError as error:  # SaveError, or a path that is no regular file
        return fail(str(error) if isinstance(error, SaveError) else f"{args.plan}: cannot be written: {error.strerror or error}")
    print(f"wrote {args.plan}; check it with: cadence check {args.plan}")
    return EXIT_OK


def _zone(name: str) -> str:
    from zoneinfo import ZoneInfo, available_timezones

    from planner.errors import did_you_mean

    try:
        ZoneInfo(name)
        return name
    except (ValueError, OSError, KeyError):
        raise argparse.ArgumentTypeError(f"unknown time zone {name!r}{did_you_mean(name, available_timezones())}") from None


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
