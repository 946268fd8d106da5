"""``cadence check``: run the rules on plans."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import contextmanager
from typing import Iterator

from calendar_tui.commands.common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    add_range_options,
    add_store_option,
    colour,
    choice,
    fail,
    parse_codes,
    range_error,
    report_problems,
    today,
)


def register(commands) -> None:
    check = commands.add_parser("check", help="run the rules on plans", description="Run the rules on one or more plans.")
    check.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (TOML)")
    check.add_argument("--format", **choice("text", "json", "github", "sarif"), default="text", help="output format (default: text)")
    add_range_options(check)
    check.add_argument("--select", type=parse_codes, action="extend", default=[], metavar="CODES", help="only these rules (codes or prefixes, comma-separated; repeatable)")
    check.add_argument("--ignore", type=parse_codes, action="extend", default=[], metavar="CODES", help="skip these rules too (codes or prefixes; repeatable)")
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    add_store_option(check)  # OUT rules read it; they run when the store exists
    check.add_argument(
        "--baseline", metavar="REV|FILE.json", help="report only findings new against a git revision or a saved --format json result"
    )
    check.set_defaults(run=run)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Importing the rules and reading a plan make objects by the hundred thousand and no
    cycles: the cyclic collector would walk them over and over (a tenth of a 100k check's CPU,
    a tenth of a small check's imports) and free nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def run(args: argparse.Namespace) -> int:
    with _collector_paused():
        from balance.engine import CheckOptions, run as run_rules
        from balance.formatters import FORMATTERS
        from balance.registry import vocabulary
        from calendar_tui.usecases.plans import open_plan
        from planner.errors import PlanError
        from planner.store_location import store_to_read

    known = vocabulary()
    if error := range_error(args) or _unknown_code(args, known.codes):
        return fail(error)
    options = CheckOptions(select=tuple(args.select), ignore=tuple(args.ignore), first=args.first, last=args.last, upcoming=args.upcoming)
    diagnostics, problems, notes = [], [], []
    for path in args.plans:
        try:
            with _collector_paused():
                plan = open_plan(path)
        except PlanError as error:
            problems.extend(error.problems)
            continue
        gc.freeze()  # the plan and the modules live as long as the command: no need to walk them again
        try:
            store = store_to_read(plan, args.db)
        except PlanError as error:  # its store outside its folder
            problems.extend(error.problems)
            continue
        outcomes = None
        if store:  # else the store's code is never loaded
            from planner.outcomes import StoreError, read_outcomes

            try:
                outcomes = read_outcomes(plan, store, notes)  # read-only: a check never changes the store
            except StoreError as error:
                return fail(str(error))
        diagnostics.extend(run_rules(plan, options, today(args.today, plan.tz), outcomes))
    if len(args.plans) > 1:  # each plan's are sorted already
        diagnostics.sort(key=lambda d: d.sort_key())
    hidden = None
    if args.baseline and not problems:
        from balance.diff import against_baseline

        try:
            baseline = baseline_findings(args, options)
        except BaselineUnusable as error:
            return error.status
        diagnostics, hidden = against_baseline(diagnostics, baseline, by_path=len(args.plans) > 1)
    report_problems(problems)
    for note in dict.fromkeys(notes):  # rows of the store the OUT rules leave out, and why
        print(note, file=sys.stderr)
    output = FORMATTERS[args.format](diagnostics, problems, len(args.plans), colour=colour(sys.stdout), hidden=hidden)
    sys.stdout.writelines([output] if isinstance(output, str) else output)
    if problems:
        return EXIT_INVALID
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK


def _unknown_code(args: argparse.Namespace, codes: frozenset[str]) -> str | None:
    """A typo in --select or --ignore must not turn a check off in CI, as in [rules]."""
    from planner.errors import did_you_mean

    for option in ("select", "ignore"):
        for code in getattr(args, option):
            if not any(known.startswith(code) for known in codes):
                hint = did_you_mean(code, sorted(codes)) or " (cadence rules lists them)"
                return f"--{option}: unknown rule {code!r}{hint}"
    return None


class BaselineUnusable(Exception):
    """The baseline could not be read; the reason is already printed."""

    def __init__(self, status: int):
        self.status = status


def baseline_findings(args: argparse.Namespace, options) -> list[tuple[str, str]]:
    """(path, fingerprint) of each baseline finding: from a saved JSON result, or each plan at a revision.

    A plan at a revision is checked with the same options and day, under its working-tree path,
    so that its findings match the current ones.
    """
    import dataclasses

    from balance.diff import BaselineError, baseline_from_json
    from balance.engine import run as run_rules
    from calendar_tui.usecases.plans import plan_of
    from planner.errors import PlanError
    from planner.outcomes import StoreError, read_outcomes
    from planner.versions import NotInRevision, VersionError, revision

    if args.baseline.endswith(".json") or os.path.exists(args.baseline):  # a file of any kind: it says why it cannot be read
        try:
            return baseline_from_json(args.baseline)
        except BaselineError as error:
            raise BaselineUnusable(fail(str(error))) from None
    found = []
    for path in args.plans:
        try:
            version = revision(args.baseline, path)
            plan = plan_of(version.text, version.label)
        except NotInRevision:
            continue  # a plan the revision does not have yet: all its findings are new
        except VersionError as error:
            raise BaselineUnusable(fail(f"--baseline: {error}")) from None
        except PlanError as error:
            report_problems(error.problems)
            raise BaselineUnusable(fail(f"--baseline: {path} at {args.baseline} cannot be read")) from None
        try:  # the store is the same on both sides (found from the working-tree path): OUT findings match too
            outcomes = read_outcomes(dataclasses.replace(plan, path=path), args.db)
        except PlanError as error:
            report_problems(error.problems)
            raise BaselineUnusable(fail(f"--baseline: {path} at {args.baseline} cannot be read")) from None
        except StoreError as error:
            raise BaselineUnusable(fail(str(error))) from None
        found += [(path, d.fingerprint) for d in run_rules(plan, options, today(args.today, plan.tz), outcomes)]
    return found
