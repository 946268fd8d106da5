"""The README's examples are real: each read-only `cadence` command in it gives the output shown."""

import re

import pytest

from tests.conftest import ROOT, run_cadence

README = (ROOT / "README.md").read_text()
# The outcomes section writes a store beside the samples: tests/test_readme_outcomes.py runs it in a copy.
OUTCOMES = re.search(r"^## Outcomes: .*?(?=^## )", README, re.S | re.M).group(0)
EXAMPLES = [
    (command, expected)
    for block in re.findall(r"```console\n(.*?)```", README.replace(OUTCOMES, ""), re.S)
    for command, _, expected in (part.partition("\n") for part in re.split(r"^\$ ", block, flags=re.M)[1:])
    if command.startswith("cadence ") and not command.startswith(("cadence fmt", "cadence import"))
]


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[command for command, _ in EXAMPLES])
def test_readme_example_output_is_real(command, expected):
    result = run_cadence(*command.split()[1:])
    if "bad_plans" in command or result.returncode == 2:  # standard error then output, as a terminal shows them
        assert (result.stderr + result.stdout).strip() == expected.strip()
    else:
        assert result.stdout.strip() == expected.strip()
