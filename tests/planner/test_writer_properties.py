"""Random edit sequences through the writer, on several real plans (and a CRLF one): the file
parses, reloads to exactly the edited model, and every post the edits did not touch, and every
line above the posts and from the backlog on, is as it was."""

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import plan_from_text, post_fields
from planner.localtime import instant, local
from planner.writer import AddPost, ChangePost, DeletePost, PlanText, apply_edits
from tests.conftest import DATA, SAMPLES

PLANS = {
    "commented": (DATA / "commented.toml").read_text(),
    "commented-crlf": (DATA / "commented.toml").read_text().replace("\n", "\r\n"),
    "kopi": (SAMPLES / "kopi-senja.toml").read_text(),
    "lumen": (SAMPLES / "lumen-saas-berlin.toml").read_text(),
}
STATUSES = ["idea", "draft", "review", "approved"]


def model(text: str) -> dict[str, dict]:
    return {post.id: post_fields(post) for post in plan_from_text(text, "p.toml").posts}


def post_blocks(text: str) -> dict[str, str]:
    """Each post's own text (header to last value), by id."""
    document = PlanText(text)
    return {
        post.id: text[document.block(("post", post.index)).start : document.block(("post", post.index)).content_end]
        for post in plan_from_text(text, "p.toml").posts
    }


def random_edits(text: str, rng: random.Random, count: int) -> tuple[list, dict[str, dict]]:
    """Edits, and the model they should lead to."""
    plan = plan_from_text(text, "p.toml")
    expected = model(text)
    channels, kinds = list(plan.channels), list(plan.kinds)
    start = datetime.combine(plan.start, datetime.min.time())
    span = max((plan.end - plan.start).days, 1)
    edits = []
    for number in range(count):
        action = rng.choice(["add", "change", "move", "delete"] if expected else ["add"])
        if action == "add":
            fields = {
                "id": f"new-{number}", "at": start + timedelta(days=rng.randrange(span), minutes=15 * rng.randrange(60)),
                "channel": rng.choice(channels), "kind": rng.choice(kinds), "title": f"New post {number}",
            }
            edits.append(AddPost(fields))
            expected[fields["id"]] = {**fields, "status": "draft"}
        elif action == "change":
            post_id = rng.choice(sorted(expected))
            changes = {"title": f"Title {number}", "status": rng.choice(STATUSES)}
            edits.append(ChangePost(post_id, changes))
            expected[post_id].update(changes)
        elif action == "move":
            post_id = rng.choice(sorted(expected))
            at = start + timedelta(days=rng.randrange(span), hours=rng.randrange(12))
            edits.append(ChangePost(post_id, {"at": at}))
            expected[post_id]["at"] = at
        else:
            post_id = rng.choice(sorted(expected))
            edits.append(DeletePost(post_id))
            del expected[post_id]
    return edits, expected


def check(name: str, seed: int, count: int) -> None:
    before = PLANS[name]
    edits, expected = random_edits(before, random.Random(seed), count)
    after = apply_edits(before, edits)
    tz = plan_from_text(before, "p.toml").tz
    for fields in expected.values():  # a wall time the clocks skip reads as the one after the gap
        fields["at"] = local(instant(fields["at"], tz), tz).replace(tzinfo=None)
    assert model(after) == expected
    touched = {getattr(edit, "post_id", None) or edit.fields["id"] for edit in edits}
    after_blocks = post_blocks(after)
    for post_id, block in post_blocks(before).items():
        if post_id not in touched:
            assert after_blocks[post_id] == block
    first_post = before.index("[[post]]")
    assert after.startswith(before[: before.rfind("\n", 0, first_post - 2) + 1])  # everything above the posts
    if "[[backlog]]" in before:
        blank = "\r\n\r\n" if "\r\n" in before else "\n\n"
        tail = before[before.rindex(blank, 0, before.index("[[backlog]]")) + len(blank) :]
        assert after.endswith(tail)  # the backlog and what heads it
    if "\r\n" in before:
        assert "\n" not in after.replace("\r\n", "")


@settings(max_examples=20)
@given(st.sampled_from(sorted(PLANS)), st.integers(0, 10**9), st.integers(1, 25))
def test_random_edit_sequences(name, seed, count):
    check(name, seed, count)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_a_hundred_random_edits(name):
    check(name, 2027, 100)
