"""A plan document as the language server sees it: its findings placed in the text, and its names.

Plain Python, no pygls: the server turns what is here into protocol types, and the tests and
bench/ call it directly. The findings are ``cadence check``'s own: the same loader and engine,
on the unsaved text, with the plan's outcomes store when it has one (opened read-only, as the
check opens it). Lines are counted on ``\\n`` and columns in code points, as the loader counts
them; the server converts columns to the client's units.

What the cursor is on is read from the text around it, line by line, so hover, completion and
go to definition work while the text does not parse; the names they offer come from the last
text that did (:class:`Names`).
"""

from __future__ import annotations

import heapq
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from typing import Any

import tomli

from balance.context import Context, when
from balance.diagnostic import Diagnostic
from balance.engine import SPANNING_RULES, CheckOptions, context_for, days_only, kept_until_whole_check, look_back_days, run_in, spanning_only
from balance.registry import BY_CODE, vocabulary
from balance.text import counted
from planner import loader
from planner.durations import format_duration
from planner.errors import PlanError, Problem
from planner.model import FLAGS, STATUSES, Plan, Post
from planner.source import SourceIndex, split_key_path

RULE_DOCS = "https://content-cadence.readthedocs.io/en/latest/rules/#{anchor}"  # docs/rules.md, where the site is published
PLAN_TABLES = frozenset(loader.TOP_KEYS) - {loader.USER_TABLE}  # a TOML file with none of them is no plan


def rule_docs(code: str) -> str:
    """The rule's entry in the rule reference: mkdocs' anchor of its heading "CAD001 missed-slot"."""
    return RULE_DOCS.format(anchor=f"{code.lower()}-{BY_CODE[code].name}")


@cache
def known_rules() -> loader.RuleVocabulary:
    """The engine's rule codes and settings, built once for the server's life."""
    return vocabulary()


# -- findings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placed:
    """A finding or a plan problem at its place: a 0-based line and columns [start, end) in code
    points, from where ``cadence check`` puts it to the end of that line (the key and its value,
    or the table's header)."""

    line: int
    start: int
    end: int
    severity: str  # error, warning or info
    message: str
    code: str | None = None  # None: a problem that keeps the plan from being read
    diagnostic: Diagnostic | None = None


@dataclass
class Analysis:
    """One version of a document, checked."""

    text: str
    path: str
    names: "Names | None"  # None when the text is not TOML
    plan: Plan | None  # None when the plan has problems
    context: Context | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failure: str | None = None  # why the checks themselves failed (a bug)
    partial: bool = False  # the findings of the days around an edited post are new, the others from before: see complete()
    edited_line: int | None = None  # of a partial analysis: the 1-based line of the edited post's header

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def placed(self, nearest: int | None = None) -> list[Placed]:
        """Every problem and finding, problems first (they are why findings are missing); none
        for a TOML file that is no plan (an editor may start the server for every .toml).
        ``nearest``: of a partial analysis, only that many findings, those nearest the edit."""
        if self.failure:
            return [Placed(0, 0, 0, "error", self.failure)]
        if self.names is not None and not self.names.tables & PLAN_TABLES:
            return []
        found = [Placed(*self.span(p.line, p.column), "error", p.message) for p in self.problems]
        diagnostics = self.diagnostics
        if nearest is not None and self.edited_line is not None and len(diagnostics) > nearest:
            chosen = set(heapq.nsmallest(nearest, range(len(diagnostics)), key=lambda index: abs(diagnostics[index].line - self.edited_line)))
            diagnostics = [d for index, d in enumerate(diagnostics) if index in chosen]
        for d in diagnostics:
            message = d.message + "".join(f"\nhelp: {s}" for s in d.suggestions)
            found.append(Placed(*self.span(d.line, d.column), d.severity, message, d.code, d))
        return found

    def span(self, line: int, column: int) -> tuple[int, int, int]:
        """0-based line, start and end of a 1-based (line, column), clamped to the text."""
        index = min(max(line, 1), len(self.lines)) - 1
        written = self.lines[index].rstrip("\r").rstrip()
        start = min(max(column - 1, 0), max(len(written) - 1, 0))  # a TOML error past the end marks the last character
        return index, start, max(len(written), start)

    @cached_property
    def source(self) -> SourceIndex | None:
        """Where the tables and keys are; None when the text is not TOML."""
        if self.plan is not None:
            return self.plan.source
        return SourceIndex(self.text) if self.names is not None else None


