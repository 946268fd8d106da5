"""``cadence metrics``: record one figure of a channel, or import an analytics export (``metrics import``)."""

from __future__ import annotations

import argparse
import sys

from calendar_tui.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_store_option,
    add_table_options,
    count,
    did_you_mean,
    fail,
    parse_date,
    parse_map,
    read_plan,
    store_location,
    today,
)

USAGE = """cadence metrics PLAN CHANNEL METRIC VALUE [--on DATE] [--db PATH]
       cadence metrics import PLAN CSV [--map COLUMN=FIELD] [--channel CHANNEL] [--on DATE] [--partial] [--encoding NAME] [--sheet NAME] [--db PATH]"""


def register(commands) -> None:
    metrics = commands.add_parser(
        "metrics",
        usage=USAGE,
        help="record a channel's figure, or import an analytics export",
        description=(
            "Record one figure of a channel on a day (such as today's followers), or import a CSV of per-post and "
            "per-channel figures: Buffer's analytics export, Meta Business Suite's post export, or columns named "
            "post_id, channel, published_at, url, day, impressions, reach, likes, comments, shares, saves, clicks "
            "(and channel, day, metric, value for a channel's figures)."
        ),
    )
    metrics.add_argument("words", nargs="+", metavar="ARGS", help="PLAN CHANNEL METRIC VALUE, or: import PLAN CSV")
    metrics.add_argument("--on", type=parse_date, metavar="DATE", help="the day the figures are of (default: today)")
    metrics.add_argument("--map", type=parse_map, action="append", default=[], metavar="COLUMN=FIELD", help="import: map a column to a field (repeatable)")
    metrics.add_argument("--channel", help="import: the channel of rows that name none")
    metrics.add_argument("--partial", action="store_true", help="import: write the usable rows even if some are not")
    metrics.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    add_table_options(metrics, "import: ")
    add_store_option(metrics)
    metrics.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.words[0] == "import":
        if len(args.words) != 3:
            return fail("metrics import takes PLAN CSV")
        return _import(args, *args.words[1:])
    if len(args.words) != 4:
        return fail(f"metrics takes PLAN CHANNEL METRIC VALUE (or: import PLAN CSV)\nusage: {USAGE}")
    if args.map or args.partial or args.channel:
        return fail("--map, --channel and --partial are options of `cadence metrics import`")
    if args.encoding or args.sheet:
        return fail("--encoding and --sheet are options of `cadence metrics import`")
    return _record(args, *args.words)


def _record(args: argparse.Namespace, plan_path: str, channel: str, metric: str, text: str) -> int:
    from planner.metrics_import import figure
    from planner.outcomes import PLAN_WIDE, StoreError, figure_problem, known_metrics, record

    plan = read_plan(plan_path)
    if plan is None:
        return EXIT_INVALID
    if channel not in plan.channels and channel != PLAN_WIDE:
        return fail(f"{plan_path}: {did_you_mean('channel', channel, [*plan.channels, PLAN_WIDE])}")
    if metric not in known_metrics(plan):
        return fail(did_you_mean("metric", metric, known_metrics(plan)))
    try:
        value = figure(text)
    except ValueError as error:
        return fail(f"value {error}")
    if problem := figure_problem(value):
        return fail(f"value {text} {problem}; {metric} cannot be")
    day = args.on or today(args.today, plan.tz)
    path = store_location(plan, args.db)
    if path is None:
        return EXIT_INVALID
    try:
        record(path, lambda store: store.record_channel_metric(channel, day, metric, value))
    except StoreError as error:
        return fail(str(error))
    print(f"recorded {metric} = {value:g} for {channel} on {day} in {path}")
    return EXIT_OK


def _import(args: argparse.Namespace, plan_path: str, csv_path: str) -> int:
    from planner.csvfile import UnreadableCsv
    from planner.metrics_import import MappingError, read_metrics_csv
    from planner.outcomes import StoreError, record
    from planner.planfile import UnreadableInput
    from planner.tabular import read_table

    overrides = dict(args.map)
    plan = read_plan(plan_path)
    if plan is None:
        return EXIT_INVALID
    if args.channel and args.channel not in plan.channels:
        return fail(f"--channel: {did_you_mean('channel', args.channel, plan.channels)}")
    try:
        table = read_table(csv_path, args.encoding, args.sheet)
    except UnreadableInput as error:
        return fail(str(error))
    except UnreadableCsv as error:
        return fail(f"{csv_path}:{error.line}: {error}")
    if table.read_as:
        print(table.read_as, file=sys.stderr)
    if not table.records:
        return fail(f"{csv_path} is empty; it needs a header row and a row per figure")
    path = store_location(plan, args.db)
    if path is None:
        return EXIT_INVALID
    measured = args.on or today(args.today, plan.tz)

    def matched(publications: dict):
        return read_metrics_csv(table.records, plan, publications, measured, overrides, args.channel)

    try:  # first without a lock or a store: a file that cannot go in is refused before either
        seen = _publications(path)
        result = matched(seen)
    except StoreError as error:
        return fail(str(error))
    except MappingError as error:
        return fail(f"{csv_path}: {error}")
    if _refused(result, csv_path, args.partial):
        return EXIT_INVALID

    def write(store):
        publications = store.published()  # again, under the write lock: addresses logged meanwhile count
        final = result if publications == seen else matched(publications)
        if final is not result and _refused(final, csv_path, args.partial):
            raise _Refused
        return final, store.write_metrics(final.post_rows, final.channel_rows, final.publications)

    try:
        result, written = record(path, write)  # only now: a store switches the OUT rules on
    except StoreError as error:
        return fail(str(error))
    except _Refused:
        return EXIT_INVALID
    for line, kind, message in _problems(result):
        print(f"{csv_path}:{line}: {kind}: {message}", file=sys.stderr)
    print(
        f"{csv_path} ({result.layout.name} layout, {count(result.rows, 'row')}): {len(written['added'])} added, "
        f"{len(written['updated'])} updated, {len(written['unchanged'])} unchanged, {len(result.unmatched)} unmatched, "
        f"{len(result.rejected)} rejected; in {path}"
    )
    return EXIT_OK  # the rows --partial left out are on stderr; they are no findings about the plan


class _Refused(Exception):
    """The import found rows it cannot use, and was not told --partial; they are printed."""


def _problems(result) -> list[tuple[int, str, str]]:
    return sorted([(p.line, "unmatched", p.message) for p in result.unmatched] + [(p.line, "rejected", p.message) for p in result.rejected])


def _refused(result, csv_path: str, partial: bool) -> bool:
    """Without --partial, rows that cannot be used stop the import: say which, and that nothing was written."""
    problems = _problems(result)
    if not problems or partial:
        return False
    for line, kind, message in problems:
        print(f"{csv_path}:{line}: {kind}: {message}", file=sys.stderr)
    print(f"nothing written: {count(len(problems), 'row')} of {csv_path} cannot be used (--partial writes the others)", file=sys.stderr)
    return True


def _publications(path: str) -> dict:
    """The publications the store has, read-only, or none when it does not exist yet."""
    import os

    from planner.outcomes import OutcomeStore

    if not os.path.exists(path):
        return {}
    with OutcomeStore.read(path) as store:
        return store.published()
