"""Read a plan file into a :class:`planner.model.Plan`, reporting every problem at once.

The file is parsed by tomli; the checks here cover the whole v1 format of docs/plan.md: types,
unknown keys (with a "did you mean"), references between tables, duplicate ids, cron
expressions, the time zone, durations and the horizon. Each problem is located by
:class:`planner.source.SourceIndex` at the key at fault or the header of its table.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli

from planner.cadence import MAX_SLOTS, Cron, CronError, busiest_over_budget, quoted
from planner.days_off import MAX_BLACKOUTS, MAX_REGIONS, holidays_between, region_problem
from planner.durations import parse_duration
from planner.errors import PlanError, Problem, did_you_mean
from planner.localtime import MAX_HORIZON_DAYS, clock_of, out_of_range
from planner.planfile import PlanFile, fingerprint, read_bytes
from planner.model import (
    DEFAULT_STATUS,
    FLAGS,
    MIX_PRESETS,
    ON_HOLIDAY,
    STATUSES,
    Balance,
    BacklogIdea,
    Blackout,
    Channel,
    Goal,
    Kind,
    Plan,
    Post,
    loaded_post,
    RulesConfig,
)
from planner.networks import ALIASES, BUILT_IN, LIMIT_KEYS, MAX_LIMIT, NETWORKS, NetworkLimits, network_of_name, with_overrides
from planner.source import SourceIndex

MAX_STORE_PATH = 1024  # characters of [plan] outcomes; a longer path is no store's
USER_TABLE = "x"  # free for users' own data, never checked, carried through every edit
_INVALID = object()

Checker = Callable[["_Reader", tuple, Any], Any]


def read_text(path: str) -> str:
    """The plan's text, or a :class:`PlanError` saying plainly why it cannot be read."""
    return _checked_read(path)[1].removeprefix("\ufeff")


def read_plan_file(path: str) -> PlanFile:
    """The plan file as read (text and fingerprint, for a save), or a located :class:`PlanError`."""
    raw, text = _checked_read(path)
    return PlanFile(path, text, fingerprint(raw))


def _checked_read(path: str) -> tuple[bytes, str]:
    """The bytes of a plan file and their text; a located :class:`PlanError` if it is no plan."""

    def fail(message: str) -> PlanError:
        return PlanError([Problem(path, 1, 1, message)])

    if os.path.isdir(path):
        raise fail("is a directory, not a plan file")
    try:
        raw = read_bytes(path)
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as error:
        raise fail(f"cannot be read: {error.strerror or error}") from None
    if b"\0" in raw:
        raise fail("is a binary file, not a TOML plan")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PlanError([Problem(path, line, 1, "is not UTF-8 text; save the plan as UTF-8")]) from None
    if not text.strip():
        raise fail("is empty; a plan needs at least a [plan] table (try `cadence init`)")
    return raw, text


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """tomli's parse, with its error turned into a located :class:`Problem`."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        if conflicts := _conflict_markers(text):
            raise PlanError([Problem(path, line, 1, message) for line, message in conflicts]) from None
        line = getattr(error, "lineno", None) or 1
        column = getattr(error, "colno", None) or 1
        message = getattr(error, "msg", None) or str(error)
        raise PlanError([Problem(path, line, column, f"invalid TOML: {message}")]) from None
    except RecursionError:  # tomli refuses arrays and inline tables nested over 400 deep
        line, column = _deepest_nesting(text)
        raise PlanError([Problem(path, line, column, "invalid TOML: arrays or inline tables nested too deep")]) from None
    except ValueError as error:  # Python's own limit on the digits of an integer it reads (4300)
        found = re.search(r"[0-9_]{4301,}", text) if "integer string conversion" in str(error) else None
        if found is None:
            raise PlanError([Problem(path, 1, 1, f"invalid TOML: {error}")]) from None
        line, column = text.count("\n", 0, found.start()) + 1, found.start() - text.rfind("\n", 0, found.start())
        raise PlanError([Problem(path, line, column, "invalid TOML: an integer of over 4300 digits (TOML's integers have 64 bits)")]) from None


_CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def _conflict_markers(text: str) -> list[tuple[int, str]]:
    """Each unresolved git merge conflict, at its ``<<<<<<<`` line (else the first stray marker)."""
    markers = [(text.count("\n", 0, match.start()) + 1, match.group()) for match in _CONFLICT_MARKER.finditer(text)]
    opening = [line for line, marker in markers if marker.startswith("<")]
    if opening:
        advice = "merge conflict: keep the right lines between <<<<<<< and >>>>>>> and remove the markers (or merge with `cadence merge-driver`)"
        return [(line, advice) for line in opening]
    return [(line, f"a merge conflict marker {marker.strip()!r} is left in the plan; remove it") for line, marker in markers[:1]]


def _deepest_nesting(text: str) -> tuple[int, int]:
    """Where brackets and braces open deepest (strings and comments aside, it is a guess)."""
    depth, deepest, where, line, column = 0, 0, (1, 1), 1, 0
    for character in text:
        column += 1
        if character == "\n":
            line, column = line + 1, 0
        elif character in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, (line, column)
        elif character in "]}":
            depth = max(depth - 1, 0)
    return where


def load_plan(path: str, vocabulary: "RuleVocabulary | None" = None) -> Plan:
    """Read and check the plan at ``path``; raise :class:`PlanError` with every problem."""
    return plan_from_text(read_text(path), path, vocabulary)


def plan_from_text(text: str, path: str, vocabulary: "RuleVocabulary | None" = None) -> Plan:
    """Check and build a plan from its TOML text (``path`` is used in messages).

    Without a ``vocabulary``, ``[rules]`` may name any code and setting, unchecked.
    """
    return plan_from_data(parse_toml(text, path), text, path, vocabulary)


def plan_from_data(data: dict[str, Any], text: str, path: str, vocabulary: "RuleVocabulary | None" = None) -> Plan:
    """:func:`plan_from_text` for text already parsed by :func:`parse_toml`: the language server
    reads the document's names from the same parse. The posts' tables in ``data`` are let go
    as they are read (see :meth:`_Reader.posts`); the other tables stay as parsed."""
    reader = _Reader(path, SourceIndex(text, data), vocabulary)
    plan = reader.plan(data)
    if reader.problems:
        raise PlanError(reader.problems)
    return plan


# -- value checkers: each returns the converted value, or _INVALID after reporting ---------


def _string(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, str):
        return value
    return reader.wrong_type(where, value, "a string")


def _nonempty_string(reader: "_Reader", where: tuple, value: Any) -> Any:
    value = _string(reader, where, value)
    if value is not _INVALID and not value.strip():
        return reader.error(where, f"{_key(where)} must not be empty")
    return value


def _store_location(reader: "_Reader", where: tuple, value: Any) -> Any:
    """``[plan] outcomes``: a file inside the plan's folder, written relative to it.

    A plan can come from a pull request, and ``cadence check`` opens its store: the path must
    not lead anywhere else. Symlinks are followed when the store is opened
    (:func:`planner.outcomes.store_path`).
    """
    value = _nonempty_string(reader, where, value)
    if value is _INVALID:
        return value
    if len(value) > MAX_STORE_PATH:
        return reader.error(where, f"outcomes is a path of {len(value)} characters; at most {MAX_STORE_PATH}")
    if not value.isprintable():
        return reader.error(where, f"outcomes must be a file name without control characters, not {_show(value)}")
    if os.path.isabs(value) or value.startswith("~"):
        return reader.error(where, f"outcomes must be a path relative to the plan's folder, inside it, not {value!r}")
    if ".." in value.replace("\\", "/").split("/"):
        return reader.error(where, f"outcomes must stay inside the plan's folder: {value!r} goes up with '..'")
    if os.path.normpath(value) == "." or value.endswith(("/", "\\")):
        return reader.error(where, f"outcomes must name a file (such as \".cadence/outcomes.db\"), not the folder {value!r}")
    return value


def _boolean(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    return reader.wrong_type(where, value, "true or false")


def _finite(value: Any) -> bool:
    """A number a figure can be: not a boolean, nan or an infinity, and an integer within
    TOML's 64 bits (tomli reads longer ones, which no float can hold)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float) and math.isfinite(value)


