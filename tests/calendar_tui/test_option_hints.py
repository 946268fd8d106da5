"""Options that take one of a few names reject a typo with a did-you-mean and list the names in --help."""

import pytest

from tests.conftest import SAMPLES, run_cadence

PLAN = str(SAMPLES / "kopi-senja.toml")


@pytest.mark.parametrize(
    ("args", "hint", "listing"),
    [
        (("check", PLAN, "--format", "sarf"), "did you mean 'sarif'?", "--format {text,json,github,sarif}"),
        (("suggest", PLAN, "--format", "jsn"), "did you mean 'json'?", "--format {text,json}"),
        (("open", PLAN, "--week-start", "sundy"), "did you mean 'sunday'?", "--week-start {monday,sunday}"),
    ],
)
def test_a_typo_gets_a_hint_and_help_lists_the_names(args, hint, listing):
    result = run_cadence(*args)
    assert result.returncode == 2 and hint in result.stderr
    assert listing in run_cadence(args[0], "--help").stdout
