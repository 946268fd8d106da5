"""Every writer keeps a formatted plan formatted: the writer and ``cadence fmt`` share one
definition of the order and layout (planner.formatter), so a formatted plan edited through
the writer, as the app's session edits it, is still formatted."""

import random
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.formatter import format_plan
from planner.loader import plan_from_text
from planner.writer import AddIdea, AddPost, ChangePost, DeletePost, PlanText, render_table, render_value
from tests.conftest import DATA, SAMPLES

SOURCES = {
    "commented": (DATA / "commented.toml").read_text(),
    "kopi": (SAMPLES / "kopi-senja.toml").read_text(),
    "lumen": (SAMPLES / "lumen-saas-berlin.toml").read_text(),
}
FORMATTED = {name: format_plan(text) for name, text in SOURCES.items()}
FORMATTED["commented-crlf"] = FORMATTED["commented"].replace("\n", "\r\n")


def edits_for(text: str, rng: random.Random, count: int) -> list:
    """Edits of every kind the writers make: adds (some at a post's exact time, some in the
    hour the clocks skip), changes, moves, deletes, ideas."""
    plan = plan_from_text(text, "p.toml")
    ids = [post.id for post in plan.posts]
    times = [post.at.replace(tzinfo=None) for post in plan.posts]
    start = datetime.combine(plan.start, datetime.min.time())
    span = max((plan.end - plan.start).days, 1)
    edits = []
    for number in range(count):
        action = rng.choice(["add", "add-same-time", "add-dst", "change", "move", "delete", "idea"] if ids else ["add"])
        if action.startswith("add"):
            at = start + timedelta(days=rng.randrange(span), minutes=15 * rng.randrange(96))
            if action == "add-same-time" and times:
                at = rng.choice(times)
            elif action == "add-dst":
                at = datetime(2027, 3, 28, 2, 30)
            post_id = rng.choice([f"new-{number}", f"a-{number}", f"z-{number}"])
            fields = {"id": post_id, "at": at, "channel": rng.choice(list(plan.channels)), "kind": rng.choice(list(plan.kinds)), "title": f"New {number}"}
            if rng.random() < 0.3:
                fields["tags"] = [f"a-long-tag-number-{n}" for n in range(rng.randrange(1, 6))]
            edits.append(AddPost(fields))
            ids.append(post_id)
            times.append(at)
        elif action == "change":
            edits.append(ChangePost(rng.choice(ids), {"title": f"Title {number}", "status": rng.choice(["idea", "draft", None]), "owner": rng.choice([None, "mia"])}))
        elif action == "move":
            at = rng.choice(times + [start + timedelta(days=rng.randrange(span), hours=rng.randrange(24))])
            edits.append(ChangePost(rng.choice(ids), {"at": at}))
        elif action == "delete":
            edits.append(DeletePost(ids.pop(rng.randrange(len(ids)))))
        else:
            edits.append(AddIdea({"id": f"bk-new-{number}", "kind": rng.choice(list(plan.kinds)), "title": f"Idea {number}"}))
    return edits


@given(st.sampled_from(sorted(FORMATTED)), st.randoms(use_true_random=False), st.integers(1, 12))
def test_a_formatted_plan_stays_formatted_through_any_edit_sequence(name, rng, count):
    text = FORMATTED[name]
    for edit in edits_for(text, rng, count):
        text = PlanText(text).apply(edit)  # one edit at a time, as the app's session applies them
        assert format_plan(text) == text, edit


@given(st.sampled_from(sorted(FORMATTED)), st.randoms(use_true_random=False), st.integers(1, 30))
def test_adding_many_posts_at_once_keeps_the_plan_formatted(name, rng, count):
    text = FORMATTED[name]
    new_posts = [edit.fields for edit in edits_for(text, rng, count * 3) if isinstance(edit, AddPost)]
    after = PlanText(text).add_posts(new_posts)
    assert format_plan(after) == after
    assert after == _one_by_one(text, new_posts)


def _one_by_one(text: str, new_posts: list[dict]) -> str:
    for fields in new_posts:
        text = PlanText(text).add_posts([fields])
    return text


PLAIN = st.one_of(
    st.text(max_size=20),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=8), max_size=4),
)


@given(PLAIN)
def test_values_are_rendered_as_tomlkit_renders_them(value):
    import tomlkit

    assert render_value(value) == tomlkit.item(value).as_string()


def test_new_posts_are_laid_out_as_fmt_lays_them_out():
    fields = {"title": "T", "tags": [f"tag-number-{n}" for n in range(9)], "id": "p", "x": {"a": 1}, "at": datetime(2027, 3, 2, 9), "kind": "tip", "channel": "x"}
    text = format_plan(SOURCES["commented"])
    after = PlanText(text).add_posts([fields])
    assert format_plan(after) == after
    assert render_table("post", fields).splitlines()[:3] == ["[[post]]", 'id = "p"', "at = 2027-03-02T09:00:00"]
