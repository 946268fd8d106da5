"""``cadence diff``: what changed in the schedule between two versions of a plan.

Each side is a git revision (read with ``git show REV:path``) or a plan file; left out, OLD is
``HEAD`` and NEW the working tree. An argument that names an existing file, or ends in
``.toml``, is a file; anything else is a revision of ``--plan``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

from balance.text import counted
from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, fail, one_of, parse_date, report_problems, today

DEFAULT_PLAN = "content-plan.toml"
MD_ROWS = 100


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


# -- renderers --------------------------------------------------------------------------------

def _value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if " " in value or not value else value
    return str(value)


def _when(moment) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M")


def _day(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


def _what(change) -> str:
    """The words for a change, after the post's time, channel and id."""
    post = change.post
    if change.change != "changed":
        owner = f" ({post.owner})" if post.owner else ""
        return f"{post.kind} {_value(post.title)}{owner}"
    parts = [f"moved from {_when(change.old.at)}"] if change.moved else []
    parts += [f"{field.name} {_value(field.old)} → {_value(field.new)}" for field in change.fields]
    if change.others:
        parts.append(f"{', '.join(change.others)} changed")
    return "; ".join(parts)


_MARK = {"added": "+", "removed": "-", "changed": "~"}


def _headline(difference) -> str:
    if not difference.posts:
        return "no post changed"
    counts = difference.counts()
    also = f" ({counts['moved_and_changed']} also changed)" if counts["moved_and_changed"] else ""
    return (
        f"{counted(len(difference.posts), 'post')}: {counts['added']} added, {counts['removed']} removed, "
        f"{counts['moved']} moved{also}, {counts['changed']} changed"
    )


def _shares(mix) -> str:
    def share(n: int, total: int) -> str:
        return f"{n / total:.0%}" if total else "-"

    kinds = ", ".join(
        f"{k.kind} {k.before} → {k.after} ({share(k.before, mix.before)} → {share(k.after, mix.after)})" for k in mix.kinds
    )
    return f"{kinds or 'no posts'}; {mix.before} → {mix.after} posts"


def render_text(difference) -> str:
    """Each line shown :func:`~balance.text.printable`: plan text cannot drive the terminal or CI."""
    from balance.text import printable

    lines = [f"{difference.old} → {difference.new}", _headline(difference)]
    for day, changes in difference.by_day():
        lines += ["", _day(day)]
        lines += [
            f"  {_MARK[change.change]} {change.post.at:%H:%M} {change.post.channel} {change.id}: {_what(change)}"
            for change in changes
        ]
    lines += ["", f"Findings: {len(difference.new_findings)} new, {len(difference.fixed_findings)} fixed"]
    lines += [f"  + {d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in difference.new_findings]
    lines += [f"  - {d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in difference.fixed_findings]
    if difference.mix:
        lines += ["", "Mix per channel, before → after, around the changed days"]
        lines += [f"  {mix.channel} {mix.first}..{mix.last}: {_shares(mix)}" for mix in difference.mix]
    if difference.loads:
        lines += ["", "Hours per owner and week, before → after"]
        lines += [f"  {load.week} {load.owner}: {_load(load)}" for load in difference.loads]
    return "\n".join(map(printable, lines)) + "\n"


def _load(load) -> str:
    from balance.capacity import format_hours

    of = f" of {format_hours(load.hours)}" if load.hours is not None else ""
    return f"{format_hours(load.before)} → {format_hours(load.after)}{of}{' (over)' if load.over else ''}"


def _capped(lines: list[str]) -> list[str]:
    """At most MD_ROWS lines: a pull-request comment holds 65,536 characters."""
    if len(lines) <= MD_ROWS:
        return lines
    return lines[:MD_ROWS] + [f"\n… and {len(lines) - MD_ROWS} more (run `cadence diff` for all)"]


def render_md(difference) -> str:
    """Plan text only through :func:`~balance.text.markdown` and :func:`~balance.text.markdown_code`."""
    from balance.text import markdown, markdown_code

    new, fixed = difference.new_findings, difference.fixed_findings
    lines = [
        f"### Schedule: {markdown_code(difference.old)} → {markdown_code(difference.new)}",
        "",
        f"**{_headline(difference)}** · findings: **{len(new)} new**, {len(fixed)} fixed",
    ]
    if difference.posts:
        lines += ["", "| day | time | channel | post | change |", "|---|---|---|---|---|"]
        lines += _capped([
            f"| {_day(change.day)} | {change.post.at:%H:%M} | {markdown(change.post.channel)} | {markdown_code(change.id, in_table=True)} | "
            f"{change.change}: {markdown(_what(change))} |"
            for change in difference.posts
        ])
    for title, findings in (("New findings", new), ("Fixed findings", fixed)):
        if findings:
            lines += ["", f"#### {title}", ""]
            lines += _capped([f"- **{d.code}** {d.severity} {markdown_code(f'{d.path}:{d.line}')}: {markdown(d.message)}" for d in findings])
    if difference.mix:
        lines += ["", "#### Mix per channel, around the changed days", "", "| channel | days | before → after |", "|---|---|---|"]
        lines += [f"| {markdown(mix.channel)} | {mix.first}..{mix.last} | {markdown(_shares(mix))} |" for mix in difference.mix]
    if difference.loads:
        lines += ["", "#### Hours per owner and week", "", "| week | owner | before → after |", "|---|---|---|"]
        lines += [f"| {load.week} | {markdown(load.owner)} | {_load(load)} |" for load in difference.loads]
    return "\n".join(lines) + "\n"


def _post_json(post) -> dict | None:
    if post is None:
        return None
    return {
        "at": post.at.isoformat(), "date": post.day.isoformat(), "channel": post.channel, "kind": post.kind,
        "title": post.title, "status": post.status, "owner": post.owner, "audience": post.audience,
    }


def render_json(difference) -> str:
    """The difference for scripts, through :func:`~balance.text.printable_json`."""
    from balance.text import printable_json

    document = {
        "version": 1,
        "old": difference.old,
        "new": difference.new,
        "posts": [
            {
                "change": change.change,
                "id": change.id,
                "date": change.day.isoformat(),
                "moved": change.moved,
                "fields": {field.name: {"old": field.old, "new": field.new} for field in change.fields},
                "others": list(change.others),
                "old": _post_json(change.old),
                "new": _post_json(change.new),
            }
            for change in difference.posts
        ],
        "findings": {"new": [d.to_json() for d in difference.new_findings], "fixed": [d.to_json() for d in difference.fixed_findings]},
        "mix": [
            {
                "channel": mix.channel, "first": mix.first.isoformat(), "last": mix.last.isoformat(),
                "kinds": [{"kind": k.kind, "before": k.before, "after": k.after} for k in mix.kinds],
            }
            for mix in difference.mix
        ],
        "loads": [
            {"owner": load.owner, "week": load.week, "hours": load.hours, "before": load.before, "after": load.after, "over": load.over}
            for load in difference.loads
        ],
        "summary": {**difference.counts(), "new_findings": len(difference.new_findings), "fixed_findings": len(difference.fixed_findings)},
    }
    return printable_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


RENDERERS = {"text": render_text, "md": render_md, "json": render_json}
