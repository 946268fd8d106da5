"""The plan writer: only the edited post's lines change, comments stay, git merges cleanly."""

import difflib
import subprocess
from datetime import datetime

import pytest
import tomli

from planner.loader import plan_from_text
from planner.writer import AddIdea, AddPost, ChangeChannel, ChangePost, DeletePost, EditError, apply_edits
from tests.conftest import DATA

COMMENTED = (DATA / "commented.toml").read_text()


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_changing_a_post_changes_only_its_own_lines():
    after = apply_edits(COMMENTED, [ChangePost("x-shortcut", {"title": "Shortcut of the week: g d", "status": "review"})])
    assert changed_lines(COMMENTED, after) == (
        ['title = "Keyboard shortcut of the week"'],
        ['title = "Shortcut of the week: g d"', 'status = "review"'],
    )
    post = tomli.loads(after)["post"][1]
    assert post["body"] == "Press g, then d.\n[[post]] inside a string is not a post.\n"
    assert "# why: the series tag" in after


def test_removing_a_key_and_moving_a_post_in_time():
    after = apply_edits(COMMENTED, [ChangePost("li-kickoff", {"status": None, "at": datetime(2027, 3, 3, 9, 30)})])
    assert changed_lines(COMMENTED, after) == (["at = 2027-03-02T09:00:00", 'status = "draft"'], ["at = 2027-03-03T09:30:00"])


def test_a_post_moved_past_another_moves_to_its_place_in_the_order():
    after = apply_edits(COMMENTED, [ChangePost("li-kickoff", {"at": datetime(2027, 3, 4, 9, 30)})])
    assert [post["id"] for post in tomli.loads(after)["post"]] == ["x-shortcut", "li-kickoff", "x-launch", "li-case"]
    assert '"tips",\n]\n\n[[post]]\nid = "li-kickoff"\nat = 2027-03-04T09:30:00\n' in after
    assert '# literal quotes stay literal\nstatus = "draft"\n\n# Launch week starts here' in after
    assert "# --- March ----" + "-" * 59 + "\n\n[[post]]\n# a comment inside a post" in after


def test_posts_at_the_same_time_go_in_id_order():
    at = datetime(2027, 3, 3, 12, 30)  # x-shortcut's time
    new = [{"id": name, "at": at, "channel": "x", "kind": "tip", "title": name} for name in ("x-zzz", "x-aaa")]
    after = apply_edits(COMMENTED, [AddPost(fields) for fields in new])
    assert [post["id"] for post in tomli.loads(after)["post"]][:4] == ["li-kickoff", "x-aaa", "x-shortcut", "x-zzz"]


def test_a_post_id_written_with_escapes_can_be_changed_and_deleted():
    text = COMMENTED.replace('id = "li-case"', 'id = "caf\\u00e9"')
    changed = apply_edits(text, [ChangePost("café", {"title": "Café"})])
    assert tomli.loads(changed)["post"][-1]["title"] == "Café"
    assert "caf\\u00e9" not in apply_edits(text, [DeletePost("café")])


def test_literal_strings_and_inline_comments_of_untouched_keys_survive():
    after = apply_edits(COMMENTED, [ChangePost("li-kickoff", {"owner": "jonas"})])
    assert "title = 'Five dashboards every ops lead should build first'   # literal quotes stay literal" in after


def test_a_post_with_a_sub_table_is_edited_as_one_block_in_the_layout_of_fmt():
    after = apply_edits(COMMENTED, [ChangePost("x-launch", {"title": "Lumen 4.2 is here"})])
    assert changed_lines(COMMENTED, after) == (
        ['title = "Lumen 4.2 is out"', "  [post.x]", '  campaign = "launch"   # our own data'],
        ['title = "Lumen 4.2 is here"', "[post.x]", 'campaign = "launch"   # our own data'],
    )
    assert tomli.loads(after)["post"][2]["x"] == {"campaign": "launch"}


def test_a_new_post_goes_in_at_its_date_sorted_place_with_a_blank_line():
    new = {"id": "li-mid", "at": datetime(2027, 3, 9, 9, 0), "channel": "linkedin", "kind": "tip", "title": "Mid-month", "status": "idea"}
    after = apply_edits(COMMENTED, [AddPost(new)])
    ids = [post["id"] for post in tomli.loads(after)["post"]]
    assert ids == ["li-kickoff", "x-shortcut", "li-mid", "x-launch", "li-case"]
    block = after[after.index('id = "li-mid"') - len("[[post]]\n") :]
    assert block.startswith('[[post]]\nid = "li-mid"\nat = 2027-03-09T09:00:00\nchannel = "linkedin"\nkind = "tip"\ntitle = "Mid-month"\nstatus = "idea"\n\n# Launch week')
    removed, _ = changed_lines(COMMENTED, after)
    assert removed == []


