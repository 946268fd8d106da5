"""`cadence diff`: real git revisions, files, the working tree; posts by day, findings by fingerprint."""

import json

import pytest

from tests.conftest import plan_text, post_toml, run_cadence
from tests.gitrepo import Repo

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON"]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'


def plan(*posts: str) -> str:
    return plan_text(CHANNEL + "".join(posts), end="2027-01-17")


MONDAY = post_toml("mon", "2027-01-04T10:00:00", status='"scheduled"')
SECOND = post_toml("mon-2", "2027-01-11T10:00:00", status='"scheduled"')
PROMO = post_toml("promo", "2027-01-06T10:00:00", kind="promo", status='"scheduled"')


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path)


def diff(repo, *args):
    return run_cadence("diff", *args, "--today", "2027-01-01", cwd=repo.root)


def test_head_against_the_working_tree_by_local_day(repo):
    repo.commit(plan(MONDAY, SECOND, PROMO), "first")
    moved = SECOND.replace("2027-01-11T10:00:00", "2027-01-12T09:00:00")
    retitled = PROMO.replace('title = "Post promo"', 'title = "Beans, 10% off"').replace('"scheduled"', '"review"')
    early = post_toml("early", "2027-01-05T01:00:00")  # 01:00 in Jakarta is still Jan 4 in UTC
    repo.write(plan(moved, retitled, early))
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "HEAD:content-plan.toml → content-plan.toml\n"
        "4 posts: 1 added, 1 removed, 1 moved, 1 changed\n"
        "\n"
        "Mon 2027-01-04\n"
        '  - 10:00 instagram mon: tip "Post mon"\n'
        "\n"
        "Tue 2027-01-05\n"
        '  + 01:00 instagram early: tip "Post early"\n'
        "\n"
        "Wed 2027-01-06\n"
        '  ~ 10:00 instagram promo: title "Post promo" → "Beans, 10% off"; status scheduled → review\n'
        "\n"
        "Tue 2027-01-12\n"
        "  ~ 09:00 instagram mon-2: moved from Mon 2027-01-11 10:00\n"
        "\n"
        "Findings: 3 new, 0 fixed\n"
        "  + content-plan.toml:1:1: PLN003 2 open slots in 2027-01-04..2027-01-17 but only 0 backlog ideas can fill them\n"
        "  + content-plan.toml:17:1: CAD001 instagram has no post for its slot Mon 2027-01-04 10:00 (tolerance 3h)\n"
        "  + content-plan.toml:17:1: CAD001 instagram has no post for its slot Mon 2027-01-11 10:00 (tolerance 3h)\n"
        "\n"
        "Mix per channel, before → after, around the changed days\n"
        "  instagram 2027-01-02..2027-01-15: promo 1 → 1 (33% → 33%), tip 2 → 2 (67% → 67%); 3 → 3 posts\n"
    )


def test_findings_are_matched_by_fingerprint_not_line(repo):
    first = repo.commit(plan(MONDAY, PROMO), "promo without a link or approval")
    repo.commit(plan(PROMO, MONDAY, "# a comment that moves every line\n\n"), "reordered")
    result = diff(repo, first, "HEAD", "--format", "json")
    document = json.loads(result.stdout)
    assert document["posts"] == []
    assert document["findings"] == {"new": [], "fixed": []}
    assert document["summary"] == {"added": 0, "removed": 0, "moved": 0, "changed": 0, "moved_and_changed": 0, "new_findings": 0, "fixed_findings": 0}


def test_a_post_that_moved_and_changed_counts_once_as_moved(repo):
    repo.commit(plan(MONDAY, SECOND, PROMO), "first")
    moved_and_retitled = SECOND.replace("2027-01-11T10:00:00", "2027-01-12T09:00:00").replace('"Post mon-2"', '"Latte art"')
    repo.write(plan(MONDAY, moved_and_retitled, PROMO, post_toml("new-1", "2027-01-07T10:00:00"), post_toml("new-2", "2027-01-08T10:00:00")))
    text = diff(repo).stdout.splitlines()
    assert text[1] == "3 posts: 2 added, 0 removed, 1 moved (1 also changed), 0 changed"
    assert '  ~ 09:00 instagram mon-2: moved from Mon 2027-01-11 10:00; title "Post mon-2" → "Latte art"' in text
    summary = json.loads(diff(repo, "--format", "json").stdout)["summary"]
    assert summary["added"] + summary["removed"] + summary["moved"] + summary["changed"] == 3
    assert (summary["moved"], summary["moved_and_changed"], summary["changed"]) == (1, 1, 0)


