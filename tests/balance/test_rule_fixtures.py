"""Every rule has a fixture plan named after its code that breaks that rule and no other."""

import pytest

from balance.registry import RULES
from tests.conftest import DATA, check_file

CODES = [rule.code for rule in RULES]


@pytest.mark.parametrize("code", CODES)
def test_fixture_breaks_exactly_its_rule(code):
    fired = {d.code for d in check_file(DATA / f"{code}.toml")}
    assert fired == {code}


def test_clean_fixture_keeps_every_rule_quiet():
    assert check_file(DATA / "clean.toml") == []