def _positive_int(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, int) and _finite(value) and value >= 1:
        return value
    return reader.wrong_type(where, value, "a whole number of at least 1")


def _number(reader: "_Reader", where: tuple, value: Any) -> Any:
    if _finite(value):
        return float(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return reader.wrong_type(where, value, "a finite number" if numeric else "a number")


def _date(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        if reason := out_of_range(value):
            return reader.error(where, f"{_key(where)}: {reason}")
        return value
    return reader.wrong_type(where, value, "a date such as 2027-01-31 (no quotes)")


def _duration(reader: "_Reader", where: tuple, value: Any) -> Any:
    if not isinstance(value, str):
        return reader.wrong_type(where, value, 'a duration string such as "3h" or "14d"')
    try:
        return parse_duration(value)
    except ValueError as error:
        return reader.error(where, f"{_key(where)}: {error}")


def _hours(reader: "_Reader", where: tuple, value: Any) -> Any:
    if _finite(value) and 0 <= value <= 168:
        return float(value)
    return reader.wrong_type(where, value, "hours a week, a number from 0 to 168")


def _string_list(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return reader.wrong_type(where, value, "a list of strings")


def _cron_list(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return reader.wrong_type(where, value, 'a cron string or a list of them, e.g. ["0 10 * * MON"]')
    crons = []
    for expr in value:
        try:
            crons.append(Cron.parse(expr))
        except CronError as error:
            reader.error(where, str(error))
    return tuple(crons) if len(crons) == len(value) else _INVALID


def _status(reader: "_Reader", where: tuple, value: Any) -> Any:
    if value in STATUSES:
        return value
    if not isinstance(value, str):
        return reader.wrong_type(where, value, "a status string")
    return reader.error(where, f"status {value!r} is not one of {', '.join(STATUSES)}{did_you_mean(value, STATUSES)}")


def _user_table(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, dict):
        return value
    return reader.wrong_type(where, value, "a table (x is kept for your own data)")


def _share_map(reader: "_Reader", where: tuple, value: Any) -> Any:
    return _kind_map(reader, where, value, lambda v: _finite(v) and 0 <= v <= 1, "a share between 0 and 1, e.g. 0.2")


def _count_map(reader: "_Reader", where: tuple, value: Any) -> Any:
    return _kind_map(reader, where, value, lambda v: isinstance(v, int) and _finite(v) and v >= 0, "a whole number of 0 or more")


def _kind_map(reader: "_Reader", where: tuple, value: Any, valid: Callable[[Any], bool], expected: str) -> Any:
    if not isinstance(value, dict):
        return reader.wrong_type(where, value, "a table of kind = value, e.g. { promo = 0.2 }")
    good = True
    for kind, limit in value.items():
        if not valid(limit):
            reader.error(where, f"{_key(where)}.{kind} must be {expected}, not {_show(limit)}")
            good = False
        else:
            reader.kind_references.append((where, kind))
    return dict(value) if good else _INVALID


def _mix_preset(reader: "_Reader", where: tuple, value: Any) -> Any:
    if value in MIX_PRESETS:
        return value
    if not isinstance(value, str):
        return reader.wrong_type(where, value, f"the name of a preset: {', '.join(MIX_PRESETS)}")
    return reader.error(where, f"unknown preset {value!r}{did_you_mean(value, MIX_PRESETS)} (known: {', '.join(MIX_PRESETS)})")


# -- networks: [channels.X] network and [networks.NAME] limits (planner.networks) --------------


def _network_name(reader: "_Reader", where: tuple, value: Any) -> Any:
    if isinstance(value, str) and (network := network_of_name(value)):
        return network  # in any case; "twitter" is x
    if not isinstance(value, str):
        return reader.wrong_type(where, value, f"the name of a network: {', '.join(NETWORKS)}")
    reader.unknown(where, "network", value, NETWORKS)
    return _INVALID


def _network_limit(reader: "_Reader", where: tuple, value: Any) -> Any:
    least = 1 if where[-1] in ("max_chars", "max_title") else 0
    if isinstance(value, int) and _finite(value) and least <= value <= MAX_LIMIT:
        return value
    return reader.wrong_type(where, value, f"a whole number from {least} to {MAX_LIMIT:,}")


NETWORK_KEYS: dict[str, Checker] = {key: _network_limit for key in LIMIT_KEYS}


def _network_limits(reader: "_Reader", value: Any) -> dict[str, NetworkLimits]:
    """``[networks.NAME]``: a plan's own limits for the networks it names, over the built-in ones."""
    limits, tables = {}, {}
    for written, overrides in reader.named_tables("networks", value, NETWORK_KEYS).items():
        name = ALIASES.get(written, written)
        if name in tables:
            reader.error(("networks", written), f"[networks.{tables[name]}] and [networks.{written}] both set {name}'s limits; keep one")
        elif name not in NETWORKS:
            reader.unknown(("networks", written), "network", written, NETWORKS)
        elif "max_title" in overrides and not BUILT_IN[name].has_title:
            reader.error(("networks", written, "max_title"), f"{name} posts have no title; max_title goes with {', '.join(n for n in NETWORKS if BUILT_IN[n].has_title)}")
        else:
            limits[name] = with_overrides(name, overrides)
        tables.setdefault(name, written)
    return limits


# -- the format: each table's keys, checkers, and required keys ----------------------------

PLAN_KEYS: dict[str, Checker] = {
    "name": _nonempty_string,
    "timezone": _string,
    "start": _date,
    "end": _date,
    "objective": _string,
    "audiences": _string_list,
    "max_per_day": _positive_int,
    "outcomes": _store_location,
    "holidays": lambda reader, where, value: _holiday_regions(reader, where, value),
}
GOAL_KEYS: dict[str, Checker] = {
    "metric": _string,
    "channel": _string,
    "target": _number,
    "by": _date,
    "baseline": _number,
    USER_TABLE: _user_table,
}
REVIEW_KEYS: dict[str, Checker] = {"cadence": _cron_list, USER_TABLE: _user_table}
KIND_KEYS: dict[str, Checker] = {
    "label": _string,
    "useful": _boolean,
    "promotional": _boolean,
    "conversation": _boolean,
    "needs_approval": _string_list,
    "needs_link": _boolean,
    "color": _string,
    "effort": _duration,
    USER_TABLE: _user_table,
}
CHANNEL_KEYS: dict[str, Checker] = {
    "label": _string,
    "mark": _nonempty_string,
    "cadence": _cron_list,
    "tolerance": _duration,
    "max_per_day": _positive_int,
    "max_silence": _duration,
    "min_spacing": _duration,
    "owner": _string,
    "kinds": _string_list,
    "network": _network_name,
    "on_holiday": lambda reader, where, value: _on_holiday(reader, where, value),
    USER_TABLE: _user_table,
}
BALANCE_KEYS: dict[str, Checker] = {
    "preset": _mix_preset,
    "window": _duration,
    "max_share": _share_map,
    "min_share": _share_map,
    "max_streak": _count_map,
    "min_count": _count_map,
    "min_posts": _positive_int,
}
VOICE_KEYS: dict[str, Checker] = {"banned": _string_list}
MEMBER_KEYS: dict[str, Checker] = {"name": _string, "roles": _string_list, "hours": _hours, USER_TABLE: _user_table}
POST_KEYS: dict[str, Checker] = {
    "id": _nonempty_string,
    "at": lambda reader, where, value: value,  # checked with the plan's zone, in _Reader.checked_post
    "channel": _string,
    "kind": _string,
    "title": _string,
    "body": _string,
    "status": _status,
    "owner": _string,
    "audience": _string,
    "link": _string,
    "approved_by": _string_list,
    "tags": _string_list,
    "ignore": _string_list,
    "idea": _string,
    USER_TABLE: _user_table,
}
_POST_REQUIRED = ("id", "at", "channel", "kind", "title")
_POST_REQUIRED_KEYS = frozenset(_POST_REQUIRED)
_POST_TYPES = {
    "id": str, "at": datetime, "channel": str, "kind": str, "title": str, "body": str, "status": str,
    "owner": str, "link": str, "approved_by": list, "tags": list, "ignore": list, "idea": str, "audience": str, USER_TABLE: dict,
}
BACKLOG_KEYS: dict[str, Checker] = {
    "id": _nonempty_string,
    "kind": _string,
    "title": _nonempty_string,
    "body": _string,
    "channels": _string_list,
    "cooldown": _duration,
    "tags": _string_list,
    "recycle_after": _duration,
    "max_uses": _positive_int,
    "expires": _date,
    USER_TABLE: _user_table,
}
TOP_KEYS = ("plan", "goal", "review", "kinds", "channels", "networks", "balance", "voice", "team", "rules", "post", "backlog", "blackout", USER_TABLE)


@dataclass(frozen=True)
class RuleVocabulary:
    """The rule codes and ``[rules]`` settings that the checks engine knows.

    planner cannot import balance (imports flow one way), so balance hands this in.
    ``settings`` maps a setting's name to its kind: "duration", "number", "count" or "string".
    """

    codes: frozenset[str] = frozenset()
    settings: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)  # a setting's value when [rules] does not set it

    def checkers(self) -> dict[str, Checker]:
        kinds = {"duration": _duration, "number": _number, "count": _positive_int, "string": _string}
        return {name: kinds[kind] for name, kind in self.settings.items()}


# -- the reader ----------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: str, source: SourceIndex, vocabulary: RuleVocabulary | None):
        self.path = path
        self.vocabulary = vocabulary
        self.source = source
        self.problems: list[Problem] = []
        self.kind_references: list[tuple[tuple, str]] = []
        self.rule_codes = vocabulary.codes if vocabulary else frozenset()  # none: any code, unchecked

    def error(self, where: tuple, message: str) -> Any:
        line, column = self.source.locate(where)
        self.problems.append(Problem(self.path, line, column, message))
        return _INVALID

    def wrong_type(self, where: tuple, value: Any, expected: str) -> Any:
        return self.error(where, f"{_key(where)} must be {expected}, not {_show(value)}")

    def table(self, where: tuple, value: Any, keys: dict[str, Checker], required: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """Check a table's keys and values; the valid ones come back converted."""
        if not isinstance(value, dict):
            self.wrong_type(where, value, "a table")
            return None
        checked: dict[str, Any] = {}
        for name, item in value.items():
            checker = keys.get(name)
            if checker is None:
                self.error(
                    where + (name,),
                    f"unknown key {name!r} in {_table_name(where)}{did_you_mean(name, keys)}",
                )
                continue
            result = checker(self, where + (name,), item)
            if result is not _INVALID:
                checked[name] = result
        missing = [name for name in required if name not in value]
        if missing:
            self.error(where, f"{_table_name(where)} needs {', '.join(missing)}")
        return checked

    def named_tables(self, name: str, value: Any, keys: dict[str, Checker]) -> dict[str, dict[str, Any]]:
        if not isinstance(value, dict):
            self.wrong_type((name,), value, f"tables such as [{name}.something]")
            return {}
        tables = {}
        for item_name, item in value.items():
            checked = self.table((name, item_name), item, keys)
            if checked is not None:
                tables[item_name] = checked
        return tables

    def array(self, name: str, value: Any) -> list[Any]:
        if isinstance(value, list):
            return value
        self.wrong_type((name,), value, f"an array of tables written [[{name}]]")
        return []

    def plan(self, data: dict[str, Any]) -> Plan | None:
        """The plan, read a section at a time; None once any problem is reported."""
        self.top_level(data)
        head = self.head(data.get("plan"))
        tz = self.zone(head)
        start, end = self.horizon(head)
        kinds = self.kinds(data.get("kinds", {}))
        team, hours = self.team(data.get("team", {}))
        channels = self.channels(data.get("channels", {}), kinds, team)
        networks = _network_limits(self, data.get("networks", {}))
        rules = self.rules(data.get("rules", {}))
        self.cadence_within_limits(channels, head.get("max_per_day"), rules)
        if tz and start and end and start <= end and (end - start).days < MAX_HORIZON_DAYS:
            self.cadence_within_budget(channels, start, end, tz)
        goals = self.goals(data.get("goal", []), channels)
        review = self.review(data.get("review", {}))
        balance = self.balance(data.get("balance", {}))
        banned = self.banned(data.get("voice", {}))
        seen_ids: dict[str, tuple] = {}
        posts = self.posts(data.get("post", []), tz, kinds, channels, team, seen_ids)
        backlog = self.backlog(data.get("backlog", []), kinds, channels, seen_ids)
        audiences = head.get("audiences", ())
        self.post_references(posts, audiences, backlog)
        self.kinds_known(kinds)
        holidays = _holidays(head, start, end)
        blackouts = _blackouts(self, data.get("blackout", []), kinds, channels)
        if self.problems:
            return None
        return Plan(
            path=self.path,
            name=head["name"],
            timezone=head["timezone"],
            tz=tz,
            start=start,
            end=end,
            objective=head.get("objective", ""),
            audiences=audiences,
            max_per_day=head.get("max_per_day"),
            outcomes=head.get("outcomes"),
            goals=goals,
            review=review,
            kinds=kinds,
            channels=channels,
            networks=networks,
            balance=balance,
            banned=banned,
            team=team,
            hours=hours,
            rules=rules,
            posts=posts,
            backlog=backlog,
            holidays=holidays,
            blackouts=blackouts,
            source=self.source,
        )

    def top_level(self, data: dict[str, Any]) -> None:
        """Only the format's tables at the top, and ``x`` (if there) a table."""
        for name in data:
            if name == "mix":  # the issue's and many guides' word for what the format calls [balance]
                self.error((name,), "unknown table 'mix': the mix limits, and preset, go in [balance]")
            elif name not in TOP_KEYS:
                self.error((name,), f"unknown table or key {name!r}{did_you_mean(name, TOP_KEYS)}")
        if USER_TABLE in data:
            _user_table(self, (USER_TABLE,), data[USER_TABLE])

    def head(self, value: Any) -> dict[str, Any]:
        """``[plan]``'s valid keys."""
        if value is None:
            self.error((), "the file has no [plan] table; a plan needs at least name, timezone, start and end")
            return {}
        return self.table(("plan",), value, PLAN_KEYS, ("name", "timezone", "start", "end")) or {}

    def horizon(self, head: dict[str, Any]) -> tuple[date | None, date | None]:
        start, end = head.get("start"), head.get("end")
        if start and end and start > end:
            self.error(("plan", "end"), f"the plan ends ({end}) before it starts ({start})")
        elif start and end and (end - start).days + 1 > MAX_HORIZON_DAYS:
            self.error(("plan", "end"), f"the plan covers {(end - start).days + 1} days; a plan covers at most {MAX_HORIZON_DAYS} (ten years): split it")
        return start, end

    def kinds(self, value: Any) -> dict[str, Kind]:
        return {
            name: Kind(name=name, label=spec.get("label", name), **_pick(spec, "useful", "promotional", "conversation", "needs_approval", "needs_link", "color", "effort"))
            for name, spec in self.named_tables("kinds", value, KIND_KEYS).items()
        }

    def team(self, value: Any) -> tuple[dict[str, tuple[str, ...]], dict[str, float]]:
        """Each member's roles, and the hours a week of those who give them."""
        members = self.named_tables("team", value, MEMBER_KEYS)
        team = {name: spec.get("roles", ()) for name, spec in members.items()}
        hours = {name: spec["hours"] for name, spec in members.items() if "hours" in spec}
        return team, hours

    def channels(self, value: Any, kinds: dict[str, Kind], team: dict[str, tuple[str, ...]]) -> dict[str, Channel]:
        channels = {
            name: Channel(
                name=name, label=spec.get("label", name), mark=spec.get("mark") or _mark(name, spec.get("label", name)),
                network=spec.get("network", network_of_name(name)),
                **_pick(spec, "cadence", "tolerance", "max_per_day", "max_silence", "min_spacing", "owner", "kinds", "on_holiday"),
            )
            for name, spec in self.named_tables("channels", value, CHANNEL_KEYS).items()
        }
        for name, channel in channels.items():
            self.member(("channels", name, "owner"), channel.owner, team)
            for kind in channel.kinds:
                if kind not in kinds:
                    self.unknown(("channels", name, "kinds"), "kind", kind, kinds)
        return channels

    def goals(self, value: Any, channels: dict[str, Channel]) -> tuple[Goal, ...]:
        goals = []
        for index, spec in enumerate(self.array("goal", value)):
            goal = self.table(("goal", index), spec, GOAL_KEYS) or {}
            if goal.get("channel") is not None and goal["channel"] not in channels:
                self.unknown(("goal", index, "channel"), "channel", goal["channel"], channels)
            goals.append(Goal(index=index, **{key: goal.get(key) for key in ("metric", "channel", "target", "by", "baseline")}))
        return tuple(goals)

    def review(self, value: Any) -> tuple[Cron, ...]:
        return (self.table(("review",), value, REVIEW_KEYS) or {}).get("cadence", ())

    def balance(self, value: Any) -> Balance:
        return Balance(**(self.table(("balance",), value, BALANCE_KEYS) or {}))

    def banned(self, value: Any) -> tuple[str, ...]:
        """``[voice]``: the words no post may use."""
        return (self.table(("voice",), value, VOICE_KEYS) or {}).get("banned", ())

    def posts(self, value: Any, tz: ZoneInfo | None, kinds: dict, channels: dict, team: dict, seen_ids: dict) -> tuple[Post, ...]:
        """The posts of ``[[post]]``; each one with a problem is reported and left out.

        Nearly every post of a real plan passes the plain type tests of :meth:`post_maker`; any
        other takes :meth:`checked_post`, which finds and reports each problem.
        """
        posts = []
        specs = self.array("post", value)
        valid_post = self.post_maker(tz, kinds, channels, team, seen_ids) if tz is not None else None
        for index, spec in enumerate(specs):
            if valid_post is not None and (post := valid_post(index, spec)) is not None:
                posts.append(post)
                # the post holds what it needs of its parsed table: let the table go now, so a
                # check's peak memory is the parse's, not the parse's and the model's together
                specs[index] = {USER_TABLE: spec[USER_TABLE]} if USER_TABLE in spec else _NO_TABLES
                continue
            if (post := self.checked_post(index, spec, tz, kinds, channels, team, seen_ids)) is not None:
                posts.append(post)
            specs[index] = _sub_tables(spec)
        return tuple(posts)

    def backlog(self, value: Any, kinds: dict, channels: dict, seen_ids: dict) -> tuple[BacklogIdea, ...]:
        return tuple(
            idea
            for index, spec in enumerate(self.array("backlog", value))
            if (idea := self.idea(index, spec, kinds, channels, seen_ids)) is not None
        )

    def post_references(self, posts: tuple[Post, ...], audiences: tuple[str, ...], backlog: tuple[BacklogIdea, ...]) -> None:
        """Each post's audience is one of the plan's, and its idea one of the backlog's."""
        ideas = {idea.id for idea in backlog}
        for post in posts:
            if post.audience is not None and post.audience not in audiences:
                self.unknown(("post", post.index, "audience"), "audience", post.audience, audiences)
            if post.idea is not None and post.idea not in ideas:
                self.unknown(("post", post.index, "idea"), "backlog idea", post.idea, ideas)

    def kinds_known(self, kinds: dict[str, Kind]) -> None:
        """Each kind ``[balance]`` names (gathered as it was read) is a kind or a flag."""
        for where, kind in self.kind_references:
            if kind not in kinds and kind not in FLAGS:
                self.unknown(where, "kind or flag", kind, [*kinds, *FLAGS])

    def zone(self, head: dict[str, Any]) -> ZoneInfo | None:
        name = head.get("timezone")
        if name is None:
            return None
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America" is a folder of zones
            from zoneinfo import available_timezones

            shown = name if len(name) <= 40 else f"{name[:40]}..."
            self.error(
                ("plan", "timezone"),
                f"unknown time zone {shown!r}; use an IANA name such as \"Asia/Jakarta\"{did_you_mean(name, available_timezones())}",
            )
            return None

    def cadence_within_limits(self, channels: dict[str, Channel], plan_limit: int | None, rules: RulesConfig) -> None:
        """A cadence asking for more posts a day than the channel allows contradicts itself.

        Reported without expanding its slots: ``* * * * *`` would be 525,600 a year.
        """
        configured = rules.settings.get("max_per_day")
        if type(configured) is int and configured > 0:  # unchecked without a vocabulary
            default = (configured, "[rules] max_per_day")
        else:
            default = (self.vocabulary.defaults.get("max_per_day"), "the default max_per_day") if self.vocabulary else (None, "")
        for name, channel in channels.items():
            limits = [(channel.max_per_day, "its max_per_day") if channel.max_per_day else default, (plan_limit, "[plan] max_per_day")]
            limit, limit_name = min(((number, label) for number, label in limits if number), default=(None, ""))
            busiest = max(channel.cadence or (), key=lambda cron: cron.most_per_day, default=None)
            if limit and busiest and busiest.most_per_day > limit:
                self.error(
                    ("channels", name, "cadence"),
                    f"cadence {quoted(busiest.expr)} asks for {busiest.most_per_day} posts a day on {name}, more than "
                    f"{limit_name} ({limit}) allows; lower the cadence or raise max_per_day",
                )

    def cadence_within_budget(self, channels: dict[str, Channel], start: date, end: date, tz: ZoneInfo) -> None:
        """Every check expands the slots of the whole horizon: a plan whose cadences give more
        than :data:`planner.cadence.MAX_SLOTS` is refused, counted without expanding them."""
        cadences = {name: channel.cadence for name, channel in channels.items() if channel.cadence}
        over = busiest_over_budget(cadences, start, end, tz)
        if over:
            name, count, total = over
            others = f" ({total:,} with the other channels')" if total > count else ""
            self.error(
                ("channels", name, "cadence"),
                f"the cadence expressions of {name} give {count:,} slots from {start} to {end}{others}; a plan's may give "
                f"at most {MAX_SLOTS:,}, as every check expands each one: lower the cadence or shorten the plan",
            )

    def member(self, where: tuple, name: str | None, team: dict[str, tuple[str, ...]]) -> None:
        if name is not None and team and name not in team:
            self.unknown(where, "team member", name, team)

    def unknown(self, where: tuple, what: str, name: str, known: Any) -> None:
        listing = ", ".join(sorted(known)) or "none defined"
        self.error(where, f"unknown {what} {name!r}{did_you_mean(name, known)} (known: {listing})")

    def rules(self, value: Any) -> RulesConfig:
        keys: dict[str, Checker] = {"select": _string_list, "ignore": _string_list, "severity": _severity_map}
        if self.vocabulary is None:
            if not isinstance(value, dict):
                return RulesConfig()
            keys.update((name, lambda reader, where, item: item) for name in value if name not in keys)
        else:
            keys.update(self.vocabulary.checkers())
        spec = self.table(("rules",), value, keys) or {}
        codes = self.rule_codes
        for key in ("select", "ignore"):
            for code in spec.get(key, ()):
                if codes and not any(known.startswith(code) for known in codes):
                    self.error(("rules", key), f"unknown rule {code!r} in [rules].{key}{did_you_mean(code, codes)}")
        for code in spec.get("severity", {}):
            if codes and code not in codes:
                self.error(("rules", "severity"), f"unknown rule {code!r} in [rules].severity{did_you_mean(code, codes)}")
        return RulesConfig(
            select=spec.pop("select", ()),
            ignore=spec.pop("ignore", ()),
            severity=spec.pop("severity", {}),
            settings=spec,
        )

    def checked_post(self, index: int, spec: Any, tz: ZoneInfo | None, kinds: dict, channels: dict, team: dict, seen_ids: dict) -> Post | None:
        """The post, with each of its problems reported by the located, per-key checkers."""
        where = ("post", index)
        fields = self.table(where, spec, POST_KEYS, _POST_REQUIRED)
        if fields is None:
            return None
        self.unique_id(where, fields.get("id"), seen_ids)
        if "channel" in fields and fields["channel"] not in channels:
            self.unknown(where + ("channel",), "channel", fields["channel"], channels)
        if "kind" in fields and fields["kind"] not in kinds:
            self.unknown(where + ("kind",), "kind", fields["kind"], kinds)
        self.member(where + ("owner",), fields.get("owner"), team)
        for approver in fields.get("approved_by", ()):
            self.member(where + ("approved_by",), approver, team)
        for code in fields.get("ignore", ()) if self.rule_codes else ():
            if code not in self.rule_codes:
                self.error(where + ("ignore",), f"unknown rule {code!r} in ignore{did_you_mean(code, self.rule_codes)}")
        at = fields.get("at")
        if at is not None and not isinstance(at, datetime):
            kind = "a date without a time" if isinstance(at, date) else "a time without a date" if isinstance(at, time) else _show(at)
            self.error(where + ("at",), f"at must be a date and time such as 2027-01-04T10:00:00 (no quotes), not {kind}")
            return None
        if at is not None and (reason := out_of_range(at.date())):
            self.error(where + ("at",), f"at: {reason}")
            return None
        if tz is None or at is None or len(fields) < len(spec) or not _POST_REQUIRED_KEYS <= fields.keys():
            return None
        return _new_post(index, fields, tz)

    def valid_post(self, index: int, spec: Any, tz: ZoneInfo, kinds: dict, channels: dict, team: dict, seen_ids: dict) -> Post | None:
        """The post, if every check passes; else None, and :meth:`checked_post` finds and reports why."""
        return self.post_maker(tz, kinds, channels, team, seen_ids)(index, spec)

    def post_maker(self, tz: ZoneInfo, kinds: dict, channels: dict, team: dict, seen_ids: dict) -> Callable[[int, Any], Post | None]:
        """``valid_post(index, spec)`` for the posts of one plan: the post of the table ``spec`` if
        every check passes, else None, and :meth:`checked_post` finds and reports why.

        This is the path nearly every post of a real plan takes, so it checks with plain type
        tests instead of the located, per-key checkers that report problems, and looks each name
        up once, in a map of the plan's names to themselves: the posts share the plan's string
        for a channel, kind, status or member, where tomli makes a string per post.
        """
        read, types, codes = clock_of(tz).read, _POST_TYPES, self.rule_codes
        channel_names, kind_names, member_names = _own_names(channels), _own_names(kinds), _own_names(team)

        def valid_post(index: int, spec: Any) -> Post | None:
            if type(spec) is not dict or not spec.keys() >= _POST_REQUIRED_KEYS:
                return None
            for key, value in spec.items():
                expected = types.get(key)  # None for an unknown key, which no value's type is
                if type(value) is not expected or (expected is list and not all(type(item) is str for item in value)):
                    return None
            get = spec.get
            post_id, wall, status = spec["id"], spec["at"], _STATUS_NAMES.get(get("status", DEFAULT_STATUS))
            channel, kind = channel_names.get(spec["channel"]), kind_names.get(spec["kind"])
            if channel is None or kind is None or status is None or post_id in seen_ids or not post_id or post_id.isspace():
                return None
            if out_of_range(wall.date()):
                return None
            owner, approved_by, ignore = get("owner"), tuple(get("approved_by", ())), get("ignore")
            if member_names:
                if owner is not None and (owner := member_names.get(owner)) is None:
                    return None
                if approved_by and None in (approved_by := tuple(map(member_names.get, approved_by))):
                    return None
            ignore = frozenset(ignore) if ignore else _NO_CODES
            if codes and not ignore <= codes:
                return None
            ts, at = read(wall)
            seen_ids[post_id] = ("post", index)
            return loaded_post(  # by position, in Post's order
                index, post_id, at, ts, at.date(), channel, kind, spec["title"], get("body", ""), status, owner, get("link"),
                approved_by, tuple(get("tags", ())), ignore, get(USER_TABLE, {}), get("idea"), get("audience"),
            )

        return valid_post

    def idea(self, index: int, spec: Any, kinds: dict, channels: dict, seen_ids: dict) -> BacklogIdea | None:
        where = ("backlog", index)
        fields = self.table(where, spec, BACKLOG_KEYS, ("id", "kind", "title"))
        if fields is None:
            return None
        self.unique_id(where, fields.get("id"), seen_ids)
        if "kind" in fields and fields["kind"] not in kinds:
            self.unknown(where + ("kind",), "kind", fields["kind"], kinds)
        for channel in fields.get("channels", ()):
            if channel not in channels:
                self.unknown(where + ("channels",), "channel", channel, channels)
        if len(fields) < len(spec) or not {"id", "kind", "title"} <= fields.keys():
            return None
        fields.pop(USER_TABLE, None)
        return BacklogIdea(index=index, **fields)

    def unique_id(self, where: tuple, post_id: str | None, seen: dict[str, tuple]) -> None:
        if post_id is None:
            return
        if post_id in seen:
            first_line, _ = self.source.locate(seen[post_id])
            self.error(where + ("id",), f"duplicate id {post_id!r}; it is already used at line {first_line}")
        else:
            seen[post_id] = where


def _new_post(index: int, fields: dict[str, Any], tz: ZoneInfo) -> Post:
    """The post of a ``[[post]]`` table whose keys and values the checked path has checked: the
    reference that the fast path (:meth:`_Reader.post_maker`) is tested against."""
    ts, wall = clock_of(tz).read(fields["at"])
    return loaded_post(
        index=index,
        id=fields["id"],
        at=wall,
        ts=ts,
        day=wall.date(),
        channel=fields["channel"],
        kind=fields["kind"],
        title=fields["title"],
        body=fields.get("body", ""),
        status=fields.get("status", DEFAULT_STATUS),
        owner=fields.get("owner"),
        link=fields.get("link"),
        approved_by=tuple(fields.get("approved_by", ())),
        tags=tuple(fields.get("tags", ())),
        ignore=frozenset(fields.get("ignore", ())) or _NO_CODES,
        x=fields.get(USER_TABLE, {}),
        idea=fields.get("idea"),
        audience=fields.get("audience"),
    )


def _own_names(names: Iterable[str]) -> dict[str, str]:
    """Each of ``names`` to itself: one lookup tests a name and gives the plan's own string."""
    return {name: name for name in names}


_STATUS_NAMES = _own_names(STATUSES)
_NO_CODES: frozenset[str] = frozenset()  # one for the posts that ignore no rule, not an empty set each


def _severity_map(reader: _Reader, where: tuple, value: Any) -> Any:
    levels = ("error", "warning", "info", "off")
    if not isinstance(value, dict):
        return reader.wrong_type(where, value, 'a table such as { MIX001 = "error" }')
    good = {code: level for code, level in value.items() if level in levels}
    for code, level in value.items():
        if level not in levels:
            reader.error(where, f"severity of {code} must be one of {', '.join(levels)}, not {_show(level)}")
    return good if len(good) == len(value) else _INVALID


def _sub_tables(spec: Any) -> Any:
    """What the position index still reads of a parsed table: the tables nested in it."""
    if type(spec) is not dict:
        return spec
    return {key: value for key, value in spec.items() if type(value) is dict} or _NO_TABLES


_NO_TABLES: dict[str, Any] = {}


def _pick(spec: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: spec[name] for name in names if name in spec}


def _mark(name: str, label: str) -> str:
    """A two-letter channel mark for the calendar: "instagram" -> "IG", "LinkedIn" -> "LI"."""
    known = {"instagram": "IG", "tiktok": "TT", "linkedin": "LI", "facebook": "FB", "youtube": "YT", "whatsapp": "WA", "newsletter": "NL"}
    if name.lower() in known:
        return known[name.lower()]
    words = [word for word in label.replace("-", " ").split() if word]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return label[:2].upper()


def _key(where: tuple) -> str:
    return str(where[-1]) if where else "value"


def _table_name(where: tuple) -> str:
    if not where:
        return "the top level"
    if where[0] in ("post", "goal", "backlog", "blackout") and len(where) >= 2 and isinstance(where[1], int):
        return f"[[{where[0]}]]" + ("".join(f".{part}" for part in where[2:]))
    return "[" + ".".join(str(part) for part in where) + "]"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # nan, inf or -inf, as TOML writes them
    if isinstance(value, int) and not _finite(value):
        return f"a {len(str(abs(value)))}-digit number (TOML's integers have 64 bits)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__



# -- days off: [plan] holidays, a channel's on_holiday, [[blackout]] (planner.days_off) -----

BLACKOUT_KEYS: dict[str, Checker] = {
    "from": _date,
    "to": _date,
    "reason": _nonempty_string,
    "channels": _string_list,
    "kinds": _string_list,
    USER_TABLE: _user_table,
}


def _holiday_regions(reader: _Reader, where: tuple, value: Any) -> Any:
    """``[plan] holidays``: regions the ``holidays`` package knows, imported only when there are some."""
    regions = _string_list(reader, where, value)
    if regions is _INVALID:
        return regions
    if len(regions) > MAX_REGIONS:
        return reader.error(where, f"holidays names {len(regions):,} regions; a plan may name at most {MAX_REGIONS}")
    problems = [problem for region in dict.fromkeys(regions) if (problem := region_problem(region))]
    for problem in problems:
        reader.error(where, problem)
    return _INVALID if problems else tuple(dict.fromkeys(regions))


def _on_holiday(reader: _Reader, where: tuple, value: Any) -> Any:
    if value in ON_HOLIDAY:
        return value
    if not isinstance(value, str):
        return reader.wrong_type(where, value, f"one of {', '.join(map(repr, ON_HOLIDAY))}")
    return reader.error(where, f"on_holiday must be \"keep\" or \"skip\", not {_show(value)}{did_you_mean(value, ON_HOLIDAY)}")


def _holidays(head: dict[str, Any], start: date | None, end: date | None) -> dict[date, str]:
    """The holidays of ``[plan] holidays`` over the years of the horizon, once it is valid."""
    regions = head.get("holidays", ())
    if not regions or not (start and end and start <= end and (end - start).days < MAX_HORIZON_DAYS):
        return {}
    return holidays_between(regions, date(start.year, 1, 1), date(end.year, 12, 31))


def _blackouts(reader: _Reader, value: Any, kinds: dict[str, Kind], channels: dict[str, Channel]) -> tuple[Blackout, ...]:
    """The ``[[blackout]]`` tables: ``from`` (and ``to``, else the same day) with a ``reason``,
    for every channel and kind or for those it names."""
    specs = reader.array("blackout", value)
    if len(specs) > MAX_BLACKOUTS:
        reader.error(
            ("blackout", MAX_BLACKOUTS),
            f"the plan has {len(specs):,} [[blackout]] tables; at most {MAX_BLACKOUTS:,}: give neighbouring days one from..to",
        )
        return ()
    blackouts = []
    for index, spec in enumerate(specs):
        where = ("blackout", index)
        fields = reader.table(where, spec, BLACKOUT_KEYS, ("from", "reason"))
        if fields is None:
            continue
        first = fields.get("from")
        last = fields.get("to", first)
        backwards = bool(first and last and last < first)
        if backwards:
            reader.error(where + ("to",), f"the blackout ends ({last}) before it starts ({first})")
        _names_known(reader, where + ("channels",), "channel", fields.get("channels", ()), channels)
        _names_known(reader, where + ("kinds",), "kind or flag", fields.get("kinds", ()), [*kinds, *FLAGS])
        if len(fields) == len(spec) and first and last and not backwards and "reason" in fields:
            blackouts.append(Blackout(index, first, last, fields["reason"], fields.get("channels", ()), fields.get("kinds", ())))
    return tuple(blackouts)


def _names_known(reader: _Reader, where: tuple, what: str, names: tuple[str, ...], known: Any) -> None:
    """Each of ``names`` is ``known``; a list of thousands of strangers gets the first three told."""
    for name in [name for name in dict.fromkeys(names) if name not in known][:3]:
        reader.unknown(where, what, name, known)


def post_fields(post: Post) -> dict[str, Any]:
    """A post as the plan file writes it: ``at`` a naive local time, defaults left out."""
    fields: dict[str, Any] = {
        "id": post.id, "at": post.at.replace(tzinfo=None), "channel": post.channel, "kind": post.kind, "title": post.title,
        "body": post.body, "status": post.status, "owner": post.owner, "link": post.link, "approved_by": list(post.approved_by),
        "tags": list(post.tags), "ignore": sorted(post.ignore), "idea": post.idea, "audience": post.audience, USER_TABLE: post.x,
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def with_changed_post(plan: Plan, text: str, post_id: str, changes: dict[str, Any], vocabulary: RuleVocabulary | None = None) -> Plan | None:
    """``plan`` with one post changed, checked like the loader would, for the edited ``text``.

    Re-reading a 10,000-post plan after every keystroke-sized edit costs a quarter second; this
    checks only the changed post. None when the change is not plainly valid: then re-read the
    whole text, which reports why.
    """
    old = next((post for post in plan.posts if post.id == post_id), None)
    if old is None:
        return None
    spec = post_fields(old)
    for key, value in changes.items():
        if value is None:
            spec.pop(key, None)
        else:
            spec[key] = list(value) if isinstance(value, tuple) else value
    if spec.get("idea") is not None and spec["idea"] not in {idea.id for idea in plan.backlog}:
        return None
    if spec.get("audience") is not None and spec["audience"] not in plan.audiences:
        return None
    others = {post.id: ("post", post.index) for post in plan.posts if post.id != post_id}
    others.update((idea.id, ("backlog", idea.index)) for idea in plan.backlog)
    reader = _Reader(plan.path, SourceIndex(text), vocabulary)
    new = reader.valid_post(old.index, spec, plan.tz, plan.kinds, plan.channels, plan.team, others)
    if new is None:
        return None
    posts = tuple(new if post.id == post_id else post for post in plan.posts)
    return replace(plan, posts=posts, source=reader.source)
