"""``cadence suggest``: a backlog idea for each open slot, and ``--apply`` to add them."""

from __future__ import annotations

import argparse

from balance.text import counted
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
    import json

    from balance.engine import CheckOptions, context_for
    from balance.registry import vocabulary
    from balance.text import printable, printable_json
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
    if args.format == "json":
        rows = [
            {"channel": p.channel, "at": p.at.isoformat(), "idea": p.idea.id if p.idea else None,
             "kind": p.idea.kind if p.idea else None, "title": p.idea.title if p.idea else None}
            for p in proposals
        ]
        print(printable_json(json.dumps({"version": 1, "proposals": rows}, indent=2, ensure_ascii=False)))
        return EXIT_OK
    if not proposals:
        print("no open slots: every cadence slot in the range has a post")
        return EXIT_OK
    if args.apply:
        return _apply_proposals(plan, proposals)
    width = max(len(p.channel) for p in proposals)
    for p in proposals:
        what = f'{p.idea.id}  "{p.idea.title}" ({p.idea.kind})' if p.idea else "no backlog idea fits without breaking the mix"
        print(printable(f"{p.at:%a %Y-%m-%d %H:%M}  {p.channel:<{width}}  {what}"))
    filled = sum(1 for p in proposals if p.idea)
    print(f"\n{filled} of {len(proposals)} open slots can be filled from the backlog")
    return EXIT_OK


def _apply_proposals(plan, proposals) -> int:
    from balance.text import printable
    from planner.errors import PlanError
    from planner.loader import read_plan_file
    from planner.planfile import SaveError
    from planner.writer import PlanText, new_post_id

    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    posts = []
    for proposal in proposals:
        if proposal.idea is None:
            continue
        at = proposal.at.replace(tzinfo=None)
        post_id = new_post_id(plan.channels[proposal.channel].mark, at, proposal.idea.title, taken)
        taken.add(post_id)
        posts.append({
            "id": post_id, "at": at, "channel": proposal.channel, "kind": proposal.idea.kind,
            "title": proposal.idea.title, "body": proposal.idea.body or None, "status": "idea", "idea": proposal.idea.id,
        })
        print(printable(f"+ {post_id}  {proposal.at:%a %Y-%m-%d %H:%M}  {proposal.channel}  from {proposal.idea.id}"))
    if posts:
        try:
            read_plan_file(plan.path).update(lambda text: PlanText(text).add_posts(posts))
        except PlanError as error:
            report_problems(error.problems)
            return EXIT_INVALID
        except SaveError as error:
            return fail(str(error))
    print(printable(f"added {counted(len(posts), 'post')} to {plan.path}; {len(proposals) - len(posts)} open slots left"))
    return EXIT_OK
