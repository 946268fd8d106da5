"""``cadence merge-driver %O %A %B %P``: a git merge driver that merges plans post by post.

Set it up once per clone (docs/teams.md shows the lines)::

    git config merge.cadence.name "cadence: merge content plans post by post"
    git config merge.cadence.driver "cadence merge-driver %O %A %B %P"
    echo "content-plan.toml merge=cadence" >> .gitattributes

git calls it with the ancestor's, ours' and theirs' versions in temporary files; the result
replaces ours' file (%A). Exit 0: merged cleanly; 1: conflicts, marked around the posts (or
lines) that conflict; 2: a version is not a TOML plan, and the file holds git's line merge.
"""

from __future__ import annotations

import argparse
import sys

from balance.text import counted
from calendar_tui.commands.common import EXIT_FINDINGS, EXIT_OK, fail


def register(commands) -> None:
    driver = commands.add_parser(
        "merge-driver",
        help="a git merge driver that merges posts by id",
        description=(
            "Merge three versions of a plan post by post, for git (merge.<name>.driver). Posts are keyed by id; "
            "only a post changed differently on both sides conflicts, with markers around its block alone."
        ),
    )
    driver.add_argument("base", metavar="O", help="the common ancestor's version (%%O)")
    driver.add_argument("ours", metavar="A", help="ours; the result is written here (%%A)")
    driver.add_argument("theirs", metavar="B", help="theirs (%%B)")
    driver.add_argument("path", nargs="?", default=None, metavar="P", help="the plan's path in the repository, for messages (%%P)")
    driver.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.errors import PlanError
    from planner.merge import merge, merge_text
    from planner.planfile import UnreadableInput, read_input, write_atomically

    name = args.path or args.ours
    texts = []
    for which, path in (("the ancestor's", args.base), ("our", args.ours), ("their", args.theirs)):
        try:
            texts.append(read_input(path))
        except UnreadableInput as error:
            return fail(f"{name}: cannot read {which} version {path}: {error.reason}")
    base, ours, theirs = texts
    labels = (f"{name} (ours)", f"{name} (ancestor)", f"{name} (theirs)")
    try:
        try:
            result = merge(base, ours, theirs, labels)
        except PlanError as error:
            merged, _ = merge_text(base, ours, theirs, labels)
            write_atomically(args.ours, merged.encode("utf-8"))
            problem = error.problems[0]
            return fail(f"{problem.path}:{problem.line}:{problem.column}: {problem.message}; merged line by line instead")
        write_atomically(args.ours, result.text.encode("utf-8"))
    except OSError as error:
        return fail(f"{name}: {error.strerror or error}")
    for post_id in result.conflicts:
        if post_id in result.deleted_against_edit:
            print(f"{name}: post {post_id!r} was deleted on one side and changed on the other", file=sys.stderr)
        elif post_id == "outside posts":
            print(f"{name}: lines outside the posts conflict", file=sys.stderr)
        else:
            print(f"{name}: post {post_id!r} was changed differently on both sides", file=sys.stderr)
    if result.conflicts:
        print(f"{name}: {counted(len(result.conflicts), 'conflict')}, marked in the file", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK
