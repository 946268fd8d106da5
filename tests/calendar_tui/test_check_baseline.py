"""`cadence check --baseline`: only findings new against a revision or a saved JSON result fail."""

import json

import pytest

from tests.conftest import plan_text, post_toml, run_cadence
from tests.gitrepo import Repo

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON"]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'
OLD_PROMO = post_toml("old-promo", "2027-01-05T10:00:00", kind="promo")  # PUB002 and PUB004 at HEAD already


def plan(*posts: str) -> str:
    text = plan_text(CHANNEL + "".join(posts), end="2027-01-17")
    return text.replace("promotional = true\n", 'promotional = true\nneeds_link = true\nneeds_approval = ["legal"]\n')


BASE = plan(
    OLD_PROMO,
    post_toml("mon", "2027-01-04T10:00:00", status='"scheduled"'),
    post_toml("mon-2", "2027-01-11T10:00:00", status='"scheduled"'),
)


@pytest.fixture
def repo(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(BASE, "a plan with old findings")
    return repo


def check(repo, *args):
    return run_cadence("check", "content-plan.toml", "--today", "2027-01-01", "--select", "PUB", *args, cwd=repo.root)


def test_old_findings_pass_and_new_ones_fail(repo):
    assert check(repo).returncode == 1
    unchanged = check(repo, "--baseline", "HEAD")
    assert (unchanged.returncode, unchanged.stdout) == (0, "0 errors, 0 warnings, 0 infos in 1 plan; 2 hidden by the baseline\n")
    new_promo = post_toml("new-promo", "2027-01-12T10:00:00", kind="promo", link='"https://example.com"')
    repo.write("# moved every line down\n\n" + BASE + new_promo)
    result = check(repo, "--baseline", "HEAD")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content-plan.toml:50:1: PUB002 'new-promo' needs approval by legal (approved by: no one); no one in [team] holds legal",
        "",
        "1 error, 0 warnings, 0 infos in 1 plan; 2 hidden by the baseline",
    ]


def test_a_saved_json_result(repo):
    saved = check(repo, "--format", "json").stdout
    (repo.root / "baseline.json").write_text(saved)
    repo.write(BASE.replace('"Post old-promo"', '"Post old-promo, renamed"'))
    result = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"] == {"errors": 0, "warnings": 0, "infos": 0, "plans": 1, "baseline_hidden": 2}


@pytest.mark.parametrize(
    ("baseline", "content", "message"),
    [
        ("no-such-rev", None, "cadence: error: --baseline: unknown revision 'no-such-rev'\n"),
        ("missing.json", None, "cadence: error: --baseline missing.json: cannot be read: No such file or directory\n"),
        ("bad.json", "{not json", "cadence: error: --baseline bad.json: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))\n"),
        ("other.json", '{"diagnostics": [{"code": "PUB002"}]}', "cadence: error: --baseline other.json: not the output of `cadence check --format json` (no diagnostics with fingerprints)\n"),
    ],
)
def test_unusable_baselines(repo, baseline, content, message):
    if content is not None:
        (repo.root / baseline).write_text(content)
    result = check(repo, "--baseline", baseline)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_a_baseline_revision_that_does_not_parse(repo):
    repo.commit(BASE.replace('kind = "promo"', 'kind = "promoo"'), "broken")
    repo.write(BASE)
    result = check(repo, "--baseline", "HEAD")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "HEAD:content-plan.toml:29:1: unknown kind 'promoo'; did you mean 'promo'? (known: promo, question, tip)",
        "cadence: error: --baseline: content-plan.toml at HEAD cannot be read",
    ]


def test_a_plan_the_revision_does_not_have_has_no_baseline(repo):
    repo.write(BASE, "new-plan.toml")
    result = run_cadence("check", "new-plan.toml", "--today", "2027-01-01", "--select", "PUB", "--baseline", "HEAD", cwd=repo.root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "2 errors, 0 warnings, 0 infos in 1 plan; 0 hidden by the baseline"


def test_an_unchanged_plan_hides_its_outcome_findings(tmp_path):
    """The baseline plan reads the same store as the working-tree plan, so OUT findings match."""
    from pathlib import Path

    from tests.conftest import store_with

    data = Path(__file__).parents[1] / "data"
    repo = Repo(tmp_path)
    (tmp_path / "plans").mkdir()  # the store is beside the plan, not in the folder the command runs in
    repo.commit((data / "OUT004.toml").read_text(encoding="utf-8"), "a plan with a missing publication", name="plans/content-plan.toml")
    store_with((data / "OUT004.sql").read_text(encoding="utf-8"), tmp_path / "plans" / ".cadence" / "outcomes.db", tmp_path / "plans" / "content-plan.toml")
    args = ("check", "plans/content-plan.toml", "--today", "2027-01-17", "--select", "OUT004", "--strict")
    assert run_cadence(*args, cwd=repo.root).returncode == 1
    result = run_cadence(*args, "--baseline", "HEAD", cwd=repo.root)
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings, 0 infos in 1 plan; 1 hidden by the baseline\n")


def test_a_misspelt_format_gets_a_hint(repo):
    result = check(repo, "--format", "jsno")
    assert result.returncode == 2
    assert "did you mean 'json'?" in result.stderr
