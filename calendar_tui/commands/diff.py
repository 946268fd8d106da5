"""``cadence diff``: what changed in the schedule between two versions of a plan.

Each side is a git revision (read with ``git show REV:path``) or a plan file; left out, OLD is
``HEAD`` and NEW the working tree. An argument that names an existing file, or ends in
``.toml``, is a file; anything else is a revision of ``--plan``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, fail, one_of, parse_date, report_problems, today

DEFAULT_PLAN = "content-plan.toml"


def register(commands) -> None:
    diff = commands.add_parser(
        "diff",
        help="what changed in the schedule between two versions",
        description=(
            "Show the posts added, removed, moved and changed between two versions of a plan, by day, "
            "the findings that are new and fixed, and the mix per channel before and after. "
            "A version is a git revision or a plan file; by default HEAD against the working tree."
        ),
    )
    diff.add_argument("old", nargs="?", default="HEAD", metavar="OLD", help="a git revision or a plan file (default: HEAD)")
    diff.add_argument("new", nargs="?", metavar="NEW", help="a git revision or a plan file (default: the working tree)")
    diff.add_argument("--plan", metavar="PATH", help=f"the plan, in the working tree and in revisions (default: {DEFAULT_PLAN})")
    diff.add_argument("--format", type=one_of("text", "md", "json"), default="text", metavar="FORMAT", help="text, md (for a pull request) or json (default: text)")
    diff.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date for the checks (also CADENCE_TODAY)")
    diff.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from balance.diff import compare
    from balance.diff_render import RENDERERS
    from calendar_tui.usecases.plans import plan_of
    from planner.errors import PlanError
    from planner.versions import VersionError

    path = args.plan or DEFAULT_PLAN
    try:
        old_version, new_version = read_side(args.old, path), read_side(args.new, path)
    except VersionError as error:
        return fail(str(error))
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    plans, problems = [], []
    for version in (old_version, new_version):
        try:
            plans.append(plan_of(version.text, version.label))
        except PlanError as error:
            problems.extend(error.problems)
    if problems:
        report_problems(problems)
        return EXIT_INVALID
    old, new = plans
    day = today(args.today, new.tz)
    if old_version.text == new_version.text:
        old_findings = new_findings = []
    else:
        old_findings, new_findings = findings_of_both(old, new, day)
    difference = compare(old, new, list(old_findings), list(new_findings))
    sys.stdout.write(RENDERERS[args.format](difference))
    return EXIT_OK


def findings_of_both(old, new, day: date):
    """Both versions' findings. Where the system can fork, a child checks the old version while
    this process checks the new one (the plans are already read, so nothing but the findings
    crosses the pipe); if the child fails, the old version is checked here after all."""
    import pickle

    from balance.engine import CheckOptions, run as run_rules

    options = CheckOptions(suggestions=False)
    if not hasattr(os, "fork"):
        return run_rules(old, options, day), run_rules(new, options, day)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(run_rules(old, options, day)))
            status = 0
        finally:
            os._exit(status)  # no exit handlers, no flushing of the parent's buffers
    os.close(writer)
    new_findings = run_rules(new, options, day)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(child, 0)
    if status != 0 or not data:
        return run_rules(old, options, day), new_findings
    return pickle.loads(data), new_findings


def read_side(spec: str | None, plan: str):
    """A version named on the command line: a file, a revision of ``plan``, or the working tree."""
    from planner.versions import revision, working_tree

    if spec is None:
        return working_tree(plan)
    if os.path.isfile(spec) or spec.endswith(".toml"):
        return working_tree(spec)
    return revision(spec, plan)