def analyse(
    text: str,
    path: str,
    today: date | None = None,
    read_store: bool = True,
    store: str | None = None,
    previous: Analysis | None = None,
    around: bool = True,
) -> Analysis:
    """Check ``text`` as the plan at ``path``, as ``cadence check`` checks the file.

    ``today`` None: the date now in the plan's zone. Problems (TOML syntax included) come back
    as problems, never raised. The store (``store``, as ``--db`` names it, else the plan's own)
    is read when ``read_store`` and ``path`` is a file's.
    ``previous``, the analysis of the text before an edit: when the edit lies inside one post
    and leaves it valid, only that post is read again (:func:`edited_post`), and with ``around``
    only the days around it are checked again (:func:`around_edit`): a partial analysis, which
    :func:`complete` completes.

    The CAD001 findings of the first :data:`HELPED` open slots of the next four weeks carry the
    backlog ideas that fit them (the ``help:`` lines of ``cadence check``); the others leave them out,
    as a plan's thousands of past or distant gaps would cost a second of suggestions each edit.
    """
    from planner.outcomes import StoreError, read_outcomes

    text = text.removeprefix("\ufeff")
    edit = edited_post(previous, text) if previous is not None else None
    if edit is not None:
        plan, names = edit.plan, previous.names  # only a post changed: the names are the same
    else:
        try:
            data = loader.parse_toml(text, path)
        except PlanError as error:
            return Analysis(text, path, None, None, problems=error.problems)
        names = Names.of(data)
        try:
            plan = loader.plan_from_data(data, text, path, known_rules())
        except PlanError as error:
            return Analysis(text, path, names, None, problems=error.problems)
    problems, outcomes = [], None
    if read_store and os.path.isabs(path):
        try:
            outcomes = read_outcomes(plan, store)
        except PlanError as error:  # a store outside the plan's folder
            problems = error.problems
        except StoreError as error:
            problems = [Problem(path, *plan.locate(("plan", "outcomes")), f"the outcomes store cannot be read: {error}")]
    day = today or datetime.now(plan.tz).date()
    whole = context_for(plan, CheckOptions(suggestions=False), day, outcomes)
    if around and edit is not None and not problems and not previous.problems and previous.context is not None and previous.context.today == day:
        edited_line = plan.locate(("post", edit.before.index))[0]
        return Analysis(text, path, names, plan, whole, around_edit(whole, previous, edit), partial=True, edited_line=edited_line)
    return Analysis(text, path, names, plan, whole, with_help(whole, run_in(whole, CheckOptions(suggestions=False))), problems)


def complete(analysis: Analysis) -> Analysis:
    """A partial analysis with the whole plan's findings (its context is the whole plan's: what
    the first pass computed there, the spanning rules' windows say, is not computed again)."""
    context = analysis.context
    return replace(analysis, diagnostics=with_help(context, run_in(context, CheckOptions(suggestions=False))), partial=False, edited_line=None)


SPANNING_READS = ("id", "at", "channel", "kind", "status", "ignore")  # what the spanning rules read of a post (ignore: what silences them there)


