"""``cadence add``: a post into its channel's next free slot that keeps the plan clean, or ``--at`` a time."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, choice, fail, parse_date, report_problems, today


def parse_wall_time(text: str) -> datetime:
    """``--at``: a local date and time of the plan's zone, without an offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date-time; write it as 2027-03-11T10:00") from None
    if moment.tzinfo is not None:
        raise argparse.ArgumentTypeError(f"{text!r} has an offset; write the plan's local time, as posts do: 2027-03-11T10:00")
    return moment


def register(commands) -> None:
    from planner.model import STATUSES

    add = commands.add_parser(
        "add",
        help="add a post to its channel's next free slot",
        description=(
            "Add a post to the channel's next free slot from today on: the first open cadence slot where the "
            "post adds no finding to the plan. --at places it by hand. Prints where it went."
        ),
    )
    add.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    add.add_argument("title", metavar="TITLE", help="the post's title")
    add.add_argument("--channel", required=True, help="the channel to post on")
    add.add_argument("--kind", required=True, help="the post's kind")
    add.add_argument("--body", help="the post's text")
    add.add_argument("--link", help="a link the post carries")
    add.add_argument("--owner", help="who is responsible for it (a team member)")
    add.add_argument("--status", **choice(*STATUSES), default="draft", help="its status (default: draft)")
    add.add_argument("--at", type=parse_wall_time, metavar="DATETIME", help="place it at this local time instead, e.g. 2027-03-11T10:00")
    add.add_argument("--dry-run", action="store_true", help="say where the post would go, and write nothing")
    add.add_argument("--today", type=parse_date, metavar="DATE", help="the day to queue from (default: today, or CADENCE_TODAY)")
    add.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from balance.text import printable
    from calendar_tui.usecases.add_post import AddError, NewPost, add_post
    from planner.errors import PlanError
    from planner.planfile import SaveError

    fixed_day = today(args.today) if args.today or os.environ.get("CADENCE_TODAY") else None  # else today in the plan's zone
    try:
        new = NewPost(args.channel, args.kind, args.title, args.body, args.link, args.owner, args.status, args.at)
        added = add_post(args.plan, new, fixed_day, write=not args.dry_run)
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    except (AddError, SaveError) as error:
        return fail(str(error))
    where = "at the time given" if added.by_hand else "its next free slot"
    print(printable(f"{'would add' if args.dry_run else 'added'} {added.post_id} to {added.channel} on {added.at:%a %Y-%m-%d %H:%M} ({where})"))
    for diagnostic in added.new_findings:
        print(printable(f"  new finding: {diagnostic.code} {diagnostic.message}"))
    sys.stdout.flush()
    return EXIT_OK

