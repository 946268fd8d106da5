"""``cadence fmt``: write plans in the canonical layout (``--check`` and ``--diff`` for CI)."""

from __future__ import annotations

import argparse
import sys

from balance.text import counted
from calendar_tui.commands.common import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, fail, report_problems


def register(commands) -> None:
    fmt = commands.add_parser(
        "fmt", help="write plans in the canonical layout", description="Write plans in the canonical layout, keeping every comment."
    )
    fmt.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (TOML)")
    fmt_mode = fmt.add_mutually_exclusive_group()
    fmt_mode.add_argument("--check", action="store_true", help="change nothing; exit 1 if a plan is not formatted")
    fmt_mode.add_argument("--diff", action="store_true", help="change nothing; print a unified diff")
    fmt.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import difflib

    from planner.errors import PlanError
    from planner.formatter import layout
    from planner.loader import parse_toml, read_plan_file
    from planner.planfile import SaveError, keeping_bom, split_bom

    status, unformatted = EXIT_OK, 0
    for path in args.plans:
        try:
            planfile = read_plan_file(path)  # read once: the save is checked against this text
            _, text = split_bom(planfile.text)
            data = parse_toml(text, path)
        except PlanError as error:
            report_problems(error.problems)
            status = EXIT_INVALID
            continue
        result = layout(text, data)  # parsed once; linear in the plan, however unformatted
        formatted = result.text
        if formatted == text:
            continue
        unformatted += 1
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True), path, f"{path} (formatted)"))
        elif args.check:
            print(f"would reformat {path} ({counted(result.changed_tables, 'table')} to change; run: cadence fmt {path})")
        else:
            try:
                planfile.update(keeping_bom(lambda current: formatted if current == text else _formatted(current, path)))
            except SaveError as error:
                return fail(str(error))
            print(f"formatted {path}")
    if status == EXIT_OK and unformatted and (args.check or args.diff):
        status = EXIT_FINDINGS
    if not unformatted and status == EXIT_OK and not args.diff:
        print(f"{counted(len(args.plans), 'plan')} already formatted")
    return status


def _formatted(text: str, path: str) -> str:
    """The plan as changed on disk since fmt read it, formatted (if it still parses)."""
    from planner.formatter import format_plan
    from planner.loader import parse_toml

    parse_toml(text, path)
    return format_plan(text)
