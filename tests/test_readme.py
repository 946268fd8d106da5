"""The manual's examples are real: each read-only `cadence` command in the README and in every page
of docs/ (new pages included) gives the output shown."""

import re

import pytest

from tests.conftest import ROOT, run_cadence

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# The outcomes page writes a store beside the samples: tests/test_readme_outcomes.py runs it in order in a copy.
OUTCOMES_PAGE = ROOT / "docs" / "outcomes.md"
OUTCOMES = OUTCOMES_PAGE.read_text(encoding="utf-8")
EXAMPLES = [
    (page.relative_to(ROOT).as_posix(), command, expected)
    for page in PAGES
    if page != OUTCOMES_PAGE
    for block in re.findall(r"```console\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    for command, _, expected in (part.partition("\n") for part in re.split(r"^\$ ", block, flags=re.M)[1:])
    if command.startswith("cadence ") and not command.startswith(("cadence fmt", "cadence import"))
]


def test_the_manual_has_examples():
    assert len(EXAMPLES) >= 25  # 23 when the manual moved from the README into docs/, and the README's tour adds its own
    assert {page for page, _, _ in EXAMPLES} >= {"README.md", "docs/check.md", "docs/plan.md", "docs/export.md", "docs/teams.md"}


@pytest.mark.parametrize("page, command, expected", EXAMPLES, ids=[f"{page}: {command}" for page, command, _ in EXAMPLES])
def test_readme_example_output_is_real(page, command, expected):
    result = run_cadence(*command.split()[1:])
    if "bad_plans" in command or result.returncode == 2:  # standard error then output, as a terminal shows them
        assert (result.stderr + result.stdout).strip() == expected.strip()
    else:
        assert result.stdout.strip() == expected.strip()
