"""``cadence metrics``: record one figure of a channel, import an analytics export (``metrics import``),
or make a plan's own the rows of the store that no plan was given (``metrics claim``)."""

from __future__ import annotations

import argparse
import os
import sys

from balance.text import counted
from calendar_tui.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_store_option,
    choice,
    add_table_options,
    fail,
    one_of,
    parse_date,
    parse_map,
    read_plan,
    store_location,
    swapped,
    today,
    unknown_name,
)
from calendar_tui.usecases.plan_edits import PlanEdit

USAGE = """cadence metrics PLAN CHANNEL METRIC VALUE [--on DATE] [--decimal MARK] [--extend] [--db PATH]
       cadence metrics import PLAN CSV [--map COLUMN=FIELD] [--channel CHANNEL] [--on DATE] [--decimal MARK]
                              [--date-order {day-first,month-first}] [--extend] [--partial]
                              [--encoding NAME] [--sheet NAME] [--db PATH]
       cadence metrics claim PLAN [--channel CHANNEL] [--from OLD] [--db PATH]"""
ONLY = {  # the options of one form of the command
    "import": {"map": "--map", "partial": "--partial", "date_order": "--date-order", "encoding": "--encoding", "sheet": "--sheet"},
    "claim": {"from_plan": "--from"},
}
DATE_ORDERS = {"day-first": "dmy", "month-first": "mdy"}  # --date-order, as planner.written_times names the orders


def register(commands) -> None:
    metrics = commands.add_parser(
        "metrics",
        usage=USAGE,
        help="record a channel's figure, import an analytics export, or claim rows of the store",
        description=(
            "Record one figure of a channel on a day (such as today's followers), or import a CSV of per-post and "
            "per-channel figures: Buffer's analytics export, Meta Business Suite's post export, or columns named "
            "post_id, channel, published_at, url, day, impressions, reach, likes, comments, shares, saves, clicks "
            "(and channel, day, metric, value for a channel's figures). `metrics claim` makes the plan's own the "
            "rows of the store that no plan was given (or a renamed plan's, with --from)."
        ),
    )
    metrics.add_argument("words", nargs="+", metavar="ARGS", help="PLAN CHANNEL METRIC VALUE, or: import PLAN CSV, or: claim PLAN")
    metrics.add_argument("--on", type=parse_date, metavar="DATE", help="the day the figures are of (default: today)")
    metrics.add_argument("--decimal", type=one_of(".", ","), metavar="MARK", help="the figures' decimal mark, . or , (default: as the figures show it)")
    metrics.add_argument("--extend", action="store_true", help="widen [plan] start/end to hold figures outside the horizon")
    metrics.add_argument("--map", type=parse_map, action="append", default=[], metavar="COLUMN=FIELD", help="import: map a column to a field (repeatable)")
    metrics.add_argument("--channel", help="import: the channel of rows that name none; claim: only the rows about this channel")
    metrics.add_argument("--date-order", **choice(*DATE_ORDERS), help="import: how the file writes dates like 05/01/2027 (default: as its rows show)")
    metrics.add_argument("--partial", action="store_true", help="import: write the usable rows even if some are not")
    metrics.add_argument("--from", dest="from_plan", metavar="OLD", help="claim: the rows of the plan OLD (a renamed plan's old name) instead of no plan's")
    metrics.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    add_table_options(metrics, "import: ")
    add_store_option(metrics)
    metrics.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    form = args.words[0] if args.words[0] in ("import", "claim") else "one figure"
    for other, options in ONLY.items():
        given = [flag for name, flag in options.items() if getattr(args, name)]
        if given and other != form:
            return fail(f"{', '.join(given)}: an option of `cadence metrics {other}`")
    if form == "import":
        if len(args.words) != 3:
            return fail("metrics import takes PLAN CSV")
        if order := swapped(args.words[1], args.words[2], "a CSV", "`cadence metrics import PLAN CSV`"):
            return fail(order)
        return _import(args, *args.words[1:])
    if form == "claim":
        if len(args.words) != 2:
            return fail("metrics claim takes PLAN")
        if args.on or args.decimal or args.extend:
            return fail("--on, --decimal and --extend are not options of `cadence metrics claim`")
        return _claim(args, args.words[1])
    if len(args.words) != 4:
        return fail(f"metrics takes PLAN CHANNEL METRIC VALUE (or: import PLAN CSV, or: claim PLAN)\nusage: {USAGE}")
    if args.channel:
        return fail("--channel: an option of `cadence metrics import` and `cadence metrics claim`")
    return _record(args, *args.words)


