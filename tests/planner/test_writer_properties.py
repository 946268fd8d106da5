"""Random edit sequences through the writer: the file parses, reloads to the edited model, and
every line outside the edited posts is where it was."""

import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import plan_from_text
from planner.writer import AddPost, ChangePost, DeletePost, PlanText, apply_edits
from tests.conftest import DATA

COMMENTED = (DATA / "commented.toml").read_text()
START = datetime(2027, 3, 1, 8, 0)


def post_blocks(text: str) -> dict[str, str]:
    """Each post's own text (header to last value), by id."""
    plan = plan_from_text(text, "p.toml")
    document = PlanText(text)
    blocks = {}
    for post in plan.posts:
        block = document.block(("post", post.index))
        blocks[post.id] = text[block.start : block.content_end]
    return blocks


def random_edits(rng: random.Random, count: int) -> list:
    ids = [post.id for post in plan_from_text(COMMENTED, "p.toml").posts]
    edits = []
    for number in range(count):
        action = rng.choice(["add", "change", "move", "delete"] if ids else ["add"])
        if action == "add":
            new_id = f"new-{number}"
            at = START + timedelta(days=rng.randrange(30), minutes=15 * rng.randrange(40))
            edits.append(AddPost({"id": new_id, "at": at, "channel": rng.choice(["x", "linkedin"]), "kind": "tip", "title": f"New post {number}"}))
            ids.append(new_id)
        elif action == "change":
            edits.append(ChangePost(rng.choice(ids), {"title": f"Title {number}", "status": rng.choice(["idea", "draft", "review"])}))
        elif action == "move":
            edits.append(ChangePost(rng.choice(ids), {"at": START + timedelta(days=rng.randrange(30), hours=rng.randrange(12))}))
        else:
            post_id = rng.choice(ids)
            ids.remove(post_id)
            edits.append(DeletePost(post_id))
    return edits


def expected_model(edits: list) -> dict[str, dict]:
    posts = {post.id: {"title": post.title, "status": post.status, "at": post.at.replace(tzinfo=None)} for post in plan_from_text(COMMENTED, "p.toml").posts}
    for edit in edits:
        if isinstance(edit, AddPost):
            posts[edit.fields["id"]] = {"title": edit.fields["title"], "status": "draft", "at": edit.fields["at"]}
        elif isinstance(edit, ChangePost):
            posts[edit.post_id].update(edit.changes)
        else:
            del posts[edit.post_id]
    return posts


def check(edits: list) -> None:
    after = apply_edits(COMMENTED, edits)
    plan = plan_from_text(after, "p.toml")
    assert {post.id: {"title": post.title, "status": post.status, "at": post.at.replace(tzinfo=None)} for post in plan.posts} == expected_model(edits)
    touched = {getattr(edit, "post_id", None) or edit.fields["id"] for edit in edits}
    before_blocks, after_blocks = post_blocks(COMMENTED), post_blocks(after)
    for post_id, block in before_blocks.items():
        if post_id not in touched:
            assert after_blocks[post_id] == block
    head = COMMENTED[: COMMENTED.index("[[post]]")]
    assert after.startswith(head.rstrip("\n").rsplit("\n", 1)[0])  # everything above the posts
    assert after.endswith(COMMENTED[COMMENTED.index("# Evergreen ideas") :])
    assert "# Launch week starts here" in after  # comments above or below a post outlive it


@settings(max_examples=25)
@given(st.integers(0, 10**9), st.integers(1, 25))
def test_random_edit_sequences(seed, count):
    check(random_edits(random.Random(seed), count))


def test_a_hundred_random_edits():
    check(random_edits(random.Random(2027), 100))