def around_edit(whole: Context, previous: Analysis, edit: "PostEdit") -> list[Diagnostic]:
    """The findings after an edit of one post: those of the days around its old and new day
    checked again, the others kept from before (moved down or up with the lines after the edit).

    The days around are the look-back of the rules (:func:`balance.engine.look_back_days`) on
    each side; the check reaches as far again beyond them, so that on those days it finds what
    the whole plan's check finds there. The rules whose findings span days (:data:`~balance.engine.SPANNING_RULES`)
    run over the whole plan: a silence or a stretch of windows that reaches the edited day may
    start long before it; unless the edit changed nothing they read of the post (its title,
    say: :data:`SPANNING_READS`), when their findings are kept. The rules judged over the whole
    plan, and the findings that belong to no day (a channel without owner, say), are kept as
    they were until :func:`complete` runs, as the app does after an edit.
    """
    plan = whole.plan
    pad = timedelta(days=look_back_days(whole))
    after = next(post for post in plan.posts if post.index == edit.before.index)
    spanning_same = all(getattr(edit.before, name) == getattr(after, name) for name in SPANNING_READS)
    first, last = max(min(edit.before.day, after.day) - pad, plan.start), min(max(edit.before.day, after.day) + pad, plan.end)
    around = days_only(first - pad, last + pad)
    fresh = [d for d in run_in(context_for(plan, around, whole.today, whole.outcomes), around) if d.date is not None and first <= d.date <= last]
    if not spanning_same:
        fresh += run_in(whole, spanning_only())
    shift = edit.text.count("\n") - previous.text.count("\n")
    edited_line = previous.text.count("\n", 0, edit.old_end) + 1
    kept = [
        replace(d, line=d.line + shift) if shift and d.line > edited_line else d
        for d in previous.diagnostics
        if (spanning_same and d.code.startswith(SPANNING_RULES)) or kept_until_whole_check(d, first, last)
    ]
    return sorted(kept + with_help(whole, fresh), key=Diagnostic.sort_key)


HELPED = 50  # open slots in the next HELP_AHEAD whose CAD001 finding lists the backlog ideas that fit
HELP_AHEAD = timedelta(days=28)