def _record(args: argparse.Namespace, plan_path: str, channel: str, metric: str, text: str) -> int:
    from planner.metrics_import import outside_horizon
    from planner.outcomes import PLAN_WIDE, figure_problem, known_metrics, whole_metric
    from planner.written_numbers import decimal_mark, read_number

    plan = read_plan(plan_path)
    if plan is None:
        return EXIT_INVALID
    if channel not in plan.channels and channel != PLAN_WIDE:
        return fail(f"{plan_path}: {unknown_name('channel', channel, [*plan.channels, PLAN_WIDE])}")
    if metric not in known_metrics(plan):
        return fail(unknown_name("metric", metric, known_metrics(plan)))
    whole = whole_metric(metric)
    try:
        value = read_number(text, args.decimal or decimal_mark([(1, text, whole)]), whole)
    except ValueError as error:
        return fail(f"value {error}")
    if problem := figure_problem(value):
        return fail(f"value {text} {problem}; {metric} cannot be")
    path = store_location(plan, args.db)
    if path is None:
        return EXIT_INVALID
    day = args.on or today(args.today, plan.tz)
    if (reason := outside_horizon(plan, day)) and not args.extend:
        return fail(f"not recorded: {f'--on {day}' if args.on else f'today, {day},'} {reason}")
    return _recorded(
        path, plan, lambda store: store.record_channel_metric(channel, day, metric, value), (min(plan.start, day), max(plan.end, day)),
        lambda _: print(f"recorded {metric} = {value:.15g} for {channel} on {day} in {path}"),  # every digit given
    )


def _import(args: argparse.Namespace, plan_path: str, csv_path: str) -> int:
    from planner.conventions import ConventionError
    from planner.csvfile import UnreadableCsv
    from planner.metrics_import import MappingError, read_metrics_csv
    from planner.outcomes import StoreError
    from planner.planfile import UnreadableInput
    from planner.tabular import read_table

    overrides = dict(args.map)
    plan = read_plan(plan_path)
    if plan is None:
        return EXIT_INVALID
    if args.channel and args.channel not in plan.channels:
        return fail(f"--channel: {unknown_name('channel', args.channel, plan.channels)}")
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
    order = DATE_ORDERS.get(args.date_order)

    def matched(publications: dict):
        return read_metrics_csv(table.records, plan, publications, measured, overrides, args.channel, args.decimal, order, args.extend)

    try:  # first without a lock or a store: a file that cannot go in is refused before either
        seen = _publications(path, plan)
        result = matched(seen)
    except StoreError as error:
        return fail(str(error))
    except MappingError as error:
        return fail(f"{csv_path}: {error}")
    except ConventionError as error:
        return fail(f"{csv_path}:{error.line}: {error}")
    if _refused(result, csv_path, args.partial):
        return EXIT_INVALID

    def write(store):
        publications = store.published()  # again, under the write lock: addresses logged meanwhile count
        final = result if publications == seen else matched(publications)
        if final is not result and _refused(final, csv_path, args.partial):
            raise _Refused
        return final, store.write_metrics(final.post_rows, final.channel_rows, final.publications)

    def say(outcome) -> None:  # the rows --partial left out are on stderr; they are no findings about the plan
        final, written = outcome
        for line, kind, message in _problems(final):
            print(f"{csv_path}:{line}: {kind}: {message}", file=sys.stderr)
        print(
            f"{csv_path} ({final.layout.name} layout, {counted(final.rows, 'row')}): {len(written['added'])} added, "
            f"{len(written['updated'])} updated, {len(written['unchanged'])} unchanged, {len(final.unmatched)} unmatched, "
            f"{len(final.rejected)} rejected; in {path}"
        )

    return _recorded(path, plan, write, result.horizon(plan), say)


