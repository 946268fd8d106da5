"""Diagnostics as text, JSON, GitHub workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from balance.diagnostic import Diagnostic
from balance.registry import RULES
from balance.text import counted, printable, printable_json
from planner.errors import Problem

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def summary(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = Counter(d.severity for d in diagnostics)
    return {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]}


SHOWN_PER_RULE = 100  # text output; the other formats list every finding


def text(diagnostics: list[Diagnostic], problems: list[Problem], plans: int, colour: bool = False, hidden: int | None = None) -> str:
    """``path:line:col: CODE message`` lines, ``help:`` lines under them, then a summary.

    Problems that made a plan unreadable are only counted here: the command line prints
    them on standard error. ``hidden`` counts the findings a baseline hid (None: no baseline).
    """
    lines = []
    shown: dict[str, int] = {}
    for d in diagnostics:
        shown[d.code] = shown.get(d.code, 0) + 1
        if shown[d.code] > SHOWN_PER_RULE:  # a runaway plan must not print half a million lines
            continue
        code = f"{_BOLD}{_COLOURS[d.severity]}{d.code}{_RESET}" if colour else d.code
        lines.append(f"{printable(d.path)}:{d.line}:{d.column}: {code} {printable(d.message)}")
        lines.extend(f"  help: {printable(suggestion)}" for suggestion in d.suggestions)
    lines.extend(
        f"{code}: {counted(total - SHOWN_PER_RULE, 'more finding')} not shown (at most {SHOWN_PER_RULE} a rule; --format json lists all)"
        for code, total in sorted(shown.items()) if total > SHOWN_PER_RULE
    )
    counts = summary(diagnostics)
    tail = (
        f"{counted(counts['errors'], 'error')}, {counted(counts['warnings'], 'warning')}, "
        f"{counted(counts['infos'], 'info')} in {counted(plans, 'plan')}"
    )
    if hidden is not None:
        tail += f"; {hidden} hidden by the baseline"
    if problems:
        tail += f"; {counted(len(problems), 'problem')} made a plan unreadable"
    if lines:
        lines.append("")
    lines.append(tail)
    return "\n".join(lines) + "\n"


def _encoder() -> Callable[[object], str]:
    """A compact encoder, so that json's C encoder writes it (``indent`` forces the pure-Python
    one, which alone cost more than a whole check on a plan with 15,000 findings)."""
    import json  # only json and sarif need it

    return json.JSONEncoder(ensure_ascii=False).encode


def as_json(diagnostics: list[Diagnostic], problems: list[Problem], plans: int, colour: bool = False, hidden: int | None = None) -> Iterator[str]:
    """``{"version": 1, "diagnostics": [...], "summary": {...}}``, plus ``invalid`` problems.

    Compact, one diagnostic per line: cheap to write, easy to grep, and ``| jq`` shows it
    indented. ``summary.baseline_hidden`` counts the findings a baseline hid, when there is one.
    Written a row at a time: 15,000 findings are 8 MB of JSON, never held whole.
    """
    encode = _encoder()
    yield '{"version": 1, "diagnostics": ['
    separator = "\n"
    for row in _json_rows(diagnostics):
        yield separator + printable_json(row)  # a row at a time: most take the fast path
        separator = ",\n"
    invalid = [{"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in problems]
    tail = printable_json(encode({"invalid": invalid, "summary": {**summary(diagnostics), "plans": plans, **({} if hidden is None else {"baseline_hidden": hidden})}}))
    yield f"{chr(10) if diagnostics else ''}], {tail[1:]}\n"


def _json_rows(diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    """Each diagnostic's :meth:`Diagnostic.to_json` as the compact encoder writes it, put
    together from its encoded strings: no dict and no encoder call per row, and a list of
    help lines that many gaps share is encoded once."""
    from json.encoder import encode_basestring as string  # json's own, in C

    def strings(values: Iterable[str]) -> str:
        return f"[{', '.join(map(string, values))}]"

    help_lists: dict[tuple[str, ...], str] = {}
    for d in diagnostics:
        lines = d.suggestions if isinstance(d.suggestions, tuple) else tuple(d.suggestions)
        if lines not in help_lists:
            help_lists[lines] = strings(lines)
        yield (
            f'{{"code": {string(d.code)}, "name": {string(d.name)}, "severity": {string(d.severity)}, '
            f'"message": {string(d.message)}, "path": {string(d.path)}, "line": {d.line}, "column": {d.column}, '
            f'"channel": {"null" if d.channel is None else string(d.channel)}, '
            f'"at": {string(d.at.isoformat()) if d.at else "null"}, "date": {string(d.date.isoformat()) if d.date else "null"}, '
            f'"post_ids": {strings(d.post_ids)}, "suggestions": {help_lists[lines]}, "fingerprint": {string(d.fingerprint)}}}'
        )


def _escape_data(value: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it: ``%``, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A property value (file, title): also ``:`` and ``,``, which would end the properties."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(message: str, suggestions: Iterable[str] = ()) -> str:
    """The message, plan text shown printable, and a line per suggestion (real line breaks)."""
    return _escape_data("\n".join([printable(message), *(f"help: {printable(s)}" for s in suggestions)]))


def github(diagnostics: list[Diagnostic], problems: list[Problem], plans: int, colour: bool = False, hidden: int | None = None) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files.

    GitHub reads ``file`` from the repository's root, whatever folder the step ran in (a
    workflow's ``working-directory``), so each path is the one SARIF gives (:class:`RepositoryPaths`).
    """
    command = {"error": "error", "warning": "warning", "info": "notice"}
    paths = RepositoryPaths()

    def file(path: str) -> str:
        inside = paths(path)
        return _escape_property(inside if inside is not None else str(paths.absolute(path)))

    lines = [
        f"::error file={file(p.path)},line={p.line},col={p.column},title=invalid plan::{_annotation(p.message)}"
        for p in problems
    ]
    for d in diagnostics:
        lines.append(
            f"::{command[d.severity]} file={file(d.path)},line={d.line},col={d.column},"
            f"title={_escape_property(f'{d.code} {d.name}')}::{_annotation(d.message, d.suggestions)}"
        )
    return "".join(line + "\n" for line in lines)