def test_the_latest_post_goes_after_the_last_one_and_before_the_backlog_heading():
    new = {"id": "x-late", "at": datetime(2027, 3, 30, 12, 30), "channel": "x", "kind": "tip", "title": "Late"}
    after = apply_edits(COMMENTED, [AddPost(new)])
    assert 'title = "How Nordwind cut reporting time by 60%"\n\n[[post]]\nid = "x-late"' in after
    assert 'title = "Late"\n\n# Evergreen ideas\n[[backlog]]' in after


def test_deleting_a_post_keeps_the_comment_that_heads_the_next_section():
    after = apply_edits(COMMENTED, [DeletePost("x-shortcut")])
    assert "# Launch week starts here" in after
    assert "x-shortcut" not in after and "series tag" not in after
    assert '"https://lumen.example/4-2"' in after
    removed, added = changed_lines(COMMENTED, after)
    assert added == []
    assert removed[0] == "[[post]]" and removed[-1] == ""


def test_changing_a_channel_and_adding_an_idea():
    after = apply_edits(COMMENTED, [ChangeChannel("linkedin", {"tolerance": "2h"}), AddIdea({"id": "bk-faq", "kind": "tip", "title": "FAQ"})])
    assert changed_lines(COMMENTED, after)[0] == []
    plan = plan_from_text(after, "p.toml")
    assert plan.channels["linkedin"].tolerance.total_seconds() == 7200
    assert [idea.id for idea in plan.backlog] == ["bk-glossary", "bk-faq"]
    assert after.endswith('title = "A glossary of KPIs"\n\n[[backlog]]\nid = "bk-faq"\nkind = "tip"\ntitle = "FAQ"\n')


def test_crlf_files_keep_crlf_everywhere():
    crlf = COMMENTED.replace("\n", "\r\n")
    new = {"id": "li-mid", "at": datetime(2027, 3, 9, 9, 0), "channel": "linkedin", "kind": "tip", "title": "Mid"}
    after = apply_edits(crlf, [ChangePost("x-launch", {"title": "New"}), AddPost(new), DeletePost("li-case")])
    assert "\n" not in after.replace("\r\n", "")
    assert after.replace("\r\n", "\n") == apply_edits(
        COMMENTED, [ChangePost("x-launch", {"title": "New"}), AddPost(new), DeletePost("li-case")]
    )


def test_bad_edits_say_why():
    with pytest.raises(EditError, match="no post with id 'nope'"):
        apply_edits(COMMENTED, [ChangePost("nope", {"title": "x"})])
    with pytest.raises(EditError, match="already exists"):
        apply_edits(COMMENTED, [AddPost({"id": "li-case", "at": datetime(2027, 3, 9), "channel": "x", "kind": "tip", "title": "t"})])
    with pytest.raises(EditError, match="not written as a"):
        apply_edits(COMMENTED, [ChangeChannel("tiktok", {"owner": "mia"})])


def git(folder, *args):
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)


def test_two_people_adding_posts_on_different_days_merge_cleanly(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(COMMENTED)
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "t@example.com"], ["config", "user.name", "T"], ["add", "."], ["commit", "-qm", "plan"]):
        assert git(tmp_path, *args).returncode == 0
    git(tmp_path, "checkout", "-qb", "rina")
    early = {"id": "li-early", "at": datetime(2027, 3, 4, 9), "channel": "linkedin", "kind": "tip", "title": "Early"}
    plan.write_text(apply_edits(COMMENTED, [AddPost(early)]))
    git(tmp_path, "commit", "-qam", "early post")
    git(tmp_path, "checkout", "-q", "main")
    late = {"id": "x-late", "at": datetime(2027, 3, 12, 12, 30), "channel": "x", "kind": "tip", "title": "Late"}
    plan.write_text(apply_edits(COMMENTED, [AddPost(late)]))
    git(tmp_path, "commit", "-qam", "late post")
    merged = git(tmp_path, "merge", "-q", "rina", "-m", "merge")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    ids = [post["id"] for post in tomli.loads(plan.read_text())["post"]]
    assert ids == ["li-kickoff", "x-shortcut", "li-early", "x-launch", "x-late", "li-case"]


def test_in_a_file_with_mixed_line_endings_an_edit_keeps_the_ending_of_its_own_lines():
    mixed = COMMENTED.replace("# Nothing here may change unless an edit touches it.\n", "# Nothing here may change unless an edit touches it.\r\n")
    after = apply_edits(mixed, [ChangePost("li-case", {"title": "New"}), AddPost({"id": "x-mid", "at": datetime(2027, 3, 9), "channel": "x", "kind": "tip", "title": "t"})])
    assert after.count("\r\n") == 1
    assert 'title = "New"\n' in after
