"""``cadence log``: record that a post went out, in the outcomes store (and, with --mark, in the plan)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, add_store_option, fail, read_plan, store_location, swapped, unknown_name
from calendar_tui.commands.plan_edits import PlanEdit


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
    from planner.errors import PlanError
    from planner.loader import read_plan_file
    from planner.outcomes import StoreError, record
    from planner.planfile import SaveError
    from planner.writer import EditError

    if order := swapped(args.plan, args.post_id, "a post id", "`cadence log PLAN POST_ID`"):
        return fail(order)
    plan = read_plan(args.plan)
    if plan is None:
        return EXIT_INVALID
    post = next((post for post in plan.posts if post.id == args.post_id), None)
    if post is None:
        return fail(f"{args.plan}: {unknown_name('post', args.post_id, [p.id for p in plan.posts])}")
    try:
        published_at = parse_when(args.at, plan.tz) if args.at else datetime.now(timezone.utc)
    except ValueError as error:
        return fail(f"--at: {error}")
    marking = args.mark and post.status != "published"
    if marking:
        try:
            marking = PlanEdit(read_plan_file(plan.path), _marked(post.id), done="marked published")
        except PlanError as error:  # before the store: a mark that cannot be made records nothing
            return fail(f"{plan.path}: not marked: {error.problems[0]}")
        except EditError as error:
            return fail(f"{plan.path}: not marked: {error}; nothing was recorded")
    path = store_location(plan, args.db)
    if path is None:
        return EXIT_INVALID
    notes: list[str] = []
    try:  # the mark is saved inside the store's transaction: both are written, or neither
        record(
            path,
            lambda store: store.log_publication(post.id, post.channel, published_at, url=args.url),
            plan=plan,
            then=marking.save if marking else None,
            undo=marking.undo if marking else None,
            notes=notes,
        )
    except StoreError as error:
        return fail(str(error))
    except PlanError as error:
        return fail(f"{plan.path}: not marked: {error.problems[0]}; nothing was recorded")
    except SaveError as error:
        return fail(f"{error}; nothing was recorded")
    for note in notes:  # what an upgrade of the store did
        print(note, file=sys.stderr)
    print(f"logged {post.id} on {post.channel}, published {published_at.astimezone(plan.tz):%a %Y-%m-%d %H:%M %Z}, in {path}")
    if marking:
        print(f"marked {post.id} published in {plan.path}")
    elif args.mark:
        print(f"{post.id} is already published in {plan.path}")
    return EXIT_OK


def _marked(post_id: str):
    """The change that sets a post's status to ``published``."""
    from planner.writer import ChangePost, PlanText

    return lambda body: PlanText(body).apply(ChangePost(post_id, {"status": "published"}))


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
