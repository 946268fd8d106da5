"""What the commands share: exit statuses, option types, "today", and how errors are printed."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def parse_duration(text: str):
    from planner.durations import parse_duration as duration

    try:
        return duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def one_of(*names: str):
    """An option type that takes one of ``names`` and rejects others with a "did you mean"."""
    from planner.errors import did_you_mean

    def parse(text: str) -> str:
        if text in names:
            return text
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(names)}{did_you_mean(text, names, cutoff=0.5)}")

    parse.__name__ = "choice"
    return parse


def choice(*names: str) -> dict:
    """``add_argument`` keywords for one of ``names``: a did-you-mean on a typo, and ``{a,b}`` in --help."""
    return {"type": one_of(*names), "metavar": "{" + ",".join(names) + "}"}


def parse_map(text: str) -> tuple[str, str]:
    """``--map COLUMN=FIELD`` as (column, field); use with ``action="append"`` and ``dict(...)``."""
    column, separator, field_name = text.partition("=")
    if not separator or not column.strip() or not field_name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not COLUMN=FIELD")
    return column.strip(), field_name.strip()


def parse_codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=parse_date, metavar="DATE", help="first local day (default: the plan's start)")
    parser.add_argument("--to", dest="last", type=parse_date, metavar="DATE", help="last local day (default: the plan's end)")
    parser.add_argument("--upcoming", type=parse_duration, metavar="DURATION", help='only from today for this long, e.g. "14d"')
    parser.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")


def range_error(args: argparse.Namespace) -> str | None:
    if args.upcoming is not None and (args.first or args.last):
        return "--upcoming cannot be combined with --from/--to"
    if args.first and args.last and args.first > args.last:
        return f"--from {args.first} is after --to {args.last}"
    return None


def today(explicit: date | None, plan_tz=None) -> date:
    """``--today``, else ``CADENCE_TODAY``, else the date now in the plan's zone."""
    from planner.localtime import out_of_range

    if explicit:
        if reason := out_of_range(explicit):
            raise SystemExit(fail(f"--today: {reason}"))
        return explicit
    fixed = os.environ.get("CADENCE_TODAY")
    if fixed:
        try:
            day = date.fromisoformat(fixed)
        except ValueError:
            raise SystemExit(fail(f"CADENCE_TODAY={fixed!r} is not a date; write it as YYYY-MM-DD")) from None
        if reason := out_of_range(day):
            raise SystemExit(fail(f"CADENCE_TODAY: {reason}"))
        return day
    return datetime.now(plan_tz).date()


def fail(message: str) -> int:
    """``cadence: error: message`` on standard error, each of its lines printable (it may quote
    plan text); exit 2."""
    from balance.text import printable

    print("\n".join(map(printable, f"cadence: error: {message}".split("\n"))), file=sys.stderr)
    return EXIT_INVALID


def report_problems(problems) -> None:
    """Problems that make a plan unreadable: ``path:line:col: message``, on standard error."""
    from balance.text import printable

    for problem in sorted(problems):
        print(printable(str(problem)), file=sys.stderr)


def colour(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def unknown_name(what: str, name: str, known) -> str:
    """``unknown channel 'instagam'; did you mean 'instagram'?``, else the known names when
    there are at most ten: the message for an argument that names nothing the plan has."""
    from planner.errors import did_you_mean

    hint = did_you_mean(name, known) or (f"; known: {', '.join(sorted(known)) or 'none'}" if len(known) <= 10 else "")
    return f"unknown {what} {name!r}{hint}"


def parse_encoding(text: str) -> str:
    """``--encoding``: a text encoding Python knows (utf-16, cp1252, latin-1, mac-roman...)."""
    if _is_text_encoding(text):
        return text
    import encodings.aliases

    from planner.errors import did_you_mean as hint_for

    known = sorted(name for name in set(encodings.aliases.aliases.values()) if _is_text_encoding(name))
    hint = hint_for(text.lower().replace("-", "_"), known) or " (such as utf-8, utf-16, cp1252)"
    raise argparse.ArgumentTypeError(f"{text!r} is not a text encoding{hint}")


def _is_text_encoding(name: str) -> bool:
    try:
        b"-".decode(name)  # not b"": Python decodes no bytes without looking the encoding up
    except UnicodeDecodeError:
        pass
    except LookupError:  # unknown, or bytes to bytes (base64) or text to text (rot13)
        return False
    return True


def add_table_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """``--encoding`` and ``--sheet``: how to read the file of rows an import reads (:mod:`planner.tabular`)."""
    parser.add_argument(
        "--encoding", type=parse_encoding, metavar="NAME",
        help=f"{prefix}the CSV's encoding, e.g. cp1252 (default: UTF-8, else UTF-16 by its byte order mark, else Windows-1252)",
    )
    parser.add_argument("--sheet", metavar="NAME", help=f"{prefix}the sheet of an .xlsx workbook to read (default: the first)")


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="the outcomes store (default: [plan] outcomes, else .cadence/outcomes.db beside the plan)")


def store_location(plan, override: str | None) -> str | None:
    """The plan's outcomes store (``--db``, or where the plan says), or None once the plan's
    problem with it (a store outside its folder) is printed."""
    from planner.errors import PlanError
    from planner.outcomes import store_path

    try:
        return store_path(plan, override)
    except PlanError as error:
        report_problems(error.problems)
        return None


def swapped(plan: str, other: str, other_is: str, order: str) -> str | None:
    """Why the arguments ``plan`` and ``other`` are surely in each other's place, or None.

    A spreadsheet given as the plan, or a ``.toml`` file given as ``other_is`` while the plan is
    no file, is a swap: saying so beats a TOML syntax error about a CSV.
    """
    lowered = plan.lower()
    if lowered.endswith((".csv", ".tsv")):
        return f"{plan} looks like a CSV, not a plan: the order is {order}"
    if lowered.endswith((".xlsx", ".xls")):
        return f"{plan} looks like a spreadsheet, not a plan: the order is {order}"
    if other.lower().endswith(".toml") and not os.path.exists(plan) and os.path.isfile(other):
        return f"{other} is a plan, not {other_is}, and there is no file {plan}: the order is {order}"
    return None


def read_plan(path: str):
    """The plan at ``path`` checked with every rule's vocabulary, or None once its problems are printed."""
    from calendar_tui.usecases.plans import open_plan
    from planner.errors import PlanError

    try:
        return open_plan(path)
    except PlanError as error:
        report_problems(error.problems)
        return None


def write_output(target: str | None, data: bytes) -> bool:
    """``data`` to ``target``, or to standard output; False after saying why it failed."""
    try:
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        elif os.path.exists(target) and not os.path.isfile(target):  # /dev/stdout, a FIFO: write into it
            with open(target, "wb") as handle:
                handle.write(data)
        else:  # replaced whole, so a calendar subscribed to the file never reads half of it
            from planner.planfile import write_atomically

            write_atomically(target, data)
    except OSError as error:
        fail(f"{target or 'standard output'}: cannot be written: {error.strerror or error}")
        return False
    return True
