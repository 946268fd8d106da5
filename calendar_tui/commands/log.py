"""``cadence log``: record that a post went out, in the outcomes store (and, with --mark, in the plan)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, add_store_option, fail, read_plan, report_problems, swapped, unknown_name


def register(commands) -> None:
    log = commands.add_parser(
        "log",
        help="record that a post was published",
        description="Record in the outcomes store that a post was published: when, and at which address.",
    )
    log.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    log.add_argument("post_id", metavar="POST_ID", help="the post's id in the plan")
    log.add_argument("--at", metavar="WHEN", help="when it went out, e.g. 2027-01-04T10:12 in the plan's zone, or with an offset (default: now)")
    log.add_argument("--url", help="the published post's address")
    log.add_argument("--mark", action="store_true", help="also set the post's status to published in the plan")
    add_store_option(log)
    log.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calendar_tui.usecases.log_publication import NotMarked, log_publication
    from calendar_tui.usecases.post_edits import UnknownPost, post_named
    from planner.errors import PlanError
    from planner.outcomes import StoreError
    from planner.planfile import SaveError

    if order := swapped(args.plan, args.post_id, "a post id", "`cadence log PLAN POST_ID`"):
        return fail(order)
    plan = read_plan(args.plan)
    if plan is None:
        return EXIT_INVALID
    try:
        post = post_named(plan, args.post_id)  # an unknown post is said before a bad --at
    except UnknownPost as error:
        return fail(f"{args.plan}: {unknown_name('post', error.post_id, error.known)}")
    try:
        published_at = parse_when(args.at, plan.tz) if args.at else None
    except ValueError as error:
        return fail(f"--at: {error}")
    try:
        logged = log_publication(plan, post.id, published_at, url=args.url, mark=args.mark, store=args.db)
    except NotMarked as error:
        return fail(str(error))
    except PlanError as error:  # the store lies outside the plan's folder
        report_problems(error.problems)
        return EXIT_INVALID
    except StoreError as error:
        return fail(str(error))
    except SaveError as error:
        return fail(f"{error}; nothing was recorded")
    for note in logged.notes:  # what an upgrade of the store did
        print(note, file=sys.stderr)
    print(f"logged {post.id} on {post.channel}, published {logged.published_at.astimezone(plan.tz):%a %Y-%m-%d %H:%M %Z}, in {logged.store}")
    if logged.marked:
        print(f"marked {post.id} published in {plan.path}")
    elif args.mark:
        print(f"{post.id} is already published in {plan.path}")
    return EXIT_OK


def parse_when(text: str, tz) -> datetime:
    """An ISO date-time; without an offset it is a wall-clock time in the plan's zone."""
    from planner.localtime import instant

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date-time; write it as 2027-01-04T10:12 (or with an offset, +07:00)") from None
    if moment.tzinfo is None:
        return datetime.fromtimestamp(instant(moment, tz), timezone.utc)
    return moment
