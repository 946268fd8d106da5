"""`cadence check --format sarif` validated against the official SARIF 2.1.0 schema, with the
locations GitHub code scanning wants."""

from __future__ import annotations

import json
import shutil

import pytest

from balance.registry import RULES
from tests.conftest import DATA, run_cadence
from tests.gitrepo import Repo
from tests.output_readers import annotated_file, workflow_command

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")


def validate(document: dict) -> list[str]:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(document)]


def sarif(*args: str, cwd=None) -> dict:
    result = run_cadence("check", *args, "--format", "sarif", "--today", "2027-01-01", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def uris(document: dict) -> set[tuple[str, str | None]]:
    return {
        (location["physicalLocation"]["artifactLocation"]["uri"], location["physicalLocation"]["artifactLocation"].get("uriBaseId"))
        for result in document["runs"][0]["results"]
        for location in result["locations"]
    }


def test_a_plan_in_a_folder_with_spaces_inside_a_repository_passes_the_official_schema(tmp_path):
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    folder = repo.root / "plans für Q1 #2"
    folder.mkdir()
    shutil.copy(DATA / "CAD001.toml", folder / "content plan.toml")
    document = sarif("content plan.toml", cwd=folder)
    assert validate(document) == []
    assert uris(document) == {("plans%20f%C3%BCr%20Q1%20%232/content%20plan.toml", "%SRCROOT%")}


def test_outside_a_repository_paths_are_relative_to_the_current_folder(tmp_path):
    (tmp_path / "my plans").mkdir()
    shutil.copy(DATA / "CAD003.toml", tmp_path / "my plans" / "plan.toml")
    document = sarif("my plans/plan.toml", cwd=tmp_path)
    assert validate(document) == []
    assert uris(document) == {("my%20plans/plan.toml", "%SRCROOT%")}


def test_unreadable_plans_and_every_rule_validate_too(tmp_path):
    broken = tmp_path / "broken plan.toml"
    broken.write_text("[plan\n")
    result = run_cadence("check", str(broken), str(DATA / "PUB002.toml"), "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert validate(document) == []
    (notification,) = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "broken%20plan.toml", "uriBaseId": "%SRCROOT%"}


def test_every_rule_has_markdown_help_with_its_example_fenced():
    document = sarif(str(DATA / "clean.toml"))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    for rule in rules:
        markdown = rule["help"]["markdown"]
        assert "Why:" in markdown and "```toml\n" in markdown and "``" not in markdown.replace("```", ""), rule["id"]


def test_github_annotations_and_sarif_name_the_plan_from_the_repository_root_when_run_in_a_subfolder(tmp_path):
    """A workflow's ``working-directory`` runs the check in a subfolder: annotations named the
    file from there, so GitHub put none of them on the plan's lines."""
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    (repo.root / "marketing" / "q1").mkdir(parents=True)
    shutil.copy(DATA / "CAD001.toml", repo.root / "marketing" / "q1" / "content-plan.toml")
    outside = tmp_path / "elsewhere.toml"
    shutil.copy(DATA / "CAD001.toml", outside)
    result = run_cadence("check", "q1/content-plan.toml", str(outside), "--format", "github", "--today", "2027-01-01", cwd=repo.root / "marketing")
    assert result.returncode == 1, result.stderr
    annotations = [workflow_command(line) for line in result.stdout.splitlines()]
    files = [annotated_file(properties["file"], workspace=str(repo.root)) for _, properties, _ in annotations]
    assert set(files) == {"marketing/q1/content-plan.toml", str(outside)}  # a plan outside the repository: its absolute path
    cited = (repo.root / "marketing/q1/content-plan.toml").read_text(encoding="utf-8").splitlines()
    for (_, properties, message), file in zip(annotations, files):
        if file == "marketing/q1/content-plan.toml":
            assert cited[int(properties["line"]) - 1].startswith("cadence = "), message  # CAD001 is on the channel's cadence
    document = sarif("q1/content-plan.toml", str(outside), cwd=repo.root / "marketing")
    assert uris(document) == {("marketing/q1/content-plan.toml", "%SRCROOT%"), (outside.as_uri(), None)}
