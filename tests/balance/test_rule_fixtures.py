"""Every rule has a fixture plan named after its code that breaks that rule and no other.

A fixture may say in its opening comments which day is "today" (``# today: 2027-01-06``)
and, where a rule cannot fire alone, which codes it expects (``# expect: PLN003, CAD001``).
The records an OUT rule reads are in a SQL file beside the plan (``OUT001.sql``), loaded into
a real store in a temporary folder.
"""

import importlib
import pkgutil
import re

import pytest

from balance.registry import RULES
from balance.rule import Rule
from tests.conftest import DATA, check_file, store_with

CODES = [rule.code for rule in RULES]


def declared(path, name: str, default: str) -> str:
    found = re.search(rf"^# {name}: (.+)$", path.read_text(), re.MULTILINE)
    return found.group(1).strip() if found else default


def records(code: str, tmp_path):
    sql = DATA / f"{code}.sql"
    return store_with(sql.read_text(), tmp_path / "outcomes.db", DATA / f"{code}.toml") if sql.exists() else None


@pytest.mark.parametrize("code", CODES)
def test_fixture_breaks_exactly_its_rule(code, tmp_path):
    path = DATA / f"{code}.toml"
    today = declared(path, "today", "2027-01-01")
    expected = {c.strip() for c in declared(path, "expect", code).split(",")}
    fired = {d.code for d in check_file(path, today=today, outcomes=records(code, tmp_path))}
    assert fired == expected


@pytest.mark.parametrize("code", CODES)
def test_fixture_is_quiet_when_its_rule_is_ignored_by_config(code, tmp_path):
    path = DATA / f"{code}.toml"
    today = declared(path, "today", "2027-01-01")
    expected = {c.strip() for c in declared(path, "expect", code).split(",")} - {code}
    assert {d.code for d in check_file(path, today=today, outcomes=records(code, tmp_path), ignore=(code,))} == expected


def test_clean_fixture_keeps_every_rule_quiet():
    assert check_file(DATA / "clean.toml") == []


def test_every_decorated_rule_is_registered():
    """A ``@rule`` left out of RULES would never run, and nothing else would notice."""
    import balance.rules

    decorated = {
        value
        for module in pkgutil.iter_modules(balance.rules.__path__)
        for value in vars(importlib.import_module(f"balance.rules.{module.name}")).values()
        if isinstance(value, Rule)
    }
    assert decorated == set(RULES)
    assert len(CODES) == len(set(CODES))
