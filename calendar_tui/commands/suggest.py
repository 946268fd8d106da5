"""``cadence suggest``: a backlog idea for each open slot, and ``--apply`` to add them."""

from __future__ import annotations

import argparse
import sys

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, add_range_options, choice, fail, range_error, report_problems, today


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
    from balance.engine import CheckOptions, context_for
    from balance.registry import vocabulary
    from balance.suggest_render import RENDERERS
    from planner.errors import PlanError
    from planner.loader import load_plan

    if error := range_error(args):
        return fail(error)
    try:
        plan = load_plan(args.plan, vocabulary())
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    options = CheckOptions(first=args.first, last=args.last, upcoming=args.upcoming)
    proposals = context_for(plan, options, today(args.today, plan.tz)).suggester.propose()
    if args.apply and args.format == "text" and proposals:
        return _apply_proposals(plan, proposals)
    sys.stdout.write(RENDERERS[args.format](proposals))
    return EXIT_OK


def _apply_proposals(plan, proposals) -> int:
    from balance.suggest_render import render_applied
    from planner.errors import PlanError
    from planner.loader import read_plan_file
    from planner.planfile import SaveError
    from balance.suggest import proposed_post
    from planner.writer import PlanText

    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    added, posts = [], []
    for proposal in proposals:
        if proposal.idea is None:
            continue
        posts.append(proposed_post(plan, proposal, taken))
        added.append((posts[-1]["id"], proposal))
    if posts:
        try:
            read_plan_file(plan.path).update(lambda text: PlanText(text).add_posts(posts))
        except PlanError as error:
            report_problems(error.problems)
            return EXIT_INVALID
        except SaveError as error:
            return fail(str(error))
    sys.stdout.write(render_applied(added, plan.path, len(proposals) - len(posts)))
    return EXIT_OK