def with_help(context: Context, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics, the first :data:`HELPED` upcoming CAD001 findings with their help lines."""
    last = context.today + HELP_AHEAD
    upcoming = sorted((d.at, index) for index, d in enumerate(diagnostics) if d.code == "CAD001" and d.at and context.today <= d.date <= last)
    helped = list(diagnostics)
    for at, index in upcoming[:HELPED]:
        d = diagnostics[index]
        helped[index] = replace(d, suggestions=context.suggester.help_for(d.channel, int(at.timestamp())))
    return helped


@dataclass(frozen=True)
class PostEdit:
    """An edit inside one post: the plan after it, the post before it, the text after it, and
    where the edit ended in the text before it."""

    plan: Plan
    before: Post
    text: str
    old_end: int


def edited_post(previous: Analysis, text: str) -> PostEdit | None:
    """The previous plan with one post read again from ``text``, when the edit from the previous
    text lies inside that post's own lines (no header touched, no sub-table) and the post stays
    plainly valid (:func:`planner.loader.with_changed_post`); else None: read the whole text.

    A 10,000-post plan takes a second to parse and read; one post, a millisecond. The rest of
    the text is unchanged and was a valid plan, and the post's lines parse alone as one
    ``[[post]]`` table ending where the next table starts, so nothing outside them can read
    differently.
    """
    plan = previous.plan
    if plan is None or plan.source is None:
        return None
    old = previous.text
    start = common_length(old, text, lambda written, n: written[:n])
    tail = common_length(old[start:], text[start:], lambda written, n: written[len(written) - n :])
    old_end = len(old) - tail
    tables = plan.source.tables
    found = [(path, table) for path, table in tables.items() if path and table.start < start and old_end <= table.end]
    if len(found) != 1:
        return None
    path, table = found[0]
    header_end = old.find("\n", table.start) + 1
    if len(path) != 2 or path[0] != "post" or not 0 < header_end <= start or any(other[:2] == path and other != path for other in tables):
        return None
    block = text[table.start : table.end + len(text) - len(old)]
    try:
        parsed = tomli.loads(block)
    except (tomli.TOMLDecodeError, RecursionError, ValueError):
        return None
    if parsed.keys() != {"post"} or not isinstance(parsed["post"], list) or len(parsed["post"]) != 1:
        return None
    post = next((post for post in plan.posts if post.index == path[1]), None)
    if post is None:
        return None
    spec, written = parsed["post"][0], loader.post_fields(post)
    changes = {key: spec.get(key) for key in written.keys() | spec.keys()}
    changed = loader.with_changed_post(plan, text, post.id, changes, known_rules())
    if changed is None:
        return None
    return PostEdit(replace(changed, source=plan.source.edited(text, start, old_end, len(text) - tail)), post, text, old_end)


def common_length(first: str, second: str, part) -> int:
    """How long the common start (or end, as ``part`` cuts) of two texts is, by bisection."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if part(first, middle) == part(second, middle):
            low = middle
        else:
            high = middle - 1
    return low


# -- names -----------------------------------------------------------------------------------


def _tables(data: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    value = data.get(name)
    if not isinstance(value, dict):
        return {}
    return {key: spec for key, spec in value.items() if isinstance(spec, dict)}


@dataclass(frozen=True)
class Names:
    """What a plan's values may name, read from its TOML (valid or not): completion offers
    them and hover describes them while the plan still has problems."""

    tables: frozenset[str] = frozenset()  # the top level's keys
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    team: dict[str, dict[str, Any]] = field(default_factory=dict)
    audiences: tuple[str, ...] = ()
    ideas: dict[str, int] = field(default_factory=dict)  # backlog id -> its index

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> "Names":
        if not data:
            return cls()
        head = data.get("plan") if isinstance(data.get("plan"), dict) else {}
        audiences = head.get("audiences", ())
        backlog = data.get("backlog") if isinstance(data.get("backlog"), list) else []
        return cls(
            tables=frozenset(data),
            kinds=_tables(data, "kinds"),
            channels=_tables(data, "channels"),
            team=_tables(data, "team"),
            audiences=tuple(a for a in audiences if isinstance(a, str)) if isinstance(audiences, list) else (),
            ideas={idea["id"]: index for index, idea in enumerate(backlog) if isinstance(idea, dict) and isinstance(idea.get("id"), str)},
        )

    @property
    def roles(self) -> list[str]:
        roles = (spec.get("roles") for spec in self.team.values())
        return sorted({role for listed in roles if isinstance(listed, list) for role in listed if isinstance(role, str)})

    def of_category(self, category: str) -> dict[str, str]:
        """The names of a category, each with a one-line description."""
        if category == "kind":
            return {name: kind_summary(spec) for name, spec in self.kinds.items()}
        if category == "channel":
            return {name: str(spec.get("label", name)) for name, spec in self.channels.items()}
        if category == "member":
            return {name: _roles_of(spec) for name, spec in self.team.items()}
        if category == "role":
            return {role: "a role in [team]" for role in self.roles}
        if category == "status":
            return {status: "a post's status" for status in STATUSES}
        if category == "audience":
            return {audience: "an audience of [plan]" for audience in self.audiences}
        if category == "idea":
            return {idea: "a backlog idea" for idea in self.ideas}
        if category == "rule":
            return {code: f"{rule.name}: {rule.summary}" for code, rule in BY_CODE.items()}
        return {}


def kind_summary(spec: dict[str, Any]) -> str:
    flags = [flag for flag in FLAGS if spec.get(flag) is True]
    return ", ".join(flags) or "no flags"


def _roles_of(spec: dict[str, Any]) -> str:
    roles = spec.get("roles")
    listed = [role for role in roles if isinstance(role, str)] if isinstance(roles, list) else []
    return "roles: " + (", ".join(listed) or "none")


# -- the cursor ------------------------------------------------------------------------------

_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*([^\[\]#\r\n]*?)[ \t]*\]")
_KEY = re.compile(r"[ \t]*([A-Za-z0-9_-]+|\"[^\"\r\n]*\")[ \t]*=")
_WORD = re.compile(r"[^\s\"'\[\]{},=#.]+")  # a dot joins the parts of a dotted key


@dataclass(frozen=True)
class Cursor:
    """What the cursor is on, read from the text around it (which need not parse)."""

    line: int
    table: tuple[str, ...]  # the table it is in: ("post",), ("kinds", "tip"); () above every header
    table_line: int  # the 0-based line of that table's header (-1: none)
    on_header: bool
    key: str | None  # the key whose value it is in; None at a key or on a header
    word: str  # the name under (or just before) it, "" for none
    start: int  # the word's columns
    end: int
    quoted: bool  # inside a string


def cursor_at(lines: list[str], line: int, column: int) -> Cursor:
    """The cursor at 0-based ``line`` and code point ``column``."""
    written = lines[line].rstrip("\r") if 0 <= line < len(lines) else ""
    column = min(column, len(written))
    start = column
    while start > 0 and _WORD.fullmatch(written[start - 1]):
        start -= 1
    found = _WORD.match(written, start)
    end = found.end() if found and found.start() == start else column
    table, table_line = (), -1
    for above in range(min(line, len(lines) - 1), -1, -1):
        header = _HEADER.match(lines[above])
        if header:
            table, table_line = _header_path(header.group(2)), above
            break
    key_match = _KEY.match(written)
    key = None
    if key_match and column >= key_match.end() and table_line != line:
        key = key_match.group(1).strip('"')
    quoted = written[:column].count('"') % 2 == 1
    return Cursor(line, table, table_line, table_line == line, key, written[start:end], start, end, quoted)


def _header_path(written: str) -> tuple[str, ...]:
    try:
        return split_key_path(written)
    except Exception:  # the header being typed: a quote not closed yet
        return tuple(part.strip().strip("\"'") for part in written.split("."))


def table_keys(table: tuple[str, ...]) -> dict[str, Any]:
    """The keys the table at ``table`` may hold (the loader's own lists)."""
    if not table:
        return {}
    section, depth = table[0], len(table)
    by_section = {
        ("plan", 1): loader.PLAN_KEYS,
        ("post", 1): loader.POST_KEYS,
        ("backlog", 1): loader.BACKLOG_KEYS,
        ("goal", 1): loader.GOAL_KEYS,
        ("review", 1): loader.REVIEW_KEYS,
        ("balance", 1): loader.BALANCE_KEYS,
        ("voice", 1): loader.VOICE_KEYS,
        ("kinds", 2): loader.KIND_KEYS,
        ("channels", 2): loader.CHANNEL_KEYS,
        ("team", 2): loader.MEMBER_KEYS,
    }
    if (section, depth) == ("rules", 1):
        return {"select": None, "ignore": None, "severity": None, **known_rules().settings}
    return by_section.get((section, depth), {})


def value_category(table: tuple[str, ...], key: str | None) -> str | None:
    """What the value of ``key`` in ``table`` names: kind, channel, member, role, status,
    audience, idea or rule; None for a value that names nothing."""
    section = table[0] if table else ""
    if key == "kind" or (key == "kinds" and section == "channels"):
        return "kind"
    if key == "channel" or (key == "channels" and section == "backlog"):
        return "channel"
    if key in ("owner", "approved_by"):
        return "member"
    if key == "needs_approval" or (key == "roles" and section == "team"):
        return "role"
    if key in ("select", "ignore"):
        return "rule"
    return {"status": "status", "audience": "audience", "idea": "idea"}.get(key or "")


_HEADER_CATEGORY = {"kinds": "kind", "channels": "channel", "team": "member"}


def named_at(cursor: Cursor) -> tuple[str, str] | None:
    """(category, name) of the name under the cursor: a rule code anywhere, or a kind, channel,
    member... in a value that names one or in its own table's header."""
    if not cursor.word:
        return None
    if cursor.word in BY_CODE:
        return "rule", cursor.word
    if cursor.on_header and len(cursor.table) == 2 and cursor.table[1] == cursor.word:
        category = _HEADER_CATEGORY.get(cursor.table[0])
        return (category, cursor.word) if category else None
    category = value_category(cursor.table, cursor.key)
    return (category, cursor.word) if category else None


def written_keys(lines: list[str], cursor: Cursor) -> set[str]:
    """The keys already written in the cursor's table (completion leaves them out)."""
    keys = set()
    for number in range(cursor.table_line + 1, len(lines)):
        if _HEADER.match(lines[number]):
            break
        if number != cursor.line and (found := _KEY.match(lines[number])):  # the line being typed does not count
            keys.add(found.group(1).strip('"'))
    return keys


def completions(names: Names, lines: list[str], cursor: Cursor) -> dict[str, str]:
    """What may be written at the cursor, each with a description: a key of its table, or a
    name for a value that names one."""
    if cursor.on_header:
        return {}
    if cursor.key is None:
        taken = written_keys(lines, cursor)
        return {key: _key_detail(cursor.table, key) for key in table_keys(cursor.table) if key not in taken}
    category = value_category(cursor.table, cursor.key)
    return names.of_category(category) if category else {}


def _key_detail(table: tuple[str, ...], key: str) -> str:
    if table == ("post",) and key in ("id", "at", "channel", "kind", "title"):
        return "required"
    if table and table[0] == "rules" and key in known_rules().settings:
        return f"a rule setting ({known_rules().settings[key]}; default {known_rules().defaults.get(key)})"
    return ""


# -- hover and definition --------------------------------------------------------------------


def hover(analysis: Analysis | None, names: Names, category: str, name: str) -> str | None:
    """Markdown describing a named thing, or None when the plan has no such thing."""
    if category == "rule":
        rule = BY_CODE[name]
        return f"**{rule.code}** `{rule.name}` ({rule.severity})\n\n{rule.doc}\n\n[{rule.code} in the rule reference]({rule_docs(rule.code)})"
    plan = analysis.plan if analysis else None
    if category == "kind" and name in names.kinds:
        return _kind_hover(name, names.kinds[name], plan)
    if category == "channel" and name in names.channels:
        return _channel_hover(name, names.channels[name], analysis)
    if category == "member" and name in names.team:
        return _member_hover(name, names.team[name], plan)
    return None


def _kind_hover(name: str, spec: dict[str, Any], plan: Plan | None) -> str:
    lines = [f"**kind `{name}`**" + (f": {spec['label']}" if isinstance(spec.get("label"), str) else ""), ""]
    lines.append(f"- flags: {kind_summary(spec)}")
    if spec.get("needs_approval"):
        lines.append(f"- needs approval by: {', '.join(map(str, spec['needs_approval']))}")
    if spec.get("needs_link") is True:
        lines.append("- needs a link")
    if isinstance(spec.get("effort"), str):
        lines.append(f"- effort: {spec['effort']} a post")
    if plan is not None:
        lines.append(f"- posts of this kind: {sum(post.kind == name for post in plan.posts)}")
    return "\n".join(lines)


def _channel_hover(name: str, spec: dict[str, Any], analysis: Analysis | None) -> str:
    lines = [f"**channel `{name}`**" + (f": {spec['label']}" if isinstance(spec.get("label"), str) else ""), ""]
    context = analysis.context if analysis else None
    channel = context.plan.channels.get(name) if context else None
    if channel is not None:
        crons = ", ".join(f"`{cron.expr}`" for cron in channel.cadence or ()) or "none"
        lines.append(f"- cadence: {crons} (tolerance {format_duration(channel.tolerance)})")
        if channel.max_per_day:
            lines.append(f"- at most {counted(channel.max_per_day, 'post')} a day")
        if channel.owner:
            lines.append(f"- owner: {channel.owner}")
        lines.append(f"- next free slot: {next_free_slot(context, name) or 'none in the plan from today'}")
    elif isinstance(spec.get("cadence"), (str, list)):
        lines.append(f"- cadence: {spec['cadence']!r} (the next free slot shows once the plan has no problems)")
    return "\n".join(lines)


def next_free_slot(context: Context, channel: str) -> str | None:
    """The channel's first open cadence slot from today on, as messages write times."""
    plan = context.plan
    now = datetime.combine(context.today, time(), plan.tz).timestamp()
    upcoming = next((slot for slot in context.gaps.get(channel, ()) if slot >= now), None)
    return when(context.local(upcoming)) if upcoming is not None else None


def _member_hover(name: str, spec: dict[str, Any], plan: Plan | None) -> str:
    label = f": {spec['name']}" if isinstance(spec.get("name"), str) else ""
    lines = [f"**team member `{name}`**{label}", "", f"- {_roles_of(spec)}"]
    if isinstance(spec.get("hours"), (int, float)) and not isinstance(spec.get("hours"), bool):
        lines.append(f"- {spec['hours']:g} hours a week")
    if plan is not None:
        owned = [channel.name for channel in plan.channels.values() if channel.owner == name]
        lines.append(f"- owns: {', '.join(owned) or 'no channel'}")
        lines.append(f"- posts: {sum(post.owner == name for post in plan.posts)} own, {sum(name in post.approved_by for post in plan.posts)} approved")
    return "\n".join(lines)


def definition(analysis: Analysis, names: Names, category: str, name: str) -> tuple[int, int] | None:
    """The 1-based line and column where a kind, channel, member or idea is defined."""
    source = analysis.source
    if source is None:
        return None
    if category == "idea" and name in names.ideas:
        return source.locate(("backlog", names.ideas[name]))
    defined = {"kind": ("kinds", names.kinds), "channel": ("channels", names.channels), "member": ("team", names.team)}
    if category not in defined or name not in defined[category][1]:
        return None
    return source.locate((defined[category][0], name))
