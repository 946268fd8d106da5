"""The ``cadence`` command line.

Everything here but ``open`` is plain Python: textual is imported only when the app opens, so
``cadence check`` starts fast in pre-commit and CI.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from typing import Sequence

from planner import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _duration(text: str):
    from planner.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cadence",
        description="Plan social-media content as a TOML file and check its cadence and mix.",
    )
    parser.add_argument("--version", action="version", version=f"cadence {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="run the rules on plans", description="Run the rules on one or more plans.")
    check.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (TOML)")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text", help="output format (default: text)")
    _add_range_options(check)
    check.add_argument("--select", type=_codes, default=(), metavar="CODES", help="only these rules (codes or prefixes, comma-separated)")
    check.add_argument("--ignore", type=_codes, default=(), metavar="CODES", help="skip these rules too (codes or prefixes)")
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")

    suggest = commands.add_parser(
        "suggest",
        help="propose a backlog idea for each open slot",
        description="Propose a backlog idea for each open cadence slot, keeping every MIX rule satisfied.",
    )
    suggest.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    suggest.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    suggest.add_argument("--apply", action="store_true", help="add the proposals to the plan as posts (status idea)")
    _add_range_options(suggest)

    fmt = commands.add_parser(
        "fmt", help="write plans in the canonical layout", description="Write plans in the canonical layout, keeping every comment."
    )
    fmt.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (TOML)")
    fmt_mode = fmt.add_mutually_exclusive_group()
    fmt_mode.add_argument("--check", action="store_true", help="change nothing; exit 1 if a plan is not formatted")
    fmt_mode.add_argument("--diff", action="store_true", help="change nothing; print a unified diff")

    importer = commands.add_parser(
        "import",
        help="bulk-add posts from a CSV",
        description="Bulk-add posts from a CSV (your own, or Buffer's and Sprout Social's bulk-upload files).",
    )
    importer.add_argument("csv", metavar="CSV", help="the CSV file, with a header row")
    importer.add_argument("plan", metavar="PLAN", help="the plan to add the posts to")
    importer.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD", help="map a column to a post field (repeatable)")
    importer.add_argument("--channel", help="the channel of rows that name none")
    importer.add_argument("--kind", help="the kind of rows that name none")
    importer.add_argument("--status", help="the status of rows that name none (default: draft)")
    importer.add_argument("--date-format", metavar="FORMAT", help='how times are written, in pendulum tokens, e.g. "DD/MM/YYYY HH:mm"')
    importer.add_argument("--dry-run", action="store_true", help="show what would be added; change nothing")
    importer.add_argument("--partial", action="store_true", help="add the valid rows even if some are not")

    rules = commands.add_parser("rules", help="list the rules, or explain one", description="List the rules, or explain one.")
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as CAD001")

    opener = commands.add_parser("open", help="the calendar app", description="Open the calendar app on a plan.")
    opener.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    opener.add_argument("--today", type=_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    opener.add_argument("--week-start", choices=("monday", "sunday"), default="monday", help="first day of the week")

    init = commands.add_parser("init", help="write a commented starter plan", description="Write a commented starter plan.")
    init.add_argument("plan", nargs="?", default="content-plan.toml", metavar="PLAN", help="where to write it (default: content-plan.toml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument("--today", type=_date, metavar="DATE", help="start the plan from this date (also CADENCE_TODAY)")
    return parser


def _add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=_date, metavar="DATE", help="first local day (default: the plan's start)")
    parser.add_argument("--to", dest="last", type=_date, metavar="DATE", help="last local day (default: the plan's end)")
    parser.add_argument("--upcoming", type=_duration, metavar="DURATION", help='only from today for this long, e.g. "14d"')
    parser.add_argument("--today", type=_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")


def _range_error(args: argparse.Namespace) -> str | None:
    if args.upcoming is not None and (args.first or args.last):
        return "--upcoming cannot be combined with --from/--to"
    if args.first and args.last and args.first > args.last:
        return f"--from {args.first} is after --to {args.last}"
    return None


def _today(explicit: date | None, plan_tz=None) -> date:
    if explicit:
        return explicit
    fixed = os.environ.get("CADENCE_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise SystemExit(_fail(f"CADENCE_TODAY={fixed!r} is not a date; write it as YYYY-MM-DD")) from None
    return datetime.now(plan_tz).date()


def _local_zone() -> str:
    """This machine's IANA zone name, for a new plan; UTC when it cannot be told."""
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "")
    if not name and os.path.islink("/etc/localtime"):
        name = os.path.realpath("/etc/localtime").split("zoneinfo/", 1)[-1]
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return "UTC"
    return name or "UTC"


