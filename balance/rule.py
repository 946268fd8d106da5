"""A rule: a code (docs/rules.md lists them), a documented check function, and its settings."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from balance.diagnostic import Finding

if TYPE_CHECKING:
    from balance.context import Context


@dataclass(frozen=True)
class Option:
    """A setting of a rule, written in ``[rules]`` (``kind``: duration, number, count, string)."""

    name: str
    kind: str
    default: Any
    help: str


@dataclass(frozen=True)
class Rule:
    """A registered check. Its documentation is the check function's docstring."""

    code: str
    name: str
    severity: str
    check: Callable[["Context"], Iterable[Finding]]
    options: tuple[Option, ...] = ()
    uses_today: bool = False  # its findings change as the calendar moves on, with the file unchanged

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


def rule(code: str, name: str, severity: str, options: tuple[Option, ...] = (), uses_today: bool = False) -> Callable[[Callable], Rule]:
    """Turn a check function into a :class:`Rule`; list it in :mod:`balance.registry`.

    ``uses_today``: the rule reads today's date, so the same file can pass today and fail
    tomorrow; pre-commit hooks leave such rules out and a scheduled CI job runs them.
    """

    def wrap(check: Callable[["Context"], Iterable[Finding]]) -> Rule:
        return Rule(code=code, name=name, severity=severity, check=check, options=options, uses_today=uses_today)

    return wrap