def sarif(diagnostics: list[Diagnostic], problems: list[Problem], plans: int, colour: bool = False, hidden: int | None = None) -> str:
    """SARIF 2.1.0 with every rule in ``rules[]`` and fingerprints from rule and subject."""
    from planner import __version__

    index = {rule.code: position for position, rule in enumerate(RULES)}
    location = _Locator(RepositoryPaths())
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc},
            "help": {"text": rule.doc, "markdown": _markdown(rule.doc)},
            "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": SARIF_LEVEL[d.severity],
            "message": {"text": d.message + "".join(f"\nhelp: {s}" for s in d.suggestions)},
            "locations": [location(d.path, d.line, d.column)],
            "partialFingerprints": {"cadenceFingerprint/v1": d.fingerprint},
            "properties": {"channel": d.channel, "postIds": list(d.post_ids)},
        }
        for d in diagnostics
    ]
    notifications = [
        {"level": "error", "message": {"text": p.message}, "locations": [location(p.path, p.line, p.column)]}
        for p in problems
    ]
    run = {
        "tool": {"driver": {"name": "cadence", "version": __version__, "informationUri": "https://pypi.org/project/content-cadence/", "rules": rules}},
        "results": results,
        "invocations": [{"executionSuccessful": not problems, "toolExecutionNotifications": notifications}],
    }
    return printable_json(_encoder()({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})) + "\n"


class RepositoryPaths:
    """Plan paths as GitHub reads them, for annotations and code scanning alike: relative to the
    repository's root (git's top level, else the current folder), with ``/``; None for a file
    outside that root. Git is asked once per folder: thousands of findings share a few files."""

    def __init__(self):
        self._roots: dict[Path, str] = {}
        self._paths: dict[str, str | None] = {}

    def __call__(self, path: str) -> str | None:
        if path not in self._paths:
            absolute = self.absolute(path)
            try:
                self._paths[path] = absolute.relative_to(self._root(absolute.parent)).as_posix()
            except ValueError:
                self._paths[path] = None
        return self._paths[path]

    @staticmethod
    def absolute(path: str) -> Path:
        """The file's absolute path, symlinks followed where the path can name a file at all."""
        try:
            return Path(path).resolve()
        except ValueError:  # a NUL: no file has such a name, so there are no links to follow
            return Path(os.path.abspath(path))

    def _root(self, folder: Path) -> str:
        if folder not in self._roots:
            from planner.versions import toplevel

            self._roots[folder] = os.path.realpath(toplevel(str(folder)) or os.getcwd())
        return self._roots[folder]


class _Locator:
    """SARIF locations as code scanning wants them: the repository path percent-encoded with
    ``uriBaseId`` ``%SRCROOT%``; a file outside the repository gets an absolute ``file://`` URI."""

    def __init__(self, paths: RepositoryPaths):
        self._paths = paths
        self._artifacts: dict[str, dict] = {}  # per plan path, like the paths themselves

    def __call__(self, path: str, line: int, column: int) -> dict:
        if path not in self._artifacts:
            inside = self._paths(path)
            self._artifacts[path] = {"uri": quote(inside), "uriBaseId": "%SRCROOT%"} if inside is not None else {"uri": self._paths.absolute(path).as_uri()}
        return {"physicalLocation": {"artifactLocation": self._artifacts[path], "region": {"startLine": line, "startColumn": column}}}


def _markdown(doc: str) -> str:
    """A rule's docstring (ruff style, reStructuredText) as Markdown for ``help.markdown``."""
    lines: list[str] = []
    in_example = False
    for line in doc.replace("``", "`").splitlines():
        if in_example and line.strip() and not line.startswith(" "):
            lines, in_example = _close_fence(lines), False
        if not in_example and line.rstrip().endswith("::") and not line.startswith(" "):
            lines += [line.rstrip()[:-1], "", "```toml"]
            in_example = True
        elif in_example:
            if line.strip() or lines[-1] != "```toml":
                lines.append(line.removeprefix("    "))
        else:
            lines.append(line)
    return "\n".join(_close_fence(lines) if in_example else lines).rstrip("\n")


def _close_fence(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines + ["```", ""]


# Each returns the whole output, or its pieces in order where the output can be too large to hold at once
FORMATTERS: dict[str, Callable[..., str | Iterator[str]]] = {"text": text, "json": as_json, "github": github, "sarif": sarif}