def test_fixed_findings_and_two_files(repo):
    old = repo.write(plan(MONDAY), "old.toml")
    new = repo.write(plan(MONDAY, SECOND), "new.toml")
    document = json.loads(diff(repo, str(old), str(new), "--format", "json").stdout)
    assert [(p["change"], p["id"], p["date"]) for p in document["posts"]] == [("added", "mon-2", "2027-01-11")]
    assert document["findings"]["new"] == []
    fixed = [(d["code"], d["path"], d["date"]) for d in document["findings"]["fixed"]]
    assert fixed == [("PLN003", str(old), "2027-01-11"), ("CAD001", str(old), "2027-01-11"), ("CAD003", str(old), "2027-01-05")]
    assert document["mix"] == [  # the changed day, padded to one 14-day window
        {"channel": "instagram", "first": "2027-01-05", "last": "2027-01-18", "kinds": [{"kind": "tip", "before": 0, "after": 1}]}
    ]


def test_markdown_for_a_pull_request(repo):
    repo.commit(plan(MONDAY), "first")
    repo.commit(plan(MONDAY, SECOND.replace('"Post mon-2"', '"A | pipe"')), "second")
    result = diff(repo, "HEAD~1", "HEAD", "--format", "md")
    assert result.stdout.splitlines()[:8] == [
        "### Schedule: `HEAD~1:content-plan.toml` → `HEAD:content-plan.toml`",
        "",
        "**1 post: 1 added, 0 removed, 0 moved, 0 changed** · findings: **0 new**, 3 fixed",
        "",
        "| day | time | channel | post | change |",
        "|---|---|---|---|---|",
        '| Mon 2027-01-11 | 10:00 | instagram | `mon-2` | added: tip "A \\| pipe" |',
        "",
    ]


def test_a_plan_in_a_subfolder_and_a_deleted_working_file(repo):
    (repo.root / "plans").mkdir()
    repo.commit(plan(MONDAY), "first", name="plans/q1.toml")
    (repo.root / "plans" / "q1.toml").unlink()
    result = run_cadence("diff", "HEAD", "--plan", "q1.toml", cwd=repo.root / "plans")
    assert (result.returncode, result.stderr) == (2, "q1.toml:1:1: no such file\n")
    repo.commit(plan(MONDAY, SECOND), "second", name="plans/q1.toml")
    result = run_cadence("diff", "HEAD~1", "HEAD", "--plan", "q1.toml", cwd=repo.root / "plans")
    assert result.stdout.splitlines()[:2] == ["HEAD~1:plans/q1.toml → HEAD:plans/q1.toml", "1 post: 1 added, 0 removed, 0 moved, 0 changed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-rev",), "cadence: error: unknown revision 'no-such-rev'\n"),
        (("HEAD", "--plan", "other.toml"), "cadence: error: other.toml is not in revision HEAD\n"),
    ],
)
def test_bad_revisions(repo, args, message):
    repo.commit(plan(MONDAY), "first")
    repo.write(plan(MONDAY), "other.toml")
    result = diff(repo, *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_not_a_git_repository(tmp_path):
    (tmp_path / "content-plan.toml").write_text(plan(MONDAY))
    result = run_cadence("diff", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "cadence: error: content-plan.toml is not in a git repository\n")


def test_a_side_that_does_not_parse(repo):
    repo.commit(plan(MONDAY).replace('kind = "tip"', 'kind = "tpi"'), "broken")
    repo.write(plan(MONDAY))
    result = diff(repo)
    assert result.returncode == 2
    assert result.stderr == "HEAD:content-plan.toml:27:1: unknown kind 'tpi'; did you mean 'tip'? (known: promo, question, tip)\n"


def test_an_unknown_format_says_what_it_may_be(repo):
    result = diff(repo, "--format", "mdd")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "cadence diff: error: argument --format: 'mdd' is not one of text, md, json; did you mean 'md'?"


def test_owners_hours_in_the_weeks_a_change_touches():
    from tests.conftest import DATA

    team = DATA / "team"
    result = run_cadence("diff", str(team / "before.toml"), str(team / "after.toml"), "--today", "2027-01-01", "--format", "json")
    assert json.loads(result.stdout)["loads"] == [{"owner": "rina", "week": "2027-W03", "hours": 3.5, "before": 3.25, "after": 4.0, "over": True}]


def test_the_forked_check_of_the_old_version_finds_what_a_plain_check_does():
    from datetime import date

    from balance.engine import CheckOptions, run
    from balance.registry import vocabulary
    from calendar_tui.commands.diff import findings_of_both
    from planner.loader import load_plan
    from tests.conftest import DATA

    old, new = (load_plan(str(DATA / "team" / name), vocabulary()) for name in ("after.toml", "before.toml"))
    day = date(2027, 1, 1)
    old_findings, new_findings = findings_of_both(old, new, day)
    options = CheckOptions(suggestions=False)
    assert old_findings == run(old, options, day) and len(old_findings) == 6
    assert new_findings == run(new, options, day) == []