def _fail(message: str) -> int:
    print(f"cadence: error: {message}", file=sys.stderr)
    return EXIT_INVALID


def _report(problems) -> None:
    """Problems that make a plan unreadable: ``path:line:col: message``, on standard error."""
    for problem in sorted(problems):
        print(problem, file=sys.stderr)


def _colour(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def run_check(args: argparse.Namespace) -> int:
    from balance.engine import CheckOptions, run
    from balance.formatters import FORMATTERS
    from balance.registry import vocabulary
    from planner.errors import PlanError
    from planner.loader import load_plan

    if error := _range_error(args):
        return _fail(error)
    options = CheckOptions(select=args.select, ignore=args.ignore, first=args.first, last=args.last, upcoming=args.upcoming)
    known = vocabulary()
    diagnostics, problems = [], []
    for path in args.plans:
        try:
            plan = load_plan(path, known)
        except PlanError as error:
            problems.extend(error.problems)
            continue
        diagnostics.extend(run(plan, options, _today(args.today, plan.tz)))
    diagnostics.sort(key=lambda d: d.sort_key())
    _report(problems)
    sys.stdout.write(FORMATTERS[args.format](diagnostics, problems, len(args.plans), colour=_colour(sys.stdout)))
    if problems:
        return EXIT_INVALID
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK


def run_suggest(args: argparse.Namespace) -> int:
    import json

    from balance.engine import CheckOptions, context_for
    from balance.registry import vocabulary
    from planner.errors import PlanError
    from planner.loader import load_plan

    if error := _range_error(args):
        return _fail(error)
    try:
        plan = load_plan(args.plan, vocabulary())
    except PlanError as error:
        _report(error.problems)
        return EXIT_INVALID
    options = CheckOptions(first=args.first, last=args.last, upcoming=args.upcoming)
    proposals = context_for(plan, options, _today(args.today, plan.tz)).suggester.propose()
    if args.format == "json":
        rows = [
            {"channel": p.channel, "at": p.at.isoformat(), "idea": p.idea.id if p.idea else None,
             "kind": p.idea.kind if p.idea else None, "title": p.idea.title if p.idea else None}
            for p in proposals
        ]
        print(json.dumps({"version": 1, "proposals": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not proposals:
        print("no open slots: every cadence slot in the range has a post")
        return EXIT_OK
    if args.apply:
        return _apply_proposals(plan, proposals)
    width = max(len(p.channel) for p in proposals)
    for p in proposals:
        what = f'{p.idea.id}  "{p.idea.title}" ({p.idea.kind})' if p.idea else "no backlog idea fits without breaking the mix"
        print(f"{p.at:%a %Y-%m-%d %H:%M}  {p.channel:<{width}}  {what}")
    filled = sum(1 for p in proposals if p.idea)
    print(f"\n{filled} of {len(proposals)} open slots can be filled from the backlog")
    return EXIT_OK


def _apply_proposals(plan, proposals) -> int:
    from planner.planfile import ConflictError, PlanFile
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
        print(f"+ {post_id}  {proposal.at:%a %Y-%m-%d %H:%M}  {proposal.channel}  from {proposal.idea.id}")
    if posts:
        planfile = PlanFile.read(plan.path)
        try:
            planfile.save(PlanText(planfile.text).add_posts(posts))
        except ConflictError as error:
            return _fail(str(error))
    print(f"added {_count(len(posts), 'post')} to {plan.path}; {len(proposals) - len(posts)} open slots left")
    return EXIT_OK


def run_fmt(args: argparse.Namespace) -> int:
    import difflib

    from planner.errors import PlanError
    from planner.formatter import format_plan
    from planner.loader import parse_toml, read_text
    from planner.planfile import ConflictError, PlanFile

    status, unformatted = EXIT_OK, 0
    for path in args.plans:
        try:
            text = read_text(path)
            parse_toml(text, path)
        except PlanError as error:
            _report(error.problems)
            status = EXIT_INVALID
            continue
        formatted = format_plan(text)
        if formatted == text:
            continue
        unformatted += 1
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True), path, f"{path} (formatted)"))
        elif args.check:
            changed = sum(1 for line in difflib.ndiff(text.splitlines(), formatted.splitlines()) if line[:1] in "+-")
            print(f"would reformat {path} ({changed} lines differ; run: cadence fmt {path})")
        else:
            try:
                PlanFile.read(path).save(formatted)
            except ConflictError as error:
                return _fail(str(error))
            print(f"formatted {path}")
    if status == EXIT_OK and unformatted and (args.check or args.diff):
        status = EXIT_FINDINGS
    if not unformatted and status == EXIT_OK and not args.diff:
        print(f"{_count(len(args.plans), 'plan')} already formatted")
    return status


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def run_import(args: argparse.Namespace) -> int:
    from planner.errors import PlanError
    from planner.importer import read_csv
    from planner.loader import load_plan, plan_from_text
    from planner.planfile import ConflictError, PlanFile
    from planner.writer import PlanText
    from balance.registry import vocabulary

    overrides = {}
    for pair in args.map:
        column, separator, field_name = pair.partition("=")
        if not separator or not column or not field_name:
            return _fail(f"--map {pair!r} is not COLUMN=FIELD")
        overrides[column.strip()] = field_name.strip()
    try:
        plan = load_plan(args.plan, vocabulary())
        with open(args.csv, encoding="utf-8-sig", newline="") as handle:
            csv_text = handle.read()
    except PlanError as error:
        _report(error.problems)
        return EXIT_INVALID
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"{args.csv}: cannot be read: {getattr(error, 'strerror', None) or error}")
    defaults = {key: value for key, value in (("channel", args.channel), ("kind", args.kind), ("status", args.status)) if value}
    result = read_csv(csv_text, plan, overrides, defaults, args.date_format)
    for problem in result.problems:
        print(f"{args.csv}:{problem.line}: {problem.message}", file=sys.stderr)
    if result.problems and not args.partial:
        print(f"nothing added: {_count(len(result.problems), 'row')} of {args.csv} cannot be imported (--partial adds the others)", file=sys.stderr)
        return EXIT_INVALID
    posts = [{key: value for key, value in post.items() if key != "line"} for post in result.posts]
    for post in posts:
        print(f"+ {post['id']}  {post['at']:%a %Y-%m-%d %H:%M}  {post['channel']}  {post['kind']}  {post['title']}")
    if args.dry_run:
        print(f"would add {_count(len(posts), 'post')} to {args.plan} (dry run: nothing written)")
        return EXIT_OK
    if posts:
        planfile = PlanFile.read(args.plan)
        new_text = PlanText(planfile.text).add_posts(posts)
        try:
            plan_from_text(new_text, args.plan, vocabulary())
            planfile.save(new_text)
        except PlanError as error:
            for problem in error.problems:
                print(f"after import: {problem}", file=sys.stderr)
            return _fail("nothing added: the plan would not be valid")
        except ConflictError as error:
            return _fail(str(error))
    print(f"added {_count(len(posts), 'post')} to {args.plan}")
    return EXIT_FINDINGS if result.problems else EXIT_OK


