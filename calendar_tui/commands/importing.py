"""``cadence import``: bulk-add posts from a CSV or an .xlsx workbook."""

from __future__ import annotations

import argparse
import sys

from balance.text import counted
from calendar_tui.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_table_options,
    fail,
    parse_map,
    report_problems,
    unknown_name,
)


def register(commands) -> None:
    importer = commands.add_parser(
        "import",
        help="bulk-add posts from a CSV or an .xlsx workbook",
        description=(
            "Bulk-add posts from a CSV or an .xlsx workbook (your own, cadence's export, or Buffer's, Hootsuite's and "
            "Sprout Social's bulk-upload files)."
        ),
    )
    importer.add_argument(
        "csv", metavar="CSV", help="the CSV (comma, semicolon or tab; a header row, except in Hootsuite's layout) or .xlsx file"
    )
    importer.add_argument("plan", metavar="PLAN", help="the plan to add the posts to")
    importer.add_argument("--map", type=parse_map, action="append", default=[], metavar="COLUMN=FIELD", help="map a column to a post field (repeatable)")
    importer.add_argument("--channel", help="the channel of rows that name none")
    importer.add_argument("--kind", help="the kind of rows that name none")
    importer.add_argument("--status", help="the status of rows that name none (default: draft)")
    importer.add_argument("--date-format", metavar="FORMAT", help='how times are written, in pendulum tokens, e.g. "DD/MM/YYYY HH:mm"')
    importer.add_argument("--extend", action="store_true", help="widen [plan] start/end to hold rows outside the horizon")
    importer.add_argument("--dry-run", action="store_true", help="show what would be added; change nothing")
    importer.add_argument("--partial", action="store_true", help="add the valid rows even if some are not (exit 0; the others are listed)")
    add_table_options(importer)
    importer.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.csvfile import UnreadableCsv
    from planner.errors import PlanError
    from planner.importer import read_csv
    from planner.model import STATUSES
    from calendar_tui.usecases.plans import open_plan, plan_of
    from planner.loader import read_plan_file
    from planner.planfile import SaveError, UnreadableInput, keeping_bom
    from planner.tabular import read_table, table_kind
    from planner.writer import PlanText

    overrides = dict(args.map)
    try:
        plan = open_plan(args.plan)
    except PlanError as error:
        if kind := table_kind(args.plan):  # the arguments the wrong way round: a CSV's lines are no TOML
            return fail(f"{args.plan} looks like {kind}, not a plan: the order is cadence import CSV PLAN")
        report_problems(error.problems)
        return EXIT_INVALID
    try:
        table = read_table(args.csv, args.encoding, args.sheet)
    except UnreadableInput as error:
        return fail(str(error))
    except UnreadableCsv as error:
        print(f"{args.csv}:{error.line}:1: {error}", file=sys.stderr)
        print(f"nothing added: {args.csv} cannot be imported as it is", file=sys.stderr)
        return EXIT_INVALID
    if table.read_as:
        print(table.read_as, file=sys.stderr)
    defaults = {key: value for key, value in (("channel", args.channel), ("kind", args.kind), ("status", args.status)) if value}
    for option, known in (("channel", plan.channels), ("kind", plan.kinds), ("status", STATUSES)):
        if option in defaults and defaults[option] not in known:
            return fail(f"--{option}: {unknown_name(option, defaults[option], known)}")
    result = read_csv(table.records, plan, overrides, defaults, args.date_format, extend=args.extend)
    for problem in result.problems:
        print(f"{table.where(problem.line, problem.column)}: {problem.message}", file=sys.stderr)
    if result.refused:
        print(f"nothing added: {args.csv} cannot be imported as it is", file=sys.stderr)
        return EXIT_INVALID
    if result.problems and not args.partial:
        rows = len({problem.line for problem in result.problems})
        print(f"nothing added: {counted(rows, 'row')} of {args.csv} cannot be imported (--partial adds the others)", file=sys.stderr)
        return EXIT_INVALID
    posts = [{key: value for key, value in post.items() if key != "line"} for post in result.posts]
    if result.problems and not posts:
        print(f"nothing added: no row of {args.csv} can be imported", file=sys.stderr)
        return EXIT_INVALID
    for post in posts:
        print(f"+ {post['id']}  {post['at']:%a %Y-%m-%d %H:%M}  {post['channel']}  {post['kind']}  {post['title']}")
    for line, post_id, how in result.duplicates:
        print(f"= {post_id}  already in the plan ({table.unit} {line}: {how}); skipped")
    start, end = result.horizon(plan)
    widened = (start, end) != (plan.start, plan.end)
    if widened:
        print(f"horizon {plan.start}..{plan.end} becomes {start}..{end}")
    skipped = f"; skipped {counted(len(result.duplicates), 'duplicate')}" if result.duplicates else ""
    if args.dry_run:
        print(f"would add {counted(len(posts), 'post')} to {args.plan}{skipped} (dry run: nothing written)")
        return EXIT_OK
    if posts:
        def added(text: str) -> str:  # under the plan's lock, on the text as it is then
            if widened:
                text = PlanText(text).change_table(("plan",), None, {"start": start, "end": end})
            text = PlanText(text).add_posts(posts)
            plan_of(text, args.plan)
            return text

        try:
            read_plan_file(args.plan).update(keeping_bom(added))
        except PlanError as error:
            for problem in error.problems:
                print(f"after import: {problem}", file=sys.stderr)
            return fail("nothing added: the plan would not be valid")
        except SaveError as error:
            return fail(str(error))
    print(f"added {counted(len(posts), 'post')} to {args.plan}{skipped}")
    if result.problems:  # --partial: the rows above were left out; what was written is what was asked
        rows = len({problem.line for problem in result.problems})
        print(f"left out {counted(rows, 'row')} of {args.csv}", file=sys.stderr)
    return EXIT_OK
