"""`cadence merge-driver` under real `git merge` runs in a temporary repository."""

import sys

import pytest
import tomli

from planner.writer import apply_edits
from tests.conftest import ROOT, plan_text, post_toml, run_cadence
from tests.gitrepo import Repo

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON"]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'
BASE = plan_text(
    CHANNEL
    + post_toml("mon", "2027-01-04T10:00:00", status='"scheduled"')
    + post_toml("wed", "2027-01-06T10:00:00", status='"scheduled"')
    + post_toml("mon-2", "2027-01-11T10:00:00", status='"scheduled"'),
    end="2027-01-17",
).rstrip("\n") + "\n"


@pytest.fixture
def repo(tmp_path):
    repo = Repo(tmp_path)
    driver = f"{sys.executable} -m calendar_tui merge-driver %O %A %B %P"
    repo.git("config", "merge.cadence.name", "cadence: merge content plans post by post")
    repo.git("config", "merge.cadence.driver", driver)
    (tmp_path / ".gitattributes").write_text("content-plan.toml merge=cadence\n")
    repo.git("add", ".gitattributes")
    repo.commit(BASE, "base")
    return repo


def branches(repo, ours: str, theirs: str):
    """Commit ``theirs`` on branch "theirs", ``ours`` on main, and merge theirs into main."""
    repo.git("checkout", "-q", "-b", "theirs")
    repo.commit(theirs, "theirs")
    repo.git("checkout", "-q", "main")
    repo.commit(ours, "ours")
    return repo.git("merge", "--no-edit", "theirs", check=False)


def add(text: str, post_id: str, at: str, title: str) -> str:
    from datetime import datetime

    from planner.writer import AddPost

    fields = {"id": post_id, "at": datetime.fromisoformat(at), "channel": "instagram", "kind": "tip", "title": title}
    return apply_edits(text, [AddPost(fields)])


def change(text: str, post_id: str, **changes) -> str:
    from planner.writer import ChangePost

    return apply_edits(text, [ChangePost(post_id, changes)])


def delete(text: str, post_id: str) -> str:
    from planner.writer import DeletePost

    return apply_edits(text, [DeletePost(post_id)])


def test_posts_added_on_the_same_day_on_both_branches_merge_cleanly(repo):
    ours = add(BASE, "ours-tue", "2027-01-05T12:00:00", "Ours on Tuesday")
    theirs = add(BASE, "theirs-tue", "2027-01-05T12:00:00", "Theirs on Tuesday")
    assert ours.count("\n") == theirs.count("\n")  # the same lines: plain git would conflict
    merged = branches(repo, ours, theirs)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = repo.read()
    ids = [post["id"] for post in tomli.loads(text)["post"]]
    assert ids == ["mon", "ours-tue", "theirs-tue", "wed", "mon-2"]
    assert run_cadence("fmt", "--check", "content-plan.toml", cwd=repo.root).returncode == 0
    assert run_cadence("check", "content-plan.toml", "--select", "PUB", "--today", "2027-01-01", cwd=repo.root).returncode == 0


def test_one_sided_changes_moves_and_deletes_merge_cleanly(repo):
    ours = change(delete(BASE, "mon"), "wed", title="Wednesday, retitled")
    theirs = change(BASE, "mon-2", at=__import__("datetime").datetime(2027, 1, 5, 9, 0))  # moved before wed
    merged = branches(repo, ours, theirs)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    posts = tomli.loads(repo.read())["post"]
    assert [(post["id"], post["title"]) for post in posts] == [("mon-2", "Post mon-2"), ("wed", "Wednesday, retitled")]


def test_a_delete_against_an_edit_is_reported(repo):
    merged = branches(repo, delete(BASE, "wed"), change(BASE, "wed", status="review"))
    assert merged.returncode == 1
    assert "content-plan.toml: post 'wed' was deleted on one side and changed on the other" in merged.stderr
    text = repo.read()
    assert "<<<<<<< content-plan.toml (ours)\n=======\n[[post]]\nid = \"wed\"" in text
    assert 'status = "review"\n>>>>>>> content-plan.toml (theirs)\n' in text


def test_an_edit_against_an_edit_conflicts_on_that_block_only(repo):
    ours = add(change(BASE, "wed", title="Ours"), "ours-new", "2027-01-07T10:00:00", "Ours, new")
    theirs = change(change(BASE, "wed", title="Theirs"), "mon", status="review")
    merged = branches(repo, ours, theirs)
    assert merged.returncode == 1
    assert "content-plan.toml: post 'wed' was changed differently on both sides" in merged.stderr
    text = repo.read()
    assert text.count("<<<<<<<") == 1
    conflict = text[text.index("<<<<<<<") : text.index(">>>>>>>")]
    assert conflict.count("[[post]]") == 2 and 'title = "Ours"' in conflict and 'title = "Theirs"' in conflict
    resolved = text.replace(conflict[: conflict.index("=======\n") + 8], "").replace(">>>>>>> content-plan.toml (theirs)\n", "")
    posts = {post["id"]: post for post in tomli.loads(resolved)["post"]}
    assert posts["mon"]["status"] == "review" and "ours-new" in posts and posts["wed"]["title"] == "Theirs"


def test_changes_outside_the_posts_merge_as_text(repo):
    ours = BASE.replace('name = "Test plan"', 'name = "Renamed"')
    theirs = BASE.replace("[team.rina]", '[team.andi]\nroles = ["legal"]\n\n[team.rina]')
    merged = branches(repo, ours, theirs)
    assert merged.returncode == 0, merged.stderr
    data = tomli.loads(repo.read())
    assert data["plan"]["name"] == "Renamed" and set(data["team"]) == {"andi", "rina"} and len(data["post"]) == 3


def test_a_version_that_is_not_toml_exits_2_with_git_line_merge(tmp_path):
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_text(BASE)
    ours.write_text(BASE.replace("[kinds.question]", "[kinds.question"))
    theirs.write_text(BASE.replace('name = "Test plan"', 'name = "Theirs"'))
    result = run_cadence("merge-driver", str(base), str(ours), str(theirs), "content-plan.toml", cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr == (
        "cadence: error: content-plan.toml (ours):13:16: invalid TOML: Expected ']' at the end of a table declaration; "
        "merged line by line instead\n"
    )
    assert ours.read_text() == BASE.replace("[kinds.question]", "[kinds.question").replace('name = "Test plan"', 'name = "Theirs"')