def run_rules(args: argparse.Namespace) -> int:
    from balance.registry import BY_CODE, RULES

    if args.code is None:
        width = max(len(rule.name) for rule in RULES)
        for rule in RULES:
            print(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {rule.summary}")
        return EXIT_OK
    rule = BY_CODE.get(args.code.upper())
    if rule is None:
        import difflib

        close = difflib.get_close_matches(args.code.upper(), BY_CODE, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `cadence rules` lists them"
        return _fail(f"no rule {args.code!r}{hint}")
    print(f"{rule.code} {rule.name} (default severity: {rule.severity})\n")
    print(rule.doc)
    if rule.options:
        print("\nSettings in [rules]:")
        for option in rule.options:
            print(f"  {option.name} = {option.default!r}  ({option.kind}) {option.help}")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from calendar_tui.starter import starter_plan

    if os.path.exists(args.plan) and not args.force:
        return _fail(f"{args.plan} already exists; pass --force to overwrite it")
    with open(args.plan, "w", encoding="utf-8") as handle:
        handle.write(starter_plan(_today(args.today), path=args.plan, timezone=_local_zone()))
    print(f"wrote {args.plan}; check it with: cadence check {args.plan}")
    return EXIT_OK


DEMO_PLAN = "lumen-saas-berlin.toml"


def run_open(args: argparse.Namespace) -> int:
    from planner.errors import PlanError

    try:
        from calendar_tui.app import make_app

        app = make_app(args.plan, today=args.today or _env_today(), week_start=args.week_start)
    except PlanError as error:
        _report(error.problems)
        return EXIT_INVALID
    app.run()
    return EXIT_OK


def _env_today() -> date | None:
    fixed = os.environ.get("CADENCE_TODAY")
    return _today(None) if fixed else None


def _default_plan() -> str:
    """./content-plan.toml if there is one, else the bundled demo plan."""
    if os.path.exists("content-plan.toml"):
        return "content-plan.toml"
    from importlib.resources import files

    return str(files("calendar_tui") / "demo" / DEMO_PLAN)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "check": run_check,
        "suggest": run_suggest,
        "fmt": run_fmt,
        "import": run_import,
        "rules": run_rules,
        "init": run_init,
        "open": run_open,
    }
    if args.command is None:
        args = parser.parse_args(["open", _default_plan()])
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
