"""The manual's outcomes page (docs/outcomes.md), run in order in a copy of the samples: every command's output as shown.

Standard error comes first, as a terminal shows a failing command's message before its summary."""

import os
import re
import shutil
import subprocess
import sys

from tests.test_readme import OUTCOMES
from tests.conftest import DATA, SAMPLES

STEPS = [
    (command, expected)
    for block in re.findall(r"```console\n(.*?)```", OUTCOMES, re.S)
    for command, _, expected in (part.partition("\n") for part in re.split(r"^\$ ", block, flags=re.M)[1:])
]


def test_the_section_imports_reports_logs_checks_and_queries():
    assert [command.split()[:2] for command, _ in STEPS][:2] == [["cadence", "metrics"], ["cadence", "report"]]
    assert any(command.startswith("sqlite-utils ") for command, _ in STEPS)


def test_every_command_prints_what_the_page_shows(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "sample_plans")
    shutil.copytree(DATA / "bad_plans", tmp_path / "tests" / "data" / "bad_plans")
    bin_folder = os.path.dirname(sys.executable)
    env = {key: value for key, value in os.environ.items() if key != "CADENCE_TODAY"}
    env.update(NO_COLOR="1", PATH=f"{bin_folder}{os.pathsep}{env.get('PATH', '')}")
    for command, expected in STEPS:
        result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.stderr + result.stdout == expected, command
