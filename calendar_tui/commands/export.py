"""``cadence export``: the plan as a calendar file (.ics), a scheduler's bulk-upload CSV or a static calendar site."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta

from balance.text import counted
from calendar_tui.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    fail,
    parse_date,
    parse_duration,
    range_error,
    report_problems,
    today,
    unknown_name,
    write_output,
)
from planner.exporting.vendors import LAYOUTS

FORMATS = ("ics", *LAYOUTS, "html")  # the calendar file, every CSV layout, the calendar site


def format_or_date(text: str) -> str | date:
    """``--to`` names the format (``--to ics``, as docs/export.md writes it) or the last day (``--to 2027-01-31``,
    as in ``check``): a format never looks like a date, so both can be given."""
    if text in FORMATS:
        return text
    if text[:1].isdigit():
        return parse_date(text)
    from planner.errors import did_you_mean

    hint = did_you_mean(text, FORMATS)
    raise argparse.ArgumentTypeError(f"{text!r} is neither a format ({', '.join(FORMATS)}) nor a date (YYYY-MM-DD){hint}")


def register(commands) -> None:
    export = commands.add_parser(
        "export",
        help="write the plan as .ics, a scheduler's bulk-upload CSV or a calendar site",
        description=(
            "Write the plan as a calendar file (ics) or a bulk-upload CSV: csv (cadence's own, which "
            "`cadence import` reads back), buffer, hootsuite, sprout (one file per channel; posts a "
            "scheduler would refuse, and posts with errors in `cadence check`, are left out and listed "
            "on standard error; the files written are valid, exit 0); or html, a static calendar site in a folder "
            "(-o DIR): a page per month with its findings, self-contained, for GitHub Pages or a CI artefact."
        ),
    )
    export.add_argument("plan", metavar="PLAN", help="the plan (TOML)")
    export.add_argument(
        "--to",
        dest="to",
        type=format_or_date,
        action="append",
        default=[],
        metavar="FORMAT|DATE",
        help=f"the format: {', '.join(FORMATS)} (default: ics); or, given a date, the last local day",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE",
        help="write here (several files for a scheduler: FILE-CHANNEL[.N].csv; html: the folder DIR); default: standard output",
    )
    export.add_argument("--from", dest="first", type=parse_date, metavar="DATE", help="first local day (default: every post)")
    export.add_argument("--upcoming", type=parse_duration, metavar="DURATION", help='only from today for this long, e.g. "14d"')
    export.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    export.add_argument("--channel", action="append", default=[], metavar="NAME", help="only these channels (repeatable, or comma-separated)")
    export.add_argument("--slots", action="store_true", help="ics: add the open cadence slots as transparent events")
    export.add_argument(
        "--include-unready", action="store_true", help="buffer, hootsuite, sprout: also send posts that `cadence check` finds errors in"
    )
    export.add_argument("--db", metavar="PATH", help="html: the outcomes store (default: [plan] outcomes, else .cadence/outcomes.db beside the plan)")
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calendar_tui.usecases.plans import open_plan
    from planner.errors import PlanError
    from planner.exporting import chosen_posts

    formats = [value for value in args.to if isinstance(value, str)]
    days = [value for value in args.to if isinstance(value, date)]
    if len(formats) > 1 or len(days) > 1:
        return fail("--to names one format and at most one last day")
    args.format, args.last = (formats or ["ics"])[0], (days or [None])[0]
    if error := range_error(args):
        return fail(error)
    if args.db and args.format != "html":
        return fail("--db goes with --to html")
    if args.slots and args.format != "ics":
        return fail("--slots goes with --to ics")
    if args.include_unready and args.format in ("ics", "csv", "html"):
        return fail(f"--include-unready goes with --to buffer, hootsuite or sprout; --to {args.format} has every post already")
    try:
        plan = open_plan(args.plan)
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    channels = [name.strip() for option in args.channel for name in option.split(",") if name.strip()]
    for name in channels:
        if name not in plan.channels:
            return fail(f"--channel: {unknown_name('channel', name, plan.channels)}")
    day = today(args.today, plan.tz)
    first, last = args.first, args.last
    if args.upcoming is not None:
        first, last = day, day + timedelta(days=max(args.upcoming.days, 1) - 1)
    if args.format == "html":
        return _site(args, plan, first, last, channels, day)
    if args.format == "ics":
        return _ics(args, plan, chosen_posts(plan, first, last, channels, statuses=("skipped",)), first, last, channels, day)
    return _vendor(args, plan, chosen_posts(plan, first, last, channels), day)


def _ics(args, plan, posts, first, last, channels, day) -> int:
    from planner.days_off import days_off_between
    from planner.exporting.ics import to_ics

    slots = []
    if args.slots:
        from balance.engine import CheckOptions, context_for

        options = CheckOptions(first=first, last=last, suggestions=False)
        gaps = context_for(plan, options, day).gaps
        slots = [(channel, ts) for channel, instants in gaps.items() if not channels or channel in channels for ts in instants]
    days_off = days_off_between(plan, first or plan.start, last or plan.end, channels)
    data = to_ics(plan, posts, slots, days_off)
    if not write_output(args.output, data):
        return EXIT_INVALID
    extra = f" and {counted(len(slots), 'open slot')}" if args.slots else ""
    if args.output:
        print(f"wrote {counted(len(posts), 'post')}{extra} to {args.output}", file=sys.stderr)
    return EXIT_OK


def _site(args, plan, first, last, channels, day) -> int:
    from balance.calendar_site import build_site
    from planner.errors import PlanError
    from planner.outcomes import StoreError, read_outcomes

    if not args.output:
        return fail("--to html writes a folder of pages (index.html and one per month); name it with -o DIR")
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        return fail(f"-o {args.output}: not a folder; --to html writes a folder of pages")
    notes: list[str] = []
    try:
        outcomes = read_outcomes(plan, args.db, notes)  # read-only, as `cadence report` reads it
    except PlanError as error:
        report_problems(error.problems)
        return EXIT_INVALID
    except StoreError as error:
        return fail(str(error))
    for note in notes:
        print(note, file=sys.stderr)
    pages = build_site(plan, outcomes, day, first, last, tuple(channels))
    try:
        os.makedirs(args.output, exist_ok=True)
    except OSError as error:
        return fail(f"{args.output}: cannot be created: {error.strerror or error}")
    for page in pages:
        if not write_output(os.path.join(args.output, page.name), page.text.encode("utf-8")):
            return EXIT_INVALID
    print(f"wrote {counted(len(pages), 'page')} to {args.output}: index.html and one per month", file=sys.stderr)
    return EXIT_OK


def _vendor(args, plan, posts, day) -> int:
    import time
    from datetime import datetime

    from balance.text import printable
    from planner.exporting.vendors import NamingError, export_csv, file_names
    from planner.localtime import instant

    layout = LAYOUTS[args.format]
    if args.today or os.environ.get("CADENCE_TODAY"):  # a fixed day: uploads are judged from its midnight
        now = instant(datetime(day.year, day.month, day.day), plan.tz)
    else:
        now = int(time.time())
    sendable = [post for post in posts if post.status not in layout.leaves_out]
    codes = _errors_by_post(plan, day) if layout.upload and not args.include_unready else {}
    unready = [post for post in sendable if post.id in codes]
    result = export_csv(plan, [post for post in sendable if post.id not in codes], layout, now)
    reports = [(post, f"left out {_named(post)}: not ready: {codes[post.id]} (--include-unready sends it)") for post in unready]
    reports += [(item.post, f"left out {_named(item.post)}: {item.reason}") for item in result.rejected]
    reports += [
        (item.post, f'{_named(item.post)}: {item.column} starts with "{item.cell[:1]}", so a spreadsheet would run it as a formula; '
         f"written as it is, since {args.format} reads it as text")
        for item in result.formulas
    ]
    for post, report in sorted(reports, key=lambda pair: pair[0].index):  # in the plan's order, like check's findings
        line, column = plan.locate(("post", post.index))
        print(printable(f"{plan.path}:{line}:{column}: {report}"), file=sys.stderr)
    files = result.files
    if len(files) > 1 and not args.output:
        limit = f", at most {layout.max_rows} rows each" if layout.max_rows else ""
        return fail(f"--to {args.format} makes {len(files)} files (one per channel{limit}); name them with -o FILE")
    try:  # every name is checked before the first file is written
        targets = file_names(args.output, files) if args.output else [None] * len(files)
    except NamingError as error:
        return fail(str(error))
    for file, target in zip(files, targets):
        if not write_output(target, file.text.encode("utf-8")):
            return EXIT_INVALID
        if target:
            print(printable(f"wrote {target}"), file=sys.stderr)
    parts = [(len(unready), "not ready")] if unready else []
    parts += [(len(result.rejected), f"that {args.format} would refuse")] if result.rejected else []
    if len(parts) == 1:
        print(f"left out {counted(parts[0][0], 'post')} {parts[0][1]}", file=sys.stderr)
    elif parts:
        print(f"left out {counted(len(unready) + len(result.rejected), 'post')}: {', '.join(f'{n} {why}' for n, why in parts)}", file=sys.stderr)
    return EXIT_OK  # exit 1 is for findings; the files written are whole and valid


def _named(post) -> str:
    return f"{post.id} ({post.at:%a %Y-%m-%d %H:%M})"


def _errors_by_post(plan, day) -> dict[str, str]:
    """The posts that `cadence check` finds errors in (the plan's own [rules] apply), with their codes."""
    from balance.engine import CheckOptions, active_rules, run

    errors = tuple(rule.code for rule, severity in active_rules(plan, CheckOptions()) if severity == "error")  # only these can hold a post
    codes: dict[str, set[str]] = {}
    for diagnostic in run(plan, CheckOptions(select=errors, suggestions=False), day) if errors else ():
        if diagnostic.severity == "error":
            for post_id in diagnostic.post_ids:
                codes.setdefault(post_id, set()).add(f"{diagnostic.code} {diagnostic.name}")
    return {post_id: ", ".join(sorted(found)) for post_id, found in codes.items()}