def _recorded(path: str, plan, write, horizon: tuple, say) -> int:
    """``write`` into the plan's store, and the plan widened to ``horizon`` (--extend) if that is
    wider: both, or neither. Then ``say(what write returned)``, and the widening."""
    from planner.errors import PlanError
    from planner.loader import read_plan_file
    from planner.outcomes import StoreError, record
    from planner.planfile import SaveError
    from planner.writer import EditError, PlanText

    start, end = horizon
    widening = None
    if (start, end) != (plan.start, plan.end):
        def widened(body: str) -> str:
            return PlanText(body).change_table(("plan",), None, {"start": start, "end": end})

        try:
            widening = PlanEdit(read_plan_file(plan.path), widened, done=f"widened to {start}..{end}")
        except PlanError as error:  # before the store: a widening that cannot be made records nothing
            return fail(f"{plan.path}: not widened: {error.problems[0]}; nothing was recorded")
        except EditError as error:
            return fail(f"{plan.path}: not widened: {error}; nothing was recorded")
    notes: list[str] = []
    try:
        if widening is None:
            result = record(path, write, plan=plan, notes=notes)
        else:
            result = record(path, write, plan=plan, then=widening.save, undo=widening.undo, notes=notes)
    except StoreError as error:
        return fail(str(error))
    except PlanError as error:
        return fail(f"{plan.path}: not widened: {error.problems[0]}; nothing was recorded")
    except SaveError as error:
        return fail(f"{error}; nothing was recorded")
    except _Refused:
        return EXIT_INVALID
    for note in notes:  # what an upgrade of the store did
        print(note, file=sys.stderr)
    say(result)
    if widening:
        print(f"horizon {plan.start}..{plan.end} becomes {start}..{end} in {plan.path}")
    return EXIT_OK


def _claim(args: argparse.Namespace, plan_path: str) -> int:
    from planner.outcomes import PLAN_WIDE, UNASSIGNED, plan_key

    plan = read_plan(plan_path)
    if plan is None:
        return EXIT_INVALID
    if args.channel and args.channel not in plan.channels and args.channel != PLAN_WIDE:
        return fail(f"--channel: {unknown_name('channel', args.channel, [*plan.channels, PLAN_WIDE])}")
    path = store_location(plan, args.db)
    if path is None:
        return EXIT_INVALID
    if not os.path.exists(path):
        return fail(f"{path}: no outcomes store there, so nothing to claim")
    key = plan_key(plan.path, path)
    if args.from_plan == key:
        return fail(f"--from {args.from_plan} is {plan_path}'s own name in the store")
    source = args.from_plan if args.from_plan is not None else UNASSIGNED
    about = f" about {args.channel}" if args.channel else ""

    def say(outcome) -> None:
        claimed, left = outcome
        total = sum(claimed.values())
        rows = ", ".join(counted(number, kind) for kind, number in zip(("publication", "post figure", "channel figure"), claimed.values()))
        taken = counted(total, "row") + f" of {args.from_plan}" if args.from_plan is not None else counted(total, "unassigned row")
        print(f"{key} claimed {taken}{about} in {path}: {rows}")
        if left:
            print(f"{counted(left, 'row')} left as {'it was' if left == 1 else 'they were'}: {key} has its own of the same post and day, or channel, day and metric")

    return _recorded(path, plan, lambda store: store.claim(source, args.channel), (plan.start, plan.end), say)


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
    print(f"nothing written: {counted(len(problems), 'row')} of {csv_path} cannot be used (--partial writes the others)", file=sys.stderr)
    return True


def _publications(path: str, plan) -> dict:
    """The plan's publications in the store, read-only, or none when it does not exist yet."""
    from planner.outcomes import OutcomeStore

    if not os.path.exists(path):
        return {}
    with OutcomeStore.read(path, plan) as store:
        return store.published()
